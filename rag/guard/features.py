"""General features of answer units and of whole questions, for the two small learned models. Pure.

Nothing here names a corpus: every feature is a similarity, a BM25 or IDF-weighted word
coverage, the asked-slot check, a position or a retrieval rank.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

import numpy as np

from rag.answer.units import Unit
from rag.guard.slot import slot_score
from rag.lang.crosslingual import term_forms
from rag.lang.text import CJK, normalise, stem, tokenize
from rag.question.analysis import QuestionAnalysis, singular
from rag.retrieve.corpus_stats import Corpus
from rag.types import Role

UNIT_FEATURES = (
    "dense_sentence", "dense_sentence_gap", "retrieval_score", "retrieval_rank", "bm25_unit",
    "coverage_unit", "coverage_paragraph", "slot", "slot_exact", "slot_entity", "position", "is_heading",
    "length", "is_list", "list_wanted", "crosslingual",
)
QUESTION_FEATURES = (
    "best_unit", "unit_margin", "coverage_evidence", "coverage_corpus", "slot", "slot_entity",
    "missing_rare", "unknown_word", "figures_missing", "years_missing", "crosslingual", "dense_top",
)
_YEAR = re.compile(r"(1[5-9]|20)\d{2}")
_SLOT, _ENTITY = UNIT_FEATURES.index("slot"), UNIT_FEATURES.index("slot_entity")


def _matches(word: str, tokens: set[str]) -> bool:
    """Whether `word` (a token, or a surface word such as the asked thing) is among `tokens`."""
    if word in tokens or (not CJK.search(word) and (stem(word) in tokens or singular(word) in {singular(t) for t in tokens})):
        return True
    return not term_forms(word).isdisjoint(tokens) or (
        not CJK.search(word) and any(word in term_forms(t) for t in tokens if CJK.search(t))
    )


def coverage(words: Sequence[str], text_tokens: set[str], idf: Callable[[str], float]) -> float:
    """IDF-weighted share of `words` that `text_tokens` holds (directly or in translation)."""
    total = sum(idf(w) for w in words)
    if not total:
        return 0.0
    return sum(idf(w) for w in words if _matches(w, text_tokens)) / total


def bm25(words: Sequence[str], tokens: Sequence[str], idf: Callable[[str], float], avg_len: float) -> float:
    k1, b = 1.5, 0.75
    counts: dict[str, int] = {}
    for t in tokens:
        counts[t] = counts.get(t, 0) + 1
    norm = k1 * (1 - b + b * len(tokens) / max(avg_len, 1.0))
    return sum(idf(w) * counts[w] * (k1 + 1) / (counts[w] + norm) for w in words if w in counts)


def unit_features(
    q: QuestionAnalysis, units: Sequence[Unit], similarity: Sequence[float], corpus: Corpus
) -> np.ndarray:
    """One row per unit, columns as UNIT_FEATURES; `similarity` is each unit's sentence-vector cosine."""
    if not units:
        return np.zeros((0, len(UNIT_FEATURES)))
    token_lists = [tokenize(u.text) for u in units]
    avg_len = sum(map(len, token_lists)) / len(token_lists)
    bm = [bm25(q.content_words, toks, corpus.idf, avg_len) for toks in token_lists]
    best_bm, best_sim = max(bm) or 1.0, max(similarity)
    top = max(units[0].hit.score, 1e-9)
    paragraph_tokens: dict[tuple[str, int], set[str]] = {}
    entity = entity_words(q)
    rows = []
    for u, toks, b, sim in zip(units, token_lists, bm, similarity, strict=True):
        key = (u.paragraph.source, u.paragraph.number)
        if key not in paragraph_tokens:
            paragraph_tokens[key] = set(tokenize(f"{u.paragraph.header} {u.paragraph.text}"))
        slot = max(slot_score(q, s, entity) for s in u.sentences)
        stated = set(toks) | set(tokenize(u.paragraph.header))
        rows.append([
            sim, sim - best_sim, max(u.hit.score, 0.0) / top, 1.0 / (1 + u.rank), b / best_bm,
            coverage(q.content_words, set(toks), corpus.idf),
            coverage(q.content_words, paragraph_tokens[key] | set(toks), corpus.idf),
            slot, float(slot >= 1.0), coverage(entity, stated, corpus.idf) if entity else 1.0, 1.0 / (1 + u.index),
            float(u.paragraph.role in (Role.HEADING, Role.TITLE)), math.log1p(len(toks)) / 5,
            float(u.is_list), float(u.is_list and q.asked == "list"), float(u.paragraph.lang != q.lang),
        ])
    return np.asarray(rows, dtype=np.float64)


