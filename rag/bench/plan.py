"""How much a bench run measures: the full run, or `--quick` (under a minute, for CI)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rag.config import RagConfig

FULL_SCALE = (1_000, 10_000, 100_000)
QUICK_SCALE = (1_000, 3_000)  # two points for the growth exponent; 10,000 would double the run


@dataclass(frozen=True)
class BenchPlan:
    """What one run measures.

    `docs` is the corpus embedded and indexed; `repeats` counts the runs of each child process
    (indexing, cold start), `warm_repeats` the passes over `questions` eval questions (None: all).
    """

    quick: bool
    docs: tuple[Path, ...]
    repeats: int
    warm_repeats: int
    questions: int | None
    scale_sizes: tuple[int, ...]
    scale_queries: int
    scale_repeats: int

    @property
    def steps(self) -> int:
        """Progress-bar steps: one per child process, warm pass, engine/baseline load, scale point."""
        return 5 * self.repeats + 2 + self.warm_repeats + len(self.scale_sizes)


def plan_for(config: RagConfig, quick: bool) -> BenchPlan:
    """Quick runs index only the smallest corpus file, once, and ask fewer questions."""
    if not quick:
        return BenchPlan(False, config.docs, 3, 3, None, FULL_SCALE, 100, 3)
    return BenchPlan(True, (smallest_file(config.docs),), 1, 2, 16, QUICK_SCALE, 16, 1)


def smallest_file(roots: tuple[Path, ...]) -> Path:
    from rag.ingest.documents import find_files

    files = find_files(roots)
    if not files:
        from rag.errors import RagError

        raise RagError(f"no .txt or .md files under {', '.join(map(str, roots))}; set RAG_DOCS.")
    return min(files, key=lambda p: (p.stat().st_size, p.name))
