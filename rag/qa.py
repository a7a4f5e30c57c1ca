"""`ask()` and `ask_stream()`: the one path a question takes, loaded once per process.

question ─► validation, follow-up resolution ─► hybrid retrieval ─► answerability guard
         ─► extractive answer (offline) or LLM answer (checked by the support guard)

The LlamaIndex query engine (`rag.query_engine`) wraps this same path; the UI, the CLI,
eval and bench all call it through `ask`, `ask_stream`, `index_info` and `paragraph`.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from rag.answer import generative
from rag.answer.citations import MARKER, answer_sentences, join_sentences, normalise_markers, render, renumber
from rag.answer.evidence import gather
from rag.answer.extractive import Claim, claims_once, compose
from rag.answer.units import Unit, build_units
from rag.config import RagConfig
from rag.errors import IndexNotBuilt, LLMFailed
from rag.guard.answerability import Judgement, Models, judge, rank_units
from rag.guard.support import Guarded, guard
from rag.index.snapshot import Manifest
from rag.lang.text import configure_cache, to_simplified
from rag.question.analysis import Asked, QuestionAnalysis, analyse, analyse_turn
from rag.question.followup import retrieval_query, validate_history
from rag.question.validation import validate_question
from rag.retrieve.hybrid import HybridRetriever
from rag.types import Answer, AnswerMode, Outcome, Paragraph, ScoredParagraph, Script

REFUSALS = {
    Script.LATIN: "The documents don't cover this.",
    Script.HANT: "文件中沒有涵蓋這個問題。",
    Script.HANS: "文件中没有涵盖这个问题。",
}
NOT_STATED = {
    Script.LATIN: "The documents do not state this directly. The closest passages:",
    Script.HANT: "文件沒有直接說明這一點。最接近的段落：",
    Script.HANS: "文件没有直接说明这一点。最接近的段落：",
}
NOT_STATED_PASSAGES = 2

WARM_UP = "what 什么"  # question words of each language: touches every tokeniser, names nothing


@dataclass(frozen=True)
class IndexInfo:
    """What the index holds, for the UI's header and `rag docs`."""

    mode: AnswerMode
    llm_model: str | None
    documents: tuple[str, ...]
    paragraphs: int


@dataclass(frozen=True)
class Candidates:
    units: list[Unit]
    similarity: list[float]
    dense_top: float


