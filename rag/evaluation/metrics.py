"""Scores for one system's answers: pure functions over plain values.

Each evaluator returns a `Score`: the overall value and the per-item values it averages, so a
report can show both the headline and which items pull it down.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from rag.lang.text import normalise

Ranking = Sequence[Collection[Hashable]]
"""Rank r (from 0) holds the paragraph keys the r-th result covers: one for a paragraph,
several for a baseline chunk."""

DEPTH = 10


@dataclass(frozen=True)
class Score:
    """An overall score and the per-item scores behind it (item id -> value)."""

    score: float
    per_item: dict[str, float] = field(default_factory=dict)


def first_hit(ranking: Ranking, gold: Collection[Hashable], depth: int = DEPTH) -> int | None:
    """1-based rank of the first result that covers a gold paragraph, or None within `depth`."""
    for rank, keys in enumerate(ranking[:depth], start=1):
        if any(k in gold for k in keys):
            return rank
    return None


def retrieval_scores(ranking: Ranking, gold: Collection[Hashable]) -> dict[str, float]:
    """hit@1, hit@5, reciprocal rank (within 10), recall@5, and how many distinct paragraphs
    the top 5 results cover (5 for paragraphs; more for a baseline's chunks, which is why its
    hit@5 is not a like-for-like comparison)."""
    rank = first_hit(ranking, gold)
    top5 = {k for keys in ranking[:5] for k in keys}
    return {
        "hit_at_1": float(rank == 1),
        "hit_at_5": float(rank is not None and rank <= 5),
        "mrr": 1.0 / rank if rank is not None else 0.0,
        "recall_at_5": len(top5 & set(gold)) / len(gold) if gold else 0.0,
        "paragraphs_at_5": float(len(top5)),
    }


def fact_share(answer: str, facts: Sequence[Sequence[str]]) -> float:
    """Share of required facts the answer states; a fact counts when any variant occurs.

    Matching is a substring test after `normalise` on both sides (case, width, script).

    >>> fact_share("GDP reached 126 trillion yuan [1].", [["126 trillion", "126万亿"], ["18%"]])
    0.5
    """
    if not facts:
        return 1.0
    text = normalise(answer)
    found = sum(1 for variants in facts if any(normalise(v) in text for v in variants))
    return found / len(facts)


def mean_score(values: Mapping[str, float | None]) -> Score:
    """Mean over the items that have a value (None means not applicable)."""
    kept = {k: v for k, v in values.items() if v is not None}
    return Score(sum(kept.values()) / len(kept) if kept else math.nan, kept)


def refusal_scores(refused: Mapping[str, bool], answerable: Mapping[str, bool]) -> dict[str, Score]:
    """Precision and recall of refusing, taking unanswerable items as the positive class."""
    should = {k for k, ok in answerable.items() if not ok}
    did = {k for k, r in refused.items() if r}
    both = did & should
    return {
        "precision": Score(len(both) / len(did) if did else math.nan,
                           {k: float(k in should) for k in did}),
        "recall": Score(len(both) / len(should) if should else math.nan,
                        {k: float(k in did) for k in should}),
    }


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation; nan for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


EXPECTED_SCRIPT = {"en": "latin", "hant": "hant", "hans": "hans"}


def language_matches(answer_script: str, lang: str) -> bool:
    """An English question wants a Latin answer; a Simplified one a Simplified answer."""
    return EXPECTED_SCRIPT[lang] == answer_script


def judge_agreement(
    labels: Mapping[str, tuple[str, str, bool]], predicted: Mapping[str, bool | None]
) -> dict:
    """Accuracy of a support judge against labelled pairs (id -> (kind, lang, supported)), and
    its false-support rate on hard negatives (a changed number or name judged supported).

    Pairs the judge could not decide (None) count as wrong.
    """
    correct = {i: float(predicted.get(i) == label[2]) for i, label in labels.items()}
    hard = [i for i, label in labels.items() if label[0].startswith("hard_negative")]
    negatives = [i for i, label in labels.items() if not label[2]]
    return {
        "accuracy": mean_score(correct).score,
        "false_support_rate": _share(predicted, hard),
        "false_support_rate_all_negatives": _share(predicted, negatives),
        "n": len(labels),
        "undecided": sum(predicted.get(i) is None for i in labels),
        "by_kind": _accuracy_by(labels, correct, 0),
        "by_lang": _accuracy_by(labels, correct, 1),
    }


def _share(predicted: Mapping[str, bool | None], ids: Sequence[str]) -> float:
    return sum(predicted.get(i) is True for i in ids) / len(ids) if ids else math.nan


def _accuracy_by(labels: Mapping[str, tuple[str, str, bool]], correct: Mapping[str, float], at: int) -> dict:
    groups: dict[str, list[float]] = {}
    for i, label in labels.items():
        groups.setdefault(label[at], []).append(correct[i])
    return {g: {"accuracy": sum(v) / len(v), "n": len(v)} for g, v in sorted(groups.items())}
