"""Pure clean-up shared by every reader: drop blanks and repeats, give blocks section paths, link lead-ins."""

from __future__ import annotations

import dataclasses
import re

from rag.ingest.readers.blocks import Block, BlockKind

# Shorter repeats ("Output:", "然后运行", "}") are normal in documents; longer ones are boilerplate.
MIN_REPEAT_CHARS = 30
LEAD_IN_ENDINGS = (":", "：")
LEAD_IN_MEMBERS = frozenset({BlockKind.LIST_ITEM, BlockKind.CODE, BlockKind.TABLE_ROW})
BEFORE_FIRST_HEADING = "start of document"
_SPACES = re.compile(r"\s+")


def finish_blocks(
    blocks: list[Block], *, sections_from_headings: bool = True, location_from_heading: bool = False
) -> list[Block]:
    """Run the shared clean-up in its one valid order; lead-ins come last because they are list indices.

    Args:
        blocks: a reader's blocks in document order.
        sections_from_headings: derive ``section`` from HEADING blocks (a reader that knows better, such as the PDF
            outline, sets sections itself and passes False).
        location_from_heading: set ``location`` to the nearest heading (HTML and DOCX have no line or page).
    """
    kept = drop_repeats([b for b in blocks if b.text.strip()])
    if sections_from_headings:
        kept = assign_sections(kept)
    if location_from_heading:
        kept = locate_by_heading(kept)
    return link_lead_ins(kept)


def normalised(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def drop_repeats(blocks: list[Block]) -> list[Block]:
    """Drop a block whose text repeats an earlier block's; headings, code and short blocks may repeat."""
    seen: set[str] = set()
    kept = []
    for block in blocks:
        key = normalised(block.text)
        repeatable = block.kind in (BlockKind.HEADING, BlockKind.CODE) or len(key) < MIN_REPEAT_CHARS
        if not repeatable:
            if key in seen:
                continue
            seen.add(key)
        kept.append(block)
    return kept


def assign_sections(blocks: list[Block]) -> list[Block]:
    """Each block's section is the chain of headings above it; a heading closes every heading of its level or deeper."""
    stack: list[tuple[int, str]] = []
    result = []
    for block in blocks:
        if block.kind == BlockKind.HEADING:
            level = max(block.level, 1)
            stack = [entry for entry in stack if entry[0] < level] + [(level, block.text)]
        result.append(dataclasses.replace(block, section=tuple(title for _, title in stack)))
    return result


def locate_by_heading(blocks: list[Block]) -> list[Block]:
    """Location is the nearest heading above (or the block itself when it is one)."""
    return [
        dataclasses.replace(block, location=block.section[-1] if block.section else BEFORE_FIRST_HEADING)
        for block in blocks
    ]


def link_lead_ins(blocks: list[Block]) -> list[Block]:
    """A paragraph ending in a colon owns the list items, code blocks and table rows straight after it."""
    result = list(blocks)
    owner: int | None = None
    for index, block in enumerate(blocks):
        if block.kind in LEAD_IN_MEMBERS and owner is not None:
            result[index] = dataclasses.replace(block, lead_in=owner)
            continue
        is_lead_in = block.kind == BlockKind.PARAGRAPH and block.text.rstrip().endswith(LEAD_IN_ENDINGS)
        owner = index if is_lead_in else None
    return result
