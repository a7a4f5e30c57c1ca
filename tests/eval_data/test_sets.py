"""The question sets in eval/sets/ pass eval/check_sets.py, and the checker catches broken items.

These tests read only the committed data and corpora; they do not import or run the product.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _load_checker():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location("check_sets", REPO / "eval" / "check_sets.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_sets"] = module
    spec.loader.exec_module(module)
    return module


cs = _load_checker()
SET_NAMES = sorted(cs.SETS)
NEW_CORPORA = ["debian-faq", "git-manual"]


def items_of(name: str) -> list[dict]:
    items, errors = cs.load_jsonl(cs.SETS_DIR / f"{name}.jsonl")
    assert not errors
    return items


@pytest.mark.parametrize("name", SET_NAMES)
def test_set_passes_the_checker(name: str) -> None:
    assert cs.check_set(name) == []


def test_checker_does_not_import_the_product() -> None:
    source = (REPO / "eval" / "check_sets.py").read_text(encoding="utf-8")
    assert "import rag" not in source and "from rag" not in source


@pytest.mark.parametrize("name", NEW_CORPORA)
def test_new_corpus_set_size_and_mix(name: str) -> None:
    items = items_of(name)
    assert len(items) >= 80
    unanswerable = [i for i in items if not i["answerable"]]
    assert len(unanswerable) >= 0.25 * len(items)
    kinds = Counter(i["kind"] for i in items)
    for kind in ("command", "howto", "followup", "false_premise", "unanswerable", "crosslingual", "list", "multi"):
        assert kinds[kind] > 0, kind
    # gold is by quote, never by paragraph number, for corpora whose paragraphs depend on the ingest
    assert all("quote" in g and "paragraph" not in g for i in items for g in i["gold"])


def test_debian_faq_has_questions_in_both_languages() -> None:
    items = items_of("debian-faq")
    langs = Counter(i["lang"] for i in items)
    assert langs["en"] > 0 and langs["hans"] > 0
    zh_sources = {g["source"] for i in items if i["lang"] == "hans" for g in i["gold"]}
    assert any(s.endswith(".zh-cn.html") for s in zh_sources)
    cross = [i for i in items if i["kind"] == "crosslingual"]
    assert cross and all(g["source"].endswith(".en.html") for i in cross for g in i["gold"])


def test_seeds_set_keeps_the_legacy_items_and_adds_fresh_ones() -> None:
    items = items_of("seeds")
    legacy = [json.loads(line) for line in (REPO / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    by_id = {i["id"]: i for i in items}
    for old in legacy:
        new = dict(by_id[old["id"]])
        new.pop("split")
        assert new == old
    fresh = [i for i in items if i["id"] not in {o["id"] for o in legacy}]
    assert len(fresh) >= 40
    assert {i["lang"] for i in fresh} == {"en", "hans", "hant"}
    assert sum(not i["answerable"] for i in fresh) >= len(fresh) // 2
    assert sum(not i["answerable"] for i in items) >= 0.25 * len(items)


@pytest.mark.parametrize("name", SET_NAMES)
def test_split_is_balanced_per_stratum(name: str) -> None:
    items = items_of(name)
    for flag in (True, False):
        c = Counter(i["split"] for i in items if i["answerable"] is flag)
        assert abs(c["dev"] - c["test"]) <= 1


def test_draw_split_is_deterministic_and_stratified() -> None:
    items = [{"id": f"x-{n:03d}", "answerable": n % 3 != 0} for n in range(60)]
    first = cs.draw_split(items)
    assert first == cs.draw_split(list(reversed(items)))  # order of the input does not matter
    assert first != cs.draw_split(items, seed=1)
    for flag in (True, False):
        c = Counter(first[i["id"]] for i in items if i["answerable"] is flag)
        assert c["dev"] == c["test"]


# --------------------------------------------------------------------------- the checker catches errors


def _one(name: str, item_id: str) -> tuple[object, dict]:
    spec = cs.SETS[name]
    item = next(i for i in items_of(name) if i["id"] == item_id)
    return spec, copy.deepcopy(item)


def _first_answerable(name: str, pred=lambda i: True) -> dict:  # noqa: ANN001
    return copy.deepcopy(next(i for i in items_of(name) if i["answerable"] and "quote" in i["gold"][0] and pred(i)))


@pytest.mark.parametrize("name", NEW_CORPORA)
def test_checker_rejects_a_quote_not_in_the_source(name: str) -> None:
    item = _first_answerable(name)
    assert cs.check_item(cs.SETS[name], item) == []
    item["gold"][0]["quote"] = item["gold"][0]["quote"] + " and something the document never says"
    assert any("quote not found" in e for e in cs.check_item(cs.SETS[name], item))


def test_checker_rejects_a_fact_absent_from_the_gold_paragraphs() -> None:
    item = _first_answerable("git-manual")
    item["facts"] = [["a variant that is nowhere in the manual"]]
    assert any("no variant of fact" in e for e in cs.check_item(cs.SETS["git-manual"], item))


def test_checker_rejects_a_quote_from_another_paragraph_for_the_fact() -> None:
    # the fact is in the corpus, but not in the paragraph of the gold quote
    item = _first_answerable("debian-faq", lambda i: i["id"] == "dfaq-en-001")
    item["facts"] = [["apt-cacher"]]
    assert any("no variant of fact" in e for e in cs.check_item(cs.SETS["debian-faq"], item))


def test_checker_rejects_short_quotes_and_missing_sources() -> None:
    item = _first_answerable("debian-faq")
    item["gold"] = [{"source": item["gold"][0]["source"], "quote": "Debian"}]
    assert any("shorter than" in e for e in cs.check_item(cs.SETS["debian-faq"], item))
    item["gold"] = [{"source": "no-such-file.html", "quote": "x" * 30}]
    assert any("is not a file" in e for e in cs.check_item(cs.SETS["debian-faq"], item))
    item["gold"] = [{"source": "../../../README.md", "quote": "x" * 30}]
    assert any("bad source" in e for e in cs.check_item(cs.SETS["debian-faq"], item))


def test_checker_rejects_traditional_characters_in_hans() -> None:
    item = _first_answerable("debian-faq", lambda i: i["lang"] == "hans")
    item["question"] = item["question"] + "這個"
    assert any("Traditional" in e for e in cs.check_item(cs.SETS["debian-faq"], item))


def test_checker_rejects_inconsistent_answerability() -> None:
    item = next(copy.deepcopy(i) for i in items_of("git-manual") if not i["answerable"])
    assert cs.check_item(cs.SETS["git-manual"], item) == []
    item["facts"] = [["something"]]
    assert any("unanswerable item has empty gold" in e for e in cs.check_item(cs.SETS["git-manual"], item))
    item["facts"], item["kind"] = [], "fact"
    assert any("does not fit kind" in e for e in cs.check_item(cs.SETS["git-manual"], item))


def test_checker_rejects_bad_fields() -> None:
    item = _first_answerable("git-manual")
    for key, value, message in [
        ("kind", "trivia", "kind"),
        ("lang", "fr", "lang"),
        ("split", "train", "split"),
        ("history", [["only a question"]], "history"),
    ]:
        bad = dict(item, **{key: value})
        assert any(message in e for e in cs.check_item(cs.SETS["git-manual"], bad)), key
    del item["split"]
    assert cs.check_item(cs.SETS["git-manual"], item) == ["missing field 'split'"]


def test_checker_rejects_an_unbalanced_split() -> None:
    items = copy.deepcopy(items_of("git-manual"))
    for i in items:
        i["split"] = "dev"
    assert cs.check_split(items)
    items[0]["split"] = "test"
    assert any("differ by more than" in e for e in cs.check_split(items))


def test_checker_reports_duplicate_ids_and_bad_json(tmp_path: Path) -> None:
    lines = (cs.SETS_DIR / "git-manual.jsonl").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "git-manual.jsonl"
    path.write_text("\n".join([*lines, lines[0], "{not json"]) + "\n", encoding="utf-8")
    errors = cs.check_set("git-manual", path)
    assert any("duplicate id" in e for e in errors)
    assert any("invalid JSON" in e for e in errors)


def test_html_paragraphs_strip_tags_and_collapse_whitespace() -> None:
    html = (
        "<html><head><title>T</title><style>p{}</style></head>"
        "<body><p>a <b>bold</b>\n  word&amp;more</p><ul><li><p>item</p></li></ul></body></html>"
    )
    assert cs.html_paragraphs(html) == ["a bold word&more", "item"]


def test_text_paragraphs_join_hard_wrapped_lines() -> None:
    raw = "first line\nsecond  line\n\n-----\n$ cmd\n-----\n"
    assert cs.text_paragraphs(raw, "blank") == ["first line second line", "----- $ cmd -----"]
    assert cs.text_paragraphs(raw, "line") == ["first line", "second line", "-----", "$ cmd", "-----"]
