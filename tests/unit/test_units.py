"""Answer units (rag.answer.units) and the extractive choice (rag.answer.extractive)."""

from __future__ import annotations

from rag.answer.extractive import choose, claims, compose
from rag.answer.units import build_units, lead_of, members
from rag.lang.text import tokenize
from rag.types import Kind, Paragraph, ScoredParagraph

LEAD = Paragraph("doc.md", 4, "To install the build tools, run:", group=4)
CODE = Paragraph("doc.md", 5, "apt-get install build-essential", group=4, kind=Kind.CODE)
AFTER = Paragraph("doc.md", 6, "Then build the package. It takes a minute.")
ITEMS = [Paragraph("doc.md", n, f"Item {n}. More about it.", group=10, kind=Kind.LIST_ITEM) for n in (11, 12, 13)]
LIST_LEAD = Paragraph("doc.md", 10, "The package has three parts:", group=10)
LOOKUP = {(p.source, p.number): p for p in [LEAD, CODE, AFTER, LIST_LEAD, *ITEMS]}


def hit(p: Paragraph, score: float = 1.0) -> ScoredParagraph:
    return ScoredParagraph(p, score, dense=0.8)


def test_members__a_lead_in_owns_what_follows_it_until_the_group_ends() -> None:
    assert members(LEAD, LOOKUP) == [CODE]
    assert members(LIST_LEAD, LOOKUP) == ITEMS
    assert lead_of(CODE, LOOKUP) == LEAD and lead_of(LEAD, LOOKUP) is None


def test_build_units__a_lead_in_ending_in_a_colon_brings_its_code_block() -> None:
    units = build_units([hit(LEAD)], LOOKUP, want_list=False)
    assert units[0].sentences == ("To install the build tools, run:", "apt-get install build-essential")
    assert [p.number for p in units[0].paragraphs] == [4, 5]


def test_build_units__a_code_hit_comes_with_its_lead_in() -> None:
    units = build_units([hit(CODE)], LOOKUP, want_list=False)
    assert any(u.sentences == (LEAD.text, CODE.text) for u in units)


def test_build_units__a_pronoun_sentence_brings_the_one_before() -> None:
    units = build_units([hit(AFTER)], LOOKUP, want_list=False)
    assert units[1].sentences == ("Then build the package.", "It takes a minute.")
    assert units[1].focus == "It takes a minute."


def test_build_units__a_list_question_turns_an_item_into_the_whole_list() -> None:
    units = build_units([hit(ITEMS[1])], LOOKUP, want_list=True)
    whole = [u for u in units if u.is_list]
    assert whole and whole[0].sentences == ("The package has three parts:", "Item 11.", "Item 12.", "Item 13.")


def test_choose__adds_a_unit_only_for_question_words_still_missing() -> None:
    other = Paragraph("doc.md", 20, "Building needs a compiler. Installing takes a minute.")
    units = build_units([hit(other), hit(AFTER, 0.9)], LOOKUP, want_list=False)
    ranked = [(units[0], 3.0), (units[2], 2.9), (units[1], 2.8)]
    chosen = choose(ranked, tokenize("compiler minute"))  # content words are tokens, as analyse() gives them
    assert [u.focus for u in chosen] == ["Building needs a compiler.", "Installing takes a minute."]


def test_choose__a_list_question_takes_the_whole_list_unit() -> None:
    units = build_units([hit(ITEMS[0])], LOOKUP, want_list=True)
    ranked = sorted(((u, 1.0 if u.is_list else 2.0) for u in units), key=lambda t: -t[1])
    assert choose(ranked, ["parts"], want_list=True)[0].is_list


def test_compose__every_quoted_sentence_is_cited_to_its_own_paragraph() -> None:
    units = build_units([hit(LEAD)], LOOKUP, want_list=False)
    found, is_list = compose([[(units[0], 1.0)]], ["install"])
    assert [(c.text, c.paragraph.number) for c in found] == [(LEAD.text, 4), (CODE.text, 5)] and is_list
    assert claims([units[0], units[0]]) == found
