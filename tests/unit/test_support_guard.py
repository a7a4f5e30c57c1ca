"""rag.guard.support.guard: LLM sentences checked against the paragraphs they cite."""

from __future__ import annotations

import pytest

from rag.answer.citations import markers_in
from rag.config import GuardMode
from rag.guard.support import guard
from rag.types import Paragraph

SOURCES = [
    Paragraph("hk.txt", 3, "Hong Kong handles about 75% of the world's offshore RMB settlement."),
    Paragraph("sz.txt", 2, "Shenzhen had a population of 17.6 million in 2020."),
]
SUPPORTED = ("Hong Kong handles 75% of offshore RMB settlement [1].", (1,))
WRONG_FIGURE = ("Hong Kong handles 90% of offshore RMB settlement [1].", (1,))


def test_guard__keeps_a_supported_sentence_as_written():
    checked = guard([SUPPORTED], SOURCES, GuardMode.REMOVE)
    assert checked.sentences == [SUPPORTED[0]]
    assert (checked.flagged, checked.dropped) == ((), 0)


def test_guard__remove_mode_drops_an_unsupported_sentence():
    checked = guard([SUPPORTED, WRONG_FIGURE], SOURCES, GuardMode.REMOVE)
    assert checked.sentences == [SUPPORTED[0]]
    assert (checked.flagged, checked.dropped) == ((), 1)


def test_guard__flag_mode_keeps_an_unsupported_sentence_and_flags_its_index():
    checked = guard([WRONG_FIGURE, SUPPORTED], SOURCES, GuardMode.FLAG)
    assert checked.sentences == [WRONG_FIGURE[0], SUPPORTED[0]]
    assert (checked.flagged, checked.dropped) == ((0,), 0)


def test_guard__a_sentence_is_judged_against_the_source_it_cites():
    # true of source 2, but it cites source 1
    checked = guard([("Shenzhen had a population of 17.6 million in 2020 [1].", (1,))], SOURCES, GuardMode.REMOVE)
    assert checked.dropped == 1


def test_guard__out_of_range_marker_supported_elsewhere_gets_that_source():
    checked = guard([("Shenzhen had 17.6 million people in 2020 [7].", (7,))], SOURCES, GuardMode.REMOVE)
    assert len(checked.sentences) == 1
    assert 2 in markers_in(checked.sentences[0])
    assert checked.dropped == 0


def test_guard__out_of_range_marker_supported_nowhere_is_dropped():
    checked = guard([("Shenzhen had 20 million people in 2020 [7].", (7,))], SOURCES, GuardMode.REMOVE)
    assert (checked.sentences, checked.dropped) == ([], 1)


def test_guard__unmarked_supported_sentence_gains_a_marker():
    checked = guard([("Shenzhen had 17.6 million people in 2020.", ())], SOURCES, GuardMode.REMOVE)
    assert [markers_in(s) for s in checked.sentences] == [[2]]


def test_guard__marker_only_fragment_is_skipped():
    checked = guard([("[1]", (1,)), SUPPORTED], SOURCES, GuardMode.REMOVE)
    assert checked.sentences == [SUPPORTED[0]]
    assert checked.dropped == 0


def test_guard__translation_without_a_figure_is_kept_and_flagged_in_remove_mode():
    # A Chinese sentence citing an English source: nothing the offline judge can compare.
    checked = guard([SUPPORTED, ("香港是一個國際金融中心 [1]。", (1,))], SOURCES, GuardMode.REMOVE)
    assert checked.sentences == [SUPPORTED[0], "香港是一個國際金融中心 [1]。"]
    assert (checked.flagged, checked.dropped) == ((1,), 0)


def test_guard__translation_with_a_wrong_figure_is_dropped():
    checked = guard([("香港處理約90%的離岸人民幣結算 [1]。", (1,))], SOURCES, GuardMode.REMOVE)
    assert checked.dropped == 1


@pytest.mark.parametrize(
    "sentence",
    [("Shenzhen had 17.6 million people in 2020 [7].", (7,)), ("Shenzhen had 17.6 million people in 2020.", ())],
)
def test_guard__added_marker_goes_before_the_full_stop_and_replaces_a_dangling_one(sentence):
    checked = guard([sentence], SOURCES, GuardMode.REMOVE)
    assert checked.sentences == ["Shenzhen had 17.6 million people in 2020 [2]."]
