"""`rag train`: fits the unit ranker and the answerability classifier on the dev halves.

Every corpus in eval/sets/corpora.json takes part, so the weights and the one pair of
thresholds are chosen across corpora, never on one; test halves are never read. The models
are written to rag/guard/models/*.json; the command is deterministic, so anyone can
reproduce them.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from rag.config import REPO_ROOT, RagConfig
from rag.errors import EvalDataError
from rag.evaluation.data import CorpusSet, corpus_config, load_corpus_sets, resolve_gold
from rag.evaluation.runner import ensure_index
from rag.guard.answerability import CLASSIFIER, RANKER
from rag.guard.features import QUESTION_FEATURES, UNIT_FEATURES, question_features
from rag.guard.model import MODELS, LogisticModel, fit_listwise, fit_logistic
from rag.lang.text import normalise
from rag.question.analysis import analyse_turn
from rag.question.followup import retrieval_query

MAX_FALSE_REFUSALS = 0.05  # of the dev halves' answerable questions, at the answer threshold
RANKER_C = 1.0  # inverse L2 strength of the listwise ranker
REFUSE_QUANTILE = 0.01  # below the refuse threshold lie at most this share of answerable ones


@dataclass
class Example:
    """One dev question as the pipeline sees it."""

    corpus: str
    answerable: bool
    q: object
    units: list
    similarity: list[float]
    dense_top: float
    rows: np.ndarray  # unit features
    labels: np.ndarray  # 1 where the unit quotes a gold paragraph (and a required fact, when given)


def unit_labels(units: Sequence, gold: set[tuple[str, int]], facts: Sequence[Sequence[str]]) -> np.ndarray:
    """A unit is right when it quotes a gold paragraph and, where facts are given, holds one of them."""
    variants = [_fold(v) for fact in facts for v in fact]
    out = []
    for u in units:
        in_gold = any((p.source, p.number) in gold for p in u.paragraphs)
        text = _fold(u.text)
        out.append(float(in_gold and (not variants or any(v in text for v in variants))))
    labels = np.asarray(out)
    if labels.sum() == 0:  # no unit holds a fact verbatim: take the gold paragraphs' units
        labels = np.asarray([float(any((p.source, p.number) in gold for p in u.paragraphs)) for u in units])
    return labels


def _fold(text: str) -> str:
    return normalise(unicodedata.normalize("NFKC", text))


def collect(pipeline: object, corpus: str, items: Iterable) -> list[Example]:
    """Run retrieval and unit building for every item (no trained model needed)."""
    from rag.guard.features import unit_features

    out = []
    for item in items:
        query, context = retrieval_query(item.question, list(item.history))
        q = analyse_turn(item.question, context)
        hits = pipeline.retriever.search(query, top_k=pipeline.config.evidence_k)
        found = pipeline.candidates(q, query, hits)
        rows = unit_features(q, found.units, found.similarity, pipeline.retriever.corpus)
        gold = {(g.source, g.paragraph) for g in item.gold}
        labels = unit_labels(found.units, gold, item.facts) if item.answerable else np.zeros(len(found.units))
        out.append(Example(corpus, item.answerable, q, found.units, found.similarity, found.dense_top, rows, labels))
    return out


def fit_ranker(examples: Sequence[Example]) -> LogisticModel:
    """Listwise over each answerable dev question's units (cross-validated on the dev halves, unit
    P@1 0.61 pointwise -> 0.68 listwise, better on each corpus)."""
    groups = [(e.rows, e.labels) for e in examples if e.answerable and e.labels.any()]
    return replace(fit_listwise(RANKER, UNIT_FEATURES, groups, c=RANKER_C), trained_on=_counts(examples))


def fit_classifier(examples: Sequence[Example], ranker: LogisticModel, corpus_of: dict) -> LogisticModel:
    rows = []
    for e in examples:
        scores = list(ranker.decision(e.rows)) if len(e.rows) else []
        rows.append(question_features(e.q, e.units, scores, e.rows, e.dense_top, corpus_of[e.corpus]))
    x = np.vstack(rows)
    y = np.asarray([float(e.answerable) for e in examples])
    corpora = sorted({e.corpus for e in examples})
    share = np.asarray([1.0 / sum(1 for f in examples if f.corpus == e.corpus) for e in examples])
    weights = share * len(examples) / len(corpora)
    model = fit_logistic(CLASSIFIER, QUESTION_FEATURES, x, y, c=0.3, weights=weights)
    p = model.probability(x)
    answerable = np.sort(p[y == 1])
    answer_at = float(answerable[int(np.floor(MAX_FALSE_REFUSALS * len(answerable)))])
    refuse_at = min(answer_at, float(answerable[int(np.floor(REFUSE_QUANTILE * len(answerable)))]))
    return replace(model, thresholds={"answer": answer_at, "refuse": refuse_at}, trained_on=_counts(examples))


def _counts(examples: Sequence[Example]) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in examples:
        out[e.corpus] = out.get(e.corpus, 0) + 1
    return out


def run_cli(args: argparse.Namespace, config: RagConfig) -> int:
    """`rag train [--corpus NAME…] [--out DIR]`: refit both models on the dev halves."""
    from tqdm import tqdm

    from rag.qa import build_pipeline

    examples: list[Example] = []
    corpus_of = {}
    loaded = []
    for corpus in _chosen(args.corpus):
        cfg = corpus_config(config, corpus)
        ensure_index(cfg, corpus.name)
        pipeline = build_pipeline(cfg)
        dev = [i for i in corpus.items if i.split == "dev"]
        items = resolve_gold(dev, pipeline.retriever.by_key)
        loaded.append((corpus.name, pipeline.retriever, items))
        if getattr(args, "retrieval", False):
            continue
        corpus_of[corpus.name] = pipeline.retriever.corpus
        examples += collect(pipeline, corpus.name, tqdm(items, desc=f"train: {corpus.name}", file=sys.stderr))
    if getattr(args, "retrieval", False):
        from rag.evaluation.tuning import grid

        print("dense_weight  candidates  hit@5  MRR   (dev halves, mean over corpora)")
        for weight, depth, hit, mrr in grid(loaded):
            print(f"{weight:12.1f}  {depth:10d}  {hit:.3f}  {mrr:.3f}")
        return 0
    ranker = fit_ranker(examples)
    classifier = fit_classifier(examples, ranker, corpus_of)
    out = Path(args.out) if args.out is not None else MODELS
    ranker.save(out / f"{RANKER}.json")
    classifier.save(out / f"{CLASSIFIER}.json")
    counts = ", ".join(f"{k} {v}" for k, v in _counts(examples).items())
    print(f"rag: trained on {len(examples)} dev questions ({counts});"
          f" thresholds answer {classifier.thresholds['answer']:.3f}, refuse {classifier.thresholds['refuse']:.3f}")
    print(f"rag: models written to {out}")
    return 0


def _chosen(names: Sequence[str] | None) -> list[CorpusSet]:
    """The named corpora of eval/sets/corpora.json (all when none or "all"), folders checked."""
    sets = load_corpus_sets(REPO_ROOT)
    wanted = list(sets) if not names or "all" in names else list(names)
    unknown = [n for n in wanted if n not in sets]
    if unknown:
        raise EvalDataError(f"unknown corpus {unknown[0]!r}; expected one of {', '.join(sets)} or all.")
    for name in wanted:
        sets[name].require_folder()
    return [sets[n] for n in wanted]
