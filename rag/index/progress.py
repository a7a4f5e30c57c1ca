"""The tqdm bars `rag index` shows while embedding, for every build that makes a user wait."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PHASES = ("paragraphs", "sentences")  # what build_index counts, in order


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress(done, total) callback drawing a bar on stderr for each count build_index makes
    (paragraphs, then sentences: a call after a count is complete opens the next bar). Silent when
    nothing needs embedding."""
    bars: list = []

    def update(done: int, total: int) -> None:
        if not bars or bars[-1].n >= bars[-1].total or done < bars[-1].n:  # a new count
            from tqdm import tqdm

            if bars:
                bars[-1].close()
            phase = PHASES[len(bars)] if len(bars) < len(PHASES) else ""
            bars.append(tqdm(total=total, desc=f"{label} {phase}".strip(), unit="text", file=sys.stderr))
        bars[-1].update(done - bars[-1].n)

    try:
        yield update
    finally:
        if bars:
            bars[-1].close()
