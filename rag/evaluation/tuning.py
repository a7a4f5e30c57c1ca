"""`rag train --retrieval`: fusion weight and candidate depth measured on the dev halves of every corpus.

Prints hit@5 and MRR for each setting, averaged over corpora (each corpus counts the same), so
the defaults in `RagConfig` are chosen across corpora, never on one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

DENSE_WEIGHTS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
CANDIDATES = (20, 30, 50)


def scores(retriever: object, items: Iterable, depth: int = 5) -> tuple[float, float]:
    """(hit@depth, MRR@10) of `retriever` over answerable `items`."""
    hits, ranks = [], []
    for item in items:
        if not item.answerable or not item.gold:
            continue
        gold = {(g.source, g.paragraph) for g in item.gold}
        found = [(sp.paragraph.source, sp.paragraph.number) for sp in retriever.search(item.question, top_k=10)]
        first = next((i for i, key in enumerate(found) if key in gold), None)
        hits.append(float(first is not None and first < depth))
        ranks.append(0.0 if first is None else 1.0 / (first + 1))
    return (sum(hits) / len(hits), sum(ranks) / len(ranks)) if hits else (0.0, 0.0)


def grid(corpora: Sequence[tuple[str, object, list]]) -> list[tuple[float, int, float, float]]:
    """(dense_weight, candidates, mean hit@5, mean MRR) for every setting, best first."""
    rows = []
    for weight in DENSE_WEIGHTS:
        for depth in CANDIDATES:
            per = []
            for _, retriever, items in corpora:
                base = retriever.config
                retriever.config = replace(base, dense_weight=weight, candidates=depth)
                per.append(scores(retriever, items))
                retriever.config = base
            rows.append((weight, depth, sum(p[0] for p in per) / len(per), sum(p[1] for p in per) / len(per)))
    return sorted(rows, key=lambda r: (-r[2], -r[3]))
