"""The embedded store read without Chroma: `rag index` on an unchanged corpus checks the store
and lists its leftovers without importing chromadb (about 1.4 s) by reading Chroma's SQLite file
read-only. Anything unexpected there (another schema) only means "cannot tell", and the caller
falls back to Chroma itself."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

COLLECTION_PREFIX = "rag_"
SQLITE = "chroma.sqlite3"
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

#
# `rag index` on an unchanged corpus checks the embedded store and lists its leftovers without
# importing chromadb (about 1.4 s): it reads Chroma's SQLite file read-only. Anything unexpected
# there (another schema) only means "cannot tell", and the caller falls back to Chroma itself.


def check_embedded(folder: Path, collection: str, vectors: int) -> tuple[bool, str | None]:
    """(trusted, damage): trusted when the store passes SQLite's quick_check and `collection`
    holds exactly `vectors` vectors; `damage` says what is wrong when the store is unusable."""
    path = folder / SQLITE
    if not path.is_file():
        return False, f"{path} is missing"
    try:
        with _read_only(path) as db:
            verdict = db.execute("PRAGMA quick_check").fetchone()
            if verdict is None or verdict[0] != "ok":
                return False, f"SQLite quick_check: {verdict[0] if verdict else 'no answer'}"
            count = _vector_count(db, collection)
    except sqlite3.OperationalError:  # a schema we do not know, or a lock: cannot tell
        return False, None
    except sqlite3.DatabaseError as exc:  # "database disk image is malformed", "file is not a database"
        return False, str(exc)
    return count == vectors, None


def stray_collections(folder: Path, keep: str) -> list[str] | None:
    """Our collections in the store other than `keep`; None when the store cannot be read."""
    try:
        with _read_only(folder / SQLITE) as db:
            names = [row[0] for row in db.execute("SELECT name FROM collections")]
    except sqlite3.Error:
        return None
    return [n for n in names if n.startswith(COLLECTION_PREFIX) and n != keep]


def remove_orphan_segments(folder: Path) -> int:
    """Delete HNSW folders that no segment of the store names (Chroma leaves them behind when
    a collection is deleted); returns how many were removed."""
    try:
        with _read_only(folder / SQLITE) as db:
            live = {row[0] for row in db.execute("SELECT id FROM segments")}
    except sqlite3.Error:
        return 0
    orphans = [p for p in folder.iterdir() if p.is_dir() and _UUID.match(p.name) and p.name not in live]
    for path in orphans:
        shutil.rmtree(path, ignore_errors=True)
    return len(orphans)


class _read_only:
    """A read-only connection to a SQLite file that does not exist yet is an error, not a new file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> sqlite3.Connection:
        self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=5.0)
        return self.db

    def __exit__(self, *exc: object) -> None:
        self.db.close()


def _vector_count(db: sqlite3.Connection, collection: str) -> int:
    row = db.execute(
        "SELECT count(*) FROM embeddings e JOIN segments s ON e.segment_id = s.id "
        "JOIN collections c ON s.collection = c.id WHERE c.name = ? AND s.scope = 'METADATA'",
        (collection,),
    ).fetchone()
    return int(row[0]) if row else -1
