"""Incremental, idempotent indexing: only paragraphs whose content hash is new get embedded."""

from __future__ import annotations

import fcntl
import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rag.config import RagConfig
from rag.errors import IndexBusy, RagError
from rag.index.keywords import KeywordIndex
from rag.index.snapshot import Manifest, flush_snapshot, prune_snapshots, write_snapshot
from rag.index.sync import add_missing, copy_kept, paragraph_id, plan_sync, retire
from rag.ingest.catalog import read_catalog, stamp, write_catalog
from rag.ingest.documents import Corpus, load_corpus
from rag.ingest.sources import read_excluded, read_sources
from rag.types import Paragraph

__all__ = ["IndexReport", "build_index", "corpus_fingerprint", "index_is_current", "index_lock", "paragraph_id"]
# Bump when what a snapshot holds changes, so an unchanged corpus is still re-indexed once.
SNAPSHOT_FORMAT = 3
TIDY = "tidy"  # names the snapshot whose build finished its clean-up (old collections, snapshots)


@dataclass
class IndexReport:
    documents: int = 0
    paragraphs: int = 0
    embedded: int = 0
    removed: int = 0
    renumbered: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    up_to_date: bool = False
    warnings: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)  # file (resolved path) -> why it was not indexed

    def summary(self) -> str:
        if self.up_to_date:
            return (
                f"index up to date: {self.documents} documents, {self.paragraphs} paragraphs; "
                f"nothing changed ({self.seconds:.1f}s)"
            )
        verb = "rebuilt" if self.rebuilt else "updated"
        return (
            f"index {verb}: {self.documents} documents, {self.paragraphs} paragraphs; "
            f"{self.embedded} embedded, {self.removed} removed, {self.renumbered} renumbered "
            f"in {self.seconds:.1f}s"
        )


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
                f"another `rag index` is running on the index in {home}; "
                "wait for it to finish and retry, or pass --wait."
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
    """Bring the index in line with the corpus files; `rebuild` starts a fresh collection.

    Safe to kill at any point: readers follow `manifest.json`, which is swapped only once the
    new snapshot and every one of its vectors are stored; nothing readers use is removed
    before the swap. The next run drops what a killed one left, and reuses its vectors.

    Raises:
        IndexBusy: another indexer holds the lock and `wait` is False.
        StoreUnavailable: the Chroma server at RAG_CHROMA_URL cannot be reached.
        RagError: there is nothing to index.
    """
    from rag.index import store

    started = time.perf_counter()
    with index_lock(config.home, wait):
        corpus = load_corpus(corpus_roots(config), config.max_file_bytes, read_excluded(config.home))
        if not corpus.paragraphs:
            why = "".join(f"; {reason}" for reason in corpus.problems.values())
            raise RagError(
                f"no documents to index{why}. Add PDF, HTML, Markdown, Word or text files (rag index PATH...)."
            )
        if not rebuild and _is_up_to_date(config, corpus):
            return _finish(IndexReport(up_to_date=True), corpus, False, started)
        name = "(not chosen yet)"
        try:
            client = store.connect(config)
            name, fresh, note = _choose_collection(config, client, rebuild)
            report = _update(config, client, name, corpus, progress)
        except RagError:
            raise
        except Exception as exc:
            error = store.failure(config, name, exc)
            if error is None:
                raise
            raise error from None
    if note is not None:
        corpus.warnings.insert(0, note)
    return _finish(report, corpus, fresh, started)


def _choose_collection(
    config: RagConfig, client: object, rebuild: bool
) -> tuple[str, bool, str | None]:
    """(collection, fresh, note): the recorded collection, else one already in the store.

    Reusing a collection found in the store lets a second RAG_HOME (another machine, a lost
    .rag/) join a Chroma server's index without re-embedding, and resumes a killed build.
    """
    from rag.index import store
    from rag.index.embedding import embedder_id

    embedder = embedder_id(config)
    if rebuild:
        return store.collection_name(embedder, _stamp()), True, None
    existing = store.existing_collections(client, embedder)
    manifest = Manifest.read(config.home)
    if manifest is not None and manifest.collection in existing:
        return manifest.collection, False, None
    if not existing:
        return store.collection_name(embedder, _stamp()), True, None
    if manifest is None:
        why = f"{config.home} has no record of an index"
    elif manifest.embedder != embedder:
        why = f"the embedder changed to {embedder}"
    else:
        why = f"the recorded collection {manifest.collection} is gone"
    note = (
        f"{why}; reusing collection {existing[0]} from the vector store at "
        f"{store.where(config)} (only new or changed paragraphs are embedded)"
    )
    return existing[0], False, note


