"""rag.question.intent.wanted_roles: which paragraph role a question names."""

from __future__ import annotations

import pytest

from rag.question.intent import wanted_roles


@pytest.mark.parametrize(
    "question",
    [
        "Who wrote the article about the free trade zones?",
        "Which newspaper published this report?",
        "When was it published?",
        "What is the publication date?",
        "這篇文章的作者是誰？",
        "这篇文章是哪份报纸刊登的？",
    ],
)
def test_wanted_roles__byline_cues(question):
    assert wanted_roles(question) == frozenset({"byline"})


@pytest.mark.parametrize(
    "question",
    ["What is the headline of the story?", "What is the title?", "這篇文章的標題是什麼？", "文章标题是什么？"],
)
def test_wanted_roles__title_cues(question):
    assert wanted_roles(question) == frozenset({"title"})


def test_wanted_roles__both_roles_when_both_are_asked():
    assert wanted_roles("Who wrote it and what is its title?") == frozenset({"byline", "title"})


def test_wanted_roles__is_case_insensitive():
    assert wanted_roles("WHO WROTE THE ARTICLE?") == frozenset({"byline"})


@pytest.mark.parametrize(
    "question",
    [
        "How many pilot free trade zones has China set up?",
        "What did the port authority decide?",  # "authority" is not "author"
        "香港處理多少離岸人民幣結算？",
        "",
    ],
)
def test_wanted_roles__none_for_a_question_about_content(question):
    assert wanted_roles(question) == frozenset()
