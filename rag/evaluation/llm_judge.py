"""The LLM support judge (ALCE-style entailment), run beside the offline judge when an LLM
endpoint is configured. The prompt is prompts/judge_v1.txt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rag.answer.prompts import render
from rag.config import RagConfig
from rag.errors import LLMFailed

PROMPT = "judge_v1.txt"
_VERDICT = re.compile(r"\b(NOT[_ ]SUPPORTED|SUPPORTED)\b", re.I)


def parse_verdict(reply: str) -> bool | None:
    """SUPPORTED -> True, NOT_SUPPORTED -> False, anything else -> None."""
    match = _VERDICT.search(reply)
    if match is None:
        return None
    return not match.group(1).upper().startswith("NOT")


class LLMJudge:
    """`judge(sentence, paragraphs) -> bool`; a failed or unreadable reply counts as unsupported
    and is counted in `errors`, so a flaky endpoint shows up in the report instead of crashing it.
    """

    def __init__(self, config: RagConfig, llm: Any = None) -> None:
        from rag.answer import generative

        self.config = config
        self.llm = generative.build_llm(config) if llm is None else llm
        self.errors = 0
        self.last_error: str | None = None
        self._cache: dict[tuple[str, tuple[str, ...]], bool | None] = {}

    def verdict(self, sentence: str, paragraphs: Sequence[str]) -> bool | None:
        """True/False, or None when the endpoint failed or its reply had no verdict."""
        key = (sentence, tuple(paragraphs))
        if key not in self._cache:
            self._cache[key] = self._ask(sentence, paragraphs)
        return self._cache[key]

    def __call__(self, sentence: str, paragraphs: Sequence[str]) -> bool:
        return self.verdict(sentence, paragraphs) is True

    def _ask(self, sentence: str, paragraphs: Sequence[str]) -> bool | None:
        from llama_index.core.llms import ChatMessage

        from rag.answer import generative

        numbered = "\n\n".join(f"[{i}] {p}" for i, p in enumerate(paragraphs, start=1))
        prompt = render(self.config.prompts_dir, PROMPT, sentence=sentence, paragraphs=numbered)
        try:
            reply = generative.complete(self.llm, [ChatMessage(role="user", content=prompt)], self.config)
        except LLMFailed as failure:
            self.errors += 1
            self.last_error = failure.reason
            return None
        verdict = parse_verdict(reply)
        if verdict is None:
            self.errors += 1
            self.last_error = f"the judge's reply had no verdict: {reply[:80]!r}"
        return verdict
