"""Plain-text reader for the two kinds of .txt file, told apart by their layout, never by their name.

The rule: a file is **hard-wrapped** (paragraphs span several lines, separated by blank lines, as in RFCs, READMEs
and the Debian FAQ's text version) when all three hold:

1. at least half of its non-blank lines sit in blank-separated blocks of two or more lines;
2. the 95th percentile of line widths is at most 100 columns (a CJK character counts two), i.e. lines were wrapped;
3. at least half of the lines that continue into another line of their block end mid-sentence (not in . ! ? : ; 。
   ！ ？ ： ；), because a wrap falls where the width runs out, not where a sentence ends.

Plain-text markup that many hard-wrapped files use (AsciiDoc, Markdown, reStructuredText) is read too: a line
of four or more `-`, `.`, `` ` `` or `~` opens a literal block that runs to the same line again, and is one code
block, blank lines and all; a block opening with 1-6 `=` or `#` and a space is a heading of that level; a line
that is only an anchor or attribute list (`[[name]]`, `[preface]`) is markup, not text.

Otherwise it is **one paragraph per line** (news articles, exported chats): every non-blank line is a block and its
location is "line K", the K-th non-blank line. A hard-wrapped block's location is "lines A–B" (physical, 1-based).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from rag.ingest.readers.blocks import Block, BlockKind, ReadResult
from rag.ingest.readers.encoding import decode_text
from rag.ingest.readers.structure import finish_blocks
from rag.ingest.readers.whitespace import display_width, ends_sentence, join_lines

MIN_MULTI_LINE_SHARE = 0.5
MAX_WRAP_WIDTH = 100
MIN_MID_SENTENCE_SHARE = 0.5
MAX_HEADING_LINES = 3
MAX_HEADING_CHARS = 200
MAX_TITLE_CHARS = 80
# An indented block is prose, not code, when its wrapped lines run this close to the file's wrap width.
PROSE_FILL = 0.7
MIN_PROSE_WORDS = 5
MAX_LITERAL_LINES = 200
_BULLET = re.compile(r"^(?:[*\-+•·◦▪‣]|\d{1,3}(?:\.\d{1,3})*[.)]|\d{1,3}(?:\.\d{1,3})+|[a-zA-Z][.)]|\(\w{1,3}\))\s+")
_GLYPH_BULLET = re.compile(r"^[*\-+•·◦▪‣]\s+")
_SECTION_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+\S")
_UNDERLINE = re.compile(r"^\s*(={3,}|-{3,}|~{3,})\s*$")
_RULE = re.compile(r"^[\s\-=*_~#+.]*$")
_DELIMITER = re.compile(r"^(-{4,}|\.{4,}|`{3,}|~{4,})\s*$")
_MARKUP_HEADING = re.compile(r"^(={1,6}|#{1,6})\s+(\S.*?)\s*(?:\1)?\s*$")
_ANCHOR = re.compile(r"^\[\[?[^\]]*\]\]?\s*$")


@dataclass(frozen=True)
class LineBlock:
    """Blank-separated lines; ``first`` is the 1-based number of the first line."""

    first: int
    lines: list[str]

    @property
    def last(self) -> int:
        return self.first + len(self.lines) - 1


def read_text(name: str, data: bytes) -> ReadResult:
    """Decode a .txt file and split it by the rule in this module's docstring."""
    text, warnings = decode_text(name, data)
    lines = text.splitlines()
    if is_hard_wrapped(lines):
        return ReadResult(finish_blocks(wrapped_blocks(lines)), "txt-blocks", warnings)
    return ReadResult(finish_blocks(line_blocks(lines)), "txt-lines", warnings)


