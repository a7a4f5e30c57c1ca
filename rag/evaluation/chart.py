"""report.png: one panel per corpus, the main figures as grouped bars, dev beside test
(matplotlib, Agg backend, no display needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rag.evaluation.splits import metric

MAIN = (
    ("hit@5", "retrieval.hit_at_5"), ("MRR", "retrieval.mrr"), ("fact recall", "answer.fact_recall"),
    ("answerable\nanswered", "answer.answered_rate"), ("unanswerable\nrefused", "refusal.recall"),
    ("citations\nvalid", "citations.precision"), ("citation\nrecall", "citations.recall"),
)
COLOURS = {"dev": "#9ecae1", "test": "#1f77b4", "all": "#1f77b4"}


def write_chart(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    corpora = report["corpora"]
    fig, axes = plt.subplots(1, max(1, len(corpora)), figsize=(6.5 * max(1, len(corpora)), 5), squeeze=False)
    for ax, (name, corpus) in zip(axes[0], corpora.items(), strict=False):
        _panel(ax, name, corpus["splits"])
    if not corpora:
        axes[0][0].set_title("no corpus was run")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _panel(ax: Any, name: str, splits: dict[str, dict]) -> None:
    width = 0.8 / max(1, len(splits))
    for i, (split, block) in enumerate(splits.items()):
        xs = [g + (i - (len(splits) - 1) / 2) * width for g in range(len(MAIN))]
        values = [metric(block, p) for _, p in MAIN]
        ax.bar(xs, [float("nan") if v is None else v for v in values], width,
               label=f"{split} (n={block['n']})", color=COLOURS.get(split, "#888888"))
    ax.set_xticks(range(len(MAIN)), [label for label, _ in MAIN], fontsize=8)
    ax.set_ylim(0, 1.12)  # headroom keeps the legend off the bars
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.set_title(name)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, ncols=len(splits), loc="upper center")
