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
from dataclasses import dataclass

from rag.answer import generative
from rag.answer.citations import MARKER, answer_sentences, join_sentences, normalise_markers, render, renumber
from rag.answer.extractive import compose
from rag.config import RagConfig
from rag.errors import IndexNotBuilt, LLMFailed
from rag.guard.answerability import RefusalPolicy, should_refuse, signals
from rag.guard.support import Guarded, guard
from rag.index.snapshot import Manifest
from rag.lang.text import language, script, to_simplified
from rag.question.followup import retrieval_query, validate_history
from rag.question.validation import validate_question
from rag.retrieve.hybrid import HybridRetriever
from rag.types import Answer, AnswerMode, Paragraph, ScoredParagraph

REFUSALS = {
    "latin": "The documents don't cover this.",
    "hant": "文件中沒有涵蓋這個問題。",
    "hans": "文件中没有涵盖这个问题。",
}

WARM_UP = "what 什么"  # question words of each language: touches every tokeniser, names nothing


@dataclass(frozen=True)
class IndexInfo:
    """What the index holds, for the UI's header and `rag docs`."""

    mode: AnswerMode
    llm_model: str | None
    documents: tuple[str, ...]
    paragraphs: int


class Pipeline:
    """One question's path: retrieve, guard, answer. Built once per index; thread-safe to call."""

    def __init__(self, config: RagConfig, retriever: HybridRetriever, llm: object | None = None) -> None:
        self.config = config
        self.retriever = retriever
        self.llm = llm
        self.policy = RefusalPolicy()

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
        hits = self.retriever.search(query, top_k=self.config.evidence_k)
        q_script = script(question)
        if not hits or should_refuse(
            signals(query, hits, self.retriever.is_common, self.retriever.knows), self.policy
        ):
            yield Answer(answer=REFUSALS[q_script], refused=True, mode=self.mode)
            return
        warning = None
        if self.llm is not None:
            try:
                yield from self._generate(question, hits, q_script, turns, partial)
                return
            except LLMFailed as failure:
                warning = f"{failure.reason}; showing the extractive answer instead."
        yield self._extract(question, hits, q_script, context, warning)

    def _extract(
        self, question: str, hits: list[ScoredParagraph], q_script: str, context: str, warning: str | None
    ) -> Answer:
        claims = compose(question, hits, language(question), self.retriever.by_key, context)
        display = to_simplified if q_script == "hans" else (lambda s: s)
        groups = {(c.paragraph.source, c.paragraph.group) for c in claims}
        in_list = len(claims) > 1 and len(groups) == 1 and claims[0].paragraph.group
        text, citations = render([(c.text, c.paragraph) for c in claims], display, "\n" if in_list else " ")
        return Answer(answer=text, citations=citations, mode=AnswerMode.EXTRACTIVE, warning=warning)

    def _generate(
        self, question: str, hits: list[ScoredParagraph], q_script: str, turns: list[tuple[str, str]], partial: bool
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
        yield self._finish_llm(reply, sources, q_script)

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

    print(f"rag: no index in {config.home} yet; building it now…", file=sys.stderr)
    report = build_index(config, wait=True)
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