def _update(
    config: RagConfig,
    client: object,
    name: str,
    corpus: Corpus,
    progress: Callable[[int, int], None] | None,
) -> IndexReport:
    """Store every vector the corpus needs, publish the snapshot, then retire the rest."""
    from rag.index import store
    from rag.index.embedding import build_embedder, embedder_id

    embedder = embedder_id(config)
    collection = store.open_collection(client, name, embedder)
    plan = plan_sync(collection, corpus.paragraphs)
    target = collection
    if plan.changes and _is_published(config, name):
        target = store.open_collection(client, store.collection_name(embedder, _stamp()), embedder)
        copy_kept(collection, target, plan)
    embed = build_embedder(config)
    add_missing(target, plan, embed, progress)
    snapshot = config.home / "snapshots" / f"{target.name}-{_stamp()}"
    keywords = KeywordIndex.build([p.indexed_text for p in corpus.paragraphs])
    write_snapshot(snapshot, corpus.paragraphs, keywords)
    _write_documents(config, snapshot, corpus)
    _write_sentences(config, snapshot, corpus.paragraphs, embed)
    flush_snapshot(snapshot)
    Manifest(
        collection=target.name,
        embedder=embedder,
        snapshot=str(snapshot.relative_to(config.home)),
        paragraphs=len(corpus.paragraphs),
        documents=corpus.documents,
        built_at=time.time(),
        fingerprint=corpus_fingerprint(corpus.paragraphs, embedder),
    ).write(config.home)
    if target is collection:
        retire(collection, plan)
    store.drop_collections(client, keep=target.name)
    prune_snapshots(config.home, keep=snapshot.name)
    (config.home / TIDY).write_text(snapshot.name, encoding="utf-8")  # nothing left to clean up
    return IndexReport(
        embedded=len(plan.todo), removed=len(plan.stale), renumbered=len(plan.moved)
    )


def corpus_fingerprint(paragraphs: Sequence[Paragraph], embedder: str) -> str:
    """One hash of everything an index is built from: paragraphs (text, header, numbering,
    roles, twins), the embedder, and the snapshot format."""
    digest = hashlib.sha256(f"{SNAPSHOT_FORMAT}\n{embedder}\n".encode())
    for p in paragraphs:
        digest.update(json.dumps(asdict(p), ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()


def _is_up_to_date(config: RagConfig, corpus: Corpus) -> bool:
    """Whether the published index was built from exactly this corpus, so `rag index` has
    nothing to do and need not even open Chroma. Only for the embedded store: a Chroma
    server's collection may have been rebuilt from another RAG_HOME."""
    from rag.config import embedder_id

    manifest = Manifest.read(config.home)
    return (
        config.chroma_url is None
        and manifest is not None
        and manifest.fingerprint == corpus_fingerprint(corpus.paragraphs, embedder_id(config))
        and (config.home / manifest.snapshot / "paragraphs.jsonl").exists()
        and (config.home / "chroma" / "chroma.sqlite3").exists()
        and _tidy_snapshot(config.home) == Path(manifest.snapshot).name  # a killed run left nothing behind
    )


def _tidy_snapshot(home: Path) -> str | None:
    try:
        return (home / TIDY).read_text(encoding="utf-8")
    except OSError:
        return None


def _write_sentences(
    config: RagConfig, snapshot: Path, paragraphs: Sequence[Paragraph], embedder: Any
) -> None:
    """Sentence vectors join the snapshot before it is published, so readers never write it;
    those of unchanged sentences come from the live snapshot instead of being re-embedded."""
    from rag.index.sentence_vectors import ensure_sentence_index

    manifest = Manifest.read(config.home)
    previous = config.home / manifest.snapshot if manifest is not None else None
    embed = embedder.get_text_embedding_batch
    try:
        ensure_sentence_index(snapshot, paragraphs, embed, previous)
    except (OSError, ValueError, KeyError):  # the live snapshot's sentence files are damaged
        ensure_sentence_index(snapshot, paragraphs, embed, None)


def _write_documents(config: RagConfig, snapshot: Path, corpus: Corpus) -> None:
    """The document list joins the snapshot; unchanged documents keep their first indexing time."""
    manifest = Manifest.read(config.home)
    previous = read_catalog(config.home / manifest.snapshot) if manifest is not None else None
    write_catalog(snapshot, stamp(corpus.infos, previous or [], time.time()))


def _is_published(config: RagConfig, name: str) -> bool:
    """True when readers of the embedded store may be using collection `name`.

    Every process keeps its own in-memory HNSW of an embedded (PersistentClient) collection
    and never sees another process's later writes to it (chroma-core/chroma#3792), so a
    running `rag chat` would go on searching the old vectors. There, a changed index is
    copied into a new collection instead; a Chroma server has one HNSW, updated in place.
    """
    manifest = Manifest.read(config.home)
    return config.chroma_url is None and manifest is not None and manifest.collection == name


def _finish(report: IndexReport, corpus: Corpus, fresh: bool, started: float) -> IndexReport:
    report.documents = len(corpus.documents)
    report.paragraphs = len(corpus.paragraphs)
    report.warnings = corpus.warnings
    report.problems = corpus.problems
    report.rebuilt = fresh
    report.seconds = time.perf_counter() - started
    return report


def _stamp() -> str:
    return f"{time.time_ns():x}"


def index_is_current(config: RagConfig) -> bool:
    manifest = Manifest.read(config.home)
    return manifest is not None and (config.home / manifest.snapshot).exists()

