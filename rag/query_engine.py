"""The LlamaIndex query engine: hybrid retrieval, refusal, then the LLM or the extractive answer."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from llama_index.core.base.response.schema import Response
from llama_index.core.query_engine import CustomQueryEngine
from llama_index.core.schema import QueryBundle

from rag.answer import generative
from rag.answer.extractive import compose
from rag.guard.support import Guarded, guard
from rag.guard.answerability import RefusalPolicy, should_refuse, signals
from rag.answer.citations import (
    MARKER,
    answer_sentences,
    join_sentences,
    normalise_markers,
    render,
    renumber,
)
from rag.config import RagConfig
from rag.question.followup import retrieval_query, validate_history
from rag.question.validation import validate_question
from rag.retrieve.hybrid import HybridRetriever, to_node
from rag.lang.text import language, script, to_simplified
from rag.types import Answer, ScoredParagraph

EVIDENCE_K = 8
REFUSALS = {
    "latin": "The documents don't cover this.",
    "hant": "文件中沒有涵蓋這個問題。",
    "hans": "文件中没有涵盖这个问题。",
}


@dataclass
class ConversationQuery(QueryBundle):
    """A QueryBundle that carries the earlier (question, answer) turns."""

    history: Sequence[tuple[str, str]] = ()


class RagQueryEngine(CustomQueryEngine):
    """Grounded answers with paragraph citations.

    `engine.query("...")` returns a LlamaIndex Response whose `metadata["answer"]` is our
    `Answer`; source_nodes are the cited paragraphs.
    """

    retriever: HybridRetriever
    config: RagConfig
    llm: Any = None
    policy: RefusalPolicy = RefusalPolicy()

    def custom_query(self, query_str: str) -> Response:
        return self._respond(self.answer(query_str, ()))

    def query(self, str_or_query_bundle: str | QueryBundle) -> Response:
        with self.callback_manager.as_trace("query"):
            if isinstance(str_or_query_bundle, QueryBundle):
                history = getattr(str_or_query_bundle, "history", ())
                return self._respond(self.answer(str_or_query_bundle.query_str, history))
            return self.custom_query(str_or_query_bundle)

    def _respond(self, answer: Answer) -> Response:
        nodes = [
            to_node(ScoredParagraph(self.retriever.by_key[(c.source, c.paragraph)], 1.0))
            for c in answer.citations
            if (c.source, c.paragraph) in self.retriever.by_key
        ]
        return Response(response=answer.answer, source_nodes=nodes, metadata={"answer": answer})

    def answer(self, question: str, history: Sequence[tuple[str, str]]) -> Answer:
        answer = None
        for answer in self.stream_answer(question, history, stream=False):
            pass
        return answer

    def stream_answer(
        self, question: str, history: Sequence[tuple[str, str]], stream: bool = True
    ) -> Iterator[Answer]:
        """Partial answers while an LLM writes (markers not yet checked), then the final one."""
        question = validate_question(question)
        turns = validate_history(history)
        query, context = retrieval_query(question, turns)
        hits = self.retriever.search(query, top_k=EVIDENCE_K)
        q_script = script(question)
        if not hits or should_refuse(
            signals(query, hits, self.retriever.is_common, self.retriever.knows), self.policy
        ):
            yield Answer(answer=REFUSALS[q_script], refused=True, mode=self.mode)
            return
        warning = None
        if self.llm is not None:
            try:
                yield from self._generate(question, hits, q_script, turns, stream)
                return
            except generative.LLMFailed as failure:
                warning = f"{failure.reason}; showing the extractive answer instead."
        yield self._extract(question, hits, q_script, context, warning)

    @property
    def mode(self) -> str:
        return "llm" if self.llm is not None else "extractive"

    def _extract(
        self,
        question: str,
        hits: list[ScoredParagraph],
        q_script: str,
        context: str,
        warning: str | None,
    ) -> Answer:
        lang = language(question)
        claims = compose(question, hits, lang, self.retriever.by_key, context)
        display = to_simplified if q_script == "hans" else (lambda s: s)
        in_list = len(claims) > 1 and len({(c.paragraph.source, c.paragraph.group) for c in claims}) == 1 and claims[0].paragraph.group
        joiner = "\n" if in_list else " "
        text, citations = render([(c.text, c.paragraph) for c in claims], display, joiner)
        return Answer(answer=text, citations=citations, mode="extractive", warning=warning)

    def _generate(
        self,
        question: str,
        hits: list[ScoredParagraph],
        q_script: str,
        turns: list[tuple[str, str]],
        stream: bool,
    ) -> Iterator[Answer]:
        sources = [sp.paragraph for sp in hits[:6]]
        chat = generative.messages(self.config, question, sources, q_script, turns)
        if stream:
            reply = ""
            for delta in generative.stream(self.llm, chat, self.config):
                reply += delta
                yield Answer(answer=reply, mode="llm")
        else:
            reply = generative.complete(self.llm, chat, self.config)
        yield self._finish_llm(reply, sources, q_script)

    def _finish_llm(self, reply: str, sources: list, q_script: str) -> Answer:
        if generative.is_refusal(reply):
            return Answer(answer=REFUSALS[q_script], refused=True, mode="llm")
        if not MARKER.search(normalise_markers(reply)):
            raise generative.LLMFailed("the LLM's answer cited no source paragraph")
        checked = guard(answer_sentences(reply), sources, self.config.guard)
        text, citations = renumber(join_sentences(checked.sentences), sources)
        if not citations:
            raise generative.LLMFailed("no sentence of the LLM's answer was supported by its sources")
        return Answer(
            answer=text,
            citations=citations,
            mode="llm",
            warning=_guard_warning(checked),
            flagged=checked.flagged,
        )


def _guard_warning(checked: Guarded) -> str | None:
    if checked.dropped:
        return f"{checked.dropped} sentence(s) not supported by the cited paragraphs were removed."
    if checked.flagged:
        return f"{len(checked.flagged)} sentence(s) are not supported by the cited paragraphs (marked)."
    return None


def build_engine(config: RagConfig) -> RagQueryEngine:
    retriever = HybridRetriever.load(config)
    llm = generative.build_llm(config) if config.llm_enabled else None
    return RagQueryEngine(retriever=retriever, config=config, llm=llm)
