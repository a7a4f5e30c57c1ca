"""Which sentences of a cited paragraph the answer used (rag.ui.highlight)."""

from __future__ import annotations

from rag.ui.highlight import claims_by_marker, highlight, shingles

EN = (
    "As the world's largest offshore RMB center, Hong Kong handles over 75% of global offshore "
    "RMB settlement. Connectivity mechanisms including Stock Connect, Bond Connect and Wealth "
    "Management Connect have become core channels for international capital to allocate Chinese "
    "assets. The Hong Kong Stock Exchange hosts more than 1,370 mainland enterprises."
)
ZH = (
    "作為全球最大的離岸人民幣中心,香港處理全球75%以上的離岸人民幣結算業務,滬港通、深港通、債券通等互聯互通項目,"
    "成為國際資本配置中國資產的核心渠道。香港交易所匯聚1370餘家內地企業,累計為內地企業融資超37萬億港元。"
)


def _used(segments):
    return [s.text for s in segments if s.used]


def test_highlight__segments_rebuild_the_paragraph_exactly():
    for text in (EN, ZH, "No sentence end", ""):
        assert "".join(s.text for s in highlight(text, ["anything at all here"])) == text


def test_highlight__exact_quote_marks_only_its_sentence():
    claim = (
        "As the world's largest offshore RMB center, Hong Kong handles over 75% of global "
        "offshore RMB settlement"
    )
    assert _used(highlight(EN, [claim])) == [EN.split(" Connectivity")[0]]


def test_highlight__simplified_quote_marks_the_traditional_sentence():
    claim = "香港交易所汇聚1370余家内地企业,累计为内地企业融资超37万亿港元"
    used = _used(highlight(ZH, [claim]))
    assert len(used) == 1 and used[0].startswith("香港交易所匯聚")


def test_highlight__part_of_a_long_sentence_marks_it():
    used = _used(highlight(EN, ["Hong Kong handles over 75% of global offshore RMB settlement"]))
    assert len(used) == 1 and "75%" in used[0]


def test_highlight__paraphrase_marks_its_closest_sentence():
    used = _used(highlight(EN, ["Stock Connect and Bond Connect are core channels for capital"]))
    assert len(used) == 1 and used[0].startswith("Connectivity mechanisms")


def test_highlight__unrelated_or_other_language_claim_marks_nothing():
    assert _used(highlight(EN, ["The weather in Paris was mild during spring"])) == []
    assert _used(highlight(EN, ["香港處理全球75%以上的離岸人民幣結算業務"])) == []
    assert _used(highlight(EN, [])) == []


def test_claims_by_marker__strips_markers_and_groups_by_number():
    answer = "Hong Kong handles over 75% [1]. It hosts 1,370 firms [1][2].\n- Stock Connect [2]"
    claims = claims_by_marker(answer)
    assert claims[1] == ["Hong Kong handles over 75% .", "It hosts 1,370 firms ."]
    assert claims[2] == ["It hosts 1,370 firms .", "- Stock Connect"]


def test_claims_by_marker__chinese_sentences():
    claims = claims_by_marker("中國有22個自貿試驗區 [1]。香港匯聚1370餘家企業 [2]。")
    assert claims == {1: ["中國有22個自貿試驗區 。"], 2: ["香港匯聚1370餘家企業 。"]}


def test_shingles__fold_script_width_and_case():
    assert shingles("離岸人民幣") == shingles("离岸人民币") == frozenset({"离 岸", "岸 人", "人 民", "民 币"})
    assert shingles("ＲＭＢ ７５％") == shingles("rmb 75%")
    assert shingles("Hong KONG") == shingles("hong kong") == frozenset({"hong kong"})
    assert shingles("...") == frozenset()


def test_highlight__adjacent_used_sentences_form_one_mark():
    claims = ["Hong Kong handles over 75% of global offshore RMB settlement",
              "Stock Connect and Bond Connect are core channels for capital"]
    used = _used(highlight(EN, claims))
    assert len(used) == 1
    assert used[0].startswith("As the world") and used[0].endswith("Chinese assets.")
