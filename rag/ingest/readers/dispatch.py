"""The one entry point: a file's name and bytes to blocks, by suffix, after checking size and content type."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from rag.ingest.readers.blocks import ReadResult, UnreadableDocument

SUPPORTED_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf", ".docx")
DEFAULT_MAX_BYTES = 50_000_000
_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, .xls


def read_document(name: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read one file into structured blocks.

    Args:
        name: the file name (a path is fine); its suffix picks the reader and it names the file in messages.
        data: the file's bytes.
        max_bytes: files larger than this are refused (RAG_MAX_FILE_MB, read by the caller's config).

    Returns:
        ReadResult with blocks in document order, the format read ("txt-lines", "txt-blocks", "markdown",
        "html", "pdf" or "docx") and warnings naming the file.

    Raises:
        UnreadableDocument: empty, too large, unsupported, disguised as another type, or unreadable; the message
            is one line naming the file.

    >>> read_document("notes.md", b"# Setup\\n\\nRun it.").blocks[1].section
    ('Setup',)
    """
    label = PurePath(name).name or name
    _check_size(label, data, max_bytes)
    suffix = PurePath(name).suffix.lower()
    reader = _reader(label, suffix, data)
    result = reader(label, data)
    if not result.blocks:
        raise UnreadableDocument(f"{label} has no readable text")
    return result


def check_size(name: str, size: int, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Refuse an empty or too large file by its size alone, before anyone reads it.

    Raises:
        UnreadableDocument: the file is empty or over `max_bytes`; the message names it.
    """
    label = PurePath(name).name or name
    if size == 0:
        raise UnreadableDocument(f"{label} is empty")
    if size > max_bytes:
        raise UnreadableDocument(
            f"{label} is {size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:g} MB (RAG_MAX_FILE_MB)"
        )


def _check_size(label: str, data: bytes, max_bytes: int) -> None:
    check_size(label, len(data), max_bytes)


def _reader(label: str, suffix: str, data: bytes) -> Callable[[str, bytes], ReadResult]:
    """The reader for a suffix, once the bytes agree with it."""
    head = data[:1024]
    if suffix == ".pdf":
        if _PDF_MAGIC not in head:
            raise UnreadableDocument(f"{label} is not a PDF (it does not start with %PDF-)")
        from rag.ingest.readers.pdf import read_pdf

        return read_pdf
    if suffix == ".docx":
        if data.startswith(_OLE_MAGIC):
            raise UnreadableDocument(f"{label} is an old binary Word (.doc) file; save it as .docx and add it again")
        from rag.ingest.readers.docx import read_docx

        return read_docx
    if suffix not in SUPPORTED_SUFFIXES:
        kind = suffix or "a file without a suffix"
        raise UnreadableDocument(f"{label}: {kind} is not supported; use one of {', '.join(SUPPORTED_SUFFIXES)}")
    _refuse_disguised(label, head)
    if suffix in (".md", ".markdown"):
        from rag.ingest.readers.markdown import read_markdown

        return read_markdown
    if suffix in (".html", ".htm", ".xhtml"):
        from rag.ingest.readers.html import read_html

        return read_html
    from rag.ingest.readers.text import read_text

    return read_text


def _refuse_disguised(label: str, head: bytes) -> None:
    """A text-type suffix on a PDF, ZIP or Word file: say what it really is rather than read noise."""
    if head.startswith(_PDF_MAGIC):
        raise UnreadableDocument(f"{label} is a PDF, not text; rename it to .pdf")
    if head.startswith(_ZIP_MAGIC):
        raise UnreadableDocument(f"{label} is a ZIP archive (a .docx?), not text; rename it to its real suffix")
    if head.startswith(_OLE_MAGIC):
        raise UnreadableDocument(f"{label} is an old binary Office file, not text; save it as .docx")
