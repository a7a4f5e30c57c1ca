"""rag.question.followup: history validation and resolving a follow-up against the last turn."""

from __future__ import annotations

import pytest

from rag.errors import BadQuestion
from rag.question.followup import is_followup, retrieval_query, validate_history

FIRST = "How many pilot free trade zones has China set up?"
HISTORY = [(FIRST, "China has set up 21 pilot free trade zones [1].")]


def test_validate_history__none_is_an_empty_history():
    assert validate_history(None) == []


def test_validate_history__pairs_come_back_as_string_tuples():
    assert validate_history([["q1", "a1"], ("q2", 2)]) == [("q1", "a1"), ("q2", "2")]


@pytest.mark.parametrize("history", [5, [("only a question",)], [("q", "a", "extra")], [None]])
def test_validate_history__not_pairs_raises_bad_question(history):
    with pytest.raises(BadQuestion, match=r"list of \(question, answer\) pairs"):
        validate_history(history)


def test_validate_history__a_list_of_plain_strings_is_not_pairs():
    with pytest.raises(BadQuestion):
        validate_history(["hi", "ok"])


def test_retrieval_query__follow_up_is_joined_to_the_previous_question():
    query, context = retrieval_query("And when was the first one set up?", HISTORY)
    assert query == f"{FIRST} And when was the first one set up?"
    assert context == FIRST


def test_retrieval_query__uses_only_the_last_turn():
    history = [("What is the Greater Bay Area?", "…"), *HISTORY]
    query, context = retrieval_query("How many members does it have?", history)
    assert context == FIRST
    assert "Greater Bay Area" not in query


def test_retrieval_query__chinese_follow_up_is_resolved():
    history = [("粵港澳大灣區包括哪些城市？", "…")]
    query, context = retrieval_query("那它的人口有多少？", history)
    assert (query, context) == ("粵港澳大灣區包括哪些城市？ 那它的人口有多少？", "粵港澳大灣區包括哪些城市？")


def test_retrieval_query__self_contained_question_is_left_alone():
    question = "What share of offshore RMB settlement does Hong Kong handle?"
    assert retrieval_query(question, HISTORY) == (question, "")


def test_retrieval_query__follow_up_without_history_is_left_alone():
    assert retrieval_query("And what about its population?", None) == ("And what about its population?", "")
    assert retrieval_query("And what about its population?", []) == ("And what about its population?", "")


def test_is_followup__a_long_question_with_a_pronoun_stands_alone():
    long_question = (
        "What is the population of Shenzhen and how has it changed since the city became "
        "a special economic zone in 1980?"
    )
    assert len(long_question.split()) > 14
    assert not is_followup(long_question)
    assert is_followup("How has it changed?")
