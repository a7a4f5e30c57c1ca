"""Incremental, idempotent indexing: only paragraphs whose content hash is new get embedded."""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rag.config import ParagraphVectors, RagConfig, embedder_id
from rag.errors import IndexBusy, IndexDamaged, RagError
from rag.index.keywords import KeywordIndex
from rag.index.snapshot import (
    DEFAULT_STORE,
    MANIFEST,
    SENTENCE_FILES,
    Manifest,
    checksums,
    damaged_files,
    flush_snapshot,
    prune_snapshots,
    write_snapshot,
)
from rag.index.sync import add_missing, copy_kept, paragraph_id, plan_sync, retire
from rag.ingest.catalog import read_catalog, stamp, write_catalog
from rag.ingest.documents import Corpus, load_corpus
from rag.ingest.sources import read_excluded, read_sources
from rag.lang.text import CACHE_FOLDER, configure_cache
from rag.types import Paragraph

if TYPE_CHECKING:
    from rag.index.sentence_vectors import SentenceIndex
    from rag.index.vectors import CountingEmbed

__all__ = ["IndexReport", "build_index", "corpus_fingerprint", "index_is_current", "index_lock", "paragraph_id"]
# Bump when what a snapshot holds changes, so an unchanged corpus is still re-indexed once.
SNAPSHOT_FORMAT = 3
LEGACY_TIDY = "tidy"  # a marker older versions kept; clean-up now lists what the manifest does not reference


@dataclass
class IndexReport:
    documents: int = 0
    paragraphs: int = 0
    embedded: int = 0
    removed: int = 0
    renumbered: int = 0
    texts_embedded: int = 0  # sentences and paragraphs the embedder read: each text once
    seconds: float = 0.0
    rebuilt: bool = False
    first: bool = False  # there was no index before this build
    up_to_date: bool = False
    warnings: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)  # file (resolved path) -> why it was not indexed

    def summary(self) -> str:
        if self.up_to_date:
            return (
                f"index up to date: {self.documents} documents, {self.paragraphs} paragraphs; "
                f"nothing changed ({self.seconds:.1f}s)"
            )
        verb = "built" if self.first else "rebuilt" if self.rebuilt else "updated"
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
    """Bring the index in line with the corpus files, repairing what is damaged; `rebuild`
    starts a fresh store (embedded) or collection (server).

    Safe to kill at any point: readers follow `manifest.json`, which is swapped only once the
    new snapshot and every one of its vectors are stored; nothing readers use is removed
    before the swap. The next run drops what a killed one left, and reuses its vectors.

    An unchanged corpus returns at once, without importing Chroma, once the snapshot's files
    match their checksums and the embedded store passes SQLite's quick check; anything else
    takes the full path, which re-embeds only what is missing. `progress(done, total)` is called
    as paragraphs are embedded, then counts again from zero as their sentences are
    (rag.index.progress draws one bar for each count).

    Raises:
        IndexBusy: another indexer holds the lock and `wait` is False.
        StoreUnavailable: the Chroma server at RAG_CHROMA_URL cannot be reached.
        RagError: there is nothing to index.
    """
    started = time.perf_counter()
    configure_cache(config.home / CACHE_FOLDER)
    with index_lock(config.home, wait):
        corpus = load_corpus(corpus_roots(config), config.max_file_bytes, read_excluded(config.home))
        if not corpus.paragraphs:
            why = "".join(f"; {reason}" for reason in corpus.problems.values())
            raise RagError(
                f"no documents to index{why}. Add PDF, HTML, Markdown, Word or text files (rag index PATH...)."
            )
        manifest = _recorded(config, corpus.warnings)
        health = inspect_index(config, manifest, corpus)
        if health.current and not rebuild:
            tidy(config, manifest)
            return _finish(IndexReport(up_to_date=True), corpus, started)
        corpus.warnings.extend(health.notes)
        fresh_store = rebuild or health.store_damaged
        previous = _previous_snapshot(config, manifest, health)
        try:
            report = _build(config, manifest, corpus, fresh_store, previous, progress)
        except IndexDamaged as exc:  # the store broke under the full path: start a new one
            if config.chroma_url is not None or fresh_store:
                raise
            corpus.warnings.append(f"{str(exc).partition(';')[0]}; rebuilding it in a new folder")
            report = _build(config, manifest, corpus, True, previous, progress)
    report.first = manifest is None
    return _finish(report, corpus, started)


@dataclass
class Health:
    """What `rag index` found on disk before doing anything."""

    current: bool  # built from this corpus, and every part verified: nothing to do
    notes: list[str] = field(default_factory=list)  # damage found, for the warnings
    store_damaged: bool = False  # the embedded store cannot be used; a new one is built
    sentences_ok: bool = True  # the live snapshot's sentence vectors may be reused


