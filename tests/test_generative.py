"""LLM mode through the real openai client against a scripted server on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import time

from rag.engine import build_engine

QUESTION = "What percentage of offshore RMB settlement does Hong Kong handle?"


def _ask(cfg, question=QUESTION, history=()):
    return build_engine(cfg).answer(question, history)


def test_llm__answer_keeps_valid_markers_drops_bad_ones_and_renumbers(llm, llm_config):
    llm.script(("text", "Hong Kong handles over 75% of offshore RMB settlement [3][9]. It is the largest hub [3, 1]."))
    r = _ask(llm_config)
    assert r.mode == "llm" and not r.refused and r.warning is None
    assert "[9]" not in r.answer and "[3]" not in r.answer
    assert r.answer.startswith("Hong Kong handles over 75% of offshore RMB settlement [1].")
    assert len(r.citations) == 2
    prompt = llm.requests[-1]["messages"][-1]["content"]
    assert "[1] " in prompt and QUESTION in prompt


def test_llm__model_refusal_becomes_refused_answer(llm, llm_config):
    llm.script(("text", "NOT_IN_SOURCES"))
    r = _ask(llm_config)
    assert r.refused and r.citations == [] and r.mode == "llm"


def test_llm__429_then_success_is_retried(llm, llm_config):
    llm.script(("status", 429), ("text", "Over 75% of it [1]."))
    r = _ask(llm_config)
    assert r.mode == "llm" and r.warning is None and len(llm.requests) == 2


def test_llm__persistent_500_falls_back_to_extractive_with_warning(llm, llm_config):
    llm.script(("status", 500), ("status", 500), ("status", 500))
    r = _ask(llm_config)
    assert r.mode == "extractive" and "75%" in r.answer
    assert "500" in r.warning and "sk-test-secret-123" not in r.warning


def test_llm__hang_past_timeout_falls_back_within_the_deadline(llm, llm_config):
    llm.script(("hang", 20), ("hang", 20), ("hang", 20))
    start = time.monotonic()
    r = _ask(dataclasses.replace(llm_config, llm_timeout_s=2.0))
    assert time.monotonic() - start < 6
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
    llm.script(("text", "Hong Kong handles over 75% of offshore RMB settlement [1]."))
    answers = list(build_engine(llm_config).stream_answer(QUESTION, ()))
    assert len(answers) >= 3
    assert answers[-1].citations and answers[-1].answer.endswith("[1].")


def test_llm__history_reaches_the_prompt(llm, llm_config):
    llm.script(("text", "It has 109 members [1]."))
    history = [("What is the Asian Infrastructure Investment Bank?", "A bank [1].")]
    _ask(llm_config, "And how many members does it have?", history)
    assert "Asian Infrastructure Investment Bank" in llm.requests[-1]["messages"][-1]["content"]
