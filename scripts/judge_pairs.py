"""The offline support judge against eval/judge_pairs.jsonl, without indexing or answering.

    PYTHONPATH=. .venv/bin/python scripts/judge_pairs.py [--wrong] [PAIRS]

Prints accuracy, the false-support rate on hard negatives, accuracy by kind and by language
(the same figures `rag eval` reports in its judge section), and with --wrong the pairs it gets wrong.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from rag.config import REPO_ROOT
from rag.evaluation.data import load_judge_pairs
from rag.evaluation.runner import DEFAULT_PAIRS, judge_report
from rag.guard.judge import judge_sentence, supports
from rag.ingest.paragraphs import non_blank_lines, read_file


def main(argv: list[str]) -> int:
    show_wrong = "--wrong" in argv
    paths = [Path(a) for a in argv if not a.startswith("--")]
    pairs = load_judge_pairs(paths[0] if paths else DEFAULT_PAIRS)
    lines = {p.source: non_blank_lines(read_file(REPO_ROOT / "seeds" / p.source)) for p in pairs}
    by_key = {(p.source, p.paragraph): SimpleNamespace(text=lines[p.source][p.paragraph - 1]) for p in pairs}
    report = judge_report(pairs, by_key, {"offline": supports})
    print(f"pairs {report['n']}: accuracy {report['accuracy']:.3f}, "
          f"false support on hard negatives {report['false_support_rate']:.3f}")
    for group in ("by_kind", "by_lang"):
        print("  " + ", ".join(f"{k} {v['accuracy']:.2f} ({v['n']})" for k, v in report[group].items()))
    if show_wrong:
        for p in pairs:
            if p.id in report["wrong"]:
                verdict = judge_sentence(p.sentence, [by_key[(p.source, p.paragraph)].text])
                print(f"{p.id} {p.kind} label={p.supported}: {p.sentence}\n    -> {verdict.reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
