"""Finds the corpus files and reads each through its format's reader into numbered paragraphs.

A file that cannot be read gets one line naming it and the reason, and the others still index.
A file over the size limit is refused from its size alone, before it is read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rag.errors import UnreadableDocument
from rag.ingest.catalog import DocumentInfo
from rag.ingest.paragraphs import build_paragraphs
from rag.ingest.readers import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, ReadResult, check_size, read_document
from rag.ingest.readers.encoding import decode_text
from rag.ingest.sources import add_sources, read_sources  # noqa: F401 - re-exported
from rag.types import Paragraph

MAX_PARAGRAPH_CHARS = 20_000
MAX_LISTED = 3


@dataclass
class Corpus:
    """What indexing reads: paragraphs, the documents they come from, and what went wrong.

    `problems` maps each file that could not be indexed (its resolved path) to one line
    naming it and saying why; `warnings` holds those lines and every other note.
    """

    paragraphs: list[Paragraph] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    infos: list[DocumentInfo] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)

    def refuse(self, path: Path, reason: str) -> None:
        self.problems[str(path)] = reason
        self.warnings.append(f"not indexed: {reason}")


def find_files(roots: Iterable[Path], excluded: Collection[Path] = frozenset()) -> list[Path]:
    """Every supported file under the given files and folders, in a stable order."""
    return scan(roots, excluded)[0]


def scan(roots: Iterable[Path], excluded: Collection[Path] = frozenset()) -> tuple[list[Path], list[str]]:
    """(files to read, notes): a folder's hidden files are passed over, its unsupported ones noted
    in one line per folder; a file named directly is always read (and refused if unsupported)."""
    found: dict[Path, None] = {}
    notes = []
    for root in roots:
        if root.is_dir():
            files = [p for p in sorted(root.rglob("*")) if p.is_file() and not _hidden(p, root)]
            other = [p for p in files if p.suffix.lower() not in SUPPORTED_SUFFIXES]
            found.update((p.resolve(), None) for p in files if p not in other)
            if other:
                notes.append(_unsupported_note(root, other))
        elif root.is_file():
            found[root.resolve()] = None
    return [p for p in found if p not in excluded], notes


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _unsupported_note(root: Path, files: Sequence[Path]) -> str:
    names = ", ".join(p.name for p in files[:MAX_LISTED]) + (", …" if len(files) > MAX_LISTED else "")
    return (
        f"skipped {len(files)} file(s) in {root} of a type that is not supported ({names}); "
        f"supported: {' '.join(SUPPORTED_SUFFIXES)}"
    )


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[ReadResult, bytes]:
    """Read one file through its reader; the size is checked before the bytes are read.

    Raises:
        UnreadableDocument: empty, too large, unsupported or unreadable; the message names the file.
        OSError: the file cannot be opened.
    """
    check_size(path.name, path.stat().st_size, max_bytes)
    data = path.read_bytes()
    return read_document(path.name, data, max_bytes), data


def read_text(path: Path) -> str:
    """A plain-text file decoded as the text reader decodes it; "" when it cannot be."""
    try:
        return decode_text(path.name, path.read_bytes())[0]
    except (OSError, UnreadableDocument):
        return ""


def load_corpus(
    roots: Sequence[Path], max_bytes: int = DEFAULT_MAX_BYTES, excluded: Collection[Path] = frozenset()
) -> Corpus:
    """Read every file under `roots` (minus `excluded`) into paragraphs; bad files are reported, not fatal."""
    corpus = Corpus()
    files, notes = scan(roots, excluded)
    corpus.warnings.extend(notes)
    seen: dict[str, str] = {}
    for path in files:
        try:
            result, data = read_file(path, max_bytes)
        except UnreadableDocument as exc:
            corpus.refuse(path, str(exc))
            continue
        except OSError as exc:
            corpus.refuse(path, f"{path.name} cannot be read ({exc.strerror})")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            corpus.refuse(path, f"{path.name} has the same content as {seen[digest]}")
            continue
        seen[digest] = path.name
        corpus.warnings.extend(result.warnings)
        _add_document(corpus, path, result, digest, len(data))
    return corpus


def _add_document(corpus: Corpus, path: Path, result: ReadResult, digest: str, size: int) -> None:
    name = _unique_name(path, corpus.documents)
    paragraphs = build_paragraphs(name, result)
    for p in paragraphs:
        if len(p.text) > MAX_PARAGRAPH_CHARS:
            corpus.warnings.append(
                f"skipped paragraph {p.number} of {name}: {len(p.text):,} characters; "
                f"the limit is {MAX_PARAGRAPH_CHARS:,}"
            )
    kept = [p for p in paragraphs if len(p.text) <= MAX_PARAGRAPH_CHARS]
    if not kept:
        corpus.refuse(path, f"{name} has no indexable paragraphs")
        return
    corpus.documents.append(name)
    corpus.paragraphs.extend(kept)
    corpus.infos.append(DocumentInfo(name, str(path), result.format, len(kept), digest, size))


def _unique_name(path: Path, taken: Sequence[str]) -> str:
    name = path.name
    return name if name not in taken else f"{path.parent.name}/{name}"
