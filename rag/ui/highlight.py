"""Which sentences of a cited paragraph an answer used, so the UI can highlight them. Pure.

Answer sentences are quotes or close paraphrases of their paragraph, but possibly converted
to Simplified Chinese and with citation markers added, so both sides are compared after
`normalise` (width, case and script folded) on character shingles: pairs of adjacent
CJK characters or words. A paragraph sentence is "used" when a claim reproduces most of it,
when most of a claim comes from it (an LLM quoting part of a long sentence), or when it is
the claim's closest sentence by a fair margin (a paraphrase).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.answer.citations import MARKER, markers_in
from rag.lang.text import normalise, split_sentences

SENTENCE_COVERED = 0.5  # share of a paragraph sentence's shingles one claim reproduces
CLAIM_COVERED = 0.6  # share of a claim's shingles one paragraph sentence holds
BEST_MATCH_FLOOR = 0.3  # a paraphrase this close still marks the sentence it matches best
MIN_SHINGLES = 4  # shorter texts ("It grew.") are too generic to decide by coverage
_UNIT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_]+")


@dataclass(frozen=True)
class Segment:
    """A stretch of paragraph text, exactly as in the file; `used` marks a quoted sentence."""

    text: str
    used: bool = False


def claims_by_marker(answer: str) -> dict[int, list[str]]:
    """Answer sentences (markers stripped) under each marker number they carry."""
    claims: dict[int, list[str]] = {}
    for line in answer.splitlines():
        for sentence in split_sentences(line):
            text = MARKER.sub("", sentence).strip()
            for n in dict.fromkeys(markers_in(sentence)):
                claims.setdefault(n, []).append(text)
    return claims


def shingles(text: str) -> frozenset[str]:
    """Adjacent pairs of normalised units (one CJK character or one word); one unit alone."""
    units = _UNIT.findall(normalise(text))
    if len(units) < 2:
        return frozenset(units)
    return frozenset(f"{a} {b}" for a, b in zip(units, units[1:], strict=False))


def used_sentences(sentences: Sequence[str], claims: Sequence[str]) -> list[bool]:
    """Which `sentences` the claims quote: mostly reproduced, mostly their source, or best match."""
    own = [shingles(s) for s in sentences]
    used = [False] * len(sentences)
    for claim in filter(None, map(shingles, claims)):
        shared = [len(s & claim) for s in own]
        for i, s in enumerate(own):
            if len(s) >= MIN_SHINGLES and shared[i] / len(s) >= SENTENCE_COVERED:
                used[i] = True
            if len(claim) >= MIN_SHINGLES and shared[i] / len(claim) >= CLAIM_COVERED:
                used[i] = True
        if shared:
            best = max(range(len(own)), key=shared.__getitem__)
            used[best] = used[best] or shared[best] / len(claim) >= BEST_MATCH_FLOOR
    return used


def highlight(paragraph: str, claims: Sequence[str]) -> list[Segment]:
    """`paragraph` cut into segments whose concatenation is the paragraph itself.

    >>> [s.used for s in highlight("One fact here. Two other words.", ["One fact here"])]
    [True, False, False]
    """
    spans = _sentence_spans(paragraph)
    used = used_sentences([paragraph[a:b] for a, b in spans], claims)
    return _segments(paragraph, spans, used)


def _sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `paragraph`, found in the original text."""
    spans = []
    cursor = 0
    for sentence in split_sentences(paragraph):
        start = paragraph.find(sentence, cursor)
        if start < 0:
            continue
        spans.append((start, start + len(sentence)))
        cursor = start + len(sentence)
    return spans


def _segments(
    paragraph: str, spans: Sequence[tuple[int, int]], used: Sequence[bool]
) -> list[Segment]:
    segments: list[Segment] = []
    cursor = 0
    for (start, end), flag in zip(spans, used, strict=True):
        if start > cursor:
            segments.append(Segment(paragraph[cursor:start]))
        segments.append(Segment(paragraph[start:end], flag))
        cursor = end
    if cursor < len(paragraph):
        segments.append(Segment(paragraph[cursor:]))
    return _merge_used(segments)


def _merge_used(segments: list[Segment]) -> list[Segment]:
    """Join used sentences with the space between them, so adjacent quotes read as one mark."""
    merged: list[Segment] = []
    for i, seg in enumerate(segments):
        gap = not seg.used and not seg.text.strip() and 0 < i < len(segments) - 1
        if gap and merged and merged[-1].used and segments[i + 1].used:
            seg = Segment(seg.text, True)
        if merged and seg.used and merged[-1].used:
            merged[-1] = Segment(merged[-1].text + seg.text, True)
        else:
            merged.append(seg)
    return merged
