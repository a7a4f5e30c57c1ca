"""The tqdm bar `rag index` shows while embedding, for every build that makes a user wait."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

WHAT = "sentences and paragraphs"  # build_index counts both in one total (rag.index.vectors.build_embedding)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress(done, total) callback drawing a bar on stderr; a call after the count is complete
    (or one going backwards) starts a new bar. Silent when nothing needs embedding."""
    bars: list = []

    def update(done: int, total: int) -> None:
        if not bars or bars[-1].n >= bars[-1].total or done < bars[-1].n:  # a new count
            from tqdm import tqdm

            if bars:
                bars[-1].close()
            bars.append(tqdm(total=total, desc=f"{label} {WHAT}", unit="text", file=sys.stderr))
        bars[-1].update(done - bars[-1].n)

    try:
        yield update
    finally:
        if bars:
            bars[-1].close()
