"""The refusal signals: pure units, then the real pipeline on near misses and off-topic questions."""

from __future__ import annotations

import pytest

from rag.answer.extractive import question_parts
from rag.config import RagConfig
from rag.guard.answerability import (
    aliases,
    anchors,
    asked_attribute,
    missing_anchors,
    missing_answer_type,
    off_topic,
    signals,
)
from rag.types import Paragraph, ScoredParagraph

CORPUS_WORDS = {"hong", "kong", "beijing", "offshore", "rmb", "settlement", "style", "北京"}


def _knows(word: str) -> bool:
    return word in CORPUS_WORDS


def _is_common(word: str) -> bool:
    return word in {"hong", "kong"}


def test_off_topic__only_ubiquitous_words_shared_with_the_corpus() -> None:
    assert off_topic("How do I bake Hong Kong-style egg tarts?", _is_common, _knows)
    assert not off_topic("How much offshore RMB settlement does Hong Kong handle?", _is_common, _knows)


def test_off_topic__a_question_without_unknown_words_is_not_off_topic() -> None:
    assert not off_topic("What is Beijing?", _is_common, _knows)  # short, but every word is known


def test_anchors__chinese_month_matches_english_month_name() -> None:
    needed = anchors("2025年10月27日刊登的文章", chinese=False)
    assert "10月" in needed
    assert missing_anchors(needed, ["guangming daily (page 12 october 27 2025)"]) == ()
    assert missing_anchors(needed, ["guangming daily (page 12 november 27 2025)"]) == ("10月",)


def test_missing_anchors__comparison_lets_each_anchor_stand_apart() -> None:
    texts = ["wto anniversary article", "guangming daily article"]
    assert missing_anchors(["wto", "guangming daily"], texts) != ()
    assert missing_anchors(["wto", "guangming daily"], texts, together=False) == ()


def test_aliases__acronym_the_paragraph_defines() -> None:
    text = "the hong kong investment corporation limited (hkic) has invested in more than 170 projects"
    assert aliases(text, ["investment corporation limited"]) == ["hkic"]


def _scored(source: str, text: str, role: str = "body", lang: str = "en") -> ScoredParagraph:
    return ScoredParagraph(Paragraph(source=source, number=1, text=text, lang=lang, role=role), 1.0)


def test_missing_answer_type__organisations_are_not_the_person_asked_for() -> None:
    listing = _scored("a.txt", "Groups such as the Asia-Pacific Economic Cooperation and the AIIB meet here.")
    assert missing_answer_type("Who is the president of the AIIB?", ["aiib"], [listing]) == "name"
    named = _scored("a.txt", "Jin Liqun was the first president of the AIIB.")
    assert missing_answer_type("Who is the president of the AIIB?", ["aiib"], [named]) is None


def test_missing_answer_type__a_byline_speaks_for_its_whole_document() -> None:
    byline = _scored("a.txt", "作者簡介:高松傑,人稱高Sir,時評人", role="byline", lang="zh")
    same_doc = _scored("a.txt", "China joined the WTO in 2001.")
    other_doc = _scored("b.txt", "China joined the WTO in 2001.")
    question = "Who wrote the article on the WTO?"
    assert missing_answer_type(question, ["wto"], [byline], [byline, same_doc]) is None
    assert missing_answer_type(question, ["wto"], [byline], [byline, other_doc]) == "name"


def test_signals__english_names_are_found_in_a_chinese_paragraph_through_its_translation() -> None:
    bio = _scored("a.txt", "作者簡介:高松傑,灣區推介官、2023深圳十大好網民", role="byline", lang="zh")
    assert signals("What Shenzhen honour did the author receive in 2023?", [bio]).missing_anchors == ()
    assert signals("What Shanghai honour did the author receive in 2023?", [bio]).missing_anchors == ("shanghai",)


@pytest.mark.parametrize(
    ("question", "attribute"),
    [
        ("What is Invest Hong Kong's annual budget?", ["budget"]),
        ("What was the overall tariff level in 2010?", []),  # a level: any figure answers it
        ("What is the fourth measure the report proposes?", ["measure"]),
        ("DeepSeek大模型的参数规模是多少?", ["参数", "规模"]),
        ("How many members does the AIIB have?", []),
    ],
)
def test_asked_attribute__the_noun_a_what_is_question_asks_for(question: str, attribute: list[str]) -> None:
    assert asked_attribute(question) == attribute


def test_signals__an_attribute_the_corpus_never_uses_cannot_be_answered() -> None:
    aiib = _scored("a.txt", "The AIIB has 109 members and has approved over 200 projects.")
    known = {"aiib", "members", "projects"}.__contains__
    assert signals("What is the AIIB's annual budget?", [aiib], knows=known).unknown_attribute == ("budget",)
    assert signals("What is the AIIB's lending budget?", [aiib], knows=known).unknown_attribute == ("budget",)
    assert signals("What is the AIIB's member count?", [aiib], knows=known).unknown_attribute == ()  # "109 members"
    assert signals("What are the AIIB's projects?", [aiib], knows=known).unknown_attribute == ()


def test_knows__an_english_word_in_either_number(config: RagConfig) -> None:
    from rag.qa import get_pipeline

    retriever = get_pipeline(config).retriever
    assert "measure" not in retriever.keywords.vocabulary  # the seeds only say "measures"
    assert retriever.knows("measure") and retriever.knows("measures")
    assert not retriever.knows("budget") and not retriever.knows("budgets")


def test_question_parts__second_ask_may_open_with_a_preposition() -> None:
    question = "How many firms came over the past three years, and in how many projects has HKIC invested?"
    assert question_parts(question) == [
        "How many firms came over the past three years",
        "in how many projects has HKIC invested?",
    ]


@pytest.mark.parametrize(
    "question",
    [
        "火星上有多少人居住?",  # Mars: a word the corpus never uses
        "今天北京的天氣怎麼樣?",
        "How many cross-border e-commerce sellers are based in Shanghai?",  # only Shenzhen's count is given
        "What was the Silk Road Fund's annual budget?",  # the fund is covered, a budget never
        "港珠澳大桥有多长?",  # no document names the bridge, though all say Hong Kong
    ],
)
def test_ask__near_miss_or_off_topic_is_refused(config: RagConfig, question: str) -> None:
    from rag import ask

    answer = ask(question, config=config)
    assert answer.refused and answer.citations == []


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("In how many projects has the Hong Kong Investment Corporation Limited invested?", "170"),
        ("《光明日報》2025年10月27日刊登的那篇談擴大高水平對外開放的文章,作者是誰?", "Gu Yan"),
    ],
)
def test_ask__answerable_question_is_not_refused(config: RagConfig, question: str, fact: str) -> None:
    from rag import ask

    answer = ask(question, config=config)
    assert not answer.refused
    assert fact in answer.answer
