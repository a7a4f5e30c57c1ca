"""Incremental, idempotent indexing: only paragraphs whose content hash is new get embedded."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rag.config import ParagraphVectors, RagConfig
from rag.errors import IndexDamaged, RagError
from rag.index.health import Health, _previous_snapshot, corpus_fingerprint, inspect_index, tidy, vectors_id  # noqa: F401
from rag.index.keywords import KeywordIndex
from rag.index.report import IndexReport, index_lock  # noqa: F401 - re-exported
from rag.index.snapshot import (
    DEFAULT_STORE,
    MANIFEST,
    Manifest,
    checksums,
    flush_snapshot,
    remember_live_segmentation,
    write_snapshot,
)
from rag.index.sync import add_missing, copy_kept, paragraph_id, plan_sync, retire
from rag.ingest.catalog import read_catalog, stamp, write_catalog
from rag.ingest.documents import Corpus, load_corpus
from rag.ingest.sources import read_excluded, read_sources
from rag.lang.text import configure_cache
from rag.types import Paragraph

if TYPE_CHECKING:
    from rag.index.sentence_vectors import SentenceIndex
    from rag.index.vectors import CountingEmbed

__all__ = ["IndexReport", "build_index", "corpus_fingerprint", "index_is_current", "index_lock", "paragraph_id"]
# Bump when what a snapshot holds changes, so an unchanged corpus is still re-indexed once.


def corpus_roots(config: RagConfig) -> list[Path]:
    return [*config.docs, *read_sources(config.home)]


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
    configure_cache(config.cache_dir)
    with index_lock(config.home, wait):
        notes: list[str] = []
        manifest = _recorded(config, notes)
        if manifest is not None:
            remember_live_segmentation(config.home, manifest)
        corpus = load_corpus(corpus_roots(config), config.max_file_bytes, read_excluded(config.home))
        if not corpus.paragraphs:
            why = "".join(f"; {reason}" for reason in corpus.problems.values())
            raise RagError(
                f"no documents to index{why}. Add PDF, HTML, Markdown, Word or text files (rag index PATH...)."
            )
        corpus.warnings.extend(notes)
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
    built = False
    try:
        sentences = _write_sentences(snapshot, corpus.paragraphs, embed, previous)
        if config.paragraph_vectors is ParagraphVectors.DERIVED:
            add_missing(target, plan, paragraph_vectors(corpus.paragraphs, sentences, embed))
        else:
            add_missing(target, plan, lambda batch: embed([p.indexed_text for p in batch]))
        built = True
    finally:
        corpus.warnings.extend(embed.finish(built))
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
        embedded=len(plan.todo), removed=len(plan.stale), renumbered=len(plan.moved),
        texts_embedded=embed.embedded, texts_cached=embed.from_cache,
    )


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
