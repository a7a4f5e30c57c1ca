"""Citations of one list shown as one source: a lead-in and its items get one card. Pure.

An extractive list answer cites the lead-in ("the following platforms:") and every item, each
its own paragraph. Shown one by one that is a wall of markers, chips and cards; grouped, the
answer carries one marker, the card shows the list, and each item stays highlighted in it.

>>> from rag.ui.sources import SourceView
>>> views = [SourceView(n, "a.txt", 8 + n, "", "", (), group=9) for n in (1, 2, 3)]
>>> [(g.n, g.label) for g in group_sources(views)]
[(1, '¶ 9–11')]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rag.ui.sources import SourceView


@dataclass(frozen=True)
class SourceGroup:
    """What one shown number points at: one cited paragraph, or a run of one list's paragraphs."""

    n: int
    views: tuple[SourceView, ...]

    @property
    def first(self) -> SourceView:
        return self.views[0]

    @property
    def markers(self) -> frozenset[int]:
        """The answer's own marker numbers this group stands for."""
        return frozenset(v.n for v in self.views)

    @property
    def numbers(self) -> tuple[int, int]:
        return self.views[0].number, self.views[-1].number

    @property
    def label(self) -> str:
        first, last = self.numbers
        return f"¶ {first}" if first == last else f"¶ {first}–{last}"

    @property
    def quoted(self) -> str:
        """The sentences the answer used from this group, else its text: the hover preview."""
        used = [s.text for v in self.views for s in v.segments if s.used]
        return " ".join(used) if used else " ".join(v.text for v in self.views)


def group_sources(views: Sequence[SourceView]) -> tuple[SourceGroup, ...]:
    """Consecutive citations of one list's consecutive paragraphs become one group, numbered 1…"""
    runs: list[list[SourceView]] = []
    for view in views:
        if runs and _continues(runs[-1][-1], view):
            runs[-1].append(view)
        else:
            runs.append([view])
    return tuple(SourceGroup(i, tuple(run)) for i, run in enumerate(runs, start=1))


def _continues(previous: SourceView, view: SourceView) -> bool:
    return (
        view.group is not None
        and view.group == previous.group
        and view.source == previous.source
        and view.number == previous.number + 1
        and view.n == previous.n + 1
    )


def shown_numbers(groups: Sequence[SourceGroup]) -> dict[int, int]:
    """Marker number in the answer -> the number shown for it."""
    return {n: group.n for group in groups for n in group.markers}
