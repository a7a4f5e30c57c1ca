"""Which sentences of a cited paragraph an answer used, so the UI can highlight them. Pure.

Answer sentences are quotes or close paraphrases of their paragraph, but possibly converted
to Simplified Chinese and with citation markers added, so both sides are compared after
`normalise` (width, case and script folded) on character shingles: pairs of adjacent
CJK characters or words. A paragraph sentence is "used" when a claim reproduces most of it,
or when most of a claim comes from it (an LLM quoting part of a long sentence).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.citations import MARKER, markers_in
from rag.text import normalise, split_sentences

SENTENCE_COVERED = 0.5  # share of a paragraph sentence's shingles found in one claim
CLAIM_COVERED = 0.6  # share of a claim's shingles found in one paragraph sentence
MIN_CLAIM_SHINGLES = 4  # shorter claims ("It grew.") are too generic to point at a sentence
FALLBACK_FLOOR = 0.3  # a paraphrase this close still marks its best sentence
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


def sentence_score(sentence: str, claims: Sequence[str]) -> tuple[float, float]:
    """(best share of `sentence` any claim covers, best share of a claim the sentence covers)."""
    own = shingles(sentence)
    if not own:
        return 0.0, 0.0
    covered = claim_side = 0.0
    for claim in claims:
        theirs = shingles(claim)
        if not theirs:
            continue
        shared = len(own & theirs)
        covered = max(covered, shared / len(own))
        if len(theirs) >= MIN_CLAIM_SHINGLES:
            claim_side = max(claim_side, shared / len(theirs))
    return covered, claim_side


def highlight(paragraph: str, claims: Sequence[str]) -> list[Segment]:
    """`paragraph` cut into segments whose concatenation is the paragraph itself.

    >>> [s.used for s in highlight("One fact here. Two other words.", ["One fact here"])]
    [True, False, False]
    """
    spans = _sentence_spans(paragraph)
    scores = [sentence_score(paragraph[a:b], claims) for a, b in spans]
    used = [c >= SENTENCE_COVERED or q >= CLAIM_COVERED for c, q in scores]
    if claims and spans and not any(used):
        best = max(range(len(spans)), key=lambda i: max(scores[i]))
        used[best] = max(scores[best]) >= FALLBACK_FLOOR
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


def _segments(paragraph: str, spans: Sequence[tuple[int, int]], used: Sequence[bool]) -> list[Segment]:
    segments: list[Segment] = []
    cursor = 0
    for (start, end), flag in zip(spans, used, strict=True):
        if start > cursor:
            segments.append(Segment(paragraph[cursor:start]))
        segments.append(Segment(paragraph[start:end], flag))
        cursor = end
    if cursor < len(paragraph):
        segments.append(Segment(paragraph[cursor:]))
    return segments
