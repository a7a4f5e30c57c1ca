"""Deterministic synthetic corpora for the scale figures: seed sentences recombined, random vectors.

Pure: the same size and seed always give the same paragraphs and the same vectors.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator, Sequence

import numpy as np

from rag.lang.text import split_sentences
from rag.types import Paragraph

PER_FILE = 100
MAX_SENTENCES = 4


def seed_sentences(paragraphs: Sequence[Paragraph]) -> dict[str, list[tuple[str, str]]]:
    """(sentence, header) pairs of the seed paragraphs, grouped by language."""
    pool: dict[str, list[tuple[str, str]]] = {}
    for p in paragraphs:
        for sentence in split_sentences(p.text):
            pool.setdefault(p.lang, []).append((sentence, p.header))
    return pool


def synthetic_paragraphs(
    pool: dict[str, list[tuple[str, str]]], n: int, seed: int = 0
) -> list[Paragraph]:
    """`n` paragraphs of 1-4 same-language seed sentences, each under its first sentence's header."""
    rng = random.Random(seed)
    langs = sorted(pool)
    weights = [len(pool[lang]) for lang in langs]
    out: list[Paragraph] = []
    seen: set[tuple[str, str, str]] = set()
    while len(out) < n:
        lang = rng.choices(langs, weights)[0]
        picked = rng.choices(pool[lang], k=rng.randint(1, MAX_SENTENCES))
        text = ("" if lang == "zh" else " ").join(s for s, _ in picked)
        source = f"synthetic-{len(out) // PER_FILE:05d}.txt"
        if (source, picked[0][1], text) in seen:  # ids are content hashes: keep them unique
            continue
        seen.add((source, picked[0][1], text))
        out.append(Paragraph(source, len(out) % PER_FILE + 1, text, header=picked[0][1], lang=lang))
    return out


def unit_vectors(n: int, dim: int, batch: int, seed: int = 0) -> Iterator[np.ndarray]:
    """`n` random unit vectors, `batch` at a time (never all in memory at once)."""
    for k, start in enumerate(range(0, n, batch)):
        rng = np.random.default_rng([seed, k])
        block = rng.standard_normal((min(batch, n - start), dim)).astype(np.float32)
        yield block / np.linalg.norm(block, axis=1, keepdims=True)


class RandomEmbedder:
    """Stands in for the embedder at scale: random unit vectors, fixed per text, at no cost."""

    def __init__(self, dim: int) -> None:
        self.dim = dim

    def get_query_embedding(self, query: str) -> list[float]:
        rng = np.random.default_rng(zlib.crc32(query.encode("utf-8")))
        vector = rng.standard_normal(self.dim)
        return (vector / np.linalg.norm(vector)).tolist()

    def get_text_embedding_batch(self, texts: list[str]) -> np.ndarray:
        """Float16 rows, like the sentence index stores them (a list of lists would not fit in memory)."""
        out = np.empty((len(texts), self.dim), dtype=np.float16)
        for start, block in zip(range(0, len(texts), 10_000), unit_vectors(len(texts), self.dim, 10_000),
                                strict=True):
            out[start : start + len(block)] = block
        return out
