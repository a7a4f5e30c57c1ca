"""BM25 over jieba-segmented, script-normalised text (bm25s), saved on disk beside Chroma."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from rag.text import tokenize


class KeywordIndex:
    """BM25 scores for every paragraph of a snapshot, in snapshot order."""

    def __init__(self, retriever: object) -> None:
        self._bm25 = retriever

    @classmethod
    def build(cls, texts: Sequence[str]) -> KeywordIndex:
        import bm25s

        retriever = bm25s.BM25()
        corpus = [tokenize(t) or ["\u2205"] for t in texts]
        retriever.index(corpus, show_progress=False)
        return cls(retriever)

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        import bm25s

        return cls(bm25s.BM25.load(str(folder), show_progress=False, mmap=False))

    def scores(self, query: str) -> np.ndarray:
        tokens = tokenize(query)
        vocab = self._bm25.vocab_dict
        known = [t for t in tokens if t in vocab]
        n = self._bm25.scores["num_docs"]
        if not known:
            return np.zeros(n, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)
