"""Joins a PDF page's lines into paragraphs and list items, and mends words hyphenated at a line end.

A new block starts at a heading line, at a bullet ("•", "-", "1."), after a vertical gap of more than 1.4 line
pitches, at a first-line indent (a line starting more than 0.8 line heights right of the one before), when a
list item's text returns to the bullet's margin without a bullet, or after a line that ends a sentence well short
(15 % of the column) of the right margin. "informa-" + "tion" becomes "information" when the next line starts in
lower case (otherwise the hyphen stays, with no space); PDFium's soft-hyphen mark always joins. A line that is
only a small number (a footnote mark set smaller than the text) is dropped.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from rag.ingest.readers.blocks import Block, BlockKind
from rag.ingest.readers.pdf_lines import PdfLine, PdfPage
from rag.ingest.readers.pdf_margins import line_pitch
from rag.ingest.readers.whitespace import ends_sentence, join_pair

GAP_PITCHES = 1.4
INDENT_HEIGHTS = 0.8
SHORT_LINE_SHARE = 0.15
MARK_HEIGHT_SHARE = 0.8
_MARK = re.compile(r"^\d{1,3}$")
_BULLET = re.compile(r"^(?:[•·◦▪‣●○■□–\-*]|\d{1,3}[.)]|\(\w{1,3}\))\s+")
_GLYPH_BULLET = re.compile(r"^[•·◦▪‣●○■□–\-*]\s+")
_SOFT_HYPHENS = ("\ufffe", "\x02", "\u00ad")


@dataclass
class _Draft:
    kind: BlockKind
    lines: list[PdfLine] = field(default_factory=list)
    level: int = 0


@dataclass(frozen=True)
class _Column:
    left: float
    right: float
    pitch: float


def page_blocks(page: PdfPage, heading_levels: dict[int, int]) -> list[Block]:
    """Blocks of one page; ``heading_levels`` maps the index of each heading line to its level (from the outline)."""
    if not page.lines:
        return []
    column = _column(page.lines)
    usual_height = statistics.median(line.height for line in page.lines)
    drafts: list[_Draft] = []
    for index, line in enumerate(page.lines):
        if _MARK.match(line.text) and line.height < MARK_HEIGHT_SHARE * usual_height:
            continue
        level = heading_levels.get(index)
        previous = page.lines[index - 1] if index else None
        current = drafts[-1] if drafts else None
        if level is not None:
            if current is not None and current.kind == BlockKind.HEADING and heading_levels.get(index - 1) == level:
                current.lines.append(line)
            else:
                drafts.append(_Draft(BlockKind.HEADING, [line], level))
        elif current is None or previous is None or _starts_block(current, previous, line, column):
            kind = BlockKind.LIST_ITEM if _BULLET.match(line.text) else BlockKind.PARAGRAPH
            drafts.append(_Draft(kind, [line]))
        else:
            current.lines.append(line)
    return [_block(draft, page.number) for draft in drafts]


def join_pdf_lines(texts: list[str]) -> str:
    """Join a block's lines, mending hyphenation at line ends."""
    text = ""
    for piece in texts:
        piece = piece.strip()
        if text.endswith(_SOFT_HYPHENS):
            text = text[:-1] + piece
        elif text.endswith("-") and len(text) > 1 and text[-2].isalpha():
            # "informa-" + "tion" is one word; "GNU/Linux-" + "Hurd" is a compound broken at its own hyphen.
            text = (text[:-1] if piece[:1].islower() else text) + piece
        else:
            text = join_pair(text, piece)
    return "".join(ch for ch in text if ch not in _SOFT_HYPHENS)


def _starts_block(current: _Draft, previous: PdfLine, line: PdfLine, column: _Column) -> bool:
    if current.kind == BlockKind.HEADING or _BULLET.match(line.text):
        return True
    step = previous.bottom - line.bottom
    if step <= 0 or step > GAP_PITCHES * column.pitch:
        return True
    if current.kind == BlockKind.LIST_ITEM:
        return line.left <= current.lines[0].left + 1.0
    if line.left > previous.left + INDENT_HEIGHTS * line.height:
        return True
    short = previous.right < column.right - SHORT_LINE_SHARE * (column.right - column.left)
    return short and ends_sentence(previous.text)


def _column(lines: list[PdfLine]) -> _Column:
    """The text column's usual left and right edges (10th and 90th percentiles) and line pitch."""
    lefts = sorted(line.left for line in lines)
    rights = sorted(line.right for line in lines)
    return _Column(lefts[len(lefts) // 10], rights[(9 * len(rights)) // 10], line_pitch(lines))


def _block(draft: _Draft, page_number: int) -> Block:
    text = join_pdf_lines([line.text for line in draft.lines])
    if draft.kind == BlockKind.LIST_ITEM:
        text = _GLYPH_BULLET.sub("", text)
    return Block(draft.kind, text, location=f"p. {page_number}", level=draft.level)
