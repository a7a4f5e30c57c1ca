"""Cited sources that give different figures for the same thing, for the note under an answer. Pure.

Two figures disagree when they come from different sources, are of one kind (both percentages,
both amounts of one currency, both counts in one measure), differ by more than rounding, and
name the same thing: the same head noun, or at least `min_shared` shared terms (data/figures.json:
two), or one name both write capitalised ("China-Europe"). Figures of one source are never
compared with each other: a source giving 4% and 18% is telling a change over time.

>>> [d.figures for d in disagreements({1: ["The railway has run over 80,000 trains."],
...                                     2: ["The railway has run 100,000 trains."]})]
[(('over 80,000 trains', 1), ('100,000 trains', 2))]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rag.answer.citations import MARKER
from rag.ui.figures import Figure, facts, figures_in

_MARKER_RUN = re.compile(r"((?:\s*\[\d{1,3}\])+)")
ROUNDING = 0.01  # figures closer than this share of the larger are the same figure


@dataclass(frozen=True)
class Disagreement:
    """One thing the sources count differently: its name as written, and (figure, source n) pairs."""

    thing: str
    figures: tuple[tuple[str, int], ...]


def cited_stretches(answer: str) -> dict[int, list[str]]:
    """The text each marker closes, by marker number: "A [1]. B [1][2]." -> {1: [A, B], 2: [B]}.

    Cut at markers rather than sentence ends, so a line mixing English and Chinese still gives
    each source only the words that cite it.
    """
    stretches: dict[int, list[str]] = {}
    parts = _MARKER_RUN.split(answer)
    for text, run in zip(parts[0::2], parts[1::2], strict=False):
        for n in dict.fromkeys(int(m) for m in MARKER.findall(run)):
            stretches.setdefault(n, []).append(text.strip(" .。;；,，\n"))
    return stretches


def disagreements(claims: Mapping[int, Sequence[str]]) -> list[Disagreement]:
    """Disagreements among the figures in `claims`: source number -> the sentences citing it."""
    found_in = dict.fromkeys((n, fig) for n, texts in sorted(claims.items()) for t in texts for fig in figures_in(t))
    stated = list(found_in)
    found: list[Disagreement] = []
    used: set[int] = set()
    for a, (n, fig) in enumerate(stated):
        if a in used:
            continue
        shared, cluster = frozenset(), [(fig.text, n)]
        for b in range(a + 1, len(stated)):
            m, other = stated[b]
            common = _same_thing(fig, other)
            if m != n and b not in used and common and _differ(fig, other):
                shared = shared or common
                cluster.append((other.text, m))
                used.add(b)
        if len(cluster) > 1:
            found.append(Disagreement(_name(fig, shared), tuple(dict.fromkeys(cluster))))
    return found


def _same_thing(a: Figure, b: Figure) -> frozenset[str]:
    """The terms naming what both figures count, or nothing when they count different things.

    With two head nouns, the heads must be one word, one phrase's other words must be among the
    other's ("countries" and "European countries"), and the subjects, when both have one, must
    meet. Otherwise they must share `min_shared` terms.
    """
    if a.lang != b.lang or not _kinds_match(a.kind, b.kind):
        return frozenset()
    if a.head and b.head:
        nested = a.modifiers <= b.modifiers or b.modifiers <= a.modifiers
        apart = a.subject and b.subject and not a.subject & b.subject
        return frozenset() if a.head != b.head or not nested or apart else (a.modifiers & b.modifiers) | {a.head}
    common = a.terms & b.terms
    named = common & a.names & b.names
    return common if len(common) >= facts(a.lang)["min_shared"] or named else frozenset()


def _kinds_match(a: str, b: str) -> bool:
    """One kind, or two counts of which one names no measure ("80,000 trips" and "100,000")."""
    return a == b or {a, b} & {"count"} and a.startswith("count") and b.startswith("count")


def _differ(a: Figure, b: Figure) -> bool:
    return abs(a.value - b.value) > ROUNDING * max(abs(a.value), abs(b.value))


def _name(figure: Figure, shared: frozenset[str]) -> str:
    order = [term for term, _ in figure.spelling if term in shared] or sorted(shared)
    joiner = "" if figure.lang == "zh" else " "
    return joiner.join(figure.written(t) for t in dict.fromkeys(order))
