"""The offline support judge on real sentences and paragraphs from the seeds."""

from __future__ import annotations

import json
from functools import cache

import pytest

from rag.config import REPO_ROOT
from rag.guard.judge import Verdict, figures, judge_sentence, strip_markers, supports, zh_numeral
from rag.ingest.documents import read_text
from rag.ingest.paragraphs import non_blank_lines
from rag.lang.text import normalise

SEEDS = REPO_ROOT / "seeds"
WTO = "000_9ac360c900c966b4.txt"
PLAN = "001_5b91892a5bce1038.txt"
HK_COOP = "002_44e99aac8690d231.txt"


@cache
def paragraph(source: str, number: int) -> str:
    return non_blank_lines(read_text(SEEDS / source))[number - 1]


def test_judge_sentence__verbatim_english_sentence_is_supported() -> None:
    verdict = judge_sentence(
        "Hong Kong handles over 75% of global offshore RMB settlement [1].", [paragraph(WTO, 70)]
    )
    assert isinstance(verdict, Verdict)
    assert verdict.supported and verdict.score == pytest.approx(1.0)


def test_judge_sentence__changed_number_is_not_supported() -> None:
    verdict = judge_sentence(
        "Hong Kong handles over 85% of global offshore RMB settlement.", [paragraph(WTO, 70)]
    )
    assert not verdict.supported
    assert "85" in verdict.reason


def test_judge_sentence__swapped_city_is_not_supported() -> None:
    text = paragraph(PLAN, 15)
    assert supports("Shenzhen has gathered 120,000 cross-border e-commerce sellers.", [text])
    verdict = judge_sentence("Shanghai has gathered 120,000 cross-border e-commerce sellers.", [text])
    assert not verdict.supported and "Shanghai" in verdict.reason


def test_judge_sentence__swapped_chinese_place_is_not_supported() -> None:
    text = paragraph(WTO, 28)  # 國際調解院總部落戶香港
    assert supports("國際調解院總部落戶香港。", [text])
    assert not supports("國際調解院總部落戶深圳。", [text])


def test_judge_sentence__simplified_sentence_matches_traditional_paragraph() -> None:
    assert supports("香港处理全球75%以上的离岸人民币结算业务。", [paragraph(WTO, 27)])


def test_judge_sentence__figures_compare_as_values_across_languages() -> None:
    # English sentence, Traditional paragraph: 4.5萬 = 45,000, 525萬 = 5.25 million
    verdict = judge_sentence(
        "China's high-speed rail network has passed 45,000 kilometres, more than 60% of the world's total.",
        [paragraph(WTO, 6)],
    )
    assert verdict.supported and verdict.score < 1.0
    assert supports("In 2025, China's new energy vehicle exports exceeded 5.25 million units.", [paragraph(WTO, 7)])
    assert not supports("In 2025, China's new energy vehicle exports exceeded 5.52 million units.", [paragraph(WTO, 7)])


def test_judge_sentence__crosslingual_without_figures_is_not_supported() -> None:
    # An honest limit: offline, nothing but figures can be compared across languages.
    verdict = judge_sentence("Hong Kong's IPO market ranked first globally last year.", [paragraph(WTO, 22)])
    assert not verdict.supported and "other language" in verdict.reason


def test_judge_sentence__multiplier_words_and_fold() -> None:
    text = paragraph(WTO, 44)
    assert supports("China's total foreign trade grew eleven-fold in 25 years.", [text])
    assert not supports("China's total foreign trade grew twelve-fold in 25 years.", [text])


def test_judge_sentence__claim_spread_over_two_paragraphs_needs_both() -> None:
    sentence = "The AIIB has 109 members and China-Europe Railway Express has operated over 80,000 trips."
    aiib, trains = paragraph(WTO, 61), paragraph(WTO, 60)
    assert supports(sentence, [aiib, trains])
    assert not supports(sentence, [aiib])


def test_judge_sentence__unrelated_paragraph_is_not_supported() -> None:
    assert not supports("The Cradle offers funding support to enterprises.", [paragraph(HK_COOP, 19)])
    assert not supports("Since 2013, China has pursued reform.", [paragraph(HK_COOP, 13)])


def test_judge_sentence__list_item_is_supported_by_its_line() -> None:
    assert supports("(8)  Hong Kong/Sichuan Co-operation Conference [1];", [paragraph(HK_COOP, 17)])
    assert not supports("(8)  Hong Kong/Tianjin Co-operation Conference [1];", [paragraph(HK_COOP, 17)])


def test_judge_sentence__abbreviation_of_a_name_in_the_paragraph_is_accepted() -> None:
    assert supports("進博會自2018年舉辦以來已連續七屆。", [paragraph(WTO, 13)])


