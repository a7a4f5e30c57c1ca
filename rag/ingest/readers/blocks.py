"""The records every reader returns: a file becomes a flat list of typed blocks a person can find again."""

from __future__ import annotations

from dataclasses import dataclass

from rag.errors import UnreadableDocument  # noqa: F401 - re-exported
from rag.types import Kind as BlockKind  # one enum: a block's kind becomes its paragraph's kind


@dataclass(frozen=True)
class Block:
    """One unit of a document as a person reads it.

    A code block keeps its newlines and is one block. ``section`` holds the headings above the block, outermost
    first; a heading's own section ends with itself. ``lead_in`` is the index, in the same list, of the paragraph
    ending in ":" that introduces this list item, code block or table row.
    """

    kind: BlockKind
    text: str
    section: tuple[str, ...] = ()
    location: str = ""
    level: int = 0
    lead_in: int | None = None


@dataclass(frozen=True)
class ReadResult:
    blocks: list[Block]
    format: str
    warnings: list[str]
