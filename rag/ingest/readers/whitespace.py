"""Whitespace rules shared by the readers, aware that Chinese and Japanese text has no spaces between words."""

from __future__ import annotations

import re
import unicodedata

_SPACE_RUN = re.compile(r"\s+")
# A line ends a sentence (or introduces what follows) when it ends in one of these, maybe before a closing quote.
_TERMINAL = re.compile(r"[.!?:;。！？：；…]['\"’”)\]）」』]*$")


def is_wide(char: str) -> bool:
    """True for a CJK character or full-width punctuation, which a line break between does not turn into a space."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def display_width(line: str) -> int:
    """Columns the line takes in a terminal: wide characters count twice."""
    return sum(2 if is_wide(ch) else 1 for ch in line)


def ends_sentence(text: str) -> bool:
    return bool(_TERMINAL.search(text.rstrip()))


def join_pair(left: str, right: str) -> str:
    """Join two pieces of one paragraph: no space between two wide characters, one space otherwise."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return left + right
    if is_wide(left[-1]) and is_wide(right[0]):
        return left + right
    return f"{left} {right}"


def join_lines(lines: list[str]) -> str:
    """Join the wrapped lines of one paragraph as a person reads them."""
    text = ""
    for line in lines:
        text = join_pair(text, line)
    return text.replace("\xa0", " ")


def collapse_spaces(text: str) -> str:
    """HTML-style whitespace collapsing; a run holding a line break between two wide characters disappears."""

    def replace(match: re.Match[str]) -> str:
        start, end = match.start(), match.end()
        if "\n" in match.group() and 0 < start and end < len(text):
            if is_wide(text[start - 1]) and is_wide(text[end]):
                return ""
        return " "

    return _SPACE_RUN.sub(replace, text).strip()