def test_judge_sentence__nothing_to_judge() -> None:
    assert not supports("[1]", [paragraph(WTO, 70)])
    assert not supports("Hong Kong handles 75%.", [])


def test_strip_markers__removes_every_marker_form() -> None:
    assert strip_markers("A claim [1][2] and 【3】 more [4, 5].") == "A claim and more."


def test_figures__reads_scales_words_and_chinese_numerals() -> None:
    assert figures(normalise("4.5萬公里")) == {45000.0}
    assert figures(normalise("5.25 million units")) == {5_250_000.0}
    assert figures("126万亿元") == {1.26e14}
    assert figures("45,000 kilometres, 60%") == {45000.0, 60.0}
    assert figures("连续七届") == {7.0}
    assert figures("占六成以上") == {60.0}
    assert figures("一带一路") == set()


def test_zh_numeral__parses_and_rejects() -> None:
    assert zh_numeral("十七") == 17
    assert zh_numeral("一百二十") == 120
    assert zh_numeral("四五") is None


def test_judge__agrees_with_the_labelled_pairs() -> None:
    path = REPO_ROOT / "eval" / "judge_pairs.jsonl"
    if not path.exists():
        pytest.skip("eval/judge_pairs.jsonl is not there yet")
    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    right = [supports(p["sentence"], [paragraph(p["source"], p["paragraph"])]) == p["supported"] for p in pairs]
    hard = [p for p in pairs if p["kind"].startswith("hard_negative")]
    false_support = [p["id"] for p in hard if supports(p["sentence"], [paragraph(p["source"], p["paragraph"])])]
    assert sum(right) / len(right) >= 0.9
    assert len(false_support) / len(hard) <= 0.1, false_support


def test_judge_sentence__negated_claim_is_not_supported() -> None:
    rmb_en, rmb_zh = paragraph(WTO, 70), paragraph(WTO, 27)
    verdict = judge_sentence("Hong Kong does not handle 75% of offshore RMB settlement [1].", [rmb_en])
    assert not verdict.supported and "opposite polarity" in verdict.reason
    assert not supports("香港并未处理全球75%以上的离岸人民币结算业务。", [rmb_zh])
    assert supports("香港处理全球75%以上的离岸人民币结算业务。", [rmb_zh])


def test_judge_sentence__claim_that_drops_the_paragraphs_negation_is_not_supported() -> None:
    disclaimer = paragraph("004_2b70debcedc2f654.txt", 20)  # "The views do not necessarily reflect ..."
    assert not supports("The views necessarily reflect those of China Daily.", [disclaimer])
    assert supports("The views do not necessarily reflect those of China Daily.", [disclaimer])


def test_judge_sentence__not_only_and_words_containing_negation_characters_are_not_negations() -> None:
    assert supports(
        "China has not only achieved leapfrog economic development but also reshaped the global industrial landscape.",
        [paragraph(WTO, 43)],
    )
    assert supports("一個個傑出項目見證了中國開放的步伐從未停歇。", [paragraph(WTO, 38)])  # 從未 in both


def test_judge_sentence__figure_moved_to_another_thing_of_the_paragraph_is_not_supported() -> None:
    rmb = paragraph(WTO, 70)
    verdict = judge_sentence("Hong Kong handles over 75% of bond issuance and insurance premiums [1].", [rmb])
    assert not verdict.supported and "figure 75" in verdict.reason
    assert not supports("The Hong Kong Stock Exchange handles over 75% of global offshore RMB settlement.", [rmb])
    assert supports("Over 75% of global offshore RMB settlement is handled in Hong Kong.", [rmb])
    assert not supports("丝路基金拥有109个成员。", [paragraph(WTO, 19)])
    assert supports("亞洲基礎設施投資銀行擁有109個成員。", [paragraph(WTO, 19)])


def test_judge_sentence__years_and_spans_of_time_date_a_clause_rather_than_count_a_thing() -> None:
    assert supports("In 2024 the cumulative number of China-Europe freight trains exceeded 100,000.", [paragraph(PLAN, 23)])
    assert supports(
        "OASES has brought over 100 enterprises to Hong Kong in the past three years, creating 22,000 R&D "
        "or management positions.",
        [paragraph("003_9d6285f5b45e9e7c.txt", 15)],
    )


def test_negation_words__are_per_language_data_files() -> None:
    from rag.lang.wordlists import DATA, word_list
    from rag.types import Lang

    assert (DATA / "en" / "negations.txt").is_file() and (DATA / "zh" / "negations.txt").is_file()
    assert {"not", "never", "without", "doesn't"} <= word_list(Lang.EN, "negations")
    assert {"不", "没有", "未", "并非"} <= word_list(Lang.ZH, "negations")
    assert not {"不断", "不仅", "未来"} & word_list(Lang.ZH, "negations")
