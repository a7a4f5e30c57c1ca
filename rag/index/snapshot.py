"""The index's record on disk: which collection is live, its paragraphs and its BM25.

A build writes a new snapshot folder, then swaps `manifest.json` in one `os.replace`, so a
reader sees either the old complete index or the new complete one, never a mix.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from rag.index.keywords import KeywordIndex
from rag.types import Paragraph

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Manifest:
    collection: str
    embedder: str
    snapshot: str
    paragraphs: int
    documents: list[str]
    built_at: float
    fingerprint: str = ""  # of the corpus and embedder it was built from; "" for older indexes

    @classmethod
    def read(cls, home: Path) -> Manifest | None:
        path = home / MANIFEST
        try:
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None
        except (ValueError, TypeError):
            return None

    def write(self, home: Path) -> None:
        """Swap in this manifest: readers see the old one or this one, whole."""
        tmp = home / f"{MANIFEST}.tmp"
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(json.dumps(asdict(self), ensure_ascii=False, indent=1))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, home / MANIFEST)
        _fsync_dir(home)


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


def prune_snapshots(home: Path, keep: str) -> None:
    root = home / "snapshots"
    if not root.exists():
        return
    for child in root.iterdir():
        if child.name != Path(keep).name:
            shutil.rmtree(child, ignore_errors=True)
