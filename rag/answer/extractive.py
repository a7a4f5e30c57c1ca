"""Offline answers: the best answer units, each sentence cited to its paragraph. Pure.

The units come ranked by the learned unit ranker (rag.guard.answerability). The answer is
the best unit, plus the next ones when they add words of the question the answer lacks
(up to `MAX_UNITS`); a two-part question gets the best unit of each part. A list unit
quotes its lead-in and every item.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rag.answer.units import Unit
from rag.lang.text import normalise, tokenize
from rag.types import Paragraph

MAX_UNITS = 3
KEEP_RATIO = 0.3  # a further unit must reach this share of the best unit's probability (dev halves: 0.5, 0.4, 0.3, 0.2 tried)


@dataclass(frozen=True)
class Claim:
    """One answer sentence and the paragraph it quotes."""

    text: str
    paragraph: Paragraph


LIST_DEPTH = 5  # a list question takes the best list unit among this many


def choose(
    ranked: Sequence[tuple[Unit, float]], content_words: Sequence[str], limit: int = MAX_UNITS,
    want_list: bool = False,
) -> list[Unit]:
    """The best unit, then units that cover question words the chosen ones miss; for a list
    question, the best unit that quotes a whole list."""
    if not ranked:
        return []
    if want_list:
        lists = [(u, s) for u, s in ranked[:LIST_DEPTH] if u.is_list]
        if lists:
            return [lists[0][0]]
    import math

    def prob(score: float) -> float:
        return 1 / (1 + math.exp(-score))

    best, best_score = ranked[0]
    chosen = [best]
    covered = set(tokenize(best.text))
    seen = {normalise(best.focus)}
    wanted = set(content_words)
    for unit, score in ranked[1:]:
        if len(chosen) >= limit or best.is_list:
            break
        if normalise(unit.focus) in seen or prob(score) < KEEP_RATIO * prob(best_score) or _overlaps(unit, chosen):
            continue
        words = set(tokenize(unit.text))
        if (words & wanted) - covered:
            chosen.append(unit)
            covered |= words
            seen.add(normalise(unit.focus))
    return chosen


def _overlaps(unit: Unit, chosen: Sequence[Unit]) -> bool:
    """A unit that quotes a sentence already quoted (a list item inside a chosen list)."""
    mine = {(p.source, p.number, s) for p, s in zip(unit.paragraphs, unit.sentences, strict=True)}
    return any(mine & {(p.source, p.number, s) for p, s in zip(u.paragraphs, u.sentences, strict=True)}
               for u in chosen)


def claims_once(items: Sequence[Claim]) -> list[Claim]:
    """`items` without repeats of the same sentence of the same paragraph."""
    seen: set[tuple[str, int, str]] = set()
    out = []
    for c in items:
        key = (c.paragraph.source, c.paragraph.number, c.text)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def claims(units: Sequence[Unit]) -> list[Claim]:
    """Every quoted sentence of the chosen units, in order, once."""
    out: list[Claim] = []
    seen: set[tuple[str, int, str]] = set()
    for unit in units:
        for sentence, paragraph in zip(unit.sentences, unit.paragraphs, strict=True):
            key = (paragraph.source, paragraph.number, sentence)
            if key not in seen:
                seen.add(key)
                out.append(Claim(sentence, paragraph))
    return out


def compose(
    ranked_by_part: Sequence[Sequence[tuple[Unit, float]]],
    content_words: Sequence[str],
    want_list: bool = False,
) -> tuple[list[Claim], bool]:
    """(claims, is_list) answering every part of the question."""
    if len(ranked_by_part) == 1:
        chosen = choose(ranked_by_part[0], content_words, want_list=want_list)
    else:
        chosen = []
        for ranked in ranked_by_part:
            for unit in choose(ranked, content_words, limit=1):
                if not _overlaps(unit, chosen):
                    chosen.append(unit)
    return claims(chosen), bool(chosen) and chosen[0].is_list
