"""Timing, percentiles, memory and child processes: the few primitives every figure uses."""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from rag.errors import BenchFailed

# Variables that would switch a child process to LLM answers or another store, or warm its cold
# builds with a shared embedding cache.
_CHILD_DROPS = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "RAG_CHROMA_URL", "RAG_EMBED", "RAG_EMBED_CACHE")




def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: a value that was actually measured."""
    ranked = sorted(values)
    return float(ranked[max(0, math.ceil(q / 100 * len(ranked)) - 1)])


def rss_mb() -> float:
    """Resident memory of this process now, in MB (peak RSS where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_env(home: Path, docs: Sequence[Path]) -> dict[str, str]:
    """This process's environment for a child `rag`, pointed at `home` and `docs`, offline."""
    env = {k: v for k, v in os.environ.items() if k not in _CHILD_DROPS}
    env.update(RAG_HOME=str(home), RAG_DOCS=os.pathsep.join(map(str, docs)), PYTHONUNBUFFERED="1")
    return env


def run_timed(argv: Sequence[str], env: dict[str, str]) -> float:
    """Wall seconds from spawning `argv` to its exit; raises BenchFailed if it fails."""
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    _check(argv, done.returncode, done.stderr)
    return seconds


def time_to_output(argv: Sequence[str], env: dict[str, str]) -> float:
    """Wall seconds from spawning `argv` to its first line on stdout (e.g. a printed answer)."""
    started = time.perf_counter()
    with subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        first = proc.stdout.readline()
        seconds = time.perf_counter() - started
        _, err = proc.communicate()
    _check(argv, proc.returncode, err)
    if not first.strip():
        raise BenchFailed(f"`{' '.join(argv[-3:])}` printed nothing; run it by hand to see why.")
    return seconds


def _check(argv: Sequence[str], code: int, stderr: str) -> None:
    if code != 0:
        tail = " | ".join(stderr.strip().splitlines()[-3:])
        raise BenchFailed(f"`{' '.join(argv[-3:])}` exited with {code}: {tail}")
