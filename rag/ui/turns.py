"""The chat's conversation as plain records, and one turn of it driven to completion.

Kept apart from Gradio so the behaviour (history, errors as notices, streaming states)
is tested without a server: `converse` takes the answering function as an argument.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from rag.errors import RagError
from rag.question.validation import validate_question
from rag.types import Answer
from rag.ui.sources import Paragraphs, SourceView, source_views

MAX_SHOWN_QUESTION = 400  # an over-long question is echoed shortened beside its notice

History = list[tuple[str, str]]
AnswerStream = Callable[[str, History], Iterator[Answer]]


@dataclass(frozen=True)
class Turn:
    """One exchange: a question and its answer, or the notice explaining why there is none."""

    question: str
    answer: Answer | None = None
    sources: tuple[SourceView, ...] = ()
    error: str | None = None
    pending: bool = False

    @property
    def answered(self) -> bool:
        return self.answer is not None and not self.pending


def history_of(turns: Sequence[Turn]) -> History:
    """(question, answer) pairs of the finished turns, for follow-up questions."""
    return [(t.question, t.answer.answer) for t in turns if t.answered and t.answer is not None]


def shown_question(question: str) -> str:
    if len(question) <= MAX_SHOWN_QUESTION:
        return question
    return question[:MAX_SHOWN_QUESTION].rstrip() + "…"


def converse(
    question: str,
    turns: Sequence[Turn],
    answer_stream: AnswerStream,
    paragraphs: Callable[[], Paragraphs],
) -> Iterator[list[Turn]]:
    """Every state of the conversation while `question` is answered; the last one is final.

    A RagError (empty or over-long question, index unavailable) ends the turn as a notice
    carrying the error's message, so the chat never shows a stack trace.
    """
    before = list(turns)
    try:
        validate_question(question)
    except RagError as exc:
        yield [*before, Turn(shown_question(question), error=str(exc))]
        return
    yield [*before, Turn(question, pending=True)]
    answer = None
    try:
        for latest in answer_stream(question, history_of(before)):
            if answer is not None:  # one behind, so the final answer is never shown as a draft
                yield [*before, Turn(question, answer, pending=True)]
            answer = latest
    except RagError as exc:
        yield [*before, Turn(question, error=str(exc))]
        return
    if answer is None:
        yield [*before, Turn(question, error="no answer came back; ask again.")]
        return
    yield [*before, Turn(question, answer, sources=source_views(answer, paragraphs()))]
