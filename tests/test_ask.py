"""ask() end to end on the real index, extractive (offline) mode."""

from __future__ import annotations

import re

import pytest

from rag.errors import BadQuestion
from rag.qa import ask


def _check_markers(answer):
    used = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert used == set(range(1, len(answer.citations) + 1))


def test_ask__offshore_rmb_answer_cites_the_paragraph_with_75(config):
    r = ask("What percentage of offshore RMB settlement does Hong Kong handle?", config=config)
    assert not r.refused and r.mode == "extractive" and "75%" in r.answer
    _check_markers(r)
    cited = {(c.source, c.paragraph) for c in r.citations}
    assert ("000_9ac360c900c966b4.txt", 70) in cited
    assert all("75%" in c.text for c in r.citations if c.paragraph in (27, 70))


def test_ask__citation_text_is_the_exact_paragraph(config):
    r = ask("How many pilot free trade zones has China set up?", config=config)
    for c in r.citations:
        lines = [ln.strip() for ln in (config.docs[0] / c.source).read_text(encoding="utf-8").splitlines() if ln.strip()]
        assert lines[c.paragraph - 1] == c.text
    assert "22" in r.answer


def test_ask__simplified_question_finds_traditional_paragraph_and_answers_in_simplified(config):
    r = ask("香港处理全球多少离岸人民币结算业务?", config=config)
    assert not r.refused
    assert any(c.source.startswith("000") and c.paragraph == 27 for c in r.citations)
    assert "75%" in r.answer and "离岸人民币" in r.answer
    assert any("離岸人民幣" in c.text for c in r.citations)


def test_ask__unrelated_question_is_refused_without_citations(config):
    r = ask("What is the best recipe for chocolate cake?", config=config)
    assert r.refused and r.citations == [] and "don't cover" in r.answer


def test_ask__chinese_refusal_is_in_chinese(config):
    r = ask("今天北京的天氣怎麼樣?", config=config)
    assert r.refused and "文件" in r.answer


def test_ask__followup_resolved_against_history(config):
    first = "What is the Asian Infrastructure Investment Bank?"
    r = ask("And how many members does it have?", history=[(first, "It is a bank [1].")], config=config)
    assert not r.refused and "109" in r.answer


def test_ask__list_question_gets_the_list(config):
    r = ask("Which co-operation platforms has Hong Kong built with the Mainland?", config=config)
    assert "Chongqing" in r.answer and "Guangdong" in r.answer
    assert {c.paragraph for c in r.citations} >= set(range(10, 20))


@pytest.mark.parametrize("question", ["", "   \n\t ", "x" * 2001])
def test_ask__bad_questions_raise_value_error(config, question):
    with pytest.raises(ValueError) as info:
        ask(question, config=config)
    assert isinstance(info.value, BadQuestion)
    assert ("empty" in str(info.value)) or ("2,000" in str(info.value))


def test_ask__control_and_zero_width_characters_are_handled(config):
    r = ask("What\u200b percentage of offshore\x07 RMB settlement does Hong\u200d Kong handle?", config=config)
    assert "75%" in r.answer