def split_line_blocks(lines: list[str]) -> list[LineBlock]:
    """Blank-separated blocks; a delimited literal block stays one block, its delimiters included."""
    blocks: list[LineBlock] = []
    current: list[str] = []
    fence: str | None = None
    padded = [*lines, ""]
    for number, line in enumerate(padded, start=1):
        stripped = line.strip()
        if fence is None and _DELIMITER.match(stripped) and _opens_literal(padded, number - 1):
            if current:
                blocks.append(LineBlock(number - len(current), current))
            current, fence = [line.rstrip()], stripped
        elif fence is not None:
            current.append(line.rstrip())
            if stripped == fence or (number == len(lines) + 1):
                blocks.append(LineBlock(number - len(current) + 1, [c for c in current if c or True]))
                current, fence = [], None
        elif stripped and not _ANCHOR.match(stripped):
            current.append(line.rstrip())
        elif current and not stripped:
            blocks.append(LineBlock(number - len(current), current))
            current = []
    return blocks


def _opens_literal(lines: list[str], i: int) -> bool:
    """A delimiter opens a literal block when text follows it at once and the same delimiter closes it
    soon after; a rule between sections stands between blank lines."""
    if i + 1 >= len(lines) or not lines[i + 1].strip():
        return False
    fence = lines[i].strip()
    return any(line.strip() == fence for line in lines[i + 1 : i + 1 + MAX_LITERAL_LINES])


def is_hard_wrapped(lines: list[str]) -> bool:
    """The three-part rule of the module docstring."""
    blocks = split_line_blocks(lines)
    filled = [line for block in blocks for line in block.lines]
    if not filled:
        return False
    in_multi = sum(len(b.lines) for b in blocks if len(b.lines) > 1)
    p95 = _wrap_width(blocks)
    interior = [line for b in blocks for line in b.lines[:-1]]
    mid_sentence = sum(1 for line in interior if not ends_sentence(line))
    return (
        in_multi >= MIN_MULTI_LINE_SHARE * len(filled)
        and p95 <= MAX_WRAP_WIDTH
        and mid_sentence >= MIN_MID_SENTENCE_SHARE * max(len(interior), 1)
    )


def line_blocks(lines: list[str]) -> list[Block]:
    """One block per non-blank line, its text the stripped line as it stands (bullet included, so
    `grep -v '^\\s*$' FILE | sed -n Kp` shows it); a line over an underline (=== or ---) is a heading."""
    filled = [line.strip() for line in lines if line.strip()]
    blocks = []
    for number, line in enumerate(filled, start=1):
        if _UNDERLINE.match(line) and blocks and blocks[-1].kind == BlockKind.PARAGRAPH:
            blocks[-1] = Block(BlockKind.HEADING, blocks[-1].text, location=blocks[-1].location, level=1)
            continue
        kind = BlockKind.LIST_ITEM if _BULLET.match(line) else BlockKind.PARAGRAPH
        blocks.append(Block(kind, line, location=f"line {number}"))
    return blocks


def wrapped_blocks(lines: list[str]) -> list[Block]:
    """Blocks of a hard-wrapped file: headings, list items, indented code and joined prose."""
    raw = split_line_blocks(lines)
    layout = _Layout(prose_indent=_modal_indent(raw), wrap_width=_wrap_width(raw))
    blocks: list[Block] = []
    for block in raw:
        blocks.extend(_classify(block, layout))
    return blocks


@dataclass(frozen=True)
class _Layout:
    prose_indent: int
    wrap_width: int


def _classify(block: LineBlock, layout: _Layout) -> list[Block]:
    first = block.lines[0]
    if _DELIMITER.match(first.strip()):
        inner = [line for line in block.lines[1:] if not _DELIMITER.match(line.strip())]
        text = "\n".join(inner).strip("\n")
        return [Block(BlockKind.CODE, text, location=_lines(block))] if text.strip() else []
    if all(_RULE.match(line) for line in block.lines):
        return []
    marked = _MARKUP_HEADING.match(first.strip())
    if marked:
        level = len(marked.group(1))
        heading = Block(BlockKind.HEADING, marked.group(2), location=f"line {block.first}", level=level)
        rest = LineBlock(block.first + 1, block.lines[1:])
        return [heading, *(_classify(rest, layout) if rest.lines else [])]
    heading = _heading(block, layout.prose_indent)
    if heading is not None:
        return [heading]
    if _BULLET.match(first.lstrip()):
        return _list_items(block)
    indent = _indent(first)
    if indent > layout.prose_indent + 1:
        return [_prose(block) if _reads_as_prose(block, layout.wrap_width) else _code(block)]
    deeper = next((i for i, line in enumerate(block.lines) if _indent(line) > indent + 1), None)
    if deeper is not None:
        lead = LineBlock(block.first, block.lines[:deeper])
        rest = LineBlock(block.first + deeper, block.lines[deeper:])
        return [_prose(lead), _code(rest)]
    return [_prose(block)]