class Pipeline:
    """One question's path: retrieve, guard, answer. Built once per index; thread-safe to call."""

    def __init__(self, config: RagConfig, retriever: HybridRetriever, llm: object | None = None) -> None:
        self.config = config
        self.retriever = retriever
        self.llm = llm
        self._models: Models | None = None

    @property
    def mode(self) -> AnswerMode:
        return AnswerMode.LLM if self.llm is not None else AnswerMode.EXTRACTIVE

    def answer(self, question: str, history: Sequence[tuple[str, str]] = ()) -> Answer:
        """The final answer (no partial ones)."""
        final = None
        for final in self.stream(question, history, partial=False):
            pass
        return final

    def stream(
        self, question: str, history: Sequence[tuple[str, str]] = (), partial: bool = True
    ) -> Iterator[Answer]:
        """Partial answers while an LLM writes (markers not yet checked), then the final one."""
        question = validate_question(question)
        turns = validate_history(history)
        query, context = retrieval_query(question, turns)
        q = analyse_turn(question, context)
        hits = self.retriever.search(query, top_k=self.config.evidence_k)
        judgement = self._judge(q, query, hits)
        if judgement.outcome is not Outcome.ANSWERED:
            yield self._decline(q, judgement)
            return
        warning = None
        if self.llm is not None:
            try:
                yield from self._generate(question, hits, q.script, turns, partial, judgement.probability)
                return
            except LLMFailed as failure:
                warning = f"{failure.reason}; showing the extractive answer instead."
        yield self._extract(q, judgement, warning)

    @property
    def models(self) -> Models:
        if self._models is None:
            self._models = Models.shipped()
        return self._models

    def candidates(self, q: QuestionAnalysis, query: str, hits: list[ScoredParagraph]) -> Candidates:
        """The answer units of the evidence, with each unit's sentence-vector similarity."""
        lookup = self.retriever.by_key
        units = build_units(gather(hits, q.lang, lookup), lookup, want_list=q.asked is Asked.LIST)
        vector = self.retriever.embed(query)
        similarity = [self._similarity(vector, u) for u in units]
        return Candidates(units, similarity, max((sp.dense for sp in hits), default=0.0))

    def _judge(self, q: QuestionAnalysis, query: str, hits: list[ScoredParagraph]) -> Judgement:
        if not hits:
            return Judgement(Outcome.REFUSED, 0.0, [])
        found = self.candidates(q, query, hits)
        return judge(q, found.units, found.similarity, found.dense_top, self.retriever.corpus, self.models)

    def _similarity(self, vector: np.ndarray, unit: Unit) -> float:
        sims = self.retriever.sentence_similarities(vector, unit.paragraph)
        if sims is None or unit.index >= len(sims):
            return unit.hit.dense
        return float(sims[unit.index])

    def _ranked_parts(self, q: QuestionAnalysis, judgement: Judgement) -> list[list[tuple[Unit, float]]]:
        """The units ranked for each part of a two-part question (once for a simple one)."""
        if len(q.parts) < 2:
            return [judgement.ranked]
        units, similarity = judgement.units, judgement.similarity
        out = []
        for part in q.parts:
            _, scores = rank_units(analyse(part), units, similarity, self.retriever.corpus, self.models.ranker)
            out.append(sorted(zip(units, map(float, scores), strict=True), key=lambda t: -t[1]))
        return out

    def _decline(self, q: QuestionAnalysis, judgement: Judgement) -> Answer:
        """A refusal; when the documents come close, it says so and cites the closest passages."""
        if judgement.outcome is Outcome.REFUSED or not judgement.ranked:
            return Answer(answer=REFUSALS[q.script], refused=True, mode=self.mode,
                          outcome=Outcome.REFUSED, confidence=judgement.probability)
        closest = [Claim(unit.focus, unit.paragraph) for unit, _ in judgement.ranked[:NOT_STATED_PASSAGES]]
        display = to_simplified if q.script is Script.HANS else (lambda s: s)
        text, citations = render([(c.text, c.paragraph) for c in claims_once(closest)], display, " ")
        return Answer(answer=f"{NOT_STATED[q.script]} {text}", citations=citations, refused=True, mode=self.mode,
                      outcome=Outcome.NOT_STATED, confidence=judgement.probability)

    def _extract(self, q: QuestionAnalysis, judgement: Judgement, warning: str | None) -> Answer:
        display = to_simplified if q.script is Script.HANS else (lambda s: s)
        chosen, is_list = compose(self._ranked_parts(q, judgement), q.content_words, q.asked is Asked.LIST)
        text, citations = render([(c.text, c.paragraph) for c in chosen], display, "\n" if is_list else " ")
        return Answer(answer=text, citations=citations, mode=AnswerMode.EXTRACTIVE, warning=warning,
                      outcome=Outcome.ANSWERED, confidence=judgement.probability)

    def _generate(
        self, question: str, hits: list[ScoredParagraph], q_script: Script, turns: list[tuple[str, str]],
        partial: bool, confidence: float,
    ) -> Iterator[Answer]:
        sources = [sp.paragraph for sp in hits[: self.config.top_k]]
        chat = generative.messages(self.config, question, sources, q_script, turns)
        if partial:
            reply = ""
            for delta in generative.stream(self.llm, chat, self.config):
                reply += delta
                yield Answer(answer=reply, mode=AnswerMode.LLM)
        else:
            reply = generative.complete(self.llm, chat, self.config)
        yield replace(self._finish_llm(reply, sources, q_script), confidence=confidence)

    def _finish_llm(self, reply: str, sources: list[Paragraph], q_script: str) -> Answer:
        if generative.is_refusal(reply):
            return Answer(answer=REFUSALS[q_script], refused=True, mode=AnswerMode.LLM)
        if not MARKER.search(normalise_markers(reply)):
            raise LLMFailed("the LLM's answer cited no source paragraph")
        checked = guard(answer_sentences(reply), sources, self.config.guard)
        text, citations = renumber(join_sentences(checked.sentences), sources)
        if not citations:
            raise LLMFailed("no sentence of the LLM's answer was supported by its sources")
        return Answer(
            answer=text, citations=citations, mode=AnswerMode.LLM,
            warning=_guard_warning(checked), flagged=checked.flagged,
        )


