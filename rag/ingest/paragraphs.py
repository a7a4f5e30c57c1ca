"""A reader's blocks become numbered, structured Paragraphs with contextual headers. Pure.

The address rule: paragraph N of a one-paragraph-per-line .txt file (format "txt-lines") is its
N-th non-blank line, stripped, counted over the whole file, so `grep -v '^\\s*$' FILE | sed -n Np`
prints it; a line that repeats an earlier one keeps its number but is not indexed. Paragraph N of
every other format is its N-th block in reading order, as the reader returns it.

>>> from rag.ingest.readers import read_document
>>> [p.kind.value for p in build_paragraphs("a.md", read_document("a.md", b"# Setup\\n\\nRun:\\n\\n    make"))]
['heading', 'paragraph', 'code']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rag.ingest.context import (
    TITLE_WINDOW,
    best_title,
    is_list_item,
    is_meta,
    is_title_candidate,
    line_headings,
    list_runs,
    meta_line,
)
from rag.ingest.readers import Block, ReadResult, read_document
from rag.ingest.twins import PROSE, align_twins, language_parts
from rag.lang.text import language
from rag.types import Kind, Paragraph, Role

TXT_LINES = "txt-lines"
SECTION_SEPARATOR = " › "
HEADER_SEPARATOR = " | "
_LINE = re.compile(r"^line (\d+)$")
_TITLE_KINDS = (Kind.PARAGRAPH, Kind.HEADING)


@dataclass(frozen=True)
class _Draft:
    """A block with its paragraph number and the number of the lead it belongs to."""

    number: int
    kind: Kind
    text: str
    section: tuple[str, ...]
    location: str
    group: int | None = None


def build_paragraphs(source: str, result: ReadResult) -> list[Paragraph]:
    """Every paragraph of one read document, numbered, with header, group, section and twins."""
    lines = result.format == TXT_LINES
    drafts = _line_drafts(result.blocks) if lines else _block_drafts(result.blocks)
    langs = [language(d.text) if d.kind in PROSE else None for d in drafts]
    starts = language_parts(langs)
    titles = _part_titles(drafts, starts)
    if lines:
        drafts = _line_structure(drafts, titles, starts)
    meta = meta_line([d.text for d in drafts if d.kind == Kind.PARAGRAPH])
    by_number = {d.number: d for d in drafts}
    paragraphs = [_paragraph(source, d, titles[starts[i]], meta, by_number) for i, d in enumerate(drafts)]
    return align_twins(paragraphs, bilingual=len(set(starts)) > 1)


def split_paragraphs(source: str, raw: str) -> list[Paragraph]:
    """The paragraphs of text `raw` read as a file named `source` would be ([] when blank)."""
    if not raw.strip():
        return []
    return build_paragraphs(source, read_document(source, raw.encode("utf-8")))


def non_blank_lines(raw: str) -> list[str]:
    """A plain-text file's lines as the address rule counts them; index i holds paragraph i + 1."""
    return [line.strip() for line in raw.splitlines() if line.strip()]


def _line_drafts(blocks: Sequence[Block]) -> list[_Draft]:
    """One draft per kept line, numbered by its place among the non-blank lines; exact repeats go."""
    seen: set[str] = set()
    drafts = []
    for block in blocks:
        match = _LINE.match(block.location)
        if match is None or block.text in seen:
            continue
        seen.add(block.text)
        drafts.append(_Draft(int(match.group(1)), block.kind, block.text, (), block.location))
    return drafts


def _block_drafts(blocks: Sequence[Block]) -> list[_Draft]:
    """Blocks numbered in reading order; a lead-in owns what it introduces, a bare list its first item."""
    groups: dict[int, int] = {}
    for i, block in enumerate(blocks):
        if block.lead_in is not None:
            groups[i] = groups[block.lead_in] = block.lead_in
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and blocks[j].kind == Kind.LIST_ITEM and j not in groups:
            j += 1
        if j - i >= 2:
            groups.update((k, i) for k in range(i, j))
        i = max(j, i + 1)
    return [
        _Draft(i + 1, b.kind, b.text, b.section, b.location, groups[i] + 1 if i in groups else None)
        for i, b in enumerate(blocks)
    ]


def _part_titles(drafts: Sequence[_Draft], starts: Sequence[int]) -> dict[int, str]:
    """Each language part's title: its first heading near the top, else its best-summarising line.

    Only prose and heading blocks can be titles (never code), and never a byline.
    """
    titles: dict[int, str] = {}
    previous = ""
    for start in sorted(set(starts)):
        part = [d for d, s in zip(drafts, starts, strict=True) if s == start]
        window = [d for d in part if d.kind in _TITLE_KINDS][:TITLE_WINDOW]
        candidates = [d for d in window if is_title_candidate(d.text) and not is_meta(d.text)]
        headings = [d.text for d in candidates if d.kind == Kind.HEADING]
        if headings:
            previous = headings[0]
        elif candidates:
            previous = best_title([d.text for d in candidates], [d.text for d in part])
        titles[start] = previous
    return titles


def _line_structure(drafts: list[_Draft], titles: dict[int, str], starts: Sequence[int]) -> list[_Draft]:
    """Sections, list runs and kinds of a one-paragraph-per-line text, which has no markup."""
    texts = [d.text for d in drafts]
    runs = list_runs(texts)
    headings = line_headings(texts, list(titles.values()), starts)
    out = []
    for i, d in enumerate(drafts):
        title = titles[starts[i]]
        kind = d.kind
        if d.text == title or headings[i] == d.text:
            kind = Kind.HEADING
        elif i in runs and (runs[i] != i or is_list_item(d.text)):
            kind = Kind.LIST_ITEM
        section = tuple(s for s in dict.fromkeys((title, headings[i])) if s)
        group = drafts[runs[i]].number if i in runs else None
        out.append(replace(d, kind=kind, section=section, group=group))
    return out


def _paragraph(source: str, d: _Draft, title: str, meta: str, by_number: dict[int, _Draft]) -> Paragraph:
    lead = by_number.get(d.group) if d.group is not None and d.group != d.number else None
    return Paragraph(
        source=source,
        number=d.number,
        text=d.text,
        header=header(title, meta, d.section, d.text, lead.text if lead is not None else ""),
        lang=language(d.text),
        group=d.group,
        role=_role(d, title),
        kind=d.kind,
        section=d.section,
        location=d.location,
    )


def header(title: str, meta: str, section: Sequence[str], text: str, lead: str) -> str:
    """`title | byline | section › subsection | lead-in`: what is embedded and keyword-indexed with a
    paragraph besides its text. The section path leaves out the title and the paragraph itself."""
    path = SECTION_SEPARATOR.join(s for s in section if s not in (title, text))
    return HEADER_SEPARATOR.join(part for part in (title, meta, path, lead) if part)


def _role(d: _Draft, title: str) -> Role:
    """What a paragraph is to its document: the title, a byline/dateline, a heading, or body."""
    if d.text == title and d.kind in _TITLE_KINDS:
        return Role.TITLE
    if d.kind == Kind.PARAGRAPH and is_meta(d.text):
        return Role.BYLINE
    if d.kind == Kind.HEADING:
        return Role.HEADING
    return Role.BODY
