"""Kept conversations (rag.ui.records), feedback lines (rag.ui.feedback) and the checks on browser requests."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from rag.errors import RagError
from rag.types import Answer, AnswerMode, Citation, Kind, Outcome, Paragraph
from rag.ui.feedback import feedback_record, save_feedback
from rag.ui.handlers import _context_request
from rag.ui.records import conversation_record, turns_from_records
from rag.ui.sources import source_views
from rag.ui.turns import Turn

P = Paragraph("a.txt", 4, "Hong Kong handles over 75% of settlement.", header="A Title | By Someone")
PARAGRAPHS = {("a.txt", 4): P}
ANSWER = Answer("Hong Kong handles over 75% [1].", citations=[Citation("a.txt", 4, P.text, "p. 2", Kind.LIST_ITEM)],
                mode=AnswerMode.LLM, warning="checked", flagged=(0,), outcome=Outcome.NOT_STATED, confidence=0.4)
TURN = Turn("How much?", ANSWER, sources=source_views(ANSWER, PARAGRAPHS))


def test_records__a_conversation_round_trips_through_json():
    records = json.loads(json.dumps(conversation_record([TURN, Turn("x" * 5, error="index unavailable")])))
    back = turns_from_records(records, PARAGRAPHS)
    assert back[0].answer == ANSWER and back[0].sources == TURN.sources
    assert back[1].error == "index unavailable" and back[1].answer is None


def test_records__pending_turns_are_not_kept_and_malformed_records_are_skipped():
    assert conversation_record([TURN, Turn("next?", pending=True)]) == conversation_record([TURN])
    bad = [None, {"question": 3}, {"question": "q", "answer": {"answer": "a", "citations": [{"source": "a.txt"}]}},
           {"question": "q", "answer": {"answer": "a", "citations": [], "mode": "evil", "flagged": [True, "x", 2]}}]
    (kept,) = turns_from_records(bad, PARAGRAPHS)
    assert kept.answer.mode is AnswerMode.EXTRACTIVE and kept.answer.flagged == (2,)
    assert turns_from_records("not a list", PARAGRAPHS) == [] and turns_from_records({"a": 1}, PARAGRAPHS) == []


def test_feedback__one_line_per_vote_with_question_answer_and_citations(tmp_path):
    path = tmp_path / "home" / "feedback.jsonl"
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    save_feedback(path, feedback_record(TURN, "down", "", "v1", at))
    save_feedback(path, feedback_record(TURN, "down", " Wrong year. ", "v1", at))
    first, second = (json.loads(line) for line in path.read_text().splitlines())
    assert first["time"] == "2026-01-02T03:04:05+00:00" and first["id"] == second["id"] == "v1"
    assert second["comment"] == "Wrong year." and second["question"] == "How much?"
    assert second["citations"] == [ANSWER.citations[0].to_dict()] and second["mode"] == "llm"
    assert second["citations"][0]["text"] == P.text
    with pytest.raises(RagError, match="one of up, down"):
        feedback_record(TURN, "meh", "", "v2")
    with pytest.raises(RagError, match="limit is 2000"):
        feedback_record(TURN, "up", "x" * 2001, "v3")


def test_context_request__checks_what_the_browser_sends():
    assert _context_request(["a.txt", 4, 6, 2, "hant"])[1:] == (4, 6, 2, "hant")
    assert _context_request(["a.txt", 4, 4, 99, "klingon"])[3:] == (12, "latin")
    for bad in (["a.txt", 0, 1, 2, "latin"], ["a.txt", 5, 4, 2, "latin"], ["a.txt", True, 4, 2, "latin"], "x", []):
        with pytest.raises(RagError):
            _context_request(bad)