def _heading(block: LineBlock, prose_indent: int) -> Block | None:
    """An underlined line, a short numbered title ("4.2 Foo") not indented deeper than the prose, or a short line
    set out to the left of indented prose ("Chapter 1. Overview")."""
    lines = block.lines
    if len(lines) == 2 and _UNDERLINE.match(lines[1]):
        level = {"=": 1, "-": 2}.get(lines[1].strip()[0], 3)
        return Block(BlockKind.HEADING, _join(lines[:1]), location=_lines(block), level=level)
    if len(lines) == 1 and _indent(lines[0]) < prose_indent and len(lines[0].strip()) <= MAX_TITLE_CHARS:
        if not _SECTION_NUMBER.match(lines[0].lstrip()) and not ends_sentence(lines[0]):
            return Block(BlockKind.HEADING, _join(lines), location=_lines(block), level=1)
    match = _SECTION_NUMBER.match(lines[0].lstrip())
    if match is None or len(lines) > MAX_HEADING_LINES:
        return None
    text = _join(lines)
    parts = match.group(1).split(".")
    indent = _indent(lines[0])
    placed = indent < prose_indent or (len(parts) > 1 and indent <= prose_indent)
    if not placed or len(text) > MAX_HEADING_CHARS:
        return None
    return Block(BlockKind.HEADING, text, location=_lines(block), level=len(parts))


def _list_items(block: LineBlock) -> list[Block]:
    items: list[LineBlock] = []
    for offset, line in enumerate(block.lines):
        if _BULLET.match(line.lstrip()) or not items:
            items.append(LineBlock(block.first + offset, [line]))
        else:
            items[-1].lines.append(line)
    return [
        Block(BlockKind.LIST_ITEM, _GLYPH_BULLET.sub("", _join(item.lines)), location=_lines(item)) for item in items
    ]


def _reads_as_prose(block: LineBlock, wrap_width: int) -> bool:
    """Wrapped prose fills its lines to near the wrap width and ends a sentence; code is ragged and rarely does."""
    if not ends_sentence(block.lines[-1]):
        return False
    if len(block.lines) == 1:
        line = block.lines[0].strip()
        return len(line.split()) >= MIN_PROSE_WORDS and line[-1] in ".!?。！？"
    return all(display_width(line.strip()) >= PROSE_FILL * wrap_width for line in block.lines[:-1])


def _wrap_width(blocks: list[LineBlock]) -> int:
    widths = sorted(display_width(line.strip()) for block in blocks for line in block.lines)
    return widths[min(len(widths) - 1, int(0.95 * len(widths)))] if widths else 0


def _code(block: LineBlock) -> Block:
    margin = min(_indent(line) for line in block.lines)
    return Block(BlockKind.CODE, "\n".join(line[margin:] for line in block.lines), location=_lines(block))


def _prose(block: LineBlock) -> Block:
    return Block(BlockKind.PARAGRAPH, _join(block.lines), location=_lines(block))


def _join(lines: list[str]) -> str:
    return join_lines([line.strip() for line in lines])


def _indent(line: str) -> int:
    return len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip())


def _modal_indent(blocks: list[LineBlock]) -> int:
    """The indentation most lines have: the prose margin that code is indented beyond."""
    counts = Counter(_indent(line) for block in blocks for line in block.lines)
    return counts.most_common(1)[0][0] if counts else 0


def _lines(block: LineBlock) -> str:
    return f"line {block.first}" if block.first == block.last else f"lines {block.first}–{block.last}"
