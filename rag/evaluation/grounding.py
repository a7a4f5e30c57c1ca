"""Citation recall and precision in the ALCE sense (Gao et al. 2023, "Enabling Large Language
Models to Generate Text with Citations"). Pure: the support judge is passed in.

Recall: the share of answer sentences whose cited paragraphs, together, support them (a sentence
without a valid citation counts as unsupported). Precision: the share of citations that are
needed. A citation is irrelevant when its sentence is supported, it does not support the sentence
alone, and the sentence stays supported without it; every citation of an unsupported sentence
counts as imprecise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rag.answer.citations import answer_sentences, markers_in, strip_markers

Judge = Callable[[str, Sequence[str]], bool]

@dataclass(frozen=True)
class SentenceCheck:
    """One answer sentence, the citation numbers it carries, and what the judge found."""

    text: str
    markers: tuple[int, ...]
    supported: bool
    needed: tuple[bool, ...] = ()


@dataclass(frozen=True)
class Grounding:
    recall: float
    precision: float | None
    sentences: list[SentenceCheck] = field(default_factory=list)


def check_sentence(sentence: str, markers: tuple[int, ...], cited: Sequence[str], judge: Judge) -> SentenceCheck:
    """Judge one sentence against its cited paragraph texts, ALCE style."""
    if not markers or any(not 1 <= m <= len(cited) for m in markers):
        return SentenceCheck(sentence, markers, False, tuple(False for _ in markers))
    claim = strip_markers(sentence)
    texts = [cited[m - 1] for m in markers]
    if not judge(claim, texts):
        return SentenceCheck(sentence, markers, False, tuple(False for _ in markers))
    if len(texts) == 1:
        return SentenceCheck(sentence, markers, True, (True,))
    needed = []
    for i, text in enumerate(texts):
        alone = judge(claim, [text])
        rest = texts[:i] + texts[i + 1 :]
        needed.append(alone or not judge(claim, rest))
    return SentenceCheck(sentence, markers, True, tuple(needed))


def ground(answer: str, cited: Sequence[str], judge: Judge) -> Grounding:
    """Citation recall and precision of one answer; `cited[n-1]` is the text behind marker [n].

    >>> same = lambda s, ps: any(s.rstrip(".") in p for p in ps)
    >>> g = ground("Hong Kong handles 75% [1]. It has 1,370 firms [2].", ["Hong Kong handles 75%", "x"], same)
    >>> (g.recall, g.precision)
    (0.5, 0.5)
    """
    return ground_sentences(answer_sentences(answer), cited, judge, as_written=True)


def ground_sentences(
    sentences: Sequence[tuple[str, tuple[int, ...]]], cited: Sequence[str], judge: Judge, as_written: bool = False
) -> Grounding:
    """Like `ground`, for sentences already split and assigned their citation numbers. With
    `as_written`, precision counts only the markers written in each sentence."""
    checks = [check_sentence(s, m, cited, judge) for s, m in sentences]
    if not checks:
        return Grounding(0.0, None, [])
    recall = sum(c.supported for c in checks) / len(checks)
    # Precision is over the citations as written: a block's one marker, which its earlier lines
    # share (rag.answer.citations), is counted once, on the line that holds it.
    written = []
    for c in checks:
        own = set(markers_in(c.text))
        written.append([needed for m, needed in zip(c.markers, c.needed, strict=True) if not as_written or m in own])
    total = sum(map(len, written))
    precision = sum(sum(w) for w in written) / total if total else None
    return Grounding(recall, precision, checks)
