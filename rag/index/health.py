"""Is the live index whole and built from this corpus? What may go? Checked without opening Chroma when it can be."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rag.config import ParagraphVectors, RagConfig, embedder_id
from rag.index.snapshot import SENTENCE_FILES, Manifest, damaged_files, prune_snapshots
from rag.types import Paragraph

if TYPE_CHECKING:
    from rag.ingest.documents import Corpus

SNAPSHOT_FORMAT = 4  # 4: keyword tokens are stemmed (rag.lang.text.stem)
LEGACY_TIDY = "tidy"  # a marker older versions kept; clean-up now lists what the manifest does not reference


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
