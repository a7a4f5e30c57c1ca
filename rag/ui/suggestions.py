"""Follow-up questions under an answer, drawn from the section headings of the documents it
cites (offline, nothing made up). Pure.

The sections just after the cited ones come first, then the ones before; the cited sections
themselves are left out, since the answer already draws on them. Headings are in the
question's language, converted to its script.
"""

from __future__ import annotations

from collections.abc import Sequence

from rag.lang.text import to_simplified, to_traditional
from rag.types import Lang, Script
from rag.ui.catalog import Catalog, Heading
from rag.ui.examples import template

MAX_SUGGESTIONS = 3


def suggest(catalog: Catalog, cited: Sequence[tuple[str, int]], which: Script) -> tuple[str, ...]:
    """Up to `MAX_SUGGESTIONS` questions about sections near the cited (source, paragraph)s."""
    lang = Lang.EN if which is Script.LATIN else Lang.ZH
    questions: list[str] = []
    for source in dict.fromkeys(s for s, _ in cited):
        entry = catalog.document(source)
        if entry is None:
            continue
        headings = [h for h in entry.headings if h.lang == lang]
        numbers = [n for s, n in cited if s == source]
        for heading in _nearby(headings, numbers):
            questions.append(template(which, "section", heading=_in_script(heading.text, which)))
    return tuple(dict.fromkeys(questions))[:MAX_SUGGESTIONS]


def _nearby(headings: list[Heading], numbers: list[int]) -> list[Heading]:
    """Headings of sections other than the cited ones: the following sections, then the earlier."""
    cited = {_section(headings, n) for n in numbers} - {None}
    last = max((_section(headings, n) or -1 for n in numbers), default=-1)
    rest = [h for h in headings if h.number not in cited]
    return [h for h in rest if h.number > last] + [h for h in reversed(rest) if h.number < last]


def _section(headings: list[Heading], number: int) -> int | None:
    """The paragraph number of the heading whose section holds paragraph `number`."""
    before = [h.number for h in headings if h.number <= number]
    return before[-1] if before else None


def _in_script(text: str, which: Script) -> str:
    if which is Script.HANS:
        return to_simplified(text)
    return to_traditional(text) if which is Script.HANT else text
