"""An answer's text as HTML: paragraphs, bulleted and numbered lists, markers as source buttons.

Pure string building; every piece of answer text goes through `html.escape`. Marker [n] shows
the number of the source group it belongs to (rag.ui.groups); after a list's lead-in, the
markers of its items, which all point at the same grouped card, are not repeated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

from rag.answer.citations import MARKER
from rag.lang.text import language, split_sentences
from rag.types import Answer, Script
from rag.ui.strings import say

_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s+")
_NUMBERED = re.compile(r"^\s*[(（](\d{1,2})[)）]\s*")
_SPACE_BEFORE_MARKER = re.compile(r"[ \t]+(?=\[\d{1,3}\])")


NOT_A_SOURCE = -1  # a marker naming no citation: shown as inert text


class MarkerPlan:
    """Which number each marker shows, read in order: its source group's number, None to hide a
    repeat of a list's group, or NOT_A_SOURCE for a marker no citation answers to."""

    def __init__(self, shown: Mapping[int, int], grouped: frozenset[int] = frozenset()) -> None:
        self.shown = shown
        self.grouped = grouped  # shown numbers standing for several paragraphs (a list)
        self.last: int | None = None

    def number(self, n: int) -> int | None:
        g = self.shown.get(n)
        if g is not None and g == self.last and g in self.grouped:
            return None
        if g is None:
            return NOT_A_SOURCE
        self.last = g
        return g


def plain_markers(text: str, plan: MarkerPlan) -> str:
    """`text` with markers renumbered as shown and repeats dropped: for copying."""
    out, cursor = [], 0
    for m in re.finditer(r"[ \t]*\[(\d{1,3})\]", text):
        out.append(text[cursor : m.start()])
        g = plan.number(int(m.group(1)))
        if g is not None:
            out.append(m.group().replace(m.group(1), m.group(1) if g == NOT_A_SOURCE else str(g), 1))
        cursor = m.end()
    return "".join(out) + text[cursor:]


def answer_html(
    answer: Answer,
    turn: int,
    live: bool = False,
    shown: Mapping[int, int] | None = None,
    grouped: frozenset[int] = frozenset(),
    which: Script = Script.LATIN,
) -> str:
    """The answer's lines as paragraphs or list items, markers as source buttons.

    While `live` (an LLM still writing) markers are inert: they are checked only at the end.
    Sentences the guard flagged as unsupported (`Answer.flagged`) are marked.
    """
    text = _SPACE_BEFORE_MARKER.sub("", answer.answer.strip())
    count = 0 if live else len(answer.citations)
    plan = MarkerPlan({n: n for n in range(1, count + 1)} if shown is None else shown, grouped)
    flagged = frozenset(() if live else answer.flagged)
    blocks, items, kind, index = [], [], "", 0
    for line in filter(str.strip, text.splitlines()):
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        line_kind = "ol" if numbered else "ul" if bullet else ""
        body = (_NUMBERED if numbered else _BULLET).sub("", line, count=1) if line_kind else line
        html, index = _line_html(body, turn, plan, flagged, index, which)
        if items and line_kind != kind:
            blocks.append(_list(kind, items))
            items = []
        kind = line_kind
        if line_kind:
            items.append((numbered.group(1) if numbered else "", html))
        else:
            blocks.append(f"<p>{html}</p>")
    if items:
        blocks.append(_list(kind, items))
    caret = '<span class="rag-caret"></span>' if live else ""
    return f'<div class="rag-answer">{"".join(blocks)}{caret}</div>'


def _list(kind: str, items: list[tuple[str, str]]) -> str:
    start = f' start="{int(items[0][0])}"' if kind == "ol" and items[0][0] not in ("", "1") else ""
    return f"<{kind}{start}>" + "".join(f"<li>{html}</li>" for _, html in items) + f"</{kind}>"


def _line_html(
    line: str, turn: int, plan: MarkerPlan, flagged: frozenset[int], index: int, which: Script
) -> tuple[str, int]:
    """One line's HTML and the index of the answer sentence after it."""
    sentences = split_sentences(line)
    if not flagged:
        return inline_html(line, turn, plan, which), index + len(sentences)
    parts = []
    for sentence in sentences:
        html = inline_html(sentence, turn, plan, which)
        if index in flagged:
            html = f'<span class="rag-flagged" title="{escape(say(which, "unsupported"))}">{html}</span>'
        parts.append(html)
        index += 1
    return ("" if language(line) == "zh" else " ").join(parts), index


def inline_html(text: str, turn: int, plan: MarkerPlan, which: Script = Script.LATIN) -> str:
    """Escaped text; a marker that names a source becomes its button, any other stays text."""
    out = []
    for k, part in enumerate(MARKER.split(text)):
        if k % 2 == 0:
            out.append(escape(part))
            continue
        g = plan.number(int(part))
        if g is None:
            continue
        inert = f'<span class="rag-cite is-inert">{part}</span>'
        out.append(inert if g == NOT_A_SOURCE else marker_button(turn, g, which))
    return "".join(out)


def marker_button(turn: int, g: int, which: Script = Script.LATIN) -> str:
    label = escape(say(which, "show_source", n=g))
    return (
        f'<button type="button" class="rag-cite" data-turn="{turn}" data-n="{g}" '
        f'aria-label="{label}">{g}</button>'
    )
