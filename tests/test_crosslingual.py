"""Chinese questions reach English paragraphs through CC-CEDICT query translation."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from rag.config import RagConfig
from rag.lang import crosslingual
from rag.lang.crosslingual import english_glosses, gloss_words, glossed_in, load_dictionary, parse_cedict, term_forms

CEDICT_LINES = [
    "# CC-CEDICT comment line",
    "免簽 免签 [mian3 qian1] /to waive visa requirements/visa exemption/visa-exempt/",
    "深圳 深圳 [Shen1 zhen4] /Shenzhen subprovincial city in Guangdong/",
    "個 个 [ge4] /CL:個|个[ge4]/individual/",
]


def test_parse_cedict__simplified_headword_maps_to_gloss_words() -> None:
    parsed = parse_cedict(CEDICT_LINES)
    assert parsed["免签"][0] == ("waive", "visa", "requirements")
    assert ("visa", "exemption") in parsed["免签"]
    assert parsed["个"] == (("individual",),)  # the classifier note names no English term
    assert "免簽" not in parsed  # keyed by the simplified form: queries are folded to it


def test_gloss_words__drops_notes_and_cross_references() -> None:
    assert gloss_words("see 特別行政區|特别行政区[te4 bie2 xing2 zheng4 qu1]") == ()
    assert gloss_words("seller (of goods)") == ("seller",)


def test_term_forms__chinese_word_gains_its_english_translations() -> None:
    assert {"shenzhen", "seller", "sellers"} <= term_forms("深圳") | term_forms("卖家")
    assert term_forms("offshore") == frozenset({"offshore"})


def test_glossed_in__every_head_word_of_a_gloss_must_be_known() -> None:
    # 港珠澳 = "Hong Kong-Zhuhai-Macau": Hong Kong alone does not make the corpus know it
    assert not glossed_in("港珠澳", {"hong", "kong", "macau"})
    assert glossed_in("港珠澳", {"hong", "kong", "zhuhai"})
    assert glossed_in("深港", {"shenzhen", "hong", "kong"})


def test_english_glosses__one_entry_per_known_chinese_word() -> None:
    glosses = english_glosses("深圳跨境电商卖家 offshore")
    flat = {w for entry in glosses for gloss in entry for w in gloss}
    assert {"shenzhen", "seller"} <= flat
    assert "offshore" not in flat  # English words are matched as they are, not translated


def test_keyword_scores__simplified_question_ranks_english_paragraph(config: RagConfig) -> None:
    from rag.qa import get_pipeline

    retriever = get_pipeline(config).retriever
    scores = retriever.keywords.scores("知识密集型服务贸易额增长了多少?")
    best = sorted(range(len(scores)), key=lambda i: -scores[i])[:3]
    assert ("001_5b91892a5bce1038.txt", 15) in [
        (retriever.paragraphs[i].source, retriever.paragraphs[i].number) for i in best
    ]


def test_ask__chinese_question_answered_from_english_only_article(config: RagConfig) -> None:
    from rag import ask

    answer = ask("知识密集型服务贸易额增长了多少?", config=config)
    assert not answer.refused
    assert "38%" in answer.answer
    assert ("001_5b91892a5bce1038.txt", 15) in [(c.source, c.paragraph) for c in answer.citations]


def test_ask__traditional_question_cites_english_paragraph(config: RagConfig) -> None:
    from rag import ask

    answer = ask("香港特區政府的國際交流合作有甚麼戰略意義?", config=config)
    assert not answer.refused
    assert any(c.source == "004_2b70debcedc2f654.txt" for c in answer.citations)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A small gzipped CC-CEDICT file, in the format of the bundled one."""
    path = tmp_path / "cedict.txt.gz"
    path.write_bytes(gzip.compress("\n".join(CEDICT_LINES).encode()))
    return path


def test_load_dictionary__the_cached_parse_is_the_parse_and_spares_the_next_process_parsing(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    parsed = load_dictionary(folder, source)
    assert parsed == parse_cedict(CEDICT_LINES)
    [cached] = folder.glob("cedict-*.marshal")

    def no_parse(lines: object) -> dict:
        raise AssertionError("parsed again although the cache holds this parse")

    monkeypatch.setattr(crosslingual, "parse_cedict", no_parse)
    assert load_dictionary(folder, source) == parsed
    assert list(folder.glob("cedict-*.marshal")) == [cached]


def test_load_dictionary__another_dictionary_is_parsed_not_read_from_the_cache(tmp_path: Path, source: Path) -> None:
    folder = tmp_path / "cache"
    load_dictionary(folder, source)
    other = tmp_path / "other.txt.gz"
    other.write_bytes(gzip.compress("\n".join(CEDICT_LINES[:2]).encode()))
    assert load_dictionary(folder, other) == parse_cedict(CEDICT_LINES[:2]) != parse_cedict(CEDICT_LINES)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_load_dictionary__a_damaged_cache_is_parsed_again_and_replaced(
    tmp_path: Path, source: Path, damage: str
) -> None:
    folder = tmp_path / "cache"
    parsed = load_dictionary(folder, source)
    [cached] = folder.glob("cedict-*.marshal")
    whole = cached.read_bytes()
    damaged = {"garbage": b"\x07not marshal at all" * 50, "truncated": whole[: len(whole) // 3], "empty": b""}
    cached.write_bytes(damaged[damage])
    assert load_dictionary(folder, source) == parsed
    assert cached.read_bytes() == whole


def test_load_dictionary__an_earlier_version_s_parse_is_dropped_and_an_unwritable_folder_is_no_error(
    tmp_path: Path, source: Path
) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    stale = folder / "cedict-0000000000000000.marshal"
    stale.write_bytes(b"an older parse")
    parsed = load_dictionary(folder, source)
    assert not stale.exists() and len(list(folder.glob("cedict-*.marshal"))) == 1
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    assert load_dictionary(not_a_folder / "cache", source) == parsed


def test_dictionary__the_bundled_cc_cedict_is_parsed_whole() -> None:
    from rag.lang.crosslingual import dictionary

    known = dictionary()
    assert len(known) > 100_000 and known["免签"][0] == ("waive", "visa", "requirements")
