"""Resolves an elliptical follow-up ("and how many members does it have?") against the last turn. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.lang.text import language

_EN_CUES = re.compile(
    r"^(and|also|what about|how about|so|then|but)\b|\b(it|its|they|them|their|that|this|those|these|there|he|she|his|her)\b",
    re.I,
)
_ZH_CUES = re.compile(r"^(那|那麼|那么|還有|还有|而|另外)|它|其|他們|他们|該|该|這個|这个|呢[?？]?$")

History = Sequence[tuple[str, str]]


def is_followup(question: str) -> bool:
    if language(question) == "zh":
        return len(question) <= 25 and bool(_ZH_CUES.search(question))
    return len(question.split()) <= 14 and bool(_EN_CUES.search(question))


def retrieval_query(question: str, history: History | None) -> tuple[str, str]:
    """(query to retrieve with, context from the earlier turn) for this question."""
    if not history or not is_followup(question):
        return question, ""
    previous_question = history[-1][0]
    return f"{previous_question} {question}", previous_question


def validate_history(history: object) -> list[tuple[str, str]]:
    """History as (question, answer) pairs; anything else is a clear error."""
    from rag.errors import BadQuestion

    if history is None:
        return []
    try:
        pairs = [(str(q), str(a)) for q, a in history]  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise BadQuestion("history must be a list of (question, answer) pairs.") from None
    return pairs
