"""bench.png: latency against corpus size, and each target beside its measured figure."""

from __future__ import annotations

from pathlib import Path

from rag.bench.report import SCALE_P50_LIMIT_MS


def write_chart(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5))
    _scale_panel(left, report.get("scale") or [])
    _targets_panel(right, report["targets"])
    fig.suptitle(f"rag bench{' --quick' if report.get('quick') else ''}: medians over repeats")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _scale_panel(ax, scale: list[dict]) -> None:  # noqa: ANN001 - a matplotlib Axes
    sizes = [p["paragraphs"] for p in scale]
    ax.plot(sizes, [p["retrieval_p50_ms"] for p in scale], "o-", label="retrieval p50")
    ax.plot(sizes, [p["retrieval_p95_ms"] for p in scale], "s--", label="retrieval p95")
    ax.axhline(SCALE_P50_LIMIT_MS, color="red", lw=1, ls=":", label="target p50 at 100k")
    ax.set_xscale("log")
    ax.set_xlabel("corpus size (paragraphs)")
    ax.set_ylabel("hybrid retrieval latency (ms)")
    ax.set_title("Latency against corpus size (dense Chroma + BM25, fused)")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)


def _targets_panel(ax, targets: list[dict]) -> None:  # noqa: ANN001 - a matplotlib Axes
    """Each bar is measured/limit (limit/measured for "at least" targets): left of 1 is met."""
    names = [t["name"] for t in targets]
    ratios = [_ratio(t) for t in targets]
    colours = ["#2ca02c" if t["met"] else "#d62728" for t in targets]
    ax.barh(names, ratios, color=colours)
    ax.axvline(1.0, color="black", lw=1)
    for y, t in enumerate(targets):
        ax.text(max(ratios[y], 0) + 0.02, y, f"{t['measured']:g} vs {t['target']}", va="center",
                fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, max([*ratios, 1.0]) * 1.45)
    ax.set_xlabel("share of the target used (≤ 1 is met)")
    ax.set_title("Targets vs measured")


def _ratio(t: dict) -> float:
    measured, limit = t["measured"], t["limit"]
    if t["target"].startswith("≤"):
        return max(measured, 0.0) / limit if limit else 0.0
    return limit / measured if measured > 0 else float("inf")
