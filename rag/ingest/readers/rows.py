"""How a table row reads as one block, shared by the Markdown, HTML and Word readers."""

from __future__ import annotations

import re

MAX_HEADER_CELL_CHARS = 40
_NUMBER = re.compile(r"^[\s$€£¥%+\-.,\d]+$")


def row_text(header: list[str], cells: list[str]) -> str:
    """ "Name: x | Size: y" under a header, "x | y" without one; empty cells are left out.

    >>> row_text(["Name", "Size"], ["a", "1"])
    'Name: a | Size: 1'
    """
    heads = header + [""] * max(0, len(cells) - len(header))
    return " | ".join(f"{head}: {cell}" if head else cell for head, cell in zip(heads, cells, strict=False) if cell)


def looks_like_header(first: list[str], rest: list[list[str]]) -> bool:
    """A first row of short, non-empty, non-numeric cells above at least one more row is taken as a header."""
    return bool(rest) and all(cell and len(cell) <= MAX_HEADER_CELL_CHARS and not _NUMBER.match(cell) for cell in first)
