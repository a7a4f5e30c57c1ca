"""Decides whether the evidence answers the question. Pure.

A top-score threshold alone does not separate answerable from unanswerable questions here
(unanswerable ones reach dense scores of 0.79-0.86, answerable ones 0.81-0.94), so the decision
also asks whether the question's key terms (figures, years, names) occur in the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.answer.extractive import asks_quantity
from rag.text import language, normalise, tokenize
from rag.types import ScoredParagraph

_YEAR_OR_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"\b(?:[A-Z][a-zA-Z0-9&-]+|[A-Z]{2,}[a-z]?)(?:\s+(?:of\s+|the\s+)?[A-Z][a-zA-Z0-9&-]+)*")
_QUESTION_WORDS = frozenset(
    "what which who whom whose when where why how is are was were does do did can could "
    "according in on and tell list name please".split()
)


@dataclass(frozen=True)
class RefusalPolicy:
    """Thresholds calibrated on eval/ (see the README's eval section)."""

    min_dense: float = 0.80
    min_dense_crosslingual: float = 0.84
    min_coverage: float = 0.5
    confident_dense: float = 0.885


@dataclass(frozen=True)
class Signals:
    dense: float
    coverage: float
    missing_keys: tuple[str, ...]
    crosslingual: bool
    figure_missing: bool = False


def key_terms(question: str) -> list[str]:
    """Figures and proper names that an answer's evidence must contain."""
    keys = [n.replace(",", "") for n in _YEAR_OR_NUMBER.findall(question)]
    for name in _NAME.findall(question):
        words = [w for w in name.split() if w.lower() not in _QUESTION_WORDS]
        if words:
            keys.append(" ".join(words))
    return keys


def signals(question: str, evidence: Sequence[ScoredParagraph]) -> Signals:
    top = evidence[:3]
    text = normalise(" ".join(f"{sp.paragraph.header} {sp.paragraph.text}" for sp in top))
    flat = text.replace(",", "")
    missing = tuple(k for k in key_terms(question) if not _contains_key(flat, normalise(k)))
    q_tokens = set(tokenize(question))
    e_tokens = set(tokenize(text))
    coverage = len(q_tokens & e_tokens) / len(q_tokens) if q_tokens else 0.0
    crosslingual = bool(top) and all(sp.paragraph.lang != language(question) for sp in top)
    dense = max((sp.dense for sp in evidence), default=0.0)
    figure_missing = asks_quantity(question) and not _figure_near_name(question, top)
    return Signals(dense, coverage, missing, crosslingual, figure_missing)


def _figure_near_name(question: str, evidence: Sequence[ScoredParagraph]) -> bool:
    """Whether some evidence sentence holds a figure and one of the question's names."""
    names = [normalise(k) for k in key_terms(question) if not _YEAR_OR_NUMBER.fullmatch(k)]
    if not names:
        return True
    for sp in evidence:
        norm = normalise(sp.paragraph.text)
        if re.search(r"\d", norm) and any(_contains_key(norm, n) for n in names):
            return True
    return False


def _contains_key(text: str, key: str) -> bool:
    if key in text:
        return True
    words = key.split()
    initials = "".join(w[0] for w in words if w not in ("of", "the", "and"))
    if len(initials) >= 3 and re.search(rf"\b{re.escape(initials)}\b", text):
        return True
    return len(words) > 1 and sum(w in text for w in words) >= len(words) - 1


def should_refuse(s: Signals, policy: RefusalPolicy) -> bool:
    if s.figure_missing:
        return True
    if s.missing_keys and s.dense < policy.confident_dense + 0.03:
        return True
    if s.crosslingual:
        return s.dense < policy.min_dense_crosslingual
    if s.dense < policy.min_dense:
        return True
    return s.coverage < policy.min_coverage and s.dense < policy.confident_dense
