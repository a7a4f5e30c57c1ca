"""The regression gate: the offline eval over eval/questions.jsonl must stay above its floors.

Floors live in eval/floors.json. The run is the real one (real index of the seeds, extractive
answers, offline judge); only the baseline and the LLM judge are skipped to save time.
"""

from __future__ import annotations

import json

import pytest

from rag.config import REPO_ROOT, RagConfig
from rag.evaluation.runner import DEFAULT_QUESTIONS, run_suite

FLOORS = REPO_ROOT / "eval" / "floors.json"


def metric(report: dict, dotted: str) -> float | None:
    value: object = report
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value if isinstance(value, int | float) else None


def breaches(report: dict, limits: dict) -> list[str]:
    """One line per metric outside its limit; a missing metric is a breach too."""
    out = []
    for name, floor in limits.get("min", {}).items():
        value = metric(report, name)
        if value is None or value < floor:
            out.append(f"{name} = {value} is below its floor {floor}")
    for name, ceiling in limits.get("max", {}).items():
        value = metric(report, name)
        if value is None or value > ceiling:
            out.append(f"{name} = {value} is above its ceiling {ceiling}")
    return out


def test_breaches__names_low_high_and_missing_metrics() -> None:
    report = {"retrieval": {"mrr": 0.8}, "judge": {"false_support_rate": 0.2}}
    limits = {"min": {"retrieval.mrr": 0.85, "answer.fact_recall": 0.5},
              "max": {"judge.false_support_rate": 0.1}}
    assert breaches(report, limits) == [
        "retrieval.mrr = 0.8 is below its floor 0.85",
        "answer.fact_recall = None is below its floor 0.5",
        "judge.false_support_rate = 0.2 is above its ceiling 0.1",
    ]
    assert breaches({"retrieval": {"mrr": 0.9}}, {"min": {"retrieval.mrr": 0.85}}) == []


def test_floors__gate_every_target_metric_and_never_exceed_it() -> None:
    limits = json.loads(FLOORS.read_text(encoding="utf-8"))
    targets = {"retrieval.hit_at_5", "retrieval.mrr", "answer.fact_recall", "citations.precision",
               "citations.recall", "refusal.recall", "refusal.precision"}
    assert targets <= set(limits["targets"]) and targets <= set(limits["min"])
    assert all(0 < limits["min"][name] <= limits["targets"][name] for name in targets)


@pytest.mark.slow
def test_eval_gate__offline_metrics_stay_above_their_floors(config: RagConfig) -> None:
    if not DEFAULT_QUESTIONS.exists():
        pytest.skip("eval/questions.jsonl is not there yet")
    report = run_suite(config, baseline=False, llm_judge=False, progress=False)
    limits = json.loads(FLOORS.read_text(encoding="utf-8"))
    problems = breaches(report, limits)
    assert not problems, "eval gate:\n  " + "\n  ".join(problems) + (
        f"\n  ({len(report['failures'])} failed items; run `rag eval` for the report)"
    )