def entity_words(q: QuestionAnalysis) -> tuple[str, ...]:
    """The content words that name what the question is about, apart from the asked thing."""
    thing = q.asked_thing
    if not thing:
        return q.content_words
    own = {thing, stem(thing)}
    return tuple(w for w in q.content_words if w not in own and singular(w) != thing and thing not in w)


def question_features(
    q: QuestionAnalysis,
    units: Sequence[Unit],
    unit_scores: Sequence[float],
    unit_rows: np.ndarray,
    dense_top: float,
    corpus: Corpus,
) -> np.ndarray:
    """One row for the whole question, columns as QUESTION_FEATURES."""
    if not units:
        return np.asarray([-10.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0])
    order = sorted(range(len(units)), key=lambda i: -unit_scores[i])
    best = unit_scores[order[0]]
    second = unit_scores[order[1]] if len(order) > 1 else best - 5.0
    top_paragraphs = list(dict.fromkeys(units[i].paragraph for i in order[:5]))[:3]
    evidence_tokens = set().union(*(set(tokenize(f"{p.header} {p.text}")) for p in top_paragraphs))
    evidence_cov = max(coverage(q.content_words, set(tokenize(f"{p.header} {p.text}")), corpus.idf)
                       for p in top_paragraphs)
    known = [w for w in q.content_words if corpus.knows(w)]
    idf_total = sum(corpus.idf(w) for w in q.content_words) or 1.0
    corpus_cov = sum(corpus.idf(w) for w in known) / idf_total if q.content_words else 0.0
    most = corpus.idf("\u2205")  # the IDF of a word the corpus lacks: the highest there is
    missing = [corpus.idf(w) / most for w in q.content_words if not _matches(w, evidence_tokens)]
    top3 = order[:3]
    if q.wants_value:  # a value of the asked kind next to the asked thing, in a unit naming the entity
        pick = max(top3, key=lambda i: (unit_rows[i, _SLOT] * unit_rows[i, _ENTITY], unit_rows[i, _SLOT]))
        slot = unit_rows[pick, _SLOT]
    else:  # otherwise: the asked thing is named in the best units at all
        pick = order[0]
        tokens = set(tokenize(" ".join(units[i].text for i in top3)))
        slot = 1.0 if not q.asked_thing else float(_matches(q.asked_thing, tokens))
    evidence_text = " ".join(normalise(p.text).replace(",", "") for p in top_paragraphs)
    years = [f for f in q.figures if _YEAR.fullmatch(f)]  # a year constrains the answer; a version is an example
    others = [f for f in q.figures if f not in years]
    figures_missing = (sum(f not in evidence_text for f in others) / len(others)) if others else 0.0
    years_missing = (sum(f not in evidence_text for f in years) / len(years)) if years else 0.0
    cross = float(all(units[i].paragraph.lang != q.lang for i in top3))
    return np.asarray([
        best, best - second, evidence_cov, corpus_cov, slot, unit_rows[pick, _ENTITY],
        max(missing, default=0.0), float(len(known) < len(q.content_words)), figures_missing, years_missing,
        cross, dense_top,
    ], dtype=np.float64)
