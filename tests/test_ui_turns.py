"""One chat turn driven to completion (rag.ui.turns.converse), with a scripted answerer."""

from __future__ import annotations

from rag.errors import IndexNotBuilt
from rag.types import Answer, Citation, Paragraph
from rag.ui.turns import MAX_SHOWN_QUESTION, Turn, converse, history_of

P = Paragraph("a.txt", 4, "Hong Kong handles over 75% of settlement.")
FINAL = Answer("Hong Kong handles over 75% [1].", citations=[Citation("a.txt", 4, P.text)])


def _run(question, turns=(), stream=None):
    calls = []

    def answer_stream(q, history):
        calls.append((q, history))
        yield from (stream or (lambda: iter([Answer("Hong Kong", mode="llm"), FINAL])))()

    states = list(converse(question, turns, answer_stream, lambda: {("a.txt", 4): P}))
    return states, calls


def test_converse__pending_then_partial_then_final_with_sources():
    states, calls = _run("How much?")
    assert [s[-1].pending for s in states] == [True, True, False]
    assert states[0][-1].answer is None and states[1][-1].answer.answer == "Hong Kong"
    final = states[-1][-1]
    assert final.answer == FINAL and final.sources[0].number == 4
    assert final.sources[0].segments[0].used
    assert calls == [("How much?", [])]


def test_converse__follow_up_gets_the_finished_turns_as_history():
    earlier = [
        Turn("First?", FINAL),
        Turn("", error="question is empty"),
        Turn("Cake?", Answer("No.", refused=True)),
    ]
    states, calls = _run("And its share?", earlier)
    assert calls[0][1] == [("First?", FINAL.answer), ("Cake?", "No.")]
    assert states[-1][:3] == earlier and len(states[-1]) == 4


def test_converse__bad_question_is_one_notice_and_never_answered():
    states, calls = _run("   ")
    assert calls == [] and len(states) == 1
    assert states[0][-1].error == "question is empty" and states[0][-1].answer is None
    (long_turn,) = _run("why " * 600)[0][0]
    assert "2,000" in long_turn.error and len(long_turn.question) <= MAX_SHOWN_QUESTION + 1
    assert long_turn.question.endswith("…")


def test_converse__error_while_answering_becomes_a_notice():
    def broken():
        raise IndexNotBuilt("no index in /x; run `rag index --rebuild`.")
        yield

    states, _ = _run("How much?", stream=broken)
    assert states[-1][-1].error.startswith("no index") and not states[-1][-1].pending


def test_history_of__skips_pending_and_failed_turns():
    turns = [Turn("a", FINAL), Turn("b", pending=True), Turn("c", error="x")]
    assert history_of(turns) == [("a", FINAL.answer)]
