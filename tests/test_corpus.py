"""Paragraph numbering, repeats, contextual headers and twins over the real seeds, and the corpus loader."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from rag.config import REPO_ROOT
from rag.ingest import paragraphs as paragraphs_module
from rag.ingest.documents import load_corpus
from rag.ingest.paragraphs import split_paragraphs
from rag.types import Kind, Role
from tests.conftest import SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))
GOLD_FILES = (
    REPO_ROOT / "eval" / "questions.jsonl",
    REPO_ROOT / "eval" / "sets" / "seeds.jsonl",
    REPO_ROOT / "eval" / "judge_pairs.jsonl",
)


@pytest.fixture(scope="module")
def seeds():
    corpus = load_corpus([SEEDS])
    return corpus, {(p.source[:3], p.number): p for p in corpus.paragraphs}


def _grep_sed(path: Path) -> list[str]:
    out = subprocess.run(["grep", "-v", r"^\s*$", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.strip() for line in out.splitlines()]


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_split_paragraphs__numbers_match_grep_sed_for_every_paragraph(path):
    lines = _grep_sed(path)
    paragraphs = split_paragraphs(path.name, path.read_text(encoding="utf-8"))
    assert paragraphs
    for p in paragraphs:
        assert p.text == lines[p.number - 1]
        assert p.location == f"line {p.number}"


def _gold_refs() -> list[tuple[str, str, int]]:
    refs = []
    for path in GOLD_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            golds = item.get("gold", []) if "gold" in item else [item]
            refs += [(item["id"], g["source"], g["paragraph"]) for g in golds if "paragraph" in g]
    return refs


def test_load_corpus__every_gold_paragraph_of_the_eval_sets_is_indexed_at_its_line(seeds):
    corpus, _ = seeds
    by_key = {(p.source, p.number): p for p in corpus.paragraphs}
    refs = _gold_refs()
    assert len(refs) > 400
    lines = {path.name: _grep_sed(path) for path in SEED_FILES}
    for item, source, number in refs:
        p = by_key.get((source, number))
        assert p is not None, f"{item}: {source} ¶{number} is not indexed"
        assert p.text == lines[source][number - 1], item


def test_load_corpus__repeats_are_dropped_and_short_lines_keep_their_place(seeds):
    _, by_key = seeds
    assert ("001", 3) not in by_key and ("001", 4) not in by_key  # the title, twice more
    assert ("003", 7) not in by_key  # a caption repeated
    assert by_key[("001", 1)].text == "News"  # kept: numbering is positions among non-blank lines
    assert by_key[("002", 2)].text == "border image" and ("002", 4) not in by_key


def test_paragraphs__no_phrase_list_names_boilerplate():
    assert not hasattr(paragraphs_module, "BOILERPLATE")
    source = Path(paragraphs_module.__file__).read_text(encoding="utf-8").lower()
    assert "border image" not in source and "skip to main" not in source


def test_split_paragraphs__a_navigation_line_above_the_title_is_not_the_title(seeds):
    _, by_key = seeds
    assert by_key[("002", 3)].role == Role.TITLE
    assert by_key[("002", 1)].role == Role.BODY
    assert by_key[("002", 7)].header.startswith("Regional Co-operation with the Mainland")
    assert "Content here" not in by_key[("002", 7)].header  # a "heading" sharing no word with its section
    assert by_key[("003", 4)].header.startswith("Leveraging Hong Kong's Strengths")
    assert by_key[("001", 5)].header.startswith("Drawing A New Picture")


def test_split_paragraphs__headers_carry_title_byline_and_section(seeds):
    _, by_key = seeds
    p = by_key[("001", 11)]
    assert "Drawing A New Picture" in p.header
    assert "Gu Yan" in p.header and "Guangming Daily" in p.header
    assert "Strategic choices" in p.header and p.section[-1].startswith("Strategic choices")
    item = by_key[("002", 14)]
    assert item.group == 9 and "co-operation platforms" in item.header
    assert item.kind == Kind.LIST_ITEM and by_key[("002", 9)].group == 9


def test_align_twins__pairs_the_bilingual_halves_of_000(seeds):
    _, by_key = seeds
    assert by_key[("000", 27)].twin == 70
    assert by_key[("000", 70)].twin == 27
    assert by_key[("000", 6)].twin == 48
    assert by_key[("001", 11)].twin is None


def test_load_corpus__bad_files_are_skipped_with_one_line_naming_them(tmp_path):
    (tmp_path / "good.txt").write_text("Hong Kong has a harbour.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (tmp_path / "latin1.txt").write_bytes("Café culture in Hong Kong is older than the harbour.\n".encode("latin-1"))
    (tmp_path / "copy.txt").write_text("Hong Kong has a harbour.\n", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n")
    corpus = load_corpus([tmp_path])
    problems = list(corpus.problems.values())
    assert any(p.startswith("empty.txt") for p in problems)
    assert any(p.startswith("binary.md") for p in problems)
    assert any("same content as" in p for p in problems)
    assert sorted(corpus.documents) in (["good.txt", "latin1.txt"], ["copy.txt", "latin1.txt"])
    assert any("latin1.txt" in w and "decoded as" in w for w in corpus.warnings)
    assert any("photo.png" in w and "not supported" in w for w in corpus.warnings)
    assert all("\n" not in w for w in corpus.warnings)


def test_load_corpus__a_file_over_the_limit_is_refused_from_its_size(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: 200 MB on paper, nothing on disk
        fh.truncate(200_000_000)
    (tmp_path / "ok.txt").write_text("Kowloon lies north of the harbour.\n", encoding="utf-8")
    corpus = load_corpus([tmp_path], max_bytes=50_000_000)
    assert corpus.documents == ["ok.txt"]
    assert corpus.problems[str(big.resolve())] == "big.txt is 200.0 MB; the limit is 50 MB (RAG_MAX_FILE_MB)"
