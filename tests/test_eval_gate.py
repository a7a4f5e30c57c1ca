"""The regression gate: the test half of every corpus must stay within its floors.

Floors live in eval/floors.json, per corpus. The run is the real one (the corpus's own real
index, extractive answers, offline judge); the baseline and the LLM judge are skipped. A corpus
whose folder is missing, or that has no floors yet (its `_pending` says why), is skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.config import REPO_ROOT, RagConfig
from rag.evaluation.data import corpus_config, load_corpus_sets
from rag.evaluation.runner import prepare, run_corpus
from rag.evaluation.splits import metric
from tests.conftest import SEEDS

FLOORS = REPO_ROOT / "eval" / "floors.json"
# the seeds last: their index is the run's shared one, which is still being built when this file starts
CORPORA = sorted(json.loads((REPO_ROOT / "eval" / "sets" / "corpora.json").read_text(encoding="utf-8")),
                 key=lambda name: name == "seeds")
TARGET_METRICS = {"retrieval.hit_at_5", "answer.fact_recall", "answer.answered_rate", "refusal.recall",
                  "citations.precision"}


def breaches(block: dict, limits: dict) -> list[str]:
    """One line per metric outside its limit; a missing metric is a breach too."""
    out = []
    for name, floor in limits.get("min", {}).items():
        value = metric(block, name)
        if value is None or value < floor:
            out.append(f"{name} = {value} is below its floor {floor}")
    for name, ceiling in limits.get("max", {}).items():
        value = metric(block, name)
        if value is None or value > ceiling:
            out.append(f"{name} = {value} is above its ceiling {ceiling}")
    return out


def corpus_breaches(corpus: dict, floors: dict) -> list[str]:
    """The breaches of a corpus report's test half (with its judge agreement), named by corpus."""
    limits = floors["corpora"][corpus["corpus"]]
    block = {**corpus["splits"]["test"], "judge": corpus.get("judge") or {}}
    return [f"{corpus['corpus']}: {line}" for line in breaches(block, limits)]


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


def test_corpus_breaches__each_corpus_against_its_own_floors_on_its_test_half() -> None:
    floors = {"corpora": {"a": {"min": {"retrieval.hit_at_5": 0.9}, "max": {"judge.false_support_rate": 0.1}},
                          "b": {"min": {"retrieval.hit_at_5": 0.5}}}}
    dev_good_test_bad = {"dev": {"retrieval": {"hit_at_5": 1.0}}, "test": {"retrieval": {"hit_at_5": 0.6}}}
    a = {"corpus": "a", "splits": dev_good_test_bad, "judge": {"false_support_rate": 0.05}}
    b = {"corpus": "b", "splits": dev_good_test_bad, "judge": {"n": 0}}
    assert corpus_breaches(a, floors) == ["a: retrieval.hit_at_5 = 0.6 is below its floor 0.9"]
    assert corpus_breaches(b, floors) == []
    a["judge"] = {"false_support_rate": 0.3}
    assert corpus_breaches(a, floors)[1] == "a: judge.false_support_rate = 0.3 is above its ceiling 0.1"


def test_floors__every_corpus_is_gated_or_says_why_and_no_floor_exceeds_its_target() -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    targets = floors["targets"]
    assert TARGET_METRICS <= set(targets["min"]) and 0 < targets["max_gap"] <= 0.05
    assert set(floors["corpora"]) == set(CORPORA)
    for name, limits in floors["corpora"].items():
        if "min" not in limits:
            assert limits.get("_pending"), f"{name}: no floors and no _pending note saying why"
            continue
        assert TARGET_METRICS <= set(limits["min"]), name
        for metric_name, floor in limits["min"].items():
            if metric_name in targets["min"]:
                assert 0 < floor <= targets["min"][metric_name], (name, metric_name)


@pytest.mark.slow
@pytest.mark.parametrize("name", CORPORA)
def test_eval_gate__the_test_half_stays_within_its_floors(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    corpus = load_corpus_sets(REPO_ROOT)[name]
    if not corpus.folder.is_dir():
        pytest.skip(f"corpus {name}: folder {corpus.folder} is missing")
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    limits = floors["corpora"].get(name, {})
    if "min" not in limits:
        pytest.skip(f"corpus {name}: eval/floors.json sets no floors yet: {limits.get('_pending')}")
    # the seeds are already indexed for the whole run; any other corpus gets its own index
    if corpus.folder.resolve() == SEEDS.resolve():
        own = request.getfixturevalue("config")
    else:
        own = corpus_config(RagConfig(home=tmp_path, docs=()), corpus)
    ready = prepare(own, corpus, ("test",), progress=False)
    report = run_corpus(own, ready, ("test",), baseline=False, llm_judge=False, progress=False)
    problems = corpus_breaches(report, floors)
    assert not problems, "eval gate:\n  " + "\n  ".join(problems) + (
        f"\n  ({len(report['splits']['test']['failures'])} failed test items; run "
        f"`rag eval --corpus {name}` for the report)"
    )
