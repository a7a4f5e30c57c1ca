"""Figures in a sentence and sources that disagree about one (rag.ui.figures, rag.ui.disagreement)."""

from __future__ import annotations

from rag.ui.disagreement import cited_stretches, disagreements
from rag.ui.figures import figures_in

RAILWAY = ("China-Europe Railway Express, a flagship BRI project, has operated over 80,000 trips, linking "
           "25 European countries and 217 cities, serving as a logistics artery across Eurasia.")
FREIGHT = ('In 2024, the proportion of countries co-building the "Belt and Road" in my country\'s total import and '
           "export value will exceed 50% for the first time, and the cumulative number of China-Europe freight "
           'trains will exceed 100,000, becoming the "steel camel fleet".')


def test_figures_in__kind_head_and_subject():
    trips, countries, cities = figures_in(RAILWAY)
    assert (trips.text, trips.kind, trips.head) == ("over 80,000 trips", "count:trip", None)
    assert {"china-europe", "railway", "express"} <= trips.subject
    assert (countries.head, countries.modifiers, cities.head) == ("country", {"european"}, "city")
    share, trains = figures_in(FREIGHT)
    assert (share.kind, trains.text, trains.head) == ("percent", "over 100,000", "train")
    assert trains.modifiers == {"china-europe", "freight"}


def test_figures_in__years_dates_ordinals_ranges_and_change_starts_are_not_figures():
    assert figures_in("On December 11, 2001, it joined; the 14th Five-Year Plan (2021-25) began.") == []
    (only,) = figures_in("GDP surged from 11.1 trillion yuan in 2001 to 126 trillion yuan in 2023.")
    assert (only.value, only.kind) == (126e12, "money:yuan")
    assert figures_in("Industry 4.0 and 5G arrived.") == []


def test_figures_in__chinese_measure_words_and_scales():
    eight, countries, cities = figures_in("中歐班列累計開行超8萬列,通達歐洲25個國家217座城市。")
    assert (eight.text, eight.value, eight.kind) == ("超8萬列", 80_000, "count:列")
    assert (countries.head, cities.head, cities.phrase, cities.unit) == ("国家", "城市", "城市", "座")
    assert [f.text for f in figures_in("2024年12月,佔比達45%。")] == ["達45%"]


def test_disagreements__the_seed_freight_figures_disagree():
    (found,) = disagreements({1: [RAILWAY], 2: [FREIGHT]})
    assert found.thing == "China-Europe"
    assert found.figures == (("over 80,000 trips", 1), ("over 100,000", 2))


def test_disagreements__chinese_figures_of_one_thing():
    (found,) = disagreements({1: ["中欧班列是旗舰项目,累计开行超8万列。"], 2: ["中欧班列累计开行突破10万列。"]})
    assert [n for _, n in found.figures] == [1, 2] and "班列" in found.thing


def test_disagreements__different_things_owners_and_one_source_are_not_flagged():
    assert disagreements({1: ["China's foreign trade grew to 6 trillion yuan."],
                          2: ["China's GDP reached 126 trillion yuan."]}) == []
    assert disagreements({1: ["Hong Kong handles over 75% of offshore RMB settlement."],
                          2: ["Hong Kong holds 50% of foreign direct investment."]}) == []
    assert disagreements({1: ["To date, the HKIC has invested in more than 170 projects."],
                          2: ["The AIIB has 109 members, approving over 200 projects."]}) == []
    assert disagreements({1: ["The number of cross-border e-commerce pilot zones has expanded to 165."],
                          2: ["Shenzhen has 120,000 cross-border e-commerce sellers."]}) == []
    assert disagreements({1: ["Its global share rose from 4% to over 18%.", "Its global share is 4%."]}) == []
    assert disagreements({1: ["There are 22 pilot zones."], 2: ["There are 22 pilot zones."]}) == []


def test_cited_stretches__cuts_at_markers_so_mixed_lines_stay_apart():
    text = "In 2024 it rose by 38% [1]. 跨境电商综试区扩至165个 [2]。 Both [1][2]."
    assert cited_stretches(text) == {1: ["In 2024 it rose by 38%", "Both"], 2: ["跨境电商综试区扩至165个", "Both"]}
