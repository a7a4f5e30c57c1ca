"""Answerability: a calibrated probability that the evidence answers the question. Pure.

Two small logistic models (rag/guard/models/*.json, trained by `rag train` on the dev halves
of every corpus in eval/) do the work:
  - the unit ranker scores each answer unit (a sentence with its context) from general
    features: sentence-vector similarity, unit BM25, IDF-weighted coverage, the asked-slot
    check, position and retrieval rank (rag.guard.features.UNIT_FEATURES); it is fitted
    listwise over each question's units, then Platt-scaled (rag.guard.model.fit_listwise);
  - the answerability classifier turns the best units and the question's coverage by the
    evidence and by the whole corpus into a probability (QUESTION_FEATURES).
One pair of thresholds serves every corpus: at or above `answer` the question is answered;
below `refuse` it is refused; in between the documents "do not state it directly", and the
closest passages are cited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rag.answer.units import Unit
from rag.guard.features import Corpus, question_features, unit_features
from rag.guard.model import LogisticModel, load_model
from rag.question.analysis import QuestionAnalysis
from rag.types import Outcome

RANKER = "unit_ranker"
CLASSIFIER = "answerability"


@dataclass(frozen=True)
class Judgement:
    outcome: Outcome
    probability: float
    ranked: list[tuple[Unit, float]]  # units best first, with the ranker's log-odds
    units: tuple[Unit, ...] = ()  # in evidence order, as judged
    similarity: tuple[float, ...] = ()


@dataclass(frozen=True)
class Models:
    ranker: LogisticModel
    classifier: LogisticModel

    @classmethod
    def shipped(cls) -> Models:
        return cls(load_model(RANKER), load_model(CLASSIFIER))


def rank_units(
    q: QuestionAnalysis, units: Sequence[Unit], similarity: Sequence[float], corpus: Corpus, ranker: LogisticModel
) -> tuple[np.ndarray, np.ndarray]:
    """(feature rows, log-odds) of every unit."""
    rows = unit_features(q, units, similarity, corpus)
    return rows, ranker.decision(rows)


def judge(
    q: QuestionAnalysis,
    units: Sequence[Unit],
    similarity: Sequence[float],
    dense_top: float,
    corpus: Corpus,
    models: Models,
) -> Judgement:
    """How sure we are that the units answer `q`, and the units ranked."""
    if not units:
        return Judgement(Outcome.REFUSED, 0.0, [])
    rows, scores = rank_units(q, units, similarity, corpus, models.ranker)
    features = question_features(q, units, list(scores), rows, dense_top, corpus)
    p = float(models.classifier.probability(features[None, :])[0])
    ranked = sorted(zip(units, map(float, scores), strict=True), key=lambda t: -t[1])
    return Judgement(outcome_for(p, models.classifier.thresholds), p, ranked, tuple(units), tuple(similarity))


def outcome_for(p: float, thresholds: dict[str, float]) -> Outcome:
    if p >= thresholds["answer"]:
        return Outcome.ANSWERED
    if p >= thresholds["refuse"]:
        return Outcome.NOT_STATED
    return Outcome.REFUSED
