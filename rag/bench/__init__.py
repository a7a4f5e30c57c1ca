"""`rag bench`: speed, memory and scale, each figure measured in the same run as its reference.

>>> from rag.bench import run_cli  # doctest: +SKIP
>>> run_cli(argparse.Namespace(quick=True, out=Path("out/bench")), RagConfig.from_env())  # doctest: +SKIP
"""

from __future__ import annotations

import argparse

from rag.config import RagConfig


def run_cli(args: argparse.Namespace, config: RagConfig) -> int:
    """Entry point of `rag bench [--quick] [--out DIR]`; heavy imports wait until here."""
    from rag.bench.runner import run_cli as run

    return run(args, config)