def inspect_index(config: RagConfig, manifest: Manifest | None, corpus: Corpus) -> Health:
    """Check the live index against the corpus, its checksums and its store, without Chroma."""
    from rag.index import store

    if manifest is None:
        return Health(current=False)
    bad = damaged_files(config.home / manifest.snapshot, manifest.files)
    notes = [f"snapshot file {name} is damaged or missing; writing the snapshot again" for name in bad]
    health = Health(current=False, notes=notes, sentences_ok=not set(bad) & set(SENTENCE_FILES))
    if config.chroma_url is not None:  # another RAG_HOME may have rebuilt the server's collection
        return health
    trusted, damage = store.check_embedded(
        config.home / manifest.store, manifest.collection, manifest.paragraphs
    )
    if damage is not None:
        health.store_damaged = True
        health.notes.append(
            f"the vector store in {config.home / manifest.store} is damaged ({damage}); "
            "rebuilding it in a new folder (every paragraph is embedded again)"
        )
    health.current = (
        trusted
        and bool(manifest.files)
        and not bad
        and manifest.fingerprint == corpus_fingerprint(corpus.paragraphs, vectors_id(config))
    )
    return health


def tidy(config: RagConfig, manifest: Manifest, client: object | None = None) -> None:
    """Remove what the manifest does not reference: other snapshots, other embedded stores,
    other collections and HNSW folders no collection owns. Cheap when there is nothing to do:
    Chroma is opened only when there are collections to drop."""
    from rag.index import store

    prune_snapshots(config.home, keep=manifest.snapshot)
    (config.home / LEGACY_TIDY).unlink(missing_ok=True)
    if config.chroma_url is not None:
        return
    for name in store.store_folders(config.home):
        if name != manifest.store:
            shutil.rmtree(config.home / name, ignore_errors=True)
    folder = config.home / manifest.store
    if store.stray_collections(folder, keep=manifest.collection):
        store.drop_collections(client or store.connect(config, manifest.store), keep=manifest.collection)
    store.remove_orphan_segments(folder)


def _previous_snapshot(config: RagConfig, manifest: Manifest | None, health: Health) -> Path | None:
    """The snapshot whose sentence vectors may be reused: the live one when its files are intact;
    with no record, the newest on disk (its vectors are checked for shape when they are read)."""
    if manifest is not None:
        return config.home / manifest.snapshot if health.sentences_ok else None
    root = config.home / "snapshots"
    stamps = {p: p.name.rsplit("-", 1)[-1] for p in root.iterdir()} if root.is_dir() else {}
    found = sorted(stamps, key=lambda p: (len(stamps[p]), stamps[p]))
    return found[-1] if found else None


def _recorded(config: RagConfig, warnings: list[str]) -> Manifest | None:
    try:
        return Manifest.read(config.home)
    except IndexDamaged:
        warnings.append(f"{config.home / MANIFEST} was unreadable; the index is checked and recorded again")
        return None


def _build(
    config: RagConfig,
    manifest: Manifest | None,
    corpus: Corpus,
    fresh_store: bool,
    previous: Path | None,
    progress: Callable[[int, int], None] | None,
) -> IndexReport:
    """The full path: open the store, choose the collection, bring it and the snapshot up to date."""
    from rag.index import store

    folder = _store_folder(config, manifest, fresh_store)
    name = "(not chosen yet)"
    try:
        client = store.connect(config, folder)
        name, fresh, note = _choose_collection(config, client, manifest, fresh_store)
        if note is not None:
            corpus.warnings.insert(0, note)
        report = _update(config, client, folder, name, corpus, manifest, previous, progress)
    except RagError:
        raise
    except Exception as exc:
        error = store.failure(config, name, exc)
        if error is None:
            raise
        raise error from None
    report.rebuilt = fresh
    return report


def _store_folder(config: RagConfig, manifest: Manifest | None, fresh: bool) -> str:
    """The embedded store to build in: the live one, or a new folder (swapped in with the manifest)."""
    from rag.index import store

    existing = store.store_folders(config.home)
    if not fresh:
        return manifest.store if manifest is not None else (existing[0] if existing else DEFAULT_STORE)
    if config.chroma_url is not None or not existing:
        return DEFAULT_STORE
    return f"{DEFAULT_STORE}-{_stamp()}"


