"""What a paragraph's contextual header is made of: the document's title, its byline, the section
heading of a one-paragraph-per-line text and the lead of a list run. Pure.

Every rule is a method over the document itself, never a list of phrases: a title is the leading
line whose words recur most in the body; a heading of a plain-text file must share a word with the
lines it heads.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from rag.lang.lexicon import data_lines
from rag.lang.text import language, surface_tokens

TERMINAL = re.compile(r"[.。!！?？;；:：,，]$|[.。!！?？][\"”’)）]$")
_LIST_ITEM = re.compile(r"^(\(\d+\)|（\d+）|\d+[.)]\s|[•●▪\-*]\s|[一二三四五六七八九十]+是)")
_ORDINALS = "|".join(data_lines("en", "ordinals.txt"))
_ORDINAL_ITEM = re.compile(rf"^(The|In the)\s+({_ORDINALS})\b", re.I)
_MONTHS = "|".join(name for line in data_lines("en", "months.txt") for name in line.split())
# A byline or dateline: "Author: …", "By First Last", "March 3, 2025" (English conventions; months from data).
_META = re.compile(
    r"^(author:|作者|the author is|source:|來源|来源)|^by\s+[A-Z][\w.-]+(\s[A-Z][\w.-]+){0,3}$"
    rf"|^({_MONTHS})\.?\s+\d{{1,2}},\s+\d{{4}}$",
    re.IGNORECASE,
)
# A short line holding a full date is a dateline ("\"The Daily\" (page 12, October 27, 2025)").
_DATED = re.compile(rf"\b({_MONTHS})\.?\s+\d{{1,2}},\s+\d{{4}}\b|\d{{4}}年\d{{1,2}}月\d{{1,2}}日", re.IGNORECASE)
MAX_DATELINE_CHARS = 80
MAX_META_CHARS = 60
MAX_META_LINES = 3
MAX_TITLE_CHARS = 160
TITLE_WINDOW = 6  # a title is among the first prose lines of its document (or language part)


def is_meta(text: str) -> bool:
    """A byline or dateline: who wrote it, where and when it appeared."""
    return bool(_META.search(text)) or (len(text) <= MAX_DATELINE_CHARS and bool(_DATED.search(text)))


def meta_line(texts: Sequence[str]) -> str:
    """The document's byline-like lines, shortened, in order: one header part."""
    found = [t[:MAX_META_CHARS] for t in texts if is_meta(t)]
    return " · ".join(list(dict.fromkeys(found))[:MAX_META_LINES])


def is_list_item(line: str) -> bool:
    return bool(_LIST_ITEM.match(line) or _ORDINAL_ITEM.match(line))


def is_heading_shape(line: str, next_line: str | None) -> bool:
    """Short, unpunctuated lines followed by a longer paragraph may head a section."""
    if next_line is None or TERMINAL.search(line) or is_list_item(line):
        return False
    limit = 40 if language(line) == "zh" else 110
    return len(line) <= limit and len(next_line) > len(line)


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


def content_words(text: str) -> set[str]:
    return set(surface_tokens(text))


def is_title_candidate(text: str) -> bool:
    return bool(text) and not TERMINAL.search(text) and len(text) <= MAX_TITLE_CHARS


def best_title(candidates: Sequence[str], body: Sequence[str]) -> str:
    """The candidate the largest share of whose content words recur in the rest of the body (the
    first on a tie; the share is smoothed, recurring / (words + 1), so one lucky word is not enough).

    A title names what its document is about, so its words come back; a navigation line
    ("Skip to main content", "News") shares none with the text, and a copyright or date line
    shares only some.
    """
    if not candidates:
        return ""
    distinct = list(dict.fromkeys(body))
    spread = Counter(word for text in distinct for word in content_words(text))

    def recurring(candidate: str) -> float:
        words = content_words(candidate)
        own = 1 if candidate in distinct else 0
        return sum(1 for w in words if spread[w] - own > 0) / (len(words) + 1)

    scores = [recurring(c) for c in candidates]
    return candidates[scores.index(max(scores))]


def line_headings(lines: Sequence[str], titles: Sequence[str], starts: Sequence[int]) -> list[str]:
    """The section heading in force at each line of a one-paragraph-per-line text ("" for none).

    A heading is a short unpunctuated line before a longer one that shares at least one content
    word with the lines it heads; a part's start and its title close the heading before them.
    """
    heads = [
        i for i in range(len(lines))
        if lines[i] not in titles and is_heading_shape(lines[i], lines[i + 1] if i + 1 < len(lines) else None)
    ]
    ends: list[int | None] = [*heads[1:], None] if heads else []
    heads = [h for h, end in zip(heads, ends, strict=True) if _names_its_section(lines, h, end)]
    chosen = set(heads)
    current, out = "", []
    for i, line in enumerate(lines):
        if starts[i] == i or line in titles:
            current = ""
        if i in chosen:
            current = line
        out.append(current)
    return out


def _names_its_section(lines: Sequence[str], head: int, end: int | None) -> bool:
    words = content_words(lines[head])
    body = {w for line in lines[head + 1 : end] if line != lines[head] for w in content_words(line)}
    return bool(words & body)
