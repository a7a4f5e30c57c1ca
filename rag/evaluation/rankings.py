"""Rankings of one query from our retriever: the hybrid it ships, and for comparison its dense
half, its BM25 half and plain reciprocal-rank fusion of the two (Cormack et al. 2009, k=60).

All four come from the same index, so the comparison isolates the fusion.
"""

from __future__ import annotations

import numpy as np

from rag.retrieve.fusion import reciprocal_rank
from rag.retrieve.hybrid import HybridRetriever
from rag.types import Paragraph

METHODS = ("hybrid", "dense", "bm25", "rrf")

Key = tuple[str, int]


def key(paragraph: Paragraph) -> Key:
    return (paragraph.source, paragraph.number)


def rank_all(retriever: HybridRetriever, query: str, depth: int = 10) -> dict[str, list[list[Key]]]:
    """method -> the top `depth` paragraph keys, best first (each rank a one-key list)."""
    candidates = max(depth, retriever.config.candidates)
    hybrid = [key(sp.paragraph) for sp in retriever.search(query, top_k=depth)]
    dense_hits = retriever.dense(query, candidates)
    dense = sorted(dense_hits, key=lambda pos: (-dense_hits[pos], pos))
    sparse_scores = retriever.keywords.scores(query)
    order = np.argsort(-sparse_scores, kind="stable")[:candidates]
    bm25 = [int(pos) for pos in order if sparse_scores[pos] > 0]
    rrf = [pos for pos, _ in reciprocal_rank([dense, bm25])]
    by_pos = retriever.paragraphs
    ranked = {
        "hybrid": hybrid,
        "dense": [key(by_pos[p]) for p in dense[:depth]],
        "bm25": [key(by_pos[p]) for p in bm25[:depth]],
        "rrf": [key(by_pos[p]) for p in rrf[:depth]],
    }
    return {method: [[k] for k in keys] for method, keys in ranked.items()}
