"""Markdown reader: markdown-it-py's CommonMark token stream (with tables and front matter) walked into blocks.

Each list item is one block, nested ones too; a fenced or indented code block is one block; a table gives one
block per body row with the header cells as prefixes ("Name: x | Size: y"). Locations are "lines A–B" (1-based).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import lxml.html
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from rag.ingest.readers.blocks import Block, BlockKind, ReadResult
from rag.ingest.readers.encoding import decode_text
from rag.ingest.readers.rows import row_text
from rag.ingest.readers.structure import finish_blocks
from rag.ingest.readers.whitespace import collapse_spaces


@dataclass
class _Item:
    """A list item being collected: its paragraphs become one block."""

    prefix: str
    parts: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


@dataclass
class _Walk:
    blocks: list[Block] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)
    quote_depth: int = 0
    header: list[str] = field(default_factory=list)
    row: list[str] | None = None
    row_map: list[int] | None = None
    in_head: bool = False


def read_markdown(name: str, data: bytes) -> ReadResult:
    text, warnings = decode_text(name, data)
    return ReadResult(finish_blocks(markdown_blocks(text)), "markdown", warnings)


def markdown_blocks(text: str) -> list[Block]:
    """Blocks of a Markdown document in reading order."""
    parser = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
    tokens = parser.parse(text)
    walk = _Walk()
    for index, token in enumerate(tokens):
        _step(walk, token, tokens[index + 1] if index + 1 < len(tokens) else None)
    return walk.blocks


def _step(walk: _Walk, token: Token, following: Token | None) -> None:
    kind = token.type
    if kind == "heading_open" and following is not None:
        level = int(token.tag[1])
        walk.blocks.append(Block(BlockKind.HEADING, inline_text(following), location=_lines(token.map), level=level))
    elif kind == "paragraph_open" and following is not None:
        _paragraph(walk, inline_text(following), token.map)
    elif kind in ("fence", "code_block"):
        _flush_item(walk)
        walk.blocks.append(Block(BlockKind.CODE, token.content.rstrip("\n"), location=_lines(token.map)))
    elif kind == "html_block":
        _paragraph(walk, collapse_spaces(_html_text(token.content)), token.map)
    elif kind == "list_item_open":
        _flush_item(walk)
        prefix = f"{token.info}{token.markup} " if token.info else ""
        walk.items.append(_Item(prefix))
    elif kind == "list_item_close":
        _flush_item(walk)
        walk.items.pop()
    elif kind == "blockquote_open":
        walk.quote_depth += 1
    elif kind == "blockquote_close":
        walk.quote_depth -= 1
    else:
        _table_step(walk, token, following)


def _table_step(walk: _Walk, token: Token, following: Token | None) -> None:
    kind = token.type
    if kind == "thead_open":
        walk.in_head, walk.header = True, []
    elif kind == "thead_close":
        walk.in_head = False
    elif kind == "tr_open":
        walk.row, walk.row_map = [], token.map
    elif kind in ("th_open", "td_open") and following is not None and walk.row is not None:
        walk.row.append(inline_text(following))
    elif kind == "tr_close" and walk.row is not None:
        if walk.in_head:
            walk.header = walk.row
        else:
            text = row_text(walk.header, walk.row)
            walk.blocks.append(Block(BlockKind.TABLE_ROW, text, location=_lines(walk.row_map)))
        walk.row = None


def _paragraph(walk: _Walk, text: str, line_map: list[int] | None) -> None:
    if walk.items:
        item = walk.items[-1]
        item.parts.append(text)
        item.lines.extend(line_map or [])
        return
    kind = BlockKind.QUOTE if walk.quote_depth else BlockKind.PARAGRAPH
    walk.blocks.append(Block(kind, text, location=_lines(line_map)))


def _flush_item(walk: _Walk) -> None:
    """Emit what the innermost list item has collected so far: before a nested list or code block, or at its end."""
    if not walk.items or not walk.items[-1].parts:
        return
    item = walk.items[-1]
    text = item.prefix + " ".join(item.parts)
    walk.blocks.append(Block(BlockKind.LIST_ITEM, text, location=_lines([min(item.lines), max(item.lines)])))
    item.parts, item.lines, item.prefix = [], [], ""


def inline_text(token: Token) -> str:
    """An inline token's text as read: code spans kept, markup and images dropped, line breaks joined."""
    pieces = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            pieces.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append("\n")
    return collapse_spaces("".join(pieces))


def _html_text(html: str) -> str:
    fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    for junk in fragment.xpath(".//script|.//style"):
        junk.drop_tree()
    return fragment.text_content()


def _lines(line_map: list[int] | None) -> str:
    """markdown-it maps are 0-based and end-exclusive; people count lines from 1."""
    if not line_map:
        return ""
    first, last = line_map[0] + 1, max(line_map[-1], line_map[0] + 1)
    return f"line {first}" if first == last else f"lines {first}–{last}"