def _guard_warning(checked: Guarded) -> str | None:
    if checked.dropped:
        return f"{checked.dropped} sentence(s) not supported by the cited paragraphs were removed."
    if checked.flagged:
        return f"{len(checked.flagged)} sentence(s) are not supported by the cited paragraphs (marked)."
    return None


def build_pipeline(config: RagConfig) -> Pipeline:
    """A new pipeline over the index in `config.home` (no caching; see `get_pipeline`)."""
    configure_cache(config.cache_dir)
    retriever = HybridRetriever.load(config)
    llm = generative.build_llm(config) if config.llm_enabled else None
    return Pipeline(config, retriever, llm)


_lock = threading.Lock()
_pipelines: dict[RagConfig, tuple[float, Pipeline]] = {}


def get_pipeline(config: RagConfig | None = None) -> Pipeline:
    """The process's pipeline for `config`, built on first use and reloaded after a re-index."""
    config = RagConfig.from_env() if config is None else config
    with _lock:
        manifest = Manifest.read(config.home)
        if manifest is None:
            _build_missing_index(config)
            manifest = Manifest.read(config.home)
            if manifest is None:
                raise IndexNotBuilt(f"no index in {config.home}; run `rag index --rebuild`.")
        cached = _pipelines.get(config)
        if cached is None or cached[0] != manifest.built_at:
            _pipelines[config] = (manifest.built_at, build_pipeline(config))
        return _pipelines[config][1]


def _build_missing_index(config: RagConfig) -> None:
    from rag.index.build import build_index
    from rag.index.progress import progress_bar

    print(f"rag: no index in {config.home} yet; building it now…", file=sys.stderr)
    with progress_bar("embedding") as progress:
        report = build_index(config, wait=True, progress=progress)
    for warning in report.warnings:
        print(f"rag: warning: {warning}", file=sys.stderr)
    print(f"rag: {report.summary()}", file=sys.stderr)


def ask(
    question: str,
    history: Sequence[tuple[str, str]] | None = None,
    config: RagConfig | None = None,
) -> Answer:
    """Answer `question` from the indexed documents, citing a paragraph for every sentence.

    Args:
        question: English, Traditional or Simplified Chinese; at most 2,000 characters.
        history: earlier (question, answer) turns, so follow-ups like "and its members?" resolve.
        config: settings; `RagConfig.from_env()` when None.

    Returns:
        An `Answer`: marker [n] in `answer` refers to `citations[n-1]`.

    Raises:
        BadQuestion: the question is empty or too long (a ValueError).
        IndexNotBuilt, StoreUnavailable: the index cannot be used; the message says what to do.

    >>> ask("What share of offshore RMB settlement does Hong Kong handle?").citations[0].paragraph
    70
    """
    question = validate_question(question)
    return get_pipeline(config).answer(question, tuple(history or ()))


def ask_stream(
    question: str,
    history: Sequence[tuple[str, str]] | None = None,
    config: RagConfig | None = None,
) -> Iterator[Answer]:
    """Like `ask`, but yields partial answers while an LLM writes; the last one is final."""
    question = validate_question(question)
    yield from get_pipeline(config).stream(question, tuple(history or ()))


def index_info(config: RagConfig | None = None) -> IndexInfo:
    """What the index holds and how answers are written; loads the pipeline, so later answers start fast."""
    pipeline = get_pipeline(config)
    pipeline.retriever.search(WARM_UP, top_k=1)  # loads the tokenisers and the embedder before anyone asks
    manifest = pipeline.retriever.manifest
    model = pipeline.config.llm_model if pipeline.mode is AnswerMode.LLM else None
    return IndexInfo(pipeline.mode, model, tuple(manifest.documents), manifest.paragraphs)


def paragraph(source: str, number: int, config: RagConfig | None = None) -> Paragraph | None:
    """Paragraph `number` of `source` as indexed, or None."""
    return get_pipeline(config).retriever.by_key.get((source, number))


def paragraphs(config: RagConfig | None = None) -> dict[tuple[str, int], Paragraph]:
    """Every indexed paragraph by (source, number), for rendering sources."""
    return get_pipeline(config).retriever.by_key
