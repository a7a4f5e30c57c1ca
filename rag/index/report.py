"""What one `rag index` run did, and the lock that lets only one run at a time."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rag.errors import IndexBusy


@dataclass
class IndexReport:
    documents: int = 0
    paragraphs: int = 0
    embedded: int = 0
    removed: int = 0
    renumbered: int = 0
    texts_embedded: int = 0  # sentences and paragraphs the embedder read: each text once
    texts_cached: int = 0  # sentences and paragraphs whose vectors came from the embedding cache
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
            f"in {self.seconds:.1f}s" + (f" ({self.texts_cached} vectors from the cache)" if self.texts_cached else "")
        )


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
