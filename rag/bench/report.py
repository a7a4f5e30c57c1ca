"""bench.json and the printed table: every figure, and each target with whether it was met."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

SCALE_P50_LIMIT_MS = 50.0


@dataclass(frozen=True)
class Target:
    """`measured` (a ratio or a figure) compared with `limit`; `at_most` says which way is good."""

    name: str
    measured: float
    limit: float
    at_most: bool
    unit: str
    note: str = ""

    @property
    def met(self) -> bool:
        return self.measured <= self.limit if self.at_most else self.measured >= self.limit

    def to_dict(self) -> dict:
        sign = "≤" if self.at_most else "≥"
        return {"name": self.name, "target": f"{sign} {self.limit:g}{self.unit}",
                "limit": self.limit, "measured": round(self.measured, 3), "met": self.met,
                "note": self.note}


def targets(f: dict) -> list[Target]:
    """The issue's targets over the figures of one run (references come from the same run)."""
    out = [
        Target("index throughput / raw embedding", f["index_tokens_per_s"] / f["embed_tokens_per_s"],
               0.9, False, "×"),
        Target("index, unchanged corpus", f["index_noop_s"], 1.0, True, " s"),
        Target("ask p50 / bare retrieval p50", f["ask_p50_ms"] / f["bare_retrieval_p50_ms"],
               3.0, True, "×"),
        Target("cold first answer − import floor", f["cold_first_answer_s"] - f["import_floor_s"],
               1.0, True, " s"),
        Target("RSS after the warm run", f["rss_mb"], 1000.0, True, " MB"),
    ]
    scale = f.get("scale") or []
    if scale:
        last = scale[-1]
        out.append(Target(f"retrieval p50 at {last['paragraphs']:,} paragraphs",
                          last["retrieval_p50_ms"], SCALE_P50_LIMIT_MS, True, " ms"))
    if len(scale) > 1:
        out.append(Target("retrieval p50 growth exponent (log-log)", growth_exponent(scale),
                          1.0, True, "", "below 1 is sub-linear in corpus size"))
    return out


def growth_exponent(scale: list[dict]) -> float:
    """Slope of log p50 against log corpus size between the smallest and the largest point."""
    a, b = scale[0], scale[-1]
    return math.log(b["retrieval_p50_ms"] / a["retrieval_p50_ms"]) / math.log(
        b["paragraphs"] / a["paragraphs"]
    )


def build_report(figures: dict, meta: dict) -> dict:
    return {**meta, **figures, "targets": [t.to_dict() for t in targets(figures)]}


def write_report(report: dict, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / "bench.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


FIGURES = (
    ("embed_tokens_per_s", "raw embedding", "tok/s"), ("index_tokens_per_s", "cold index", "tok/s"),
    ("index_noop_s", "index, unchanged", "s"), ("ask_p50_ms", "ask p50", "ms"),
    ("ask_p95_ms", "ask p95", "ms"), ("bare_retrieval_p50_ms", "bare retrieval p50", "ms"),
    ("baseline_ask_p50_ms", "naive baseline p50", "ms"),
    ("cold_first_answer_s", "cold first answer", "s"), ("import_floor_s", "import floor", "s"),
    ("rss_mb", "RSS, warm", "MB"),
)


def table(report: dict) -> str:
    """A short plain-text table: figures, scale points, then targets."""
    lines = [f"{label:<22} {report[key]:>10.1f} {unit}" for key, label, unit in FIGURES]
    lines.append(f"\n{'paragraphs':>10} {'add s':>8} {'p50 ms':>8} {'p95 ms':>8} {'RSS MB':>8}")
    for p in report.get("scale", []):
        lines.append(f"{p['paragraphs']:>10,} {p['add_s']:>8.1f} {p['retrieval_p50_ms']:>8.1f} "
                     f"{p['retrieval_p95_ms']:>8.1f} {p['rss_mb']:>8.0f}")
    lines.append("")
    for t in report["targets"]:
        mark = "met" if t["met"] else "NOT MET"
        lines.append(f"{t['name']:<42} {t['measured']:>9.2f}  target {t['target']:<10} {mark}")
    return "\n".join(lines)
