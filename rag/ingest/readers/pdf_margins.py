"""Running headers, footers and page numbers: lines at a page's edge that belong to the layout, not the text.

A line at the top or bottom edge of a page (its first or last two lines) is dropped when:

1. its text, with digits replaced, is at that edge on more than half of the pages (at least 3): "ACME report  12";
2. it sits at the same height as the edge line of more than half of the pages (at least 3) and is set apart from
   the body by a gap of more than 1.5 line pitches: running headers that change with the chapter;
3. it is a bare page number ("12", "- 12 -", "xii", "Page 3 of 10", "第 3 页").

Dot-leader lines of a table of contents ("Installing ........ 12") are dropped wherever they are, and a page where
at least a third of the lines are such lines is a contents page and is dropped whole.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter

from rag.ingest.readers.pdf_lines import PdfLine, PdfPage

EDGE_LINES = 2
MIN_PAGES = 3
SAME_HEIGHT_PT = 2.0
SEPARATION_PITCHES = 1.5
CONTENTS_PAGE_SHARE = 1 / 3
# The words are the page-number forms of the two languages this project reads.
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—(\[]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)\]]?(?:\s*(?:/|of)\s*\d{1,4})?$"
    r"|^第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$",
    re.IGNORECASE,
)
_TOC_LEADER = re.compile(r"(?:\.\s*){4,}\s*\d{1,4}$")
_DIGITS = re.compile(r"\d+")


def drop_running_lines(pages: list[PdfPage]) -> list[PdfPage]:
    """The pages without running headers, footers, page numbers and contents leaders (rules in the docstring)."""
    repeated = {edge: _repeated_texts(pages, edge) for edge in ("top", "bottom")}
    bands = {edge: _shared_band(pages, edge) for edge in ("top", "bottom")}
    result = []
    for page in pages:
        dropped = set()
        for edge in ("top", "bottom"):
            for index in _edge_indices(page, edge):
                line = page.lines[index]
                if _PAGE_NUMBER.match(line.text.strip()) or _key(line) in repeated[edge]:
                    dropped.add(index)
            set_apart = _set_apart_edge_line(page, edge, bands[edge])
            if set_apart is not None:
                dropped.add(set_apart)
        leaders = {i for i, line in enumerate(page.lines) if _TOC_LEADER.search(line.text)}
        if len(leaders) >= CONTENTS_PAGE_SHARE * len(page.lines):
            leaders = set(range(len(page.lines)))
        kept = [line for i, line in enumerate(page.lines) if i not in dropped | leaders]
        result.append(PdfPage(page.number, kept))
    return result


def line_pitch(lines: list[PdfLine]) -> float:
    """The usual distance between baselines of consecutive lines on a page."""
    steps = [
        a.bottom - b.bottom for a, b in zip(lines, lines[1:], strict=False) if 0 < a.bottom - b.bottom < 3 * a.height
    ]
    return statistics.median(steps) if steps else 12.0


def _edge_indices(page: PdfPage, edge: str) -> list[int]:
    order = sorted(range(len(page.lines)), key=lambda i: page.lines[i].top, reverse=edge == "top")
    return order[:EDGE_LINES]


def _key(line: PdfLine) -> str:
    return " ".join(_DIGITS.sub("#", line.text).split()).casefold()


def _repeated_texts(pages: list[PdfPage], edge: str) -> set[str]:
    if len(pages) < MIN_PAGES:
        return set()
    counts = Counter(key for page in pages for key in {_key(page.lines[i]) for i in _edge_indices(page, edge)})
    return {key for key, count in counts.items() if count > len(pages) / 2}


def _edge_y(line: PdfLine, edge: str) -> float:
    return line.top if edge == "top" else line.bottom


def _shared_band(pages: list[PdfPage], edge: str) -> float | None:
    """The height most pages' outermost line sits at, when more than half of them share it."""
    outer = [_edge_y(page.lines[_edge_indices(page, edge)[0]], edge) for page in pages if page.lines]
    if len(pages) < MIN_PAGES or not outer:
        return None
    counts = Counter(round(y / SAME_HEIGHT_PT) for y in outer)
    band, count = counts.most_common(1)[0]
    return band * SAME_HEIGHT_PT if count > len(pages) / 2 else None


def _set_apart_edge_line(page: PdfPage, edge: str, band: float | None) -> int | None:
    """The outermost line's index when it is in the shared band and a wide gap parts it from the body."""
    if band is None or len(page.lines) < 2:
        return None
    first, second = _edge_indices(page, edge)[:2]
    outer, inner = page.lines[first], page.lines[second]
    if abs(_edge_y(outer, edge) - band) > SAME_HEIGHT_PT:
        return None
    gap = outer.bottom - inner.bottom if edge == "top" else inner.bottom - outer.bottom
    return first if gap > SEPARATION_PITCHES * line_pitch(page.lines) else None
