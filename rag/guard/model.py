"""A small logistic model: standardised features, weights and thresholds in a versioned JSON file.

scikit-learn's shape: `fit` on the dev halves (`rag train`), `predict` at run time with no
scikit-learn import, only a dot product.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

MODELS = Path(__file__).resolve().parent / "models"
VERSION = 1


@dataclass(frozen=True)
class LogisticModel:
    name: str
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    thresholds: dict[str, float] = field(default_factory=dict)
    trained_on: dict[str, int] = field(default_factory=dict)
    version: int = VERSION

    def decision(self, rows: np.ndarray) -> np.ndarray:
        """The log-odds of each row."""
        if rows.size == 0:
            return np.zeros(len(rows))
        z = (rows - np.asarray(self.mean)) / np.asarray(self.scale)
        return z @ np.asarray(self.coef) + self.intercept

    def probability(self, rows: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.decision(rows)))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> LogisticModel:
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw["features"] = tuple(raw["features"])
        for key in ("mean", "scale", "coef"):
            raw[key] = tuple(raw[key])
        return cls(**raw)


@cache
def load_model(name: str) -> LogisticModel:
    """A shipped model by name (rag/guard/models/NAME.json), loaded once per process."""
    return LogisticModel.load(MODELS / f"{name}.json")


def fit_logistic(
    name: str, features: Sequence[str], rows: np.ndarray, labels: np.ndarray, c: float = 1.0,
    weights: np.ndarray | None = None,
) -> LogisticModel:
    """Fit an L2-regularised logistic regression (scikit-learn) on standardised rows."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = _standardisation(rows)
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    model.fit((rows - mean) / scale, labels, sample_weight=weights)
    return LogisticModel(
        name, tuple(features), tuple(map(float, mean)), tuple(map(float, scale)),
        tuple(map(float, model.coef_[0])), float(model.intercept_[0]),
    )


def _standardisation(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each column's mean and standard deviation (1 for a constant column), as the models store them."""
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale < 1e-9] = 1.0
    return mean, scale


def fit_listwise(
    name: str, features: Sequence[str], groups: Sequence[tuple[np.ndarray, np.ndarray]], c: float = 1.0,
) -> LogisticModel:
    """Fit a ranker on whole questions: a softmax over each question's rows whose right rows
    (label 1) should take the probability mass (the listwise loss of ListNet / a conditional logit,
    L2-regularised with strength 1/c), then Platt-scale its score so that it also reads as a
    per-row log-odds. Ranking within a question is what the ranker is for; a pointwise fit
    spends its weights on telling questions apart instead (a feature that is constant within a
    question, such as "the question wants a figure", cannot change a ranking)."""
    from scipy.optimize import minimize
    from sklearn.linear_model import LogisticRegression

    stacked = np.vstack([rows for rows, _ in groups])
    mean, scale = _standardisation(stacked)
    scaled = [((rows - mean) / scale, labels.astype(bool)) for rows, labels in groups]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.5 * float(w @ w) / c, w / c
        for x, right in scaled:
            z = x @ w
            z = z - z.max()
            e = np.exp(z)
            mass, mass_right = e.sum(), (e * right).sum()
            total -= float(np.log(mass_right) - np.log(mass))
            grad = grad - (e * right / mass_right - e / mass) @ x
        return total, grad

    w = minimize(loss, np.zeros(stacked.shape[1]), jac=True, method="L-BFGS-B").x
    scores = np.concatenate([x @ w for x, _ in scaled])[:, None]
    labels = np.concatenate([right for _, right in scaled]).astype(float)
    platt = LogisticRegression(C=1e6, max_iter=2000).fit(scores, labels)
    a, b = float(platt.coef_[0][0]), float(platt.intercept_[0])
    return LogisticModel(
        name, tuple(features), tuple(map(float, mean)), tuple(map(float, scale)), tuple(map(float, a * w)), b,
    )


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))
