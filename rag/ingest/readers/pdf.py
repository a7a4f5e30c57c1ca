"""PDF reader: PDFium (pypdfium2) text per page, then our layout rules (pdf_margins, pdf_paragraphs).

pypdfium2 was chosen over pypdf because pypdf runs the words of TeX-made PDFs together ("DebianGNU/Linuxincludes"
on every line of the Debian FAQ), and PDFium also gives each character's position, which the paragraph and
running-header rules need. Sections come from the outline (bookmarks) only: an outline entry found among its
page's lines becomes a HEADING block, one that is not found opens its section at the top of its page. A paragraph
that runs on to the next page is one block, located on the page where it starts ("p. 12", 1-based physical pages).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import pypdfium2 as pdfium

from rag.ingest.readers.blocks import Block, BlockKind, ReadResult, UnreadableDocument
from rag.ingest.readers.pdf_lines import PdfChar, PdfLine, PdfPage, assemble_lines
from rag.ingest.readers.pdf_margins import drop_running_lines
from rag.ingest.readers.pdf_paragraphs import join_pdf_lines, page_blocks
from rag.ingest.readers.structure import finish_blocks
from rag.ingest.readers.whitespace import ends_sentence, is_wide

PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
MAX_HEADING_LINES = 4
_PDFIUM_REASON = re.compile(r"PDFium: ([^)]+)")
_SECTION_NUMBER = re.compile(r"^\s*(?:[A-Z]|\d+)(?:\.\d+)*\.?\s+")


@dataclass(frozen=True)
class OutlineEntry:
    level: int  # 1 = top
    title: str
    page: int  # 1-based


def read_pdf(name: str, data: bytes) -> ReadResult:
    """Blocks of a PDF's text layer.

    Raises:
        UnreadableDocument: the PDF is encrypted with a password, corrupt, or has no text layer.
    """
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == PASSWORD_ERROR:
            raise UnreadableDocument(f"{name} is encrypted (it needs a password to open); decrypt it first") from None
        detail = _PDFIUM_REASON.search(str(exc))
        reason = f"PDFium: {detail.group(1)}" if detail else str(exc)
        raise UnreadableDocument(f"{name} is not a readable PDF ({reason}); it may be damaged or cut short") from None
    try:
        pages = [PdfPage(number, _page_lines(document[number - 1])) for number in range(1, len(document) + 1)]
        outline = _outline(document)
    finally:
        document.close()
    if not any(page.lines for page in pages):
        raise UnreadableDocument(f"{name} has no text layer (scanned?); OCR is not supported")
    blocks = pdf_blocks(drop_running_lines(pages), outline)
    return ReadResult(finish_blocks(blocks, sections_from_headings=False), "pdf", [])


def pdf_blocks(pages: list[PdfPage], outline: list[OutlineEntry]) -> list[Block]:
    """Blocks of all pages with outline sections, paragraphs split by a page break joined again."""
    blocks: list[Block] = []
    stack: list[tuple[int, str]] = []
    for page in pages:
        entries = [entry for entry in outline if entry.page == page.number]
        found = find_headings(page.lines, entries)
        for entry in entries:
            if entry not in found.values():
                stack = _push(stack, entry.level, entry.title)
        levels = {index: entry.level for index, entry in found.items()}
        for block in page_blocks(page, levels):
            if block.kind == BlockKind.HEADING:
                stack = _push(stack, block.level, block.text)
            block = dataclasses.replace(block, section=tuple(title for _, title in stack))
            if blocks and _continues(blocks[-1], block):
                blocks[-1] = dataclasses.replace(blocks[-1], text=join_pdf_lines([blocks[-1].text, block.text]))
            else:
                blocks.append(block)
    return blocks


def find_headings(lines: list[PdfLine], entries: list[OutlineEntry]) -> dict[int, OutlineEntry]:
    """Map line indices to the outline entries they print, matching titles in order, up to four lines each."""
    found: dict[int, OutlineEntry] = {}
    cursor = 0
    for entry in entries:
        wanted = _title_key(entry.title)
        for start in range(cursor, len(lines)):
            span = _matching_span(lines, start, wanted)
            if span:
                found.update({index: entry for index in range(start, start + span)})
                cursor = start + span
                break
    return found


def _matching_span(lines: list[PdfLine], start: int, wanted: str) -> int:
    joined = ""
    for span in range(1, MAX_HEADING_LINES + 1):
        if start + span > len(lines):
            return 0
        joined += _title_key(lines[start + span - 1].text)
        if joined == wanted:
            return span
        if not wanted.startswith(joined) or not joined:
            return 0
    return 0


def _title_key(text: str) -> str:
    """A title without its section number, letters and digits only, for comparing outline entries with lines."""
    return "".join(ch for ch in _SECTION_NUMBER.sub("", text) if ch.isalnum()).casefold()


def _push(stack: list[tuple[int, str]], level: int, title: str) -> list[tuple[int, str]]:
    return [entry for entry in stack if entry[0] < level] + [(level, title)]


def _continues(previous: Block, block: Block) -> bool:
    """A paragraph cut by a page break: it stops mid-sentence and the next page goes on in lower case (or CJK)."""
    if previous.kind != BlockKind.PARAGRAPH or block.kind != BlockKind.PARAGRAPH or previous.location == block.location:
        return False
    first = block.text[:1]
    return not ends_sentence(previous.text) and (first.islower() or (first != "" and is_wide(first)))


def _page_lines(page: pdfium.PdfPage) -> list[PdfLine]:
    """The page's printed lines, assembled from PDFium's characters and their boxes."""
    textpage = page.get_textpage()
    count = textpage.count_chars()
    text: str | list[str] = textpage.get_text_range()
    if len(text) != count:  # a character beyond the BMP takes two of PDFium's indices: read them one by one
        text = [textpage.get_text_range(index, 1) or " " for index in range(count)]
    chars = [PdfChar(text[i], *textpage.get_charbox(i, loose=True)) for i in range(count)]
    return assemble_lines(chars)


def _outline(document: pdfium.PdfDocument) -> list[OutlineEntry]:
    entries = []
    for item in document.get_toc():
        destination = item.get_dest()
        index = destination.get_index() if destination is not None else None
        if index is not None:
            entries.append(OutlineEntry(item.level + 1, " ".join(item.get_title().split()), index + 1))
    return entries
