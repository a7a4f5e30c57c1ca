"""Bilingual documents: where each language part starts, and which paragraphs translate each other. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from rag.types import Kind, Lang, Paragraph

PART_RUN = 5  # a new language part starts with this many prose paragraphs in the other language
MIN_TWINS = 5
MIN_ZH_CHARS = 7
PROSE = frozenset({Kind.PARAGRAPH, Kind.HEADING, Kind.LIST_ITEM, Kind.QUOTE})
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def language_parts(langs: Sequence[Lang | None]) -> list[int]:
    """Index where each entry's language part starts (a bilingual file has two parts).

    A part is a run of at least five entries in one language; shorter runs stay in the part
    before. Entries whose language is None (code, table rows) never start a part.
    """
    prose = [i for i, lang in enumerate(langs) if lang is not None]
    starts = [0] * len(langs)
    start, current = 0, langs[prose[0]] if prose else None
    for k, i in enumerate(prose):
        run = [langs[j] for j in prose[k : k + PART_RUN]]
        if langs[i] != current and len(run) == PART_RUN and len(set(run)) == 1:
            start, current = i, langs[i]
        starts[i] = start
    last = 0
    for i in range(len(langs)):
        if langs[i] is None:
            starts[i] = last
        else:
            last = starts[i]
    return starts


def align_twins(paragraphs: list[Paragraph], bilingual: bool) -> list[Paragraph]:
    """Pair the paragraphs of a file's Chinese part with its English part, in order.

    Only a file with parts in both languages gets twins; the pairing is a monotone alignment on
    relative position and the figures both versions share. Code and table rows never pair.
    """
    if not bilingual:
        return paragraphs
    zh = [p for p in paragraphs if p.kind in PROSE and p.lang == Lang.ZH and len(p.text) >= MIN_ZH_CHARS]
    en = [p for p in paragraphs if p.kind in PROSE and p.lang == Lang.EN]
    if len(zh) < MIN_TWINS or len(en) < MIN_TWINS:
        return paragraphs
    twin_of = {}
    for a, b in _monotone_pairs(zh, en):
        twin_of[a.number] = b.number
        twin_of[b.number] = a.number
    return [replace(p, twin=twin_of.get(p.number)) for p in paragraphs]


def _pair_score(a: Paragraph, b: Paragraph, pos_a: float, pos_b: float) -> float:
    nums_a, nums_b = set(_NUMBER.findall(a.text)), set(_NUMBER.findall(b.text))
    shared = len(nums_a & nums_b) / max(1, len(nums_a | nums_b)) if nums_a or nums_b else 0.3
    heading_match = 0.3 if (len(a.text) < 45) == (len(b.text) < 120) else 0.0
    return shared + heading_match - 2.0 * abs(pos_a - pos_b)


def _monotone_pairs(zh: list[Paragraph], en: list[Paragraph]) -> list[tuple[Paragraph, Paragraph]]:
    """Needleman-Wunsch style alignment that may skip paragraphs on either side."""
    n, m = len(zh), len(en)
    skip = -0.2
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        best[i][0], move[i][0] = best[i - 1][0] + skip, 1
    for j in range(1, m + 1):
        best[0][j], move[0][j] = best[0][j - 1] + skip, 2
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            pair = best[i - 1][j - 1] + _pair_score(zh[i - 1], en[j - 1], i / n, j / m)
            options = (pair, best[i - 1][j] + skip, best[i][j - 1] + skip)
            k = max(range(3), key=options.__getitem__)
            best[i][j], move[i][j] = options[k], k
    pairs, i, j = [], n, m
    while i > 0 and j > 0:
        k = move[i][j]
        if k == 0:
            if _pair_score(zh[i - 1], en[j - 1], i / n, j / m) > 0:
                pairs.append((zh[i - 1], en[j - 1]))
            i, j = i - 1, j - 1
        elif k == 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]
