"""One scale point: a synthetic corpus added to Chroma through `rag.index.store`, then hybrid retrieval.

Runs in its own process (`python -m rag.bench.scale N ...`) so each point's RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rag.bench.measure import median, percentile, rss_mb
from rag.bench.questions import eval_questions
from rag.config import RagConfig
from rag.errors import BenchFailed

DIM = 384
ADD_BATCH = 1_000
SYNTHETIC = "synthetic-unit-vectors"


def measure_point(n: int, queries: int, repeats: int, config: RagConfig) -> dict:
    """Build a synthetic index of `n` paragraphs, then time `HybridRetriever.search` per question."""
    retriever, build = build_point(n, config)
    questions = eval_questions(queries)
    retriever.search(questions[0])
    runs: list[list[float]] = [[] for _ in questions]
    for _ in range(repeats):
        for i, question in enumerate(questions):
            t = time.perf_counter()
            retriever.search(question)
            runs[i].append((time.perf_counter() - t) * 1000)
    per_question = [median(r) for r in runs]
    return {
        "paragraphs": n,
        **build,
        "retrieval_p50_ms": percentile(per_question, 50),
        "retrieval_p95_ms": percentile(per_question, 95),
        "rss_mb": rss_mb(),
    }


def build_point(n: int, config: RagConfig) -> tuple[object, dict]:
    """What `rag index` would leave for `n` synthetic paragraphs, and each stage's seconds."""
    from rag.bench.synthetic import RandomEmbedder, seed_sentences, synthetic_paragraphs
    from rag.index.keywords import KeywordIndex
    from rag.index.sentence_vectors import ensure_sentence_index
    from rag.index.snapshot import Manifest
    from rag.ingest.documents import load_corpus
    from rag.retrieve.hybrid import HybridRetriever

    paragraphs = synthetic_paragraphs(seed_sentences(load_corpus(list(config.docs)).paragraphs), n)
    embedder = RandomEmbedder(DIM)
    snapshot = config.home / "snapshot"
    snapshot.mkdir(parents=True, exist_ok=True)
    seconds: dict[str, float] = {}
    with _stage(seconds, "add_s"):
        name, vector_store = add_to_chroma(paragraphs, config)
    with _stage(seconds, "bm25_build_s"):
        keywords = KeywordIndex.build([p.indexed_text for p in paragraphs])
    with _stage(seconds, "sentence_vectors_s"):
        ensure_sentence_index(snapshot, paragraphs, embedder.get_text_embedding_batch)
    manifest = Manifest(name, SYNTHETIC, snapshot.name, n, [], 0.0)
    retriever = HybridRetriever(config, manifest, paragraphs, keywords, vector_store, embedder)
    if retriever.sentence_index is None:
        raise BenchFailed("the retriever did not load the synthetic sentence vectors")
    return retriever, seconds


@contextmanager
def _stage(seconds: dict[str, float], name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    seconds[name] = time.perf_counter() - started


def add_to_chroma(paragraphs: list, config: RagConfig) -> tuple[str, object]:
    """The product's write path (rag.index.store + LlamaIndex's ChromaVectorStore), random vectors."""
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from rag.bench.synthetic import unit_vectors
    from rag.index import store
    from rag.index.build import paragraph_id

    client = store.connect(config)
    name = store.collection_name(SYNTHETIC, f"{len(paragraphs)}")
    vector_store = ChromaVectorStore(chroma_collection=store.open_collection(client, name, SYNTHETIC))
    vectors = unit_vectors(len(paragraphs), DIM, ADD_BATCH)
    for start, block in zip(range(0, len(paragraphs), ADD_BATCH), vectors, strict=True):
        batch = paragraphs[start : start + ADD_BATCH]
        vector_store.add(
            [
                TextNode(id_=paragraph_id(p), text=p.text, metadata=_metadata(p), embedding=v.tolist())
                for p, v in zip(batch, block, strict=True)
            ]
        )
    return name, vector_store


def _metadata(p: object) -> dict:
    return {"source": p.source, "paragraph": p.number, "header": p.header, "lang": p.lang,
            "group": 0, "twin": 0}


def run_point(n: int, queries: int, repeats: int, home: Path, docs: tuple[Path, ...]) -> dict:
    """`measure_point` in a fresh process; its figures come back as one JSON line."""
    argv = [sys.executable, "-m", "rag.bench.scale", str(n), str(queries), str(repeats), str(home),
            *map(str, docs)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        raise BenchFailed(f"scale point {n:,} failed ({done.returncode}): {tail}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rag.bench.scale")
    parser.add_argument("paragraphs", type=int)
    parser.add_argument("queries", type=int)
    parser.add_argument("repeats", type=int)
    parser.add_argument("home", type=Path)
    parser.add_argument("docs", type=Path, nargs="+")
    args = parser.parse_args(argv)
    config = RagConfig(home=args.home, docs=tuple(args.docs))
    print(json.dumps(measure_point(args.paragraphs, args.queries, args.repeats, config)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
