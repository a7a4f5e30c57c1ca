"""What a question asks for (rag.question.analysis): one analysis from closed-class language data."""

from __future__ import annotations

import pytest

from rag.question.analysis import Asked, analyse, analyse_turn, question_parts, singular
from rag.types import Lang, Script


@pytest.mark.parametrize(
    ("question", "asked", "thing"),
    [
        ("How many members does the bank have?", Asked.COUNT, "member"),
        ("Please tell me how many members the bank has.", Asked.COUNT, "member"),
        ("how many visitors attended the fair?", Asked.COUNT, "visitor"),
        ("How many developers live in the city?", Asked.COUNT, "developer"),  # the plural noun ends the phrase
        ("What percentage of offshore settlement does the city handle?", Asked.QUANTITY, "settlement"),
        ("Which year did the bridge open?", Asked.DATE, None),
        ("Who wrote the article?", Asked.PERSON, None),
        ("Why does the project need a licence?", Asked.REASON, None),
        ("What command shows the history?", Asked.COMMAND, None),
        ("How do I list branches?", Asked.METHOD, None),
        ("List the measures for opening up", Asked.LIST, "measure"),
        ("What is the annual budget of the agency?", Asked.QUANTITY, "budget"),
        ("What is the number of members?", Asked.COUNT, "member"),
        ("亚投行有多少成员?", Asked.COUNT, "成员"),
        ("大桥的长度是多少?", Asked.QUANTITY, "长度"),
        ("服务中心是什么时候成立的?", Asked.DATE, None),
    ],
)
def test_analyse__asked_kind_and_thing(question: str, asked: Asked, thing: str | None) -> None:
    q = analyse(question)
    assert (q.asked, q.asked_thing) == (asked, thing)


def test_analyse__an_imperative_opening_is_not_content() -> None:
    polite = analyse("Please tell me how many members the bank has.")
    plain = analyse("How many members does the bank have?")
    assert set(polite.content_words) == set(plain.content_words) == {"member", "bank"}  # stemmed tokens


def test_analyse__language_script_and_figures() -> None:
    q = analyse("香港2025年的失業率是多少?")
    assert (q.lang, q.script, q.figures) == (Lang.ZH, Script.HANT, ("2025",))
    assert analyse("Is version 2.39.5 affected?").figures == ("2.39.5",)


def test_question_parts__two_asks_are_split_one_is_not() -> None:
    assert question_parts("What does fetch do? And what does pull do?") == ["What does fetch do?", "And what does pull do?"]
    assert question_parts("Who founded it, and when was it founded?") == ["Who founded it", "when was it founded?"]
    assert question_parts("What does fetch do?") == ["What does fetch do?"]


def test_analyse_turn__a_followup_keeps_its_ask_and_takes_the_earlier_subject() -> None:
    q = analyse_turn("And how many members does it have?", "What is the development bank?")
    assert q.asked is Asked.COUNT and q.asked_thing == "member"
    assert "bank" in q.content_words and "member" in q.content_words  # stemmed tokens


@pytest.mark.parametrize(("plural", "one"), [("cities", "city"), ("boxes", "box"), ("members", "member"),
                                             ("status", "status"), ("class", "class"), ("gas", "gas")])
def test_singular__regular_english_rules(plural: str, one: str) -> None:
    assert singular(plural) == one
