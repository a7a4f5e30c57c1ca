"""report.png: ours vs the baseline at a glance (matplotlib, Agg backend, no display needed)."""

from __future__ import annotations

from pathlib import Path

OVERALL = (
    ("hit@5", "retrieval", "hit_at_5"), ("MRR", "retrieval", "mrr"),
    ("fact recall", "answer", "fact_recall"), ("cit. precision", "citations", "precision"),
    ("cit. recall", "citations", "recall"), ("refusal P", "refusal", "precision"),
    ("refusal R", "refusal", "recall"),
    ("language", "language", "match_rate"),
)
PER_CATEGORY = (
    ("hit@5", "retrieval", "hit_at_5"), ("fact recall", "answer", "fact_recall"),
    ("cit. precision", "citations", "precision"), ("cit. recall", "citations", "recall"),
)
OURS, BASE = "#1f77b4", "#bbbbbb"


def write_chart(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    base = report.get("baseline") or {}
    fig, axes = plt.subplots(2, 2, figsize=(15, 10))
    _bars(axes[0][0], "Overall: ours vs naive LlamaIndex baseline",
          [m[0] for m in OVERALL], {"ours": [_value(report, b, k) for _, b, k in OVERALL],
                                    "baseline": [_value(base, b, k) for _, b, k in OVERALL]})
    methods = dict(report.get("retrieval_methods") or {})
    if base.get("retrieval"):
        methods["baseline"] = base["retrieval"]
    _bars(axes[0][1], "Retrieval: hybrid vs its parts", list(methods), {
        k: [methods[m].get(key) for m in methods]
        for k, key in (("hit@1", "hit_at_1"), ("hit@5", "hit_at_5"), ("MRR", "mrr"))
    }, colours=None)
    for ax, field in ((axes[1][0], "kind"), (axes[1][1], "lang")):
        ours = (report.get("by_category") or {}).get(field, {})
        theirs = (base.get("by_category") or {}).get(field, {})
        series = {}
        for label, b, k in PER_CATEGORY:
            series[f"{label} (ours)"] = [_value(ours[c], b, k) for c in ours]
            series[f"{label} (base)"] = [_value(theirs.get(c), b, k) for c in ours]
        _bars(ax, f"By {field}: ours (solid) vs baseline (hatched)", list(ours), series, paired=True)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _value(block: dict | None, name: str, key: str) -> float:
    value = ((block or {}).get(name) or {}).get(key)
    return float("nan") if value is None else float(value)


def _bars(ax, title: str, groups: list[str], series: dict[str, list], colours: object = "pair",
          paired: bool = False) -> None:  # noqa: ANN001 - a matplotlib Axes
    import matplotlib.pyplot as plt

    width = 0.8 / max(1, len(series))
    palette = plt.get_cmap("tab10")
    for i, (name, values) in enumerate(series.items()):
        xs = [g + (i - (len(series) - 1) / 2) * width for g in range(len(groups))]
        values = [float("nan") if v is None else v for v in values]
        if paired:
            style = {"color": palette(i // 2), "hatch": "//" if i % 2 else None,
                     "alpha": 0.45 if i % 2 else 1.0}
        elif colours == "pair":
            style = {"color": OURS if i == 0 else BASE}
        else:
            style = {"color": palette(i)}
        ax.bar(xs, values, width, label=name, **style)
    ax.set_xticks(range(len(groups)), groups, rotation=30, ha="right")
    ax.set_ylim(0, 1.32 if paired else 1.15)  # headroom keeps the legend off the bars
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=7, ncols=4 if paired else len(series), loc="upper center")
