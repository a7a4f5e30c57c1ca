"""Validates and cleans a user's question at the boundary. Pure."""

from __future__ import annotations

import unicodedata

from rag.config import MAX_QUESTION_CHARS
from rag.errors import BadQuestion
from rag.lang.text import clean_question


def validate_question(question: object) -> str:
    """The cleaned question, or BadQuestion saying what is wrong and how to fix it."""
    if not isinstance(question, str):
        raise BadQuestion(f"question must be text, got {type(question).__name__}.")
    if len(question) > MAX_QUESTION_CHARS:
        raise BadQuestion(
            f"question is {len(question):,} characters; the limit is {MAX_QUESTION_CHARS:,}. Shorten it."
        )
    cleaned = clean_question(question)
    if not cleaned:
        raise BadQuestion("question is empty")
    if not any(unicodedata.category(ch)[0] in "LN" for ch in cleaned):
        raise BadQuestion("question has no words in it; ask about the documents in words.")
    return cleaned
