"""The per-corpus benchmark: corpus sets, quote gold, splits and the gap, `rag eval --corpus`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rag.cli import main
from rag.config import REPO_ROOT, RagConfig
from rag.errors import EvalDataError
from rag.evaluation.data import (
    GoldRef,
    corpus_config,
    load_corpus_sets,
    load_questions,
    resolve_gold,
)
from rag.evaluation.quotes import find_quote
from rag.evaluation.report import markdown
from rag.evaluation.runner import choose_runs, run_benchmark
from rag.evaluation.splits import by_split, gap
from rag.evaluation.summary import ItemResult
from rag.types import Paragraph
from tests.conftest import SEEDS

WTO = "000_9ac360c900c966b4.txt"
HK_COOP = "002_44e99aac8690d231.txt"


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def quoted(id_: str, quote: str, source: str = WTO, split: str = "dev") -> dict:
    return {"id": id_, "question": "What does Hong Kong handle?", "lang": "en", "kind": "fact",
            "answerable": True, "gold": [{"source": source, "quote": quote}], "facts": [["75%"]],
            "split": split}


def test_resolve_gold__a_quote_in_one_paragraph_of_the_real_index(config: RagConfig, tmp_path: Path) -> None:
    from rag.qa import get_pipeline

    by_key = get_pipeline(config).retriever.by_key
    # full-width digits and a line break inside: compared after NFKC and collapsed whitespace
    items = load_questions(write_jsonl(tmp_path / "s.jsonl", [
        quoted("q1", "Hong Kong handles over ７５% of global\n offshore   RMB settlement")]))
    (item,) = resolve_gold(items, by_key)
    assert item.gold == (GoldRef(WTO, 70),) and item.split == "dev"


def test_resolve_gold__a_quote_across_two_paragraphs_names_both(config: RagConfig, tmp_path: Path) -> None:
    from rag.qa import get_pipeline

    by_key = get_pipeline(config).retriever.by_key
    items = load_questions(write_jsonl(tmp_path / "s.jsonl", [
        quoted("q1", 'international capital to "come in".\nIn trade and logistics, Hong Kong International')]))
    assert resolve_gold(items, by_key)[0].gold == (GoldRef(WTO, 70), GoldRef(WTO, 71))


def test_resolve_gold__an_unresolvable_quote_names_item_file_and_quote(config: RagConfig, tmp_path: Path) -> None:
    from rag.qa import get_pipeline

    by_key = get_pipeline(config).retriever.by_key
    items = load_questions(write_jsonl(tmp_path / "s.jsonl", [
        quoted("q7", "Hong Kong handles over 76% of global offshore RMB settlement")]))
    with pytest.raises(EvalDataError) as info:
        resolve_gold(items, by_key)
    message = str(info.value)
    assert "item q7" in message and WTO in message and "over 76% of global" in message
    unknown = load_questions(write_jsonl(tmp_path / "u.jsonl", [quoted("q8", "anything", source="nope.txt")]))
    with pytest.raises(EvalDataError, match="nope.txt is not among the indexed files"):
        resolve_gold(unknown, by_key)


def test_find_quote__every_paragraph_that_holds_it_and_only_the_shortest_runs() -> None:
    ps = [Paragraph("a.txt", n, t) for n, t in enumerate(
        ["$ git log", "$ git log -p", "commit abc", "Author: A", "$ git log", "tail"], start=1)]
    assert find_quote("git log", ps) == [1, 2, 5]
    assert find_quote("commit abc Author: A", ps) == [3, 4]
    assert find_quote("-p commit abc Author", ps) == [2, 3, 4]
    assert find_quote("Author: A $ git log tail", ps) == [4, 5, 6]
    assert find_quote("tail $ git", ps) == []  # no wrapping around


def test_load_questions__quote_gold_split_and_note(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", [
        quoted("q1", "a quote", split="test") | {"note": "why"},
        {"id": "q2", "question": "Q?", "lang": "en", "kind": "false_premise", "answerable": False,
         "gold": [], "facts": []},
    ])
    first, second = load_questions(path)
    assert first.gold == (GoldRef(WTO, quote="a quote"),) and first.split == "test" and first.note == "why"
    assert second.split == "all"
    for bad, message in [({"split": "train"}, "split: expected one of dev, test"),
                         ({"gold": [{"source": WTO, "quote": "x", "paragraph": 3}]}, "gold: expected"),
                         ({"gold": [{"source": WTO, "quote": "  "}]}, "the quote for 000_.* is empty")]:
        with pytest.raises(EvalDataError, match=message):
            load_questions(write_jsonl(tmp_path / "bad.jsonl", [quoted("q1", "a quote") | bad]))


def _repo(tmp_path: Path, corpora: dict[str, str]) -> Path:
    (tmp_path / "eval" / "sets").mkdir(parents=True)
    (tmp_path / "eval" / "sets" / "corpora.json").write_text(json.dumps(corpora), encoding="utf-8")
    return tmp_path


def test_load_corpus_sets__folders_sets_and_the_legacy_seeds_fallback(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"seeds": "seeds", "tiny": "docs/tiny"})
    write_jsonl(repo / "eval" / "questions.jsonl", [quoted("legacy", "q") | {"split": "dev"}])
    write_jsonl(repo / "eval" / "sets" / "tiny.jsonl", [quoted("t1", "q", split="test")])
    (repo / "eval" / "judge_pairs.jsonl").write_text("", encoding="utf-8")
    sets = load_corpus_sets(repo)
    assert list(sets) == ["seeds", "tiny"]
    assert sets["seeds"].path == repo / "eval" / "questions.jsonl" and sets["seeds"].folder == repo / "seeds"
    assert sets["seeds"].pairs == repo / "eval" / "judge_pairs.jsonl" and sets["tiny"].pairs is None
    assert [i.split for i in sets["tiny"].items] == ["test"]
    with pytest.raises(EvalDataError, match=r"corpus tiny: folder .*docs/tiny does not exist"):
        sets["tiny"].require_folder()
    write_jsonl(repo / "eval" / "sets" / "seeds.jsonl", [quoted("new", "q", split="test")])
    assert [i.id for i in load_corpus_sets(repo)["seeds"].items] == ["new"]  # the new set wins
    config = corpus_config(RagConfig(home=tmp_path / "home", chroma_url="http://x:1"), sets["tiny"])
    assert config.home == tmp_path / "home" / "eval" / "tiny" and config.docs == (repo / "docs" / "tiny",)
    assert config.chroma_url is None


def test_load_corpus_sets__the_repo_lists_the_three_corpora() -> None:
    sets = load_corpus_sets(REPO_ROOT)
    assert list(sets) == ["seeds", "debian-faq", "git-manual"]
    assert sets["seeds"].folder == REPO_ROOT / "seeds"


def test_rag_eval__unknown_corpus_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RAG_HOME", str(tmp_path / "home"))
    assert main(["eval", "--corpus", "wikipedia", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["rag: unknown corpus 'wikipedia'; expected one of seeds, debian-faq, git-manual or all "
                   "(the corpora are listed in eval/sets/corpora.json)."]
    assert not (tmp_path / "home").exists() and not (tmp_path / "out").exists()


def test_choose_runs__a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"gone": "eval/corpora/gone"})
    write_jsonl(repo / "eval" / "sets" / "gone.jsonl", [quoted("g", "q")])
    with pytest.raises(EvalDataError, match="corpus gone: folder .*eval/corpora/gone does not exist"):
        choose_runs(RagConfig(home=tmp_path / "home"), None, None, repo_root=repo)


def _result(id_: str, split: str, hit: float, answered: bool = True, answerable: bool = True) -> ItemResult:
    scores = {"hit_at_1": hit, "hit_at_5": hit, "mrr": hit, "recall_at_5": hit, "paragraphs_at_5": 5.0}
    return ItemResult(
        id=id_, lang="en", kind="fact" if answerable else "unanswerable", answerable=answerable,
        question="q?", gold=[("s", 1)] if answerable else [], facts=[["f"]] if answerable else [],
        retrieval={"hybrid": scores} if answerable else {}, fact_share=hit if answerable else None,
        refused=not answered, outcome="answered" if answered else "refused", split=split, latency_ms=10.0,
    )


def test_by_split_and_gap__columns_and_dev_minus_test_on_a_tiny_report() -> None:
    results = [
        _result("d1", "dev", 1.0), _result("d2", "dev", 1.0), _result("du", "dev", 0.0, False, False),
        _result("t1", "test", 1.0), _result("t2", "test", 0.0), _result("tu", "test", 0.0, True, False),
    ]
    splits = by_split(results)
    assert list(splits) == ["dev", "test"] and splits["dev"]["n"] == 3
    assert splits["dev"]["retrieval"]["hit_at_5"] == 1.0 and splits["test"]["retrieval"]["hit_at_5"] == 0.5
    assert splits["dev"]["refusal"]["recall"] == 1.0 and splits["test"]["refusal"]["recall"] == 0.0
    assert splits["test"]["outcomes"] == {"answered": 1.0, "not_stated": 0.0, "refused": 0.0, "n": 3}
    assert [f["id"] for f in splits["test"]["failures"]] == ["t2", "tu"]
    difference = gap(splits)
    assert difference["retrieval.hit_at_5"] == 0.5 and difference["refusal.recall"] == 1.0
    assert difference["outcomes.refused"] == pytest.approx(1 / 3, abs=1e-4)
    assert difference["latency.p50_ms"] == 0.0
    assert gap({"dev": splits["dev"]}) == {}  # one half: no gap
    report = {"mode": "extractive", "splits": ["dev", "test"], "skipped": {},
              "summary": {"tiny": {"split": "test", "n": 3, "retrieval.hit_at_5": 0.5}},
              "corpora": {"tiny": {"corpus": "tiny", "folder": "docs", "question_set": "tiny.jsonl",
                                   "splits": splits, "gap": difference, "judge": {"n": 0}, "baseline": None}}}
    text = markdown(report)
    assert "| metric | dev | test | gap (dev − test) |" in text
    assert "| evidence hit@5 | 1.000 | 0.500 | +0.500 |" in text
    assert "| unanswerable refused | 1.000 | 0.000 | +1.000 |" in text
    assert "| tiny | test | 3 | 0.500 |" in text
    assert "### Failed dev items (0)" in text and "2 test items fail" in text and "**t2**" not in text


@pytest.mark.slow
def test_run_benchmark__one_corpus_its_own_index_and_the_test_half(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"hk": "docs"})
    (repo / "docs").mkdir()
    shutil.copy(SEEDS / HK_COOP, repo / "docs" / HK_COOP)
    write_jsonl(repo / "eval" / "sets" / "hk.jsonl", [
        quoted("dev-1", "Hong Kong/Chongqing Co-operation Conference", HK_COOP, "dev"),
        {"id": "test-1", "question": "Which co-operation conference does Hong Kong hold with Chongqing?",
         "lang": "en", "kind": "fact", "answerable": True,
         "gold": [{"source": HK_COOP, "quote": "Hong Kong/Chongqing Co-operation Conference"}],
         "facts": [["Chongqing Co-operation Conference"]], "split": "test"},
        {"id": "test-u", "question": "What was Hong Kong's unemployment rate in 1987?", "lang": "en",
         "kind": "unanswerable", "answerable": False, "gold": [], "facts": [], "split": "test"},
    ])
    runs = choose_runs(RagConfig(home=tmp_path / "home"), "hk", None, repo_root=repo)
    report = run_benchmark(runs, ("test",), baseline=False, progress=False)
    assert (tmp_path / "home" / "eval" / "hk" / "manifest.json").exists()
    corpus = report["corpora"]["hk"]
    assert list(corpus["splits"]) == ["test"] and corpus["gap"] == {}
    assert corpus["splits"]["test"]["retrieval"]["hit_at_5"] == 1.0
    assert {(i["corpus"], i["split"], i["id"]) for i in report["items"]} == {("hk", "test", "test-1"),
                                                                             ("hk", "test", "test-u")}
    assert report["summary"]["hk"]["split"] == "test" and report["summary"]["hk"]["n"] == 2
