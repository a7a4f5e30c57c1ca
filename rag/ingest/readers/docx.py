"""Word (.docx) reader: python-docx paragraphs and tables in body order, typed by style.

"Title" and "Heading N" styles (or an outline level) are headings; "List …" styles or numbering make list items;
"Quote" styles make quotes; code styles ("Code", "HTML Preformatted", "Plain Text", …) or monospace runs make code,
and consecutive code paragraphs are one block. A table gives one block per row, with the first row's cells as
prefixes when it is a header: marked as a repeating header row, all bold, or short non-numeric labels over a table
of three or more columns (a two-column table is usually key/value pairs). Location is the nearest heading.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError

from rag.ingest.readers.blocks import Block, BlockKind, ReadResult, UnreadableDocument
from rag.ingest.readers.rows import looks_like_header, row_text
from rag.ingest.readers.structure import finish_blocks
from rag.ingest.readers.whitespace import collapse_spaces

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
CODE_STYLE_WORDS = ("code", "preformatted", "plain text", "source", "verbatim")
MONOSPACE_FONTS = frozenset(
    "courier|courier new|consolas|menlo|monaco|lucida console|andale mono|inconsolata|source code pro|fira code"
    "|jetbrains mono|cascadia code|cascadia mono|ubuntu mono|sf mono".split("|")
)
MIN_HEADER_GUESS_COLUMNS = 3


def read_docx(name: str, data: bytes) -> ReadResult:
    """Blocks of a Word document.

    Raises:
        UnreadableDocument: the file is not a ZIP, has no word/document.xml, or python-docx cannot parse it.
    """
    document = _open(name, data)
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend(table_blocks(item))
        else:
            block = paragraph_block(item)
            if block is not None:
                _append(blocks, block)
    return ReadResult(finish_blocks(blocks, location_from_heading=True), "docx", [])


def _open(name: str, data: bytes) -> docx.document.Document:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        raise UnreadableDocument(f"{name} is not a valid Word document (not a ZIP archive)") from None
    if "word/document.xml" not in names:
        raise UnreadableDocument(f"{name} is not a valid Word document (a ZIP archive without word/document.xml)")
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, XMLSyntaxError, zipfile.BadZipFile) as exc:
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise UnreadableDocument(f"{name} is not a valid Word document ({reason})") from None


def paragraph_block(paragraph: Paragraph) -> Block | None:
    """The block a paragraph reads as, or None when it holds no text."""
    if not paragraph.text.strip():
        return None
    names = _style_names(paragraph)
    level = _heading_level(paragraph, names)
    if level is not None:
        return Block(BlockKind.HEADING, collapse_spaces(paragraph.text), level=level)
    if any(word in name for name in names for word in CODE_STYLE_WORDS) or _monospace(paragraph):
        return Block(BlockKind.CODE, paragraph.text.rstrip())
    if any(name.startswith("list") for name in names) or _numbered(paragraph):
        kind = BlockKind.LIST_ITEM
    elif any("quote" in name for name in names):
        kind = BlockKind.QUOTE
    else:
        kind = BlockKind.PARAGRAPH
    return Block(kind, collapse_spaces(paragraph.text))


def table_blocks(table: Table) -> list[Block]:
    """One TABLE_ROW per row, header cells as prefixes when the first row is a header."""
    rows = [_row_cells(row) for row in table.rows]
    rows = [cells for cells in rows if any(cells)]
    if not rows:
        return []
    header: list[str] = []
    if _is_header(table, rows):
        header, rows = rows[0], rows[1:]
    return [Block(BlockKind.TABLE_ROW, row_text(header, cells)) for cells in rows]


def _append(blocks: list[Block], block: Block) -> None:
    """Consecutive code paragraphs are one code block, as a code listing in Word is one paragraph per line."""
    if block.kind == BlockKind.CODE and blocks and blocks[-1].kind == BlockKind.CODE:
        blocks[-1] = Block(BlockKind.CODE, f"{blocks[-1].text}\n{block.text}")
    else:
        blocks.append(block)


def _style_names(paragraph: Paragraph) -> list[str]:
    """The paragraph style and the styles it is based on, lower-cased."""
    names = []
    style = paragraph.style
    while style is not None and len(names) < 10:
        names.append((style.name or "").casefold())
        style = style.base_style
    return names


def _heading_level(paragraph: Paragraph, names: list[str]) -> int | None:
    for name in names:
        match = _HEADING_STYLE.match(name)
        if match:
            return int(match.group(1))
        if name == "title":
            return 1
    for element in (paragraph._p, paragraph.style.element if paragraph.style is not None else None):
        outline = element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}") if element is not None else None
        if outline is not None and outline.get(qn("w:val"), "9").isdigit() and int(outline.get(qn("w:val"))) < 9:
            return int(outline.get(qn("w:val"))) + 1
    return None


def _numbered(paragraph: Paragraph) -> bool:
    num_id = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    return num_id is not None and num_id.get(qn("w:val")) not in (None, "0")


def _monospace(paragraph: Paragraph) -> bool:
    runs = [run for run in paragraph.runs if run.text.strip()]
    style_font = paragraph.style.font.name if paragraph.style is not None else None
    fonts = [(run.font.name or style_font or "").casefold() for run in runs]
    return bool(fonts) and all(font in MONOSPACE_FONTS or font.endswith(" mono") for font in fonts)


def _row_cells(row: docx.table._Row) -> list[str]:
    """Cell texts of a row; a merged cell that python-docx repeats is read once."""
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(collapse_spaces(cell.text))
    return cells


def _is_header(table: Table, rows: list[list[str]]) -> bool:
    first = table.rows[0]
    if first._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None:
        return len(rows) > 1
    runs = [run for cell in first.cells for p in cell.paragraphs for run in p.runs if run.text.strip()]
    if runs and all(run.bold for run in runs):
        return len(rows) > 1
    return len(rows[0]) >= MIN_HEADER_GUESS_COLUMNS and looks_like_header(rows[0], rows[1:])
