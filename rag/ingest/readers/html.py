"""HTML reader: the page's main content (see html_boilerplate) walked into blocks with lxml.

Headings, paragraphs, list items (one per <li>, nested ones too, ordered ones numbered), <pre> as one code block
with its newlines, table rows with header cells as prefixes, and block quotes. Layout tables (cells holding
paragraphs or other blocks) are read as ordinary content. Location is the nearest heading.

trafilatura and readability-lxml were measured on the Debian FAQ and the Git user manual and both lose headings and
flatten <pre> blocks, so the walk is our own.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from rag.ingest.readers.blocks import Block, BlockKind, ReadResult, UnreadableDocument
from rag.ingest.readers.encoding import decode_text
from rag.ingest.readers.html_boilerplate import has_form_only_content, main_content
from rag.ingest.readers.rows import row_text
from rag.ingest.readers.structure import finish_blocks
from rag.ingest.readers.whitespace import collapse_spaces

MIN_TEXT_BESIDE_FORM = 200
HEADINGS = {f"h{n}": n for n in range(1, 7)}
BLOCK_TAGS = frozenset(
    "address article aside blockquote body dd details div dl dt fieldset figcaption figure footer header hr li main"
    " ol p pre section summary table tbody thead tfoot tr td th ul center".split()
) | frozenset(HEADINGS)
_DECLARED = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)|<\?xml[^>]+encoding=["']([\w-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass
class _Walk:
    blocks: list[Block] = field(default_factory=list)
    buffer: list[str] = field(default_factory=list)


def read_html(name: str, data: bytes) -> ReadResult:
    """Blocks of an HTML page's main content.

    Raises:
        UnreadableDocument: the page has no readable text, or only a form (a login page).
    """
    declared = _DECLARED.search(data[:4096])
    charset = None if declared is None else (declared.group(1) or declared.group(2)).decode("ascii")
    text, warnings = decode_text(name, data, declared=charset)
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1))
    except etree.ParserError:  # nothing but comments or whitespace
        raise UnreadableDocument(f"{name} has no readable text") from None
    form_only = has_form_only_content(root)
    blocks = finish_blocks(html_blocks(main_content(root)), location_from_heading=True)
    if form_only and sum(len(b.text) for b in blocks) < MIN_TEXT_BESIDE_FORM:
        raise UnreadableDocument(f"{name} has no readable text (only a form)")
    return ReadResult(blocks, "html", warnings)


def html_blocks(content: HtmlElement) -> list[Block]:
    """Blocks of an already pruned content element, in document order."""
    walk = _Walk()
    _container(walk, content, BlockKind.PARAGRAPH)
    return walk.blocks


def _container(walk: _Walk, element: HtmlElement, kind: BlockKind) -> None:
    """Inline text gathers into one block of ``kind``; each block-level child ends it and is read on its own."""
    walk.buffer.append(element.text or "")
    for child in _children(element):
        if child.tag in BLOCK_TAGS and not (kind == BlockKind.LIST_ITEM and child.tag in ("p", "div", "span")):
            _flush(walk, kind)
            _block(walk, child, kind)
        elif child.tag == "br":
            walk.buffer.append("\n")
        elif child.tag in BLOCK_TAGS:
            _container(walk, child, kind)
        else:
            _inline(walk, child, kind)
        walk.buffer.append(child.tail or "")
    _flush(walk, kind)


def _inline(walk: _Walk, element: HtmlElement, kind: BlockKind) -> None:
    if any(descendant.tag in BLOCK_TAGS for descendant in element.iterdescendants()):
        _container(walk, element, kind)
    else:
        walk.buffer.append("".join(element.itertext()))


def _block(walk: _Walk, element: HtmlElement, kind: BlockKind) -> None:
    tag = element.tag
    if tag in HEADINGS:
        text = collapse_spaces("".join(element.itertext()))
        walk.blocks.append(Block(BlockKind.HEADING, text, level=HEADINGS[tag]))
    elif tag == "pre":
        walk.blocks.append(Block(BlockKind.CODE, code_text(element)))
    elif tag in ("ul", "ol"):
        _list(walk, element)
    elif tag == "blockquote":
        _container(walk, element, BlockKind.QUOTE)
    elif tag == "table":
        _table(walk, element, kind)
    elif tag != "hr":
        _container(walk, element, BlockKind.QUOTE if kind == BlockKind.QUOTE else BlockKind.PARAGRAPH)


def _list(walk: _Walk, element: HtmlElement) -> None:
    number = _int(element.get("start"), 1)
    for item in _children(element):
        if item.tag != "li":  # stray content between items, as sloppy pages have
            _container(walk, item, BlockKind.PARAGRAPH)
            continue
        if element.tag == "ol":
            walk.buffer.append(f"{number}. ")
            number += 1
        _container(walk, item, BlockKind.LIST_ITEM)


def _table(walk: _Walk, table: HtmlElement, kind: BlockKind) -> None:
    rows = [row for row in table.iter("tr") if _owner_table(row) is table]
    cells = [[cell for cell in row if cell.tag in ("td", "th")] for row in rows]
    if any(_holds_blocks(cell) for row in cells for cell in row):
        for row in cells:
            for cell in row:
                _container(walk, cell, kind)
        return
    texts = [[collapse_spaces("".join(cell.itertext())) for cell in row] for row in cells]
    header: list[str] = []
    if texts and cells[0] and all(cell.tag == "th" for cell in cells[0]):
        header, texts = texts[0], texts[1:]
    for row in texts:
        walk.blocks.append(Block(BlockKind.TABLE_ROW, row_text(header, row)))


def code_text(pre: HtmlElement) -> str:
    """A <pre> block's text with its line breaks and relative indentation, trimmed of blank edges."""
    lines = "".join(pre.itertext()).replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    return textwrap.dedent("\n".join(line.rstrip() for line in lines)).strip("\n")


def _flush(walk: _Walk, kind: BlockKind) -> None:
    text = collapse_spaces("".join(walk.buffer))
    walk.buffer.clear()
    if text and not re.fullmatch(r"\d+\.", text):
        walk.blocks.append(Block(kind, text))


def _children(element: HtmlElement) -> Iterator[HtmlElement]:
    """Element children only; comments and processing instructions carry no text a reader sees."""
    return (child for child in element if isinstance(child.tag, str) and child.tag is not etree.Comment)


def _owner_table(row: HtmlElement) -> HtmlElement | None:
    return next(row.iterancestors("table"), None)


def _holds_blocks(cell: HtmlElement) -> bool:
    return any(d.tag in ("p", "div", "table", "ul", "ol", "pre", *HEADINGS) for d in cell.iterdescendants())


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