def _choose_collection(
    config: RagConfig, client: object, manifest: Manifest | None, rebuild: bool
) -> tuple[str, bool, str | None]:
    """(collection, fresh, note): the recorded collection, else one already in the store.

    Reusing a collection found in the store lets a second RAG_HOME (another machine, a lost
    .rag/) join a Chroma server's index without re-embedding, and resumes a killed build.
    """
    from rag.index import store
    embedder = vectors_id(config)
    if rebuild:
        return store.collection_name(embedder, _stamp()), True, None
    existing = store.existing_collections(client, embedder)
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
    folder: str,
    name: str,
    corpus: Corpus,
    manifest: Manifest | None,
    previous: Path | None,
    progress: Callable[[int, int], None] | None,
) -> IndexReport:
    """Store every vector the corpus needs, publish the snapshot, then retire the rest."""
    from rag.index import store
    from rag.index.vectors import build_embedding, paragraph_vectors

    embedder = vectors_id(config)
    collection = store.open_collection(client, name, embedder)
    plan = plan_sync(collection, corpus.paragraphs)
    target = collection
    if plan.changes and _is_published(config, manifest, folder, name):
        target = store.open_collection(client, store.collection_name(embedder, _stamp()), embedder)
        copy_kept(collection, target, plan)
    snapshot = config.home / "snapshots" / f"{target.name}-{_stamp()}"
    keywords = KeywordIndex.build([p.indexed_text for p in corpus.paragraphs])
    write_snapshot(snapshot, corpus.paragraphs, keywords)
    _write_documents(snapshot, corpus, config.home / manifest.snapshot if manifest is not None else None)
    todo = [plan.wanted[i] for i in plan.todo]
    embed = build_embedding(config, corpus.paragraphs, todo, previous, progress)
    sentences = _write_sentences(snapshot, corpus.paragraphs, embed, previous)
    if config.paragraph_vectors is ParagraphVectors.DERIVED:
        add_missing(target, plan, paragraph_vectors(corpus.paragraphs, sentences, embed))
    else:
        add_missing(target, plan, lambda batch: embed([p.indexed_text for p in batch]))
    flush_snapshot(snapshot)
    published = Manifest(
        collection=target.name,
        embedder=embedder,
        snapshot=str(snapshot.relative_to(config.home)),
        paragraphs=len(corpus.paragraphs),
        documents=corpus.documents,
        built_at=time.time(),
        fingerprint=corpus_fingerprint(corpus.paragraphs, embedder),
        store=folder,
        files=checksums(snapshot),
    )
    published.write(config.home)
    if target is collection:
        retire(collection, plan)
    store.drop_collections(client, keep=target.name)
    tidy(config, published, client)
    return IndexReport(
        embedded=len(plan.todo), removed=len(plan.stale), renumbered=len(plan.moved), texts_embedded=embed.done
    )


def vectors_id(config: RagConfig) -> str:
    """Names what a collection's vectors are: the embedder, and how paragraph vectors were made
    (so switching RAG_PARAGRAPH_VECTORS builds a new collection instead of mixing the two)."""
    suffix = "+derived-paragraphs" if config.paragraph_vectors is ParagraphVectors.DERIVED else ""
    return embedder_id(config) + suffix


def corpus_fingerprint(paragraphs: Sequence[Paragraph], embedder: str) -> str:
    """One hash of everything an index is built from: paragraphs (text, header, numbering,
    roles, twins), the embedder, and the snapshot format."""
    digest = hashlib.sha256(f"{SNAPSHOT_FORMAT}\n{embedder}\n".encode())
    for p in paragraphs:
        digest.update(json.dumps(asdict(p), ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()


def _write_sentences(
    snapshot: Path, paragraphs: Sequence[Paragraph], embed: CountingEmbed, previous: Path | None
) -> SentenceIndex:
    """Sentence vectors join the snapshot before it is published, so readers never write it;
    those of unchanged sentences come from the live snapshot (when its files are intact)."""
    from rag.index.sentence_vectors import ensure_sentence_index

    try:
        return ensure_sentence_index(snapshot, paragraphs, embed, previous)
    except (OSError, ValueError, KeyError, EOFError):  # the live snapshot's sentence files are damaged
        return ensure_sentence_index(snapshot, paragraphs, embed, None)


def _write_documents(snapshot: Path, corpus: Corpus, previous: Path | None) -> None:
    """The document list joins the snapshot; unchanged documents keep their first indexing time."""
    known = read_catalog(previous) if previous is not None else None
    write_catalog(snapshot, stamp(corpus.infos, known or [], time.time()))


def _is_published(config: RagConfig, manifest: Manifest | None, folder: str, name: str) -> bool:
    """True when readers of the embedded store may be using collection `name`.

    Every process keeps its own in-memory HNSW of an embedded (PersistentClient) collection
    and never sees another process's later writes to it (chroma-core/chroma#3792), so a
    running `rag chat` would go on searching the old vectors. There, a changed index is
    copied into a new collection instead; a Chroma server has one HNSW, updated in place.
    """
    return (
        config.chroma_url is None
        and manifest is not None
        and manifest.store == folder
        and manifest.collection == name
    )


def _finish(report: IndexReport, corpus: Corpus, started: float) -> IndexReport:
    report.problems = corpus.problems
    report.documents = len(corpus.documents)
    report.paragraphs = len(corpus.paragraphs)
    report.warnings = corpus.warnings
    report.seconds = time.perf_counter() - started
    return report


def _stamp() -> str:
    return f"{time.time_ns():x}"


def index_is_current(config: RagConfig) -> bool:
    manifest = Manifest.read(config.home)
    return manifest is not None and (config.home / manifest.snapshot).exists()
