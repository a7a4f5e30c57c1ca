"""Finds the paragraphs a gold quote comes from. Pure.

A quote names its paragraph by text instead of by number, because numbering depends on how a
reader splits a document (one paragraph per line, per blank-line block, per HTML block) and a
quote does not. Text is compared after NFKC and collapsing whitespace, nothing more.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from rag.types import Paragraph

_SPACE = re.compile(r"\s+")


_DELIMITERS = re.compile(r"(?:^|(?<=\s))(?:-{4,}|\.{4,}|`{3,}|~{4,})(?=\s|$)")


def comparable(text: str) -> str:
    """NFKC, literal-block delimiter lines (----) dropped, every run of whitespace one space, no space at either end."""
    return _SPACE.sub(" ", _DELIMITERS.sub(" ", unicodedata.normalize("NFKC", text))).strip()


def find_quote(quote: str, paragraphs: Sequence[Paragraph]) -> list[int]:
    """Numbers of the paragraphs that hold `quote`; [] when none do.

    `paragraphs` are one source's, in order. Every paragraph containing the quote counts; when
    none does alone, every shortest run of consecutive paragraphs whose text, joined by spaces,
    contains it (a quote across a hard-wrapped line, or a code listing split per line).

    >>> ps = [Paragraph("a.txt", n, t) for n, t in [(1, "git clone"), (2, "URL  here"), (3, "x")]]
    >>> find_quote("clone URL here", ps), find_quote("URL here", ps), find_quote("nope", ps)
    ([1, 2], [2], [])
    """
    needle = comparable(quote)
    texts = [comparable(p.text) for p in paragraphs]
    single = [p.number for p, text in zip(paragraphs, texts, strict=True) if needle in text]
    if single or not needle:
        return single
    runs = [run for start in range(len(texts)) if (run := _run_from(start, needle, texts))]
    shortest = [r for r in runs if not any(o != r and r[0] <= o[0] and o[1] <= r[1] for o in runs)]
    return sorted({paragraphs[i].number for first, last in shortest for i in range(first, last + 1)})


def _run_from(start: int, needle: str, texts: Sequence[str]) -> tuple[int, int] | None:
    """(start, end) of the first run beginning at `start` whose joined text holds `needle`.

    A match that begins in texts[start] ends within len(needle) characters of it, so the run
    stops growing once the text after texts[start] is that long.
    """
    joined, after = texts[start], 0
    for end in range(start + 1, len(texts)):
        joined += " " + texts[end]
        after += len(texts[end]) + 1
        if needle in joined:
            return (start, end)
        if after >= len(needle):
            return None
    return None
