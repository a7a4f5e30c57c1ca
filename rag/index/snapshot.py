"""The index's record on disk: which collection is live, its paragraphs and its BM25.

A build writes a new snapshot folder, then swaps `manifest.json` in one `os.replace`, so a
reader sees either the old complete index or the new complete one, never a mix.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from rag.errors import IndexDamaged
from rag.index.keywords import SEGMENTS, KeywordIndex, saved_segmentation
from rag.types import Paragraph

MANIFEST = "manifest.json"
DEFAULT_STORE = "chroma"  # the embedded store's folder under RAG_HOME; a rebuild uses chroma-<stamp>
SENTENCE_FILES = ("sentences.npy", "sentence-offsets.npy", "sentence-keys.json")
_HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class Manifest:
    collection: str
    embedder: str
    snapshot: str
    paragraphs: int
    documents: list[str]
    built_at: float
    fingerprint: str = ""  # of the corpus and embedder it was built from; "" for older indexes
    store: str = DEFAULT_STORE  # folder of the embedded store under RAG_HOME
    files: dict[str, str] = field(default_factory=dict)  # snapshot file -> "size:blake2b"; {} for older indexes

    @classmethod
    def read(cls, home: Path) -> Manifest | None:
        """The live manifest; None when there is none.

        Raises:
            IndexDamaged: the file is there but unreadable; `rag index` rewrites it.
        """
        path = home / MANIFEST
        try:
            raw = json.loads(path.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise _unreadable(path, type(exc).__name__) from None
        known = {f.name for f in fields(cls)}
        if not isinstance(raw, dict) or not known >= raw.keys():
            raise _unreadable(path, "not an index record")
        try:
            manifest = cls(**raw)
        except TypeError:
            raise _unreadable(path, "fields are missing") from None
        if not isinstance(manifest.snapshot, str) or not isinstance(manifest.files, dict):
            raise _unreadable(path, "fields have the wrong type")
        return manifest

    def write(self, home: Path) -> None:
        """Swap in this manifest: readers see the old one or this one, whole."""
        tmp = home / f"{MANIFEST}.tmp"
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(json.dumps(asdict(self), ensure_ascii=False, indent=1))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, home / MANIFEST)
        _fsync_dir(home)


def _unreadable(path: Path, why: str) -> IndexDamaged:
    return IndexDamaged(f"{path} is unreadable ({why}); run `rag index` to repair the index.")


def checksums(folder: Path) -> dict[str, str]:
    """"size:blake2b" of every file of a snapshot, by path relative to it."""
    return {
        path.relative_to(folder).as_posix(): f"{path.stat().st_size}:{_digest(path)}"
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def damaged_files(folder: Path, recorded: dict[str, str], sizes_only: bool = False) -> list[str]:
    """Files of the snapshot that are missing or differ from their record (by size alone when
    `sizes_only`, cheap enough for every reader; by content for `rag index`)."""
    bad = []
    for name, record in sorted(recorded.items()):
        path = folder / name
        size, _, digest = record.partition(":")
        try:
            if path.stat().st_size != int(size) or (not sizes_only and _digest(path) != digest):
                bad.append(name)
        except (OSError, ValueError):
            bad.append(name)
    return bad


def remember_live_segmentation(home: Path, manifest: Manifest) -> None:
    """Take the Chinese segmentation of the live snapshot, when its file is the one the manifest
    records, so reading an unchanged corpus (`rag index` with nothing to do) does not load
    jieba's dictionary (1.6 s of the 1.8 s such a run took). jieba cuts a run the same way
    every time, so the words are those it would give; a run the file lacks still goes to jieba.
    """
    from rag.lang.text import remember_segmentation

    name = f"bm25/{SEGMENTS}"
    folder = home / manifest.snapshot
    if name not in manifest.files or damaged_files(folder, {name: manifest.files[name]}):
        return
    try:
        known = saved_segmentation(folder / "bm25")
    except (OSError, ValueError):
        return
    if isinstance(known, dict):
        remember_segmentation(known)


def write_snapshot(folder: Path, paragraphs: list[Paragraph], keywords: KeywordIndex) -> None:
    """Paragraphs and BM25 of a snapshot; the indexer adds sentence vectors, then flushes."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "paragraphs.jsonl").open("w", encoding="utf-8") as fh:
        for p in paragraphs:
            fh.write(json.dumps(asdict(p), ensure_ascii=False) + "\n")
    keywords.save(folder / "bm25")


def flush_snapshot(folder: Path) -> None:
    """fsync every file of a finished snapshot, so a manifest never outlives its data."""
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file():
            with path.open("rb") as fh:
                os.fsync(fh.fileno())
        else:
            _fsync_dir(path)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    """Make a rename or new file in `folder` survive a power cut, not only a kill."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_paragraphs(folder: Path) -> list[Paragraph]:
    with (folder / "paragraphs.jsonl").open(encoding="utf-8") as fh:
        return [Paragraph(**json.loads(line)) for line in fh if line.strip()]


def prune_snapshots(home: Path, keep: str) -> list[str]:
    """Remove every snapshot but `keep`, and a manifest swap a kill interrupted; returns their names."""
    removed = []
    tmp = home / f"{MANIFEST}.tmp"
    if tmp.exists():
        tmp.unlink()
        removed.append(tmp.name)
    root = home / "snapshots"
    if not root.exists():
        return removed
    for child in root.iterdir():
        if child.name == Path(keep).name:
            continue
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink()
        removed.append(child.name)
    return removed
