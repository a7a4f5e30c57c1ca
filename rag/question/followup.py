"""Resolves an elliptical follow-up ("and how many members does it have?") against the last turn. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rag.lang.lexicon import data_lines
from rag.lang.text import language, normalise
from rag.types import Lang

History = Sequence[tuple[str, str]]


def is_followup(question: str) -> bool:
    """A short question that opens with, or holds, a word pointing back (rag/lang/data/*/followup_cues.txt)."""
    if language(question) == "zh":
        text = normalise(question)
        return len(question) <= 25 and any(cue in text for cue in _cues(Lang.ZH))
    words = re.findall(r"[a-z']+", question.lower())
    cues = _cues(Lang.EN)
    phrases = [c for c in cues if " " in c]
    opening = " ".join(words[:2])
    return len(question.split()) <= 14 and (
        any(w in cues for w in words) or any(opening.startswith(p) for p in phrases)
    )


@lru_cache(maxsize=2)
def _cues(lang: Lang) -> frozenset[str]:
    return frozenset(data_lines(lang, "followup_cues.txt"))


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
        if any(isinstance(turn, str | bytes) for turn in history):  # type: ignore[union-attr]
            raise TypeError
        pairs = [(str(q), str(a)) for q, a in history]  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise BadQuestion("history must be a list of (question, answer) pairs.") from None
    return pairs
