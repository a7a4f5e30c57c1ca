"""Reads source files into numbered Paragraphs with contextual headers: pure apart from `read_file`.

Paragraph N of a file is its N-th non-blank line, stripped, counted over the whole file, so
`grep -v '^\\s*$' FILE | sed -n Np` prints it. Boilerplate and repeated lines keep their
numbers but are not indexed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from rag.lang.text import language
from rag.types import Role

BOILERPLATE = re.compile(
    r"^(skip to main content|border image|content here|jump to the beginning of content|news|blog"
    r"|more\s*(…|\.\.\.)?|read more\s*(…|\.\.\.)?|【[^】]{1,24}】|\[[^\]]{1,24}\])$",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^(\(\d+\)|（\d+）|\d+[.)]\s|[•●▪\-*]\s|[一二三四五六七八九十]+是)")
_ORDINAL_ITEM = re.compile(r"^(The|In the)\s+(first|second|third|fourth|fifth|sixth|seventh|eighth)\b", re.I)
_TERMINAL = re.compile(r"[.。!！?？;；:：,，]$|[.。!！?？][\"”’)）]$")
_META = re.compile(
    r"^(author:|作者|the author is|source:|來源|来源)|^by\s+[A-Z][\w.-]+(\s[A-Z][\w.-]+){0,3}$"
    r"|^\"[^\"]{2,40}\"\s*\(page"
    r"|^(january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{1,2},\s+\d{4}$"
    r"|not necessarily reflect those of",
    re.IGNORECASE,
)
MAX_META_CHARS = 60


def non_blank_lines(raw: str) -> list[str]:
    """The file's paragraphs in order; index i holds paragraph i + 1."""
    return [line.strip() for line in raw.splitlines() if line.strip()]


def is_boilerplate(line: str) -> bool:
    return bool(BOILERPLATE.match(line))


def is_heading(line: str, next_line: str | None) -> bool:
    """Short, unpunctuated lines followed by a longer paragraph head a section."""
    if next_line is None or _TERMINAL.search(line) or is_list_item(line):
        return False
    limit = 40 if language(line) == "zh" else 110
    return len(line) <= limit and len(next_line) > len(line)


def is_list_item(line: str) -> bool:
    return bool(_LIST_ITEM.match(line) or _ORDINAL_ITEM.match(line))


def list_runs(lines: Sequence[str]) -> dict[int, int]:
    """Map each line index inside a list run (two or more items) to its run's lead index.

    The lead is the line introducing the list when there is one, else the first item.
    """
    runs: dict[int, int] = {}
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and is_list_item(lines[j]):
            j += 1
        if j - i >= 2:
            lead = i - 1 if i > 0 and not is_list_item(lines[i - 1]) else i
            for k in range(lead, j):
                runs[k] = lead
            i = j
        else:
            i += 1
    return runs


def language_parts(lines: Sequence[str]) -> list[int]:
    """Index where each line's language part starts (a bilingual file has two parts).

    A part is a run of at least five lines in one language; shorter runs stay in the part before.
    """
    langs = [language(line) for line in lines]
    starts = [0] * len(lines)
    current = 0
    for i in range(1, len(lines)):
        run = langs[i : i + 5]
        if langs[i] != langs[current] and len(run) == 5 and len(set(run)) == 1:
            current = i
        starts[i] = current
    return starts


def _meta_lines(lines: Sequence[str]) -> list[str]:
    return [line[:MAX_META_CHARS] for line in lines if _META.search(line)]


def split_paragraphs(source: str, raw: str) -> list:
    """Indexable Paragraphs of one file, with contextual headers, groups and language twins."""
    from rag.types import Paragraph

    lines = non_blank_lines(raw)
    parts = language_parts(lines)
    runs = list_runs(lines)
    meta = " · ".join(dict.fromkeys(_meta_lines(lines)))
    seen: set[str] = set()
    paragraphs: list[Paragraph] = []
    heading = ""
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if is_boilerplate(line) or line in seen:
            continue
        seen.add(line)
        title = _part_title(lines, parts[i])
        if parts[i] == i:
            heading = ""
        if is_heading(line, nxt) and line != title:
            heading = line
        context = [title, meta, heading if heading != line else ""]
        if i in runs and runs[i] != i:
            context.append(lines[runs[i]])
        header = " | ".join(c for c in context if c)
        paragraphs.append(
            Paragraph(
                source=source,
                number=i + 1,
                text=line,
                header=header,
                lang=language(line),
                group=runs[i] + 1 if i in runs else None,
                role=_role(line, title, heading),
            )
        )
    return align_twins(paragraphs)


def _role(line: str, title: str, heading: str) -> Role:
    """What a paragraph is to its document: the title, a byline/dateline, a heading, or body."""
    if line == title:
        return Role.TITLE
    if _META.search(line):
        return Role.BYLINE
    if line == heading:
        return Role.HEADING
    return Role.BODY


def _part_title(lines: Sequence[str], start: int) -> str:
    for line in lines[start : start + 4]:
        if not is_boilerplate(line) and not _TERMINAL.search(line) and len(line) <= 160:
            return line
    return ""


def align_twins(paragraphs: list) -> list:
    """Pair the paragraphs of a file's Chinese half with its English half, in order.

    Only files with both languages in long runs get twins; the pairing is a monotone
    alignment on relative position and figures shared by both versions.
    """
    zh = [p for p in paragraphs if p.lang == "zh" and len(p.text) > 6]
    en = [p for p in paragraphs if p.lang == "en"]
    if len(zh) < 5 or len(en) < 5:
        return paragraphs
    pairs = _monotone_pairs(zh, en)
    twin_of = {}
    for a, b in pairs:
        twin_of[a.number] = b.number
        twin_of[b.number] = a.number
    return [replace(p, twin=twin_of.get(p.number)) for p in paragraphs]


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _pair_score(a, b, pos_a: float, pos_b: float) -> float:  # noqa: ANN001
    nums_a, nums_b = set(_NUMBER.findall(a.text)), set(_NUMBER.findall(b.text))
    shared = len(nums_a & nums_b) / max(1, len(nums_a | nums_b)) if nums_a or nums_b else 0.3
    heading_match = 0.3 if (len(a.text) < 45) == (len(b.text) < 120) else 0.0
    return shared + heading_match - 2.0 * abs(pos_a - pos_b)


def _monotone_pairs(zh: list, en: list) -> list[tuple]:
    """Needleman-Wunsch style alignment that may skip paragraphs on either side."""
    n, m = len(zh), len(en)
    skip = -0.2
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        best[i][0], move[i][0] = best[i - 1][0] + skip, 1
    for j in range(1, m + 1):
        best[0][j], move[0][j] = best[0][j - 1] + skip, 2
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            pair = best[i - 1][j - 1] + _pair_score(zh[i - 1], en[j - 1], i / n, j / m)
            options = (pair, best[i - 1][j] + skip, best[i][j - 1] + skip)
            k = max(range(3), key=options.__getitem__)
            best[i][j], move[i][j] = options[k], k
    pairs, i, j = [], n, m
    while i > 0 and j > 0:
        k = move[i][j]
        if k == 0:
            if _pair_score(zh[i - 1], en[j - 1], i / n, j / m) > 0:
                pairs.append((zh[i - 1], en[j - 1]))
            i, j = i - 1, j - 1
        elif k == 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]

