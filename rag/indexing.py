"""Incremental, idempotent indexing: only paragraphs whose content hash is new get embedded."""

from __future__ import annotations

import fcntl
import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rag.config import RagConfig
from rag.documents import Corpus, load_corpus, read_sources
from rag.errors import IndexBusy, RagError
from rag.snapshot import Manifest, prune_snapshots, write_snapshot
from rag.sparse import KeywordIndex
from rag.types import Paragraph

EMBED_BATCH = 32


@dataclass
class IndexReport:
    documents: int = 0
    paragraphs: int = 0
    embedded: int = 0
    removed: int = 0
    renumbered: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        verb = "rebuilt" if self.rebuilt else "updated"
        return (
            f"index {verb}: {self.documents} documents, {self.paragraphs} paragraphs; "
            f"{self.embedded} embedded, {self.removed} removed, {self.renumbered} renumbered "
            f"in {self.seconds:.1f}s"
        )


def paragraph_id(p: Paragraph) -> str:
    """Content-derived id: re-indexing upserts instead of duplicating."""
    return hashlib.sha1(f"{p.source}\n{p.indexed_text}".encode()).hexdigest()[:24]


def corpus_roots(config: RagConfig) -> list[Path]:
    return [*config.docs, *read_sources(config.home)]


@contextmanager
def index_lock(home: Path, wait: bool) -> Iterator[None]:
    """One indexer at a time per RAG_HOME: a second one waits or refuses."""
    home.mkdir(parents=True, exist_ok=True)
    with (home / "index.lock").open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise IndexBusy(
                "another `rag index` is running on this index; wait for it to finish and retry."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build_index(
    config: RagConfig,
    rebuild: bool = False,
    wait: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> IndexReport:
    """Bring the index in line with the corpus files; `rebuild` starts a fresh collection."""
    from rag import store
    from rag.embedding import build_embedder, embedder_id

    started = time.perf_counter()
    with index_lock(config.home, wait):
        corpus = load_corpus(corpus_roots(config))
        if not corpus.paragraphs:
            raise RagError("no documents to index: add .txt or .md files (rag index PATH...).")
        embedder_name = embedder_id(config)
        manifest = Manifest.read(config.home)
        fresh = rebuild or manifest is None or manifest.embedder != embedder_name
        client = store.connect(config)
        try:
            name = store.collection_name(embedder_name, _stamp()) if fresh else manifest.collection
            collection = store.open_collection(client, name, embedder_name)
            report = _sync(collection, corpus.paragraphs, build_embedder(config), progress)
            snapshot = config.home / "snapshots" / f"{name}-{_stamp()}"
            keywords = KeywordIndex.build([p.indexed_text for p in corpus.paragraphs])
            write_snapshot(snapshot, corpus.paragraphs, keywords)
            Manifest(
                collection=name,
                embedder=embedder_name,
                snapshot=str(snapshot.relative_to(config.home)),
                paragraphs=len(corpus.paragraphs),
                documents=corpus.documents,
                built_at=time.time(),
            ).write(config.home)
            store.drop_collections(client, keep=name)
        except RagError:
            raise
        except Exception as exc:
            if config.chroma_url is not None and _is_connection_error(exc):
                raise store.unavailable(config, exc) from None
            raise
        prune_snapshots(config.home, keep=snapshot.name)
    return _finish(report, corpus, fresh, started)


def _finish(report: IndexReport, corpus: Corpus, fresh: bool, started: float) -> IndexReport:
    report.documents = len(corpus.documents)
    report.paragraphs = len(corpus.paragraphs)
    report.warnings = corpus.warnings
    report.rebuilt = fresh
    report.seconds = time.perf_counter() - started
    return report


def _stamp() -> str:
    return f"{time.time_ns():x}"


def _is_connection_error(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return any(w in text for w in ("connect", "timeout", "refused", "unavailable"))


_METADATA_KEYS = ("source", "paragraph", "header", "lang", "group", "twin")


def _metadata(p: Paragraph) -> dict:
    return {
        "source": p.source,
        "paragraph": p.number,
        "header": p.header,
        "lang": p.lang,
        "group": p.group or 0,
        "twin": p.twin or 0,
    }


def _sync(
    collection: object,
    paragraphs: Sequence[Paragraph],
    embedder: object,
    progress: Callable[[int, int], None] | None,
) -> IndexReport:
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    vector_store = ChromaVectorStore(chroma_collection=collection)
    wanted = {paragraph_id(p): p for p in paragraphs}
    existing = collection.get(include=["metadatas"])
    have = {
        i: {k: m.get(k) for k in _METADATA_KEYS}
        for i, m in zip(existing["ids"], existing["metadatas"], strict=True)
    }
    stale = [i for i in have if i not in wanted]
    if stale:
        collection.delete(ids=stale)
    moved = [i for i, p in wanted.items() if i in have and have[i] != _metadata(p)]
    for i in moved:
        old = collection.get(ids=[i], include=["metadatas"])["metadatas"][0]
        collection.update(ids=[i], metadatas=[{**old, **_metadata(wanted[i])}])
    todo = [i for i in wanted if i not in have]
    for start in range(0, len(todo), EMBED_BATCH):
        batch = todo[start : start + EMBED_BATCH]
        vectors = embedder.get_text_embedding_batch([wanted[i].indexed_text for i in batch])
        vector_store.add(
            [
                TextNode(id_=i, text=wanted[i].text, metadata=_metadata(wanted[i]), embedding=v)
                for i, v in zip(batch, vectors, strict=True)
            ]
        )
        if progress is not None:
            progress(min(start + EMBED_BATCH, len(todo)), len(todo))
    return IndexReport(embedded=len(todo), removed=len(stale), renumbered=len(moved))


def index_is_current(config: RagConfig) -> bool:
    manifest = Manifest.read(config.home)
    return manifest is not None and (config.home / manifest.snapshot).exists()

