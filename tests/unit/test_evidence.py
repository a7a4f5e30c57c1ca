"""rag.answer.evidence: language twins, list runs and de-duplication over a hand-made lookup."""

from __future__ import annotations

from rag.answer.evidence import dominant_run, gather, in_language, list_run
from rag.types import Lang, Paragraph, ScoredParagraph

# doc.txt: an English paragraph (1) with its Chinese twin (6); a list introduced by 2, items 3-5.
EN = Paragraph("doc.txt", 1, "Hong Kong handles 75% of offshore RMB settlement.", twin=6)
INTRO = Paragraph("doc.txt", 2, "The plan has three goals:", group=2)
ITEMS = [Paragraph("doc.txt", n, f"- goal {n - 2}", group=2) for n in (3, 4, 5)]
ZH = Paragraph("doc.txt", 6, "香港處理75%的離岸人民幣結算。", lang=Lang.ZH, twin=1)
# other.txt reuses group number 2 for its own list
OTHER = [Paragraph("other.txt", n, f"- other {n}", group=2) for n in (2, 3)]
PLAIN = Paragraph("other.txt", 9, "A paragraph in no list.")

PARAGRAPHS = [ITEMS[2], OTHER[1], ZH, INTRO, ITEMS[0], OTHER[0], EN, ITEMS[1], PLAIN]  # out of order on purpose
LOOKUP = {(p.source, p.number): p for p in PARAGRAPHS}


def _hit(p: Paragraph, score: float) -> ScoredParagraph:
    return ScoredParagraph(p, score, dense=score / 2, sparse=score * 2)


def test_in_language__swaps_to_the_twin_in_the_question_language():
    swapped = in_language(_hit(EN, 0.8), "zh", LOOKUP)
    assert swapped.paragraph == ZH
    assert (swapped.score, swapped.dense, swapped.sparse) == (0.8, 0.4, 1.6)


def test_in_language__keeps_a_paragraph_already_in_that_language():
    hit = _hit(EN, 0.8)
    assert in_language(hit, "en", LOOKUP) is hit


def test_in_language__keeps_a_paragraph_whose_twin_is_missing():
    hit = _hit(EN, 0.8)
    assert in_language(hit, "zh", {}) is hit
    assert in_language(_hit(PLAIN, 0.5), "zh", LOOKUP).paragraph == PLAIN  # no twin at all


def test_list_run__is_the_intro_and_items_in_document_order():
    assert list_run(ITEMS[1], LOOKUP) == [INTRO, *ITEMS]


def test_list_run__stays_inside_its_own_source():
    assert list_run(OTHER[0], LOOKUP) == OTHER


def test_list_run__is_empty_for_a_paragraph_in_no_list():
    assert list_run(PLAIN, LOOKUP) == []


def test_gather__keeps_one_copy_of_a_paragraph_and_its_twin_at_the_best_score():
    hits = [_hit(EN, 0.9), _hit(PLAIN, 0.7), _hit(ZH, 0.5)]
    out = gather(hits, "zh", LOOKUP)
    assert [(sp.paragraph.number, sp.score) for sp in out] == [(6, 0.9), (9, 0.7)]


def test_gather__drops_repeated_hits_and_keeps_the_order():
    hits = [_hit(ITEMS[0], 0.9), _hit(EN, 0.8), _hit(ITEMS[0], 0.4)]
    assert [sp.paragraph.number for sp in gather(hits, "en", LOOKUP)] == [3, 1]


def test_gather__same_number_in_two_sources_is_two_paragraphs():
    hits = [_hit(INTRO, 0.9), _hit(OTHER[0], 0.8)]  # both number 2
    assert len(gather(hits, "en", LOOKUP)) == 2


def test_dominant_run__two_top_hits_in_one_list_give_the_whole_list():
    hits = [_hit(ITEMS[0], 0.9), _hit(EN, 0.8), _hit(ITEMS[2], 0.7)]
    assert dominant_run(hits, LOOKUP) == [INTRO, *ITEMS]


def test_dominant_run__one_hit_in_a_list_is_not_enough():
    assert dominant_run([_hit(ITEMS[0], 0.9), _hit(EN, 0.8), _hit(OTHER[0], 0.7)], LOOKUP) == []


def test_dominant_run__counts_only_the_top_five_hits():
    filler = [_hit(Paragraph("f.txt", n, f"filler {n}"), 1.0 - n / 10) for n in range(1, 5)]
    hits = [_hit(ITEMS[0], 1.0), *filler, _hit(ITEMS[1], 0.1)]  # the second item is sixth
    assert dominant_run(hits, LOOKUP) == []
    assert dominant_run([hits[0], *filler[:3], hits[-1]], LOOKUP) == [INTRO, *ITEMS]


def test_dominant_run__empty_when_the_lead_paragraph_is_not_in_the_lookup():
    lookup = {k: p for k, p in LOOKUP.items() if p != INTRO}
    assert dominant_run([_hit(ITEMS[0], 0.9), _hit(ITEMS[1], 0.8)], lookup) == []
