"""The answer layer on the real seeded index: general behaviour, not fitted items.

Each case is one of the causes issue 13 names: an imperative or polite opening must not change
the answer; a question far from the documents is refused outright; a near miss on a covered
topic is "not stated directly", refused but citing the closest passages.
"""

from __future__ import annotations

from rag.qa import build_pipeline
from rag.types import Outcome


def test_answer__a_polite_or_imperative_opening_gets_the_plain_questions_answer(config) -> None:
    pipeline = build_pipeline(config)
    plain = pipeline.answer("How many members does the AIIB have?")
    assert plain.outcome is Outcome.ANSWERED and "109" in plain.answer
    for variant in ("Please tell me how many members the AIIB has.", "Tell me how many members the AIIB has"):
        answer = pipeline.answer(variant)
        assert answer.outcome is Outcome.ANSWERED, variant
        assert [c.paragraph for c in answer.citations] == [c.paragraph for c in plain.citations], variant


def test_answer__a_question_far_from_the_documents_is_refused_with_nothing_cited(config) -> None:
    answer = build_pipeline(config).answer("How do I bake Hong Kong-style egg tarts?")
    assert answer.refused and answer.outcome is Outcome.REFUSED and answer.citations == []
    assert answer.confidence is not None and answer.confidence < 0.1


def test_answer__a_near_miss_is_not_stated_directly_with_the_closest_passages_cited(config) -> None:
    answer = build_pipeline(config).answer("How many satellites does BeiDou have?")
    assert answer.refused and answer.outcome is Outcome.NOT_STATED
    assert answer.answer.startswith("The documents do not state this directly.")
    assert answer.citations and any("Beidou" in c.text or "BeiDou" in c.text for c in answer.citations)


def test_answer__the_outcome_and_confidence_are_in_the_json(config) -> None:
    record = build_pipeline(config).answer("How many members does the AIIB have?").to_dict()
    assert record["outcome"] == "answered" and 0.0 < record["confidence"] <= 1.0
