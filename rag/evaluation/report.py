"""Writes the eval report: report.json (every number, every item) and report.md (tables a person
reads: a summary of the test halves across corpora, then one section per corpus).

report.json layout::

    {"mode", "splits", "elapsed_s", "skipped": {corpus: why},
     "summary": {corpus: {"split", "n", "retrieval.hit_at_5", …}},
     "corpora": {corpus: {"corpus", "folder", "question_set", "index", "n",
                          "splits": {"dev"|"test"|"all": block + by_category + failures},
                          "gap": {"retrieval.hit_at_5": dev − test, …},
                          "judge": {…}, "baseline": {split: block} | null}},
     "items": [{"corpus", "split", "id", "outcome", …}, …]}
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from rag.evaluation.splits import FIGURES, metric

SUMMARY_COLUMNS = (
    ("hit@5", "retrieval.hit_at_5"), ("MRR", "retrieval.mrr"), ("facts", "answer.fact_recall"),
    ("answered", "answer.answered_rate"), ("unans. refused", "refusal.recall"),
    ("cit. valid", "citations.precision"), ("cit. recall", "citations.recall"),
    ("p50 ms", "latency.p50_ms"), ("p95 ms", "latency.p95_ms"),
)
CATEGORY_COLUMNS = (
    ("hit@5", "retrieval.hit_at_5"), ("facts", "answer.fact_recall"),
    ("answered", "answer.answered_rate"), ("unans. refused", "refusal.recall"),
    ("not stated", "outcomes.not_stated"), ("cit. valid", "citations.precision"),
)
BASELINE_ROWS = ("retrieval.hit_at_5", "retrieval.mrr", "answer.fact_recall", "citations.precision",
                 "citations.recall", "latency.p50_ms")
NOTES = """\
- Each corpus has its own index (RAG_HOME/eval/<corpus>/). Each set was split once into a dev
  and a test half: tune on dev, report test. The gap is dev − test; well above 0 means the
  tuning fits the dev questions rather than the method. Only failed dev items are listed.
- Evidence is scored on answerable items; a follow-up is retrieved with the query `ask()` builds
  from its history. Quote gold counts every paragraph that holds the quote.
- Outcomes: answered, not stated (the documents do not state it; the closest passages are
  cited) and refused (nothing cited). "Unanswerable refused" counts both refusals. Citation
  figures cover answered items only.
- Citation recall and precision follow ALCE (Gao et al. 2023): a sentence is supported when its
  cited paragraphs together support it; a citation is invalid when its sentence is unsupported,
  or when it does not support the sentence alone and the others do without it.
- The baseline is a default LlamaIndex VectorStoreIndex over the same folder, top 5 chunks; its
  chunks cover more paragraphs than our top 5, so its hit@5 is not like for like.
- Latency: ours is the wall time of `ask()`, embedding included.
"""


def write_report(report: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "report.md").write_text(markdown(report), encoding="utf-8")


def headline(report: dict) -> str:
    """One line per corpus for the terminal."""
    lines = []
    for name, row in report["summary"].items():
        figures = " ".join(f"{label.replace(' ', '')}={fmt(row.get(path), path)}" for label, path in SUMMARY_COLUMNS)
        gap = (report["corpora"][name].get("gap") or {}).get("retrieval.hit_at_5")
        lines.append(f"{name} ({row['split']}): {figures}" + (f" gap(hit@5)={gap:+.3f}" if gap is not None else ""))
    lines += [f"{name}: skipped ({why})" for name, why in report.get("skipped", {}).items()]
    return "\n".join(lines)


def markdown(report: dict) -> str:
    lines = [
        "# Evaluation report", "",
        f"{len(report['corpora'])} corpora, answered in {report['mode']} mode; the run took "
        f"{report.get('elapsed_s', '?')} s.", "",
        "## Summary: the test halves", "",
        *summary_table(report["summary"]), "",
    ]
    for name, why in report.get("skipped", {}).items():
        lines += [f"Skipped **{name}**: {why}", ""]
    for corpus in report["corpora"].values():
        lines += corpus_section(corpus)
    return "\n".join(lines + ["## Notes", "", NOTES])


def summary_table(summary: dict[str, dict]) -> list[str]:
    return table(["corpus", "half", "n", *(c[0] for c in SUMMARY_COLUMNS)], [
        [name, row["split"], fmt(row["n"]), *(fmt(row.get(path), path) for _, path in SUMMARY_COLUMNS)]
        for name, row in summary.items()
    ])


def corpus_section(corpus: dict) -> list[str]:
    """The corpus's figures (rows) per split (columns) with the gap, then its breakdowns."""
    splits = corpus["splits"]
    counts = ", ".join(f"{block['n']} {name}" for name, block in splits.items())
    lines = [f"## Corpus `{corpus['corpus']}`", "",
             f"Set `{corpus['question_set']}` over `{corpus['folder']}`: {counts} items.", "",
             *split_table(splits, corpus.get("gap") or {}), ""]
    if corpus.get("baseline"):
        lines += ["### Ours vs the naive LlamaIndex baseline", "", *_baseline(splits, corpus["baseline"]), ""]
    lines += ["### Evidence: the hybrid against its parts", "", *_methods(splits), ""]
    for field, title in (("kind", "By kind"), ("lang", "By language")):
        lines += [f"### {title} ({' / '.join(splits)})", "", *_categories(splits, field), ""]
    lines += _judge(corpus.get("judge") or {})
    return lines + _failures(splits)


