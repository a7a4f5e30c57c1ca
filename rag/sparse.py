"""BM25 over jieba-segmented, script-normalised text (bm25s), saved on disk beside Chroma.

The jieba segmentation of the corpus's Chinese is saved with it, so a process that answers
over the corpus needs no jieba dictionary (about a second to load) unless a question brings
Chinese it has not seen.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rag.text import remember_segmentation, segmentation, tokenize

if TYPE_CHECKING:
    import numpy as np

SEGMENTS = "segments.json"


class KeywordIndex:
    """BM25 scores for every paragraph of a snapshot, in snapshot order."""

    def __init__(self, retriever: object, segments: Mapping[str, Sequence[str]] | None = None) -> None:
        self._bm25 = retriever
        self._segments = dict(segments or {})

    @classmethod
    def build(cls, texts: Sequence[str]) -> KeywordIndex:
        import bm25s

        retriever = bm25s.BM25()
        corpus = [tokenize(t) or ["\u2205"] for t in texts]
        retriever.index(corpus, show_progress=False)
        return cls(retriever, segmentation(texts))

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder), show_progress=False)
        with (folder / SEGMENTS).open("w", encoding="utf-8") as fh:
            json.dump(self._segments, fh, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        import bm25s

        path = folder / SEGMENTS
        # indexes built before the segmentation was saved simply go without it
        segments = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        remember_segmentation(segments)
        return cls(bm25s.BM25.load(str(folder), show_progress=False, mmap=False), segments)

    def scores(self, query: str) -> np.ndarray:
        import numpy as np  # lazily: `rag index` on an unchanged corpus should not pay for it

        tokens = tokenize(query)
        vocab = self._bm25.vocab_dict
        known = [t for t in tokens if t in vocab]
        n = self._bm25.scores["num_docs"]
        if not known:
            return np.zeros(n, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)
