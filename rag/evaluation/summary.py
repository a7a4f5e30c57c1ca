"""Per-item results of one system and the metric blocks computed from them. Pure.

A block holds every headline metric of the report; the same function summarises each split,
each category (language, kind) and the baseline, so all tables compare like with like.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from rag.evaluation.metrics import mean_score, percentile, refusal_scores

RETRIEVAL_KEYS = ("hit_at_1", "hit_at_5", "mrr", "recall_at_5", "paragraphs_at_5")
OUTCOMES = ("answered", "not_stated", "refused")  # rag.types.Outcome's values
Key = tuple[str, int]


@dataclass
class ItemResult:
    """What one system did on one eval item, with the item's per-item scores."""

    id: str
    lang: str
    kind: str
    answerable: bool
    question: str
    gold: list[Key]
    facts: list[list[str]]
    answer: str = ""
    refused: bool = False
    citations: list[Key] = field(default_factory=list)
    retrieval: dict[str, dict[str, float]] = field(default_factory=dict)
    fact_share: float | None = None
    grounding: dict[str, tuple[float, float | None]] = field(default_factory=dict)
    unsupported: list[str] = field(default_factory=list)
    answer_script: str = ""
    language_match: bool | None = None
    latency_ms: float = 0.0
    split: str = "all"
    outcome: str = "answered"


def summarise(results: Sequence[ItemResult], main: str = "hybrid") -> dict:
    """Every metric block for `results`; `main` names the ranking the headline retrieval uses."""
    answerable = [r for r in results if r.answerable]
    block: dict = {"n": len(results)}
    methods = sorted({m for r in answerable for m in r.retrieval}, key=lambda m: (m != main, m))
    if methods:
        block["retrieval"] = _retrieval(answerable, main)
        if len(methods) > 1:
            block["retrieval_methods"] = {m: _retrieval(answerable, m) for m in methods}
    block["answer"] = {
        "fact_recall": _score({r.id: r.fact_share for r in answerable}),
        "answered_rate": _score({r.id: float(not r.refused) for r in answerable}),
        "n": len(answerable),
    }
    refusal = refusal_scores({r.id: r.refused for r in results}, {r.id: r.answerable for r in results})
    block["refusal"] = {
        "precision": _finite(refusal["precision"].score),
        "recall": _finite(refusal["recall"].score),
        "n_unanswerable": sum(not r.answerable for r in results),
        "n_refused": sum(r.refused for r in results),
    }
    for judge in sorted({j for r in results for j in r.grounding}):
        name = "citations" if judge == "offline" else f"citations_{judge}"
        block[name] = _grounding(results, judge)
    block["outcomes"] = {
        **{o: _finite(sum(r.outcome == o for r in results) / len(results)) if results else None
           for o in OUTCOMES},
        "n": len(results),
    }
    block["language"] = {
        "match_rate": _score({r.id: _float(r.language_match) for r in results}),
        "n": sum(r.language_match is not None for r in results),
    }
    latencies = [r.latency_ms for r in results]
    block["latency"] = {
        "p50_ms": _finite(percentile(latencies, 50)),
        "p95_ms": _finite(percentile(latencies, 95)),
    }
    return block


def by_category(results: Sequence[ItemResult], main: str = "hybrid") -> dict:
    """{"lang": {value: block}, "kind": {value: block}}."""
    return {
        field_name: {
            value: summarise([r for r in results if getattr(r, field_name) == value], main)
            for value in sorted({getattr(r, field_name) for r in results})
        }
        for field_name in ("lang", "kind")
    }


def per_item(results: Sequence[ItemResult]) -> list[dict]:
    """Each item's scores, for report.json."""
    return [
        {
            "id": r.id, "split": r.split, "lang": r.lang, "kind": r.kind, "answerable": r.answerable,
            "outcome": r.outcome, "refused": r.refused,
            "citations": [f"{s}#{n}" for s, n in r.citations],
            "retrieval": r.retrieval, "fact_share": r.fact_share,
            "grounding": {j: {"recall": g[0], "precision": g[1]} for j, g in r.grounding.items()},
            "answer_script": r.answer_script, "language_match": r.language_match,
            "latency_ms": round(r.latency_ms, 1),
        }
        for r in results
    ]


def _retrieval(results: Sequence[ItemResult], method: str) -> dict:
    scored = [r for r in results if method in r.retrieval]
    out = {k: _score({r.id: r.retrieval[method][k] for r in scored}) for k in RETRIEVAL_KEYS}
    out["n"] = len(scored)
    return out


def _grounding(results: Sequence[ItemResult], judge: str) -> dict:
    graded = [r for r in results if judge in r.grounding]
    return {
        "recall": _score({r.id: r.grounding[judge][0] for r in graded}),
        "precision": _score({r.id: r.grounding[judge][1] for r in graded}),
        "n": len(graded),
    }


def _score(values: dict[str, float | None]) -> float | None:
    return _finite(mean_score(values).score)


def _float(value: bool | None) -> float | None:
    return None if value is None else float(value)


def _finite(value: float) -> float | None:
    """JSON has no NaN: a metric with no items to average is null."""
    return None if value is None or math.isnan(value) else round(value, 4)


def failure_reasons(r: ItemResult, main: str = "hybrid") -> list[str]:
    """Why one item fails, in words; empty when it passes every check."""
    reasons = []
    if r.answerable and r.refused:
        reasons.append("refused an answerable question")
    if not r.answerable and not r.refused:
        reasons.append("answered an unanswerable question")
    scores = r.retrieval.get(main)
    if r.answerable and scores is not None and not scores["hit_at_5"]:
        reasons.append("retrieval: no gold paragraph in the top 5")
    if r.answerable and not r.refused and r.fact_share is not None and r.fact_share < 1:
        reasons.append(f"facts: {r.fact_share:.0%} of the required facts stated")
    recall, precision = r.grounding.get("offline", (1.0, 1.0))
    if recall < 1:
        reasons.append(f"citations: {recall:.0%} of sentences supported by their citations")
    if precision is not None and precision < 1:
        reasons.append(f"citations: only {precision:.0%} of citations needed")
    if r.language_match is False:
        reasons.append(f"language: {r.lang} question, {r.answer_script} answer")
    return reasons


def failures(results: Sequence[ItemResult], main: str = "hybrid") -> list[dict]:
    """Failed items with question, answer, gold and reasons."""
    out = []
    for r in results:
        reasons = failure_reasons(r, main)
        if reasons:
            out.append({
                "id": r.id, "split": r.split, "lang": r.lang, "kind": r.kind, "question": r.question,
                "answer": r.answer, "refused": r.refused,
                "gold": [f"{s}#{n}" for s, n in r.gold], "facts": r.facts,
                "citations": [f"{s}#{n}" for s, n in r.citations],
                "unsupported_sentences": r.unsupported, "reasons": reasons,
            })
    return out

