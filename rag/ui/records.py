"""A conversation as JSON for the browser to keep (localStorage), and back. Pure.

The browser stores the records; on a reload, or when an earlier chat is opened, it sends them
back and the page is rendered from them again, through the same escaping as a live answer.
Records come from the browser, so they are checked: anything malformed is left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from rag.config import MAX_QUESTION_CHARS
from rag.types import Answer, AnswerMode, Citation, Kind, Outcome
from rag.ui.sources import Paragraphs, source_views
from rag.ui.turns import Turn, shown_question

MAX_TURNS = 200  # a restored conversation keeps at most its last this many turns
MAX_TEXT = 20 * MAX_QUESTION_CHARS  # longer answer or paragraph texts are not ours


def turn_record(turn: Turn) -> dict:
    """What the browser keeps of a finished turn."""
    answer = turn.answer
    record: dict = {"question": turn.question}
    if turn.error is not None:
        record["error"] = turn.error
    if answer is not None:
        record["answer"] = {**answer.to_dict(), "flagged": list(answer.flagged)}
    return record


def conversation_record(turns: Sequence[Turn]) -> list[dict]:
    return [turn_record(t) for t in turns if not t.pending]


def turns_from_records(records: object, paragraphs: Paragraphs) -> list[Turn]:
    """The turns `records` describe; malformed records are skipped, not trusted."""
    if not isinstance(records, list):
        return []
    turns = [_turn(r, paragraphs) for r in records[-MAX_TURNS:]]
    return [t for t in turns if t is not None]


def _turn(record: object, paragraphs: Paragraphs) -> Turn | None:
    if not isinstance(record, dict) or not _text(record.get("question")):
        return None
    question = shown_question(record["question"])
    error = record.get("error")
    if _text(error):
        return Turn(question, error=error)
    answer = _answer(record.get("answer"))
    if answer is None:
        return None
    return Turn(question, answer, sources=source_views(answer, paragraphs))


def _answer(raw: object) -> Answer | None:
    if not isinstance(raw, dict) or not _text(raw.get("answer")):
        return None
    citations = [_citation(c) for c in raw.get("citations") or []] if isinstance(raw.get("citations"), list) else []
    if any(c is None for c in citations):
        return None
    flagged = raw.get("flagged") if isinstance(raw.get("flagged"), list) else []
    confidence = raw.get("confidence")
    confidence = float(confidence) if isinstance(confidence, int | float) and not isinstance(confidence, bool) else None
    return Answer(
        answer=raw["answer"],
        citations=citations,
        refused=raw.get("refused") is True,
        mode=_member(AnswerMode, raw.get("mode")) or AnswerMode.EXTRACTIVE,
        warning=raw["warning"] if _text(raw.get("warning")) else None,
        flagged=tuple(i for i in flagged if isinstance(i, int) and not isinstance(i, bool)),
        outcome=_member(Outcome, raw.get("outcome")),
        confidence=confidence,
    )


def _member(enum: type, value: object) -> object:
    """`value` as a member of `enum`, or None when it names none."""
    return enum(value) if value in {m.value for m in enum} else None


def _citation(raw: object) -> Citation | None:
    if not isinstance(raw, dict):
        return None
    source, number, text = raw.get("source"), raw.get("paragraph"), raw.get("text")
    if not _text(source) or not isinstance(number, int) or isinstance(number, bool) or not isinstance(text, str):
        return None
    location = raw.get("location") if isinstance(raw.get("location"), str) else ""
    kind = _member(Kind, raw.get("kind")) or Kind.PARAGRAPH
    return Citation(source, number, text, location[:200], kind) if len(text) <= MAX_TEXT else None


def _text(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_TEXT
