"""The asked-slot check (rag.guard.slot): the asked thing's value, not any value in the sentence."""

from __future__ import annotations

from rag.guard.slot import slot_score, tokens, value_positions
from rag.question.analysis import Asked, analyse
from rag.types import Lang

SATELLITES = analyse("How many satellites has the agency launched?")


def test_slot__a_count_next_to_the_asked_thing_scores_one() -> None:
    assert slot_score(SATELLITES, "The agency has launched over 500 satellites since 2001.") == 1.0


def test_slot__5g_a_section_number_and_a_year_are_not_counts() -> None:
    for sentence in ("The agency runs 5G networks.", "See section 4.4.3 for satellites.", "Satellites were launched in 2001."):
        assert slot_score(SATELLITES, sentence) == 0.0, sentence


def test_slot__another_things_figure_is_not_the_asked_one() -> None:
    assert slot_score(SATELLITES, "The agency employs 300 engineers, and its satellites are many.") < 1.0


def test_slot__a_sentence_without_the_thing_scores_low() -> None:
    assert slot_score(SATELLITES, "The agency employs 300 engineers.") == 0.25


def test_slot__dates_need_a_date_and_the_entity() -> None:
    q = analyse("Which year did the bridge open?")
    assert slot_score(q, "The bridge opened in October 2018.", ["bridge"]) == 1.0
    assert slot_score(q, "The bridge is 55 km long.", ["bridge"]) == 0.0


def test_slot__chinese_count_next_to_its_noun() -> None:
    q = analyse("中欧班列通达多少座欧洲城市?")
    assert slot_score(q, "中欧班列通达欧洲25个国家217座城市。") == 1.0
    assert slot_score(q, "中欧班列成为物流大动脉。") == 0.0


def test_slot__kinds_without_a_value_score_by_naming_the_thing() -> None:
    q = analyse("List the measures for opening up")
    assert slot_score(q, "The measures include lower tariffs.") == 1.0
    assert slot_score(q, "Tariffs were lowered.") == 0.0


def test_value_positions__person_names_are_two_capitalised_words_not_the_first() -> None:
    toks = tokens("The article was written by Alice Wong last year.")
    assert [toks[i].text for i in value_positions(Asked.PERSON, toks, Lang.EN)] == ["Alice"]
