"""The eval suite's pure parts: metrics, ALCE grounding, summaries, data validation, report."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from rag.errors import EvalDataError
from rag.evaluation import metrics
from rag.evaluation.baseline import covered, paragraph_spans
from rag.evaluation.data import check_references, load_judge_pairs, load_questions
from rag.evaluation.grounding import answer_sentences, ground
from rag.evaluation.report import markdown
from rag.evaluation.splits import by_split
from rag.evaluation.summary import ItemResult, by_category, failures, summarise
from rag.guard.judge import supports

AIIB = (
    "The AIIB has 109 members, approving over 200 projects with investment exceeding "
    "38 billion U.S. dollars."
)
TRAINS = "China-Europe Railway Express has operated over 80,000 trips, linking 25 European countries."


def test_retrieval_scores__ranks_recall_and_chunks() -> None:
    gold = {("a", 2), ("a", 9)}
    ranking = [[("a", 1)], [("a", 2)], [("b", 1)], [("b", 2)], [("b", 3)], [("a", 9)]]
    scores = metrics.retrieval_scores(ranking, gold)
    assert scores["hit_at_1"] == 0.0 and scores["hit_at_5"] == 1.0
    assert scores["mrr"] == 0.5 and scores["recall_at_5"] == 0.5
    chunked = metrics.retrieval_scores([[("a", 1), ("a", 2), ("a", 9)]], gold)
    assert chunked["hit_at_1"] == 1.0 and chunked["recall_at_5"] == 1.0
    assert chunked["paragraphs_at_5"] == 3.0
    assert metrics.retrieval_scores([[("x", 1)]] * 12, gold)["mrr"] == 0.0


def test_fact_share__any_variant_counts_across_scripts_and_case() -> None:
    facts = [["126 trillion", "126万亿"], ["18%"], ["Jakarta-Bandung", "雅万"]]
    assert metrics.fact_share("GDP 126萬億元,佔比超18%,雅萬高鐵 [1]。", facts) == 1.0
    assert metrics.fact_share("gdp reached 126 TRILLION yuan", facts) == pytest.approx(1 / 3)
    assert metrics.fact_share("anything", []) == 1.0


def test_refusal_scores__unanswerable_is_the_positive_class() -> None:
    answerable = {"a": True, "b": True, "u1": False, "u2": False}
    refused = {"a": True, "b": False, "u1": True, "u2": False}
    scores = metrics.refusal_scores(refused, answerable)
    assert scores["precision"].score == 0.5 and scores["recall"].score == 0.5
    assert scores["recall"].per_item == {"u1": 1.0, "u2": 0.0}
    nothing = metrics.refusal_scores({"a": False}, {"a": True})
    assert math.isnan(nothing["precision"].score)


def test_percentile__interpolates() -> None:
    assert metrics.percentile([10, 20, 30, 40], 50) == 25
    assert metrics.percentile([1.0], 95) == 1.0
    assert math.isnan(metrics.percentile([], 50))


def test_judge_agreement__accuracy_and_false_support() -> None:
    labels = {
        "p": ("positive", "en", True),
        "n1": ("hard_negative_number", "en", False),
        "n2": ("hard_negative_entity", "hant", False),
        "u": ("unrelated", "en", False),
    }
    result = metrics.judge_agreement(labels, {"p": True, "n1": True, "n2": False, "u": None})
    assert result["accuracy"] == 0.5
    assert result["false_support_rate"] == 0.5
    assert result["undecided"] == 1
    assert result["by_lang"]["hant"] == {"accuracy": 1.0, "n": 1}


def test_answer_sentences__split_on_ends_lines_and_markers() -> None:
    text = "A is 5 [1]. B is 6. [2]\n中文句子 [3]。Title [1]February 8, 2026 [2]\n(1) item [2];"
    assert answer_sentences(text) == [
        ("A is 5 [1].", (1,)),
        ("B is 6 [2].", (2,)),
        ("中文句子 [3]。", (3,)),
        ("Title [1]", (1,)),
        ("February 8, 2026 [2]", (2,)),
        ("(1) item [2];", (2,)),
    ]


def test_answer_sentences__a_block_is_cited_by_the_marker_after_its_last_line() -> None:
    text = "To clone, run [1]:\n$ git clone git://x/git.git\n# about 40MB\n$ cd git [2]\n\nUncited line.\nNext [3]."
    assert answer_sentences(text) == [
        ("To clone, run [1]:", (1,)),
        ("$ git clone git://x/git.git", (2,)),
        ("# about 40MB", (2,)),
        ("$ cd git [2]", (2,)),
        ("Uncited line.", (3,)),  # a line of the next block: cited by that block's marker
        ("Next [3].", (3,)),
    ]
    assert answer_sentences("Alpha is one. Beta is two [1].")[0] == ("Alpha is one.", ())  # prose on one line
    assert answer_sentences("Alpha is one.\n\nBeta is two [1].")[0] == ("Alpha is one.", ())  # a blank line ends a block


def test_ground__a_block_marker_counts_once_for_precision_and_covers_its_lines() -> None:
    same = lambda s, ps: any(s in p for p in ps)  # noqa: E731
    g = ground("Run [1]:\n$ make\n$ make install [2]", ["Run:", "$ make\n$ make install"], same)
    assert g.recall == 1.0 and g.precision == 1.0
    assert [c.markers for c in g.sentences] == [(1,), (2,), (2,)]


def test_answer_sentences__english_sentence_then_a_chinese_quote_are_two() -> None:
    text = "The article marks 25 years [1]. 作者簡介:高松傑,人稱高Sir [2]"
    assert answer_sentences(text) == [
        ("The article marks 25 years [1].", (1,)),
        ("作者簡介:高松傑,人稱高Sir [2]", (2,)),
    ]
    assert answer_sentences("講好香港故事 [1] The author is a professor [2].") == [
        ("講好香港故事 [1]", (1,)),
        ("The author is a professor [2].", (2,)),
    ]


def test_ground__alce_recall_and_precision_with_the_real_judge() -> None:
    answer = "The AIIB has 109 members [1][2]. It has operated over 80,000 trips [2]. Extra words."
    result = ground(answer, [AIIB, TRAINS], supports)
    # sentence 1 supported, [2] not needed; 2 supported by [2] (wording is loose but figure and
    # names match); 3 has no citation
    first, second, third = result.sentences
    assert first.supported and first.needed == (True, False)
    assert second.supported and third.markers == () and not third.supported
    assert result.recall == pytest.approx(2 / 3)
    assert result.precision == pytest.approx(2 / 3)


def test_ground__marker_out_of_range_and_wrong_number_fail() -> None:
    result = ground("The AIIB has 119 members [1]. Trips [7].", [AIIB], supports)
    assert result.recall == 0.0 and result.precision == 0.0
    assert ground("", [AIIB], supports).precision is None


def _item(**kw: object) -> ItemResult:
    base = dict(id="x", lang="en", kind="fact", answerable=True, question="q?", gold=[("s", 1)],
                facts=[["f"]])
    return ItemResult(**(base | kw))


def test_summarise__blocks_and_categories() -> None:
    hit = {"hit_at_1": 1.0, "hit_at_5": 1.0, "mrr": 1.0, "recall_at_5": 1.0, "paragraphs_at_5": 5.0}
    miss = {k: 0.0 for k in hit} | {"paragraphs_at_5": 5.0}
    results = [
        _item(id="a", retrieval={"hybrid": hit, "dense": miss}, fact_share=1.0,
              grounding={"offline": (1.0, 1.0)}, language_match=True, latency_ms=10, answer_script="latin"),
        _item(id="b", lang="hans", retrieval={"hybrid": miss, "dense": miss}, fact_share=0.0,
              refused=True, latency_ms=30),
        _item(id="u", kind="unanswerable", answerable=False, gold=[], facts=[], refused=True,
              latency_ms=20),
    ]
    block = summarise(results)
    assert block["retrieval"]["hit_at_5"] == 0.5
    assert block["retrieval_methods"]["dense"]["mrr"] == 0.0
    assert block["answer"] == {"fact_recall": 0.5, "answered_rate": 0.5, "n": 2}
    assert block["refusal"]["precision"] == 0.5 and block["refusal"]["recall"] == 1.0
    assert block["citations"] == {"recall": 1.0, "precision": 1.0, "n": 1}
    assert block["latency"]["p50_ms"] == 20
    cats = by_category(results)
    assert set(cats["lang"]) == {"en", "hans"} and cats["kind"]["unanswerable"]["refusal"]["recall"] == 1.0
    assert cats["lang"]["hans"]["answer"]["answered_rate"] == 0.0
    reasons = {f["id"]: f["reasons"] for f in failures(results)}
    assert set(reasons) == {"b"}
    assert "refused an answerable question" in reasons["b"]
    json.dumps(block, allow_nan=False)  # no NaN reaches the report


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = json.dumps({"id": "q1", "question": "Q?", "lang": "en", "kind": "fact", "answerable": True,
                   "gold": [{"source": "s.txt", "paragraph": 3}], "facts": [["a", "b"]]})


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "invalid JSON"),
        (GOOD.replace('"lang": "en"', '"lang": "fr"'), "lang: expected one of en, hant, hans"),
        (GOOD.replace('"paragraph": 3', '"paragraph": "3"'), "paragraph: expected int"),
        (GOOD.replace('"question": "Q?", ', ""), "missing field 'question'"),
        (GOOD.replace('[["a", "b"]]', '["a"]'), "facts: expected lists"),
        (GOOD.replace('[{"source": "s.txt", "paragraph": 3}]', "[]"), "has no gold"),
    ],
)
def test_load_questions__bad_lines_name_the_line_and_field(tmp_path: Path, line: str, message: str) -> None:
    path = _write(tmp_path, [GOOD.replace("q1", "q0"), line])
    with pytest.raises(EvalDataError, match=message) as info:
        load_questions(path)
    assert f"{path}:2" in str(info.value)


def test_load_questions__duplicates_missing_files_and_unknown_paragraphs(tmp_path: Path) -> None:
    with pytest.raises(EvalDataError, match="used twice"):
        load_questions(_write(tmp_path, [GOOD, GOOD]))
    with pytest.raises(EvalDataError, match="no such eval file"):
        load_questions(tmp_path / "missing.jsonl")
    items = load_questions(_write(tmp_path, [GOOD]))
    assert items[0].facts == (("a", "b"),)
    check_references(tmp_path, items, {("s.txt", 3)})
    with pytest.raises(EvalDataError, match="paragraph 3 of s.txt is not an indexed"):
        check_references(tmp_path, items, {("s.txt", 4)})


def test_load_judge_pairs__validates_kind(tmp_path: Path) -> None:
    pair = {"id": "p", "sentence": "s", "source": "s.txt", "paragraph": 1, "supported": True,
            "kind": "positive", "lang": "en"}
    assert load_judge_pairs(_write(tmp_path, [json.dumps(pair)]))[0].supported
    with pytest.raises(EvalDataError, match="kind: expected one of"):
        load_judge_pairs(_write(tmp_path, [json.dumps(pair | {"kind": "maybe"})]))


def test_baseline_spans__map_chunk_ranges_to_paragraph_numbers() -> None:
    raw = "Title\n\n  First paragraph here.\nSecond one, a bit longer than that.\n\nThird.\n"
    spans = paragraph_spans(raw)
    assert [n for *_, n in spans] == [1, 2, 3, 4]
    assert raw[spans[1][0] : spans[1][1]] == "First paragraph here."
    start = raw.index("paragraph here")
    end = raw.index("Third") + 3
    # paragraph 2 is mostly inside, 3 fully, 4 only half; 1 is not indexed
    assert covered(start, end, spans, {2, 3, 4}) == [2, 3, 4]
    assert covered(start, raw.index("Second") + 5, spans, {2, 3}) == [2]


def test_markdown__has_the_summary_split_category_and_failure_sections() -> None:
    results = [_item(id="a", retrieval={"hybrid": {"hit_at_1": 0.0, "hit_at_5": 0.0, "mrr": 0.0,
                                                  "recall_at_5": 0.0, "paragraphs_at_5": 5.0}},
                     answer="wrong | answer", fact_share=0.0, latency_ms=12.0)]
    corpus = {"corpus": "c", "folder": "docs", "question_set": "set.jsonl", "splits": by_split(results),
              "gap": {}, "judge": {"n": 0}, "baseline": None}
    report = {"mode": "extractive", "corpora": {"c": corpus}, "skipped": {"d": "no documents"},
              "summary": {"c": {"split": "all", "n": 1}}}
    text = markdown(report)
    for heading in ("## Summary: the test halves", "## Corpus `c`", "### Evidence", "### By language",
                    "### By kind", "### Failed all items (1)", "Skipped **d**: no documents"):
        assert heading in text
    assert "wrong \\| answer" in text and "| latency p50 (ms) | 12 |" in text
