"""LLM mode through the real openai client against a scripted server on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import time

from rag.qa import build_pipeline

QUESTION = "What percentage of offshore RMB settlement does Hong Kong handle?"


def _ask(cfg, question=QUESTION, history=()):
    return build_pipeline(cfg).answer(question, history)


def _numbers(cfg, question=QUESTION):
    """The source numbers the prompt gives the paragraphs (000 ¶70 and a second one)."""
    hits = build_pipeline(cfg).retriever.search(question, top_k=6)
    keys = [(h.paragraph.source[:3], h.paragraph.number) for h in hits]
    rmb = keys.index(("000", 70)) + 1
    other = next(i for i in range(1, len(keys) + 1) if i != rmb)
    return rmb, other


def test_llm__answer_keeps_valid_markers_drops_bad_ones_and_renumbers(llm, llm_config):
    rmb, other = _numbers(llm_config)
    llm.script(("text", f"Hong Kong handles over 75% of offshore RMB settlement [{rmb}][9]. "
                        f"Hong Kong is the world's largest offshore RMB center [{rmb}, {other}]."))
    r = _ask(llm_config)
    assert r.mode == "llm" and not r.refused and r.warning is None
    assert "[9]" not in r.answer
    assert r.answer.startswith("Hong Kong handles over 75% of offshore RMB settlement [1].")
    assert r.citations[0].paragraph == 70 and len(r.citations) == 2
    prompt = llm.requests[-1]["messages"][-1]["content"]
    assert "[1] " in prompt and QUESTION in prompt


def test_llm__model_refusal_becomes_refused_answer(llm, llm_config):
    llm.script(("text", "NOT_IN_SOURCES"))
    r = _ask(llm_config)
    assert r.refused and r.citations == [] and r.mode == "llm"


def test_llm__unsupported_sentence_is_removed_and_reported(llm, llm_config):
    rmb, _ = _numbers(llm_config)
    llm.script(("text", f"Hong Kong handles over 75% of offshore RMB settlement [{rmb}]. "
                        f"Hong Kong also clears 98% of all euro payments [{rmb}]."))
    r = _ask(llm_config)
    assert "98%" not in r.answer and "75%" in r.answer
    assert r.warning.startswith("1 sentence(s) not supported")


def test_llm__guard_flag_mode_keeps_and_marks_the_sentence(llm, llm_config):
    rmb, _ = _numbers(llm_config)
    llm.script(("text", f"Hong Kong handles over 75% of offshore RMB settlement [{rmb}]. "
                        f"Hong Kong also clears 98% of all euro payments [{rmb}]."))
    r = _ask(dataclasses.replace(llm_config, guard="flag"))
    assert "98%" in r.answer and r.flagged == (1,) and "marked" in r.warning


def test_llm__429_then_success_is_retried(llm, llm_config):
    rmb, _ = _numbers(llm_config)
    llm.script(("status", 429), ("text", f"Hong Kong handles over 75% of offshore RMB settlement [{rmb}]."))
    r = _ask(llm_config)
    assert r.mode == "llm" and r.warning is None and len(llm.requests) == 2


def test_llm__persistent_500_falls_back_to_extractive_with_warning(llm, llm_config):
    llm.script(("status", 500), ("status", 500), ("status", 500))
    r = _ask(llm_config)
    assert r.mode == "extractive" and "75%" in r.answer
    assert "500" in r.warning and "sk-test-secret-123" not in r.warning


def test_llm__retry_cut_short_by_the_deadline_names_the_failure_that_caused_it(llm, llm_config):
    llm.script(("status", 429), ("hang", 20))
    answer = _ask(llm_config)
    assert answer.mode == "extractive" and "75%" in answer.answer
    assert "HTTP 429" in answer.warning, answer.warning


def test_llm__hang_past_timeout_falls_back_within_the_deadline(llm, llm_config):
    llm.script(("hang", 20), ("hang", 20), ("hang", 20))
    start = time.monotonic()
    r = _ask(dataclasses.replace(llm_config, llm_timeout_s=2.0))
    assert time.monotonic() - start < 15  # a hang is 3 x 20 s; the bound leaves room for a loaded machine
    assert r.mode == "extractive" and "in time" in r.warning


def test_llm__garbage_body_falls_back(llm, llm_config):
    llm.script(("garbage", "<html>oops"), ("garbage", "{}"), ("garbage", "nope"))
    r = _ask(llm_config)
    assert r.mode == "extractive" and r.warning and "75%" in r.answer


def test_llm__answer_without_any_marker_is_not_trusted(llm, llm_config):
    llm.script(("text", "Hong Kong handles about 90% of it."))
    r = _ask(llm_config)
    assert r.mode == "extractive" and "cited no source" in r.warning
    assert "90%" not in r.answer


def test_llm__unreachable_endpoint_falls_back(config):
    cfg = dataclasses.replace(config, openai_base_url="http://127.0.0.1:9/v1", llm_timeout_s=2.0)
    r = _ask(cfg)
    assert r.mode == "extractive" and "reached" in r.warning


def test_llm__streaming_yields_partials_then_final(llm, llm_config):
    rmb, _ = _numbers(llm_config)
    llm.script(("text", f"Hong Kong handles over 75% of offshore RMB settlement [{rmb}]."))
    answers = list(build_pipeline(llm_config).stream(QUESTION, ()))
    assert len(answers) >= 3
    assert answers[-1].citations and answers[-1].answer.endswith("[1].")


def test_llm__history_reaches_the_prompt(llm, llm_config):
    llm.script(("text", "NOT_IN_SOURCES"))
    history = [("What is the Asian Infrastructure Investment Bank?", "A bank [1].")]
    _ask(llm_config, "And how many members does it have?", history)
    assert "Asian Infrastructure Investment Bank" in llm.requests[-1]["messages"][-1]["content"]
