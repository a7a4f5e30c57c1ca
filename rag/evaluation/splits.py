"""Figures per split (dev, test) and the dev − test gap. Pure.

Tune on dev, report test: a gap well above zero says the tuning fits the dev questions rather
than the method.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rag.evaluation.summary import ItemResult, by_category, failures, summarise

SPLIT_ORDER = ("dev", "test", "all")
FIGURES = (
    ("evidence hit@5", "retrieval.hit_at_5"),
    ("evidence hit@1", "retrieval.hit_at_1"),
    ("evidence MRR", "retrieval.mrr"),
    ("evidence recall@5", "retrieval.recall_at_5"),
    ("fact recall", "answer.fact_recall"),
    ("answerable answered", "answer.answered_rate"),
    ("unanswerable refused", "refusal.recall"),
    ("refusal precision", "refusal.precision"),
    ("outcome: answered", "outcomes.answered"),
    ("outcome: not stated", "outcomes.not_stated"),
    ("outcome: refused", "outcomes.refused"),
    ("citations valid (precision, answered items)", "citations.precision"),
    ("citation recall (answered items)", "citations.recall"),
    ("citations valid (LLM judge)", "citations_llm.precision"),
    ("citation recall (LLM judge)", "citations_llm.recall"),
    ("language match", "language.match_rate"),
    ("latency p50 (ms)", "latency.p50_ms"),
    ("latency p95 (ms)", "latency.p95_ms"),
)
"""(label, dotted path into a split block): the rows of a corpus's table, and what the gap covers."""


def metric(block: Mapping | None, dotted: str) -> float | None:
    """The number at `dotted` ("retrieval.hit_at_5") in a block, or None."""
    value: object = block
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def split_names(results: Sequence[ItemResult]) -> list[str]:
    """The splits present, in the order dev, test, all."""
    present = {r.split for r in results}
    return [s for s in SPLIT_ORDER if s in present]


def by_split(results: Sequence[ItemResult], main: str = "hybrid") -> dict[str, dict]:
    """split -> its metric block, with its per-category blocks and failed items."""
    return {
        split: {
            **summarise(chosen, main),
            "by_category": by_category(chosen, main),
            "failures": failures(chosen, main),
        }
        for split in split_names(results)
        if (chosen := [r for r in results if r.split == split])
    }


def gap(splits: Mapping[str, Mapping], figures: Sequence[tuple[str, str]] = FIGURES) -> dict[str, float]:
    """dev − test for every figure both halves have; {} unless both halves were run."""
    dev, test = splits.get("dev"), splits.get("test")
    if dev is None or test is None:
        return {}
    out = {}
    for _, path in figures:
        a, b = metric(dev, path), metric(test, path)
        if a is not None and b is not None:
            out[path] = round(a - b, 4)
    return out
