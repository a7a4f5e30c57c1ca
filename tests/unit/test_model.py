"""The small learned models (rag.guard.model, rag.guard.answerability, rag.evaluation.training)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rag.answer.units import build_units
from rag.evaluation.training import unit_labels
from rag.guard.answerability import outcome_for
from rag.guard.features import QUESTION_FEATURES, UNIT_FEATURES
from rag.guard.model import LogisticModel, fit_listwise, fit_logistic, load_model
from rag.types import Outcome, Paragraph, ScoredParagraph


def test_fit_logistic__learns_the_separating_feature_and_round_trips(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 2))
    y = (x[:, 0] > 0).astype(float)
    model = fit_logistic("toy", ("signal", "noise"), x, y)
    assert model.coef[0] > 5 * abs(model.coef[1])
    assert model.probability(np.array([[2.0, 0.0]]))[0] > 0.9 > 0.1 > model.probability(np.array([[-2.0, 0.0]]))[0]
    model.save(tmp_path / "toy.json")
    again = LogisticModel.load(tmp_path / "toy.json")
    assert again == model and np.allclose(again.decision(x), model.decision(x))


def test_fit_listwise__ranks_by_the_within_question_signal_not_a_question_level_offset() -> None:
    rng = np.random.default_rng(0)
    groups = []
    for _ in range(100):
        x = rng.normal(size=(8, 3))
        x[:, 2] += 3 * rng.normal()  # the same shift for every row of a question: cannot rank
        y = np.zeros(8)
        y[np.argmax(x[:, 0] + 0.1 * rng.normal(size=8))] = 1
        groups.append((x, y))
    model = fit_listwise("toy", ("signal", "noise", "offset"), groups)
    assert model.coef[0] > 10 * max(abs(model.coef[1]), abs(model.coef[2]))
    right = np.mean([y[np.argmax(model.decision(x))] for x, y in groups])
    assert right > 0.8
    p = model.probability(np.vstack([x for x, _ in groups]))  # Platt-scaled: reads as a per-row probability
    assert abs(p.mean() - 1 / 8) < 0.03


def test_outcome_for__three_outcomes_from_two_thresholds() -> None:
    thresholds = {"answer": 0.6, "refuse": 0.2}
    assert [outcome_for(p, thresholds) for p in (0.9, 0.6, 0.4, 0.2, 0.1)] == [
        Outcome.ANSWERED, Outcome.ANSWERED, Outcome.NOT_STATED, Outcome.NOT_STATED, Outcome.REFUSED]


def test_shipped_models__name_the_features_the_code_computes() -> None:
    assert load_model("unit_ranker").features == UNIT_FEATURES
    classifier = load_model("answerability")
    assert classifier.features == QUESTION_FEATURES
    assert 0 < classifier.thresholds["refuse"] <= classifier.thresholds["answer"] < 1
    assert set(classifier.trained_on) >= {"seeds"}


def test_unit_labels__a_unit_is_right_when_it_quotes_gold_and_holds_a_fact() -> None:
    gold = Paragraph("a.txt", 1, "The bank has 109 members. The bank was founded in 2016.")
    other = Paragraph("a.txt", 2, "The fund has 40 billion dollars.")
    lookup = {(p.source, p.number): p for p in (gold, other)}
    units = build_units([ScoredParagraph(gold, 1.0), ScoredParagraph(other, 0.5)], lookup, want_list=False)
    assert list(unit_labels(units, {("a.txt", 1)}, [["109"]])) == [1.0, 0.0, 0.0]
    assert list(unit_labels(units, {("a.txt", 1)}, [["not there"]])) == [1.0, 1.0, 0.0]
