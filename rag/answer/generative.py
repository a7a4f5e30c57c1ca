"""LLM answers through LlamaIndex's OpenAI-compatible client, bounded by one deadline."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from rag.answer.prompts import render
from rag.config import RagConfig
from rag.errors import LLMFailed
from rag.lang.lexicon import data_lines
from rag.types import Paragraph

_REFUSAL_PHRASES = re.compile(
    "|".join(f"(?:{line})" for lang in ("en", "zh") for line in data_lines(lang, "llm_refusals.txt")), re.I
)
LANGUAGE_NAMES = {"latin": "English", "hant": "Traditional Chinese", "hans": "Simplified Chinese"}




def build_llm(config: RagConfig) -> Any:
    """An OpenAILike LLM; retries are ours so the whole call keeps to one deadline."""
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=config.llm_model,
        api_base=config.openai_base_url or "https://api.openai.com/v1",
        api_key=config.openai_api_key or "not-needed",
        timeout=config.llm_timeout_s,
        max_retries=0,
        temperature=0.0,
        max_tokens=600,
        is_chat_model=True,
        context_window=16000,
    )


def number_sources(paragraphs: Sequence[Paragraph]) -> str:
    return "\n\n".join(f"[{i}] {p.text}" for i, p in enumerate(paragraphs, start=1))


def messages(
    config: RagConfig,
    question: str,
    sources: Sequence[Paragraph],
    script: str,
    history: Sequence[tuple[str, str]],
) -> list[Any]:
    from llama_index.core.llms import ChatMessage

    turns = "\n".join(f"Earlier question: {q}\nEarlier answer: {a}" for q, a in history[-3:])
    system = render(config.prompts_dir, "answer_system_v1.txt", language=LANGUAGE_NAMES[script])
    user = render(
        config.prompts_dir,
        "answer_user_v1.txt",
        sources=number_sources(sources),
        history_block=f"Conversation so far:\n{turns}\n" if turns else "",
        question=question,
    )
    return [ChatMessage(role="system", content=system), ChatMessage(role="user", content=user)]


def is_refusal(text: str) -> bool:
    return bool(_REFUSAL_PHRASES.search(text)) and len(text) < 400


_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="rag-llm")


def _chat_before(llm: Any, chat: list[Any], deadline: float) -> str:
    """One chat call that returns by `deadline` even if the reply trickles in.

    The HTTP client's timeout bounds each read, not the whole response, so the call runs in a
    worker and is abandoned at the deadline (the worker ends when its read times out).
    """
    remaining = deadline - time.monotonic()
    future = _POOL.submit(lambda: llm.chat(chat, timeout=remaining).message.content or "")
    try:
        return future.result(timeout=max(0.0, deadline - time.monotonic()))
    except FutureTimeout:
        future.cancel()
        raise TimeoutError("the LLM endpoint did not answer in time") from None


def complete(llm: Any, chat: list[Any], config: RagConfig) -> str:
    """The model's reply, retried with backoff on transient errors, within `llm_timeout_s`."""
    deadline = time.monotonic() + config.llm_timeout_s
    last = "no attempt was made"
    for attempt in range(config.llm_retries + 1):
        remaining = deadline - time.monotonic()
        if remaining <= 0.05:
            last = "the LLM endpoint did not answer in time"
            break
        try:
            reply = _chat_before(llm, chat, deadline)
        except Exception as exc:  # the openai client raises many types; each becomes a reason
            last = describe_failure(exc)
            if not _transient(exc):
                break
            time.sleep(min(0.5 * 2**attempt, max(0.0, deadline - time.monotonic())))
            continue
        if reply.strip():
            return reply
        last = "the model returned an empty answer"
    raise LLMFailed(last)


def stream(llm: Any, chat: list[Any], config: RagConfig) -> Iterator[str]:
    """Deltas of the model's reply, stopped at `llm_timeout_s`; failures raise LLMFailed."""
    deadline = time.monotonic() + config.llm_timeout_s
    try:
        for chunk in llm.stream_chat(chat, timeout=config.llm_timeout_s):
            if time.monotonic() > deadline:
                raise LLMFailed("the LLM endpoint did not finish in time")
            if chunk.delta:
                yield chunk.delta
    except LLMFailed:
        raise
    except Exception as exc:
        raise LLMFailed(describe_failure(exc)) from None


def describe_failure(exc: BaseException) -> str:
    status = getattr(exc, "status_code", None)
    name = type(exc).__name__
    if status == 429:
        return "the LLM endpoint is rate-limiting requests (HTTP 429)"
    if status is not None and status >= 500:
        return f"the LLM endpoint failed (HTTP {status})"
    if status is not None:
        return f"the LLM endpoint refused the request (HTTP {status})"
    if "Timeout" in name or isinstance(exc, TimeoutError):
        return "the LLM endpoint did not answer in time"
    if "Connection" in name:
        return "the LLM endpoint could not be reached"
    return f"the LLM call failed ({name})"


def _transient(exc: BaseException) -> bool:
    status = getattr(exc, "status_code", None)
    if status is not None:
        return status == 429 or status >= 500
    if isinstance(exc, TimeoutError):
        return False
    return "Timeout" in type(exc).__name__ or "Connection" in type(exc).__name__
