"""The indexed documents: one record each, saved as `documents.json` inside the index snapshot.

It lives in the snapshot so it is published with it (one manifest swap) and always describes the
paragraphs readers see.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

DOCUMENTS_FILE = "documents.json"


@dataclass(frozen=True)
class DocumentInfo:
    """One indexed document, as `rag docs` and the chat's Documents panel list it.

    `name` is what citations call it (`source`); `format` is the reader's ("pdf", "html",
    "markdown", "docx", "txt-lines", "txt-blocks"); `indexed_at` is when this version of the
    file was first indexed (seconds since the epoch).
    """

    name: str
    path: str
    format: str
    paragraphs: int
    sha256: str
    size: int
    indexed_at: float = 0.0


def stamp(infos: Sequence[DocumentInfo], previous: Sequence[DocumentInfo], now: float) -> list[DocumentInfo]:
    """Each document keeps the time its unchanged content was first indexed; new content gets `now`."""
    known = {(d.name, d.sha256): d.indexed_at for d in previous}
    return [replace(d, indexed_at=known.get((d.name, d.sha256), now)) for d in infos]


def write_catalog(folder: Path, infos: Sequence[DocumentInfo]) -> None:
    text = json.dumps([asdict(d) for d in infos], ensure_ascii=False, indent=1)
    (folder / DOCUMENTS_FILE).write_text(text, encoding="utf-8")


def read_catalog(folder: Path) -> list[DocumentInfo] | None:
    """The snapshot's documents, or None for a snapshot written before documents were recorded."""
    try:
        raw = json.loads((folder / DOCUMENTS_FILE).read_text(encoding="utf-8"))
        return [DocumentInfo(**d) for d in raw]
    except (OSError, ValueError, TypeError):
        return None