def split_table(splits: dict[str, dict], gap: dict[str, float]) -> list[str]:
    """Rows = figures, columns = the splits and, when both halves ran, the gap."""
    header = ["metric", *splits, *(["gap (dev − test)"] if gap else [])]
    rows = []
    for label, path in FIGURES:
        values = [metric(block, path) for block in splits.values()]
        if all(v is None for v in values):
            continue
        rows.append([label, *(fmt(v, path) for v in values),
                     *([_signed(gap.get(path), path)] if gap else [])])
    return table(header, rows)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return out + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]


def fmt(value: object, key: str = "") -> str:
    """Scores to three decimals, milliseconds and counts to whole numbers, missing as a dash."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.0f}" if key.endswith("_ms") else f"{value:.3f}"
    return str(value)


def _signed(value: float | None, key: str) -> str:
    if value is None:
        return "—"
    return f"{value:+.0f}" if key.endswith("_ms") else f"{value:+.3f}"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ⏎ ")


def _baseline(splits: dict[str, dict], base: dict[str, dict]) -> list[str]:
    labels = dict((path, label) for label, path in FIGURES)
    header = ["metric", *(f"{who} {s}" for s in splits for who in ("ours", "baseline"))]
    return table(header, [
        [labels[path], *(fmt(metric(b.get(s), path), path) for s in splits for b in (splits, base))]
        for path in BASELINE_ROWS
    ])


def _methods(splits: dict[str, dict]) -> list[str]:
    names = sorted({m for b in splits.values() for m in b.get("retrieval_methods", {})},
                   key=lambda m: (m != "hybrid", m))
    header = ["ranking", *(f"{k} {s}" for k in ("hit@5", "MRR") for s in splits)]
    keys = ("hit_at_5", "mrr")
    return table(header, [
        [m, *(fmt(metric(b.get("retrieval_methods"), f"{m}.{k}")) for k in keys for b in splits.values())]
        for m in names
    ])


def _categories(splits: dict[str, dict], field: str) -> list[str]:
    """One row per category; each cell is "dev / test" (or the one split's value)."""
    blocks = [b.get("by_category", {}).get(field, {}) for b in splits.values()]
    values = sorted({v for b in blocks for v in b})
    rows = [
        [value, " / ".join(fmt((b.get(value) or {}).get("n", 0)) for b in blocks),
         *(" / ".join(fmt(metric(b.get(value), path), path) for b in blocks) for _, path in CATEGORY_COLUMNS)]
        for value in values
    ]
    return table(["", "n", *(c[0] for c in CATEGORY_COLUMNS)], rows)


def _judge(judge: dict) -> list[str]:
    if not judge.get("n"):
        return []
    judges = {"offline": judge, **({"llm": judge["llm"]} if "llm" in judge else {})}
    lines = ["### Support judge against its labelled pairs", "", *table(
        ["judge", "accuracy", "false support (hard negatives)", "pairs", "wrong"],
        [[n, fmt(j.get("accuracy")), fmt(j.get("false_support_rate")), fmt(j.get("n")),
          ", ".join(j.get("wrong", [])) or "none"] for n, j in judges.items()])]
    if judge.get("llm", {}).get("errors"):
        lines += ["", f"LLM judge: {judge['llm']['errors']} failed calls ({judge['llm']['last_error']})."]
    return lines + [""]


def _failures(splits: dict[str, dict]) -> list[str]:
    """Failed dev (or unsplit) items in full; the test half's only as a count, to tune on dev."""
    lines = []
    for name, block in splits.items():
        failed = block.get("failures") or []
        if name == "test":
            lines += [f"{len(failed)} test items fail; they are in report.json, not listed here.", ""]
            continue
        lines += [f"### Failed {name} items ({len(failed)})", ""]
        for f in failed:
            answer = f["answer"] if len(f["answer"]) <= 500 else f["answer"][:497] + "…"
            lines += [
                f"- **{f['id']}** ({f['kind']}, {f['lang']}): {_cell(f['question'])}",
                f"  - why: {'; '.join(f['reasons'])}",
                f"  - answer: {_cell(answer) or '(empty)'}",
                f"  - gold: {', '.join(f['gold']) or 'none (unanswerable)'}; cited: "
                f"{', '.join(f['citations']) or 'none'}",
            ]
        lines.append("")
    return lines
