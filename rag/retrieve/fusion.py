"""Fuses dense and BM25 rankings: pure functions over positions in the snapshot.

Plain reciprocal-rank fusion (Cormack et al. 2009, k=60) throws away how far apart scores are,
and on our questions it ranks the gold paragraph below dense alone. So scores are normalised
per query instead (dense: min-max over its candidates; BM25: divided by the best score) and
mixed with a weight tuned on eval/.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np


def fuse_scores(
    dense: Mapping[int, float],
    sparse: np.ndarray,
    dense_weight: float,
    depth: int,
) -> list[tuple[int, float, float, float]]:
    """(position, fused, dense similarity, bm25) for the union of both candidate lists, best first.

    `dense` maps snapshot positions to cosine similarity for the dense candidates; paragraphs
    outside them get the lowest candidate similarity, a bound on what they would have scored.
    """
    floor = min(dense.values()) if dense else 0.0
    top = max(dense.values()) if dense else 0.0
    span = (top - floor) or 1.0
    best_sparse = float(sparse.max()) if sparse.size else 0.0
    sparse_top = np.argsort(-sparse)[:depth] if best_sparse > 0 else np.array([], dtype=int)
    candidates = set(dense) | {int(i) for i in sparse_top if sparse[i] > 0}
    fused = []
    for pos in candidates:
        d = dense.get(pos, floor)
        b = float(sparse[pos]) / best_sparse if best_sparse > 0 else 0.0
        score = dense_weight * (d - floor) / span + (1 - dense_weight) * b
        fused.append((pos, score, d, float(sparse[pos])))
    fused.sort(key=lambda t: (-t[1], t[0]))
    return fused


def reciprocal_rank(rankings: list[list[int]], k: int = 60) -> list[tuple[int, float]]:
    """Plain RRF, kept as the reference the tuned fusion is measured against."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, pos in enumerate(ranking, start=1):
            scores[pos] = scores.get(pos, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda t: (-t[1], t[0]))


def favour_roles(
    fused: list[tuple[int, float, float, float]],
    roles: Sequence[str],
    wanted: frozenset[str],
    bonus: float,
) -> list[tuple[int, float, float, float]]:
    """Raise paragraphs whose role (title, byline) the question asks for, then re-sort."""
    out = [(pos, s + (bonus if roles[pos] in wanted else 0.0), d, b) for pos, s, d, b in fused]
    out.sort(key=lambda t: (-t[1], t[0]))
    return out
