"""rag.question.validation.validate_question: the boundary check on a user's question."""

from __future__ import annotations

import pytest

from rag.config import MAX_QUESTION_CHARS
from rag.errors import BadQuestion, RagError
from rag.question.validation import validate_question


@pytest.mark.parametrize(
    ("value", "type_name"), [(None, "NoneType"), (42, "int"), (b"bytes", "bytes"), (["q"], "list")]
)
def test_validate_question__non_text_names_the_type_it_got(value, type_name):
    with pytest.raises(BadQuestion, match=rf"must be text, got {type_name}\."):
        validate_question(value)


def test_validate_question__too_long_names_its_length_and_the_limit():
    with pytest.raises(BadQuestion) as caught:
        validate_question("a" * (MAX_QUESTION_CHARS + 1))
    message = str(caught.value)
    assert f"{MAX_QUESTION_CHARS + 1:,}" in message
    assert f"{MAX_QUESTION_CHARS:,}" in message
    assert "Shorten" in message


def test_validate_question__exactly_the_limit_is_accepted():
    assert validate_question("a" * MAX_QUESTION_CHARS) == "a" * MAX_QUESTION_CHARS


@pytest.mark.parametrize("question", ["", "   ", "\t\n\r", "\u200b\ufeff"])
def test_validate_question__empty_after_cleaning_is_rejected(question):
    with pytest.raises(BadQuestion, match="empty"):
        validate_question(question)


@pytest.mark.parametrize("question", ["???", "?! …", "。！？"])
def test_validate_question__punctuation_only_is_rejected(question):
    with pytest.raises(BadQuestion, match="no words"):
        validate_question(question)


def test_validate_question__whitespace_and_control_characters_are_cleaned():
    raw = "  What\tshare of\n\noffshore\u200b RMB\x07 settlement?\r\n "
    assert validate_question(raw) == "What share of offshore RMB settlement?"


def test_validate_question__chinese_and_figures_count_as_words():
    assert validate_question(" 香港？ ") == "香港？"
    assert validate_question("2020?") == "2020?"


def test_validate_question__errors_are_rag_errors_and_value_errors():
    with pytest.raises(RagError):
        validate_question("")
    with pytest.raises(ValueError):
        validate_question("")
