"""Sentence vectors beside each snapshot: finer dense evidence than whole paragraphs.

A long paragraph's single vector blurs the one sentence a question is about, so every
paragraph's sentences are embedded too (at index time, reusing vectors of unchanged sentences)
and kept as a float16 matrix memory-mapped from disk. Retrieval re-scores its candidates with
them, and the extractive answer uses them to pick sentences by meaning, not only by shared words.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from rag.index.snapshot import SENTENCE_FILES as FILES
from rag.lang.text import split_sentences
from rag.types import Paragraph

MAX_SENTENCES = 16
MAX_SENTENCE_CHARS = 1200


def paragraph_sentences(p: Paragraph) -> list[str]:
    return [s[:MAX_SENTENCE_CHARS] for s in split_sentences(p.text)[:MAX_SENTENCES]]


def _key(sentence: str) -> str:
    return hashlib.sha1(sentence.encode()).hexdigest()[:20]


class SentenceIndex:
    """Vectors of every paragraph's sentences; rows offsets[i]:offsets[i+1] belong to paragraph i."""

    def __init__(self, vectors: np.ndarray, offsets: np.ndarray, keys: list[str]) -> None:
        self.vectors = vectors
        self.offsets = offsets
        self.keys = keys

    @classmethod
    def build(
        cls,
        paragraphs: Sequence[Paragraph],
        embed: Callable[[list[str]], list[list[float]]],
        previous: SentenceIndex | None = None,
    ) -> SentenceIndex:
        texts: list[str] = []
        offsets = [0]
        for p in paragraphs:
            texts.extend(paragraph_sentences(p))
            offsets.append(len(texts))
        keys = [_key(t) for t in texts]
        known = previous.lookup() if previous is not None else {}
        todo = [i for i, k in enumerate(keys) if k not in known]
        fresh = np.asarray(embed([texts[i] for i in todo]), dtype=np.float16) if todo else None
        dim = fresh.shape[1] if fresh is not None else (previous.vectors.shape[1] if previous else 384)
        vectors = np.zeros((len(texts), dim), dtype=np.float16)
        for row, i in enumerate(todo):
            vectors[i] = fresh[row]
        for i, k in enumerate(keys):
            if k in known:
                vectors[i] = known[k]
        return cls(vectors, np.asarray(offsets, dtype=np.int64), keys)

    def lookup(self) -> dict[str, np.ndarray]:
        return {k: self.vectors[i] for i, k in enumerate(self.keys)}

    def save(self, folder: Path) -> None:
        """Write each file under a temporary name, then rename: a reader never sees half a file."""
        for name, write in (
            (FILES[0], lambda fh: np.save(fh, self.vectors)),
            (FILES[1], lambda fh: np.save(fh, self.offsets)),
            (FILES[2], lambda fh: fh.write(json.dumps(self.keys).encode())),
        ):
            tmp = folder / f".{name}.tmp"
            with tmp.open("wb") as fh:
                write(fh)
            os.replace(tmp, folder / name)

    @classmethod
    def load(cls, folder: Path) -> SentenceIndex | None:
        """The saved vectors, or None when they are missing or damaged (retrieval then skips them)."""
        if not all((folder / f).exists() for f in FILES):
            return None
        try:
            vectors = np.load(folder / FILES[0], mmap_mode="r")
            offsets = np.load(folder / FILES[1])
            keys = json.loads((folder / FILES[2]).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if len(offsets) == 0 or offsets[-1] != len(vectors) or len(keys) != len(vectors):
            return None
        return cls(vectors, offsets, keys)

    def similarities(self, query: np.ndarray, position: int) -> np.ndarray:
        """Cosine similarity of each sentence of paragraph `position` to the query vector."""
        rows = self.vectors[self.offsets[position] : self.offsets[position + 1]]
        return rows.astype(np.float32) @ query

    def best(self, query: np.ndarray, position: int) -> float:
        sims = self.similarities(query, position)
        return float(sims.max()) if sims.size else -1.0


def new_sentence_count(paragraphs: Sequence[Paragraph], previous_folder: Path | None) -> int:
    """How many sentences of `paragraphs` a build must embed (the others are in the previous snapshot)."""
    previous = SentenceIndex.load(previous_folder) if previous_folder is not None else None
    known = set(previous.keys) if previous is not None else set()
    return sum(1 for p in paragraphs for s in paragraph_sentences(p) if _key(s) not in known)


def ensure_sentence_index(
    folder: Path,
    paragraphs: Sequence[Paragraph],
    embed: Callable[[list[str]], list[list[float]]],
    previous_folder: Path | None = None,
) -> SentenceIndex:
    """The snapshot's sentence vectors, built (reusing a previous snapshot's) when missing."""
    existing = SentenceIndex.load(folder)
    if existing is not None and len(existing.offsets) == len(paragraphs) + 1:
        return existing
    previous = SentenceIndex.load(previous_folder) if previous_folder is not None else None
    index = SentenceIndex.build(paragraphs, embed, previous)
    index.save(folder)
    return SentenceIndex.load(folder) or index
