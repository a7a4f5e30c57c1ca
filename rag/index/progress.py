"""The tqdm bar `rag index` shows while embedding, for every build that makes a user wait."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A (done, total) callback drawing a bar on stderr; silent when nothing needs embedding."""
    bars: list = []

    def update(done: int, total: int) -> None:
        if not bars:
            from tqdm import tqdm

            bars.append(tqdm(total=total, desc=label, unit="text", file=sys.stderr))
        bars[0].update(done - bars[0].n)

    try:
        yield update
    finally:
        if bars:
            bars[0].close()
