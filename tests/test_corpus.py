"""Paragraph numbering, boilerplate, duplicates and contextual headers over the real seeds."""

from __future__ import annotations

import subprocess

import pytest

from rag.ingest.documents import load_corpus
from rag.ingest.paragraphs import split_paragraphs
from tests.conftest import SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_split_paragraphs__numbers_match_grep_sed_for_every_paragraph(path):
    lines = subprocess.run(
        ["bash", "-c", f"grep -v '^\\s*$' {path}"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    paragraphs = split_paragraphs(path.name, path.read_text(encoding="utf-8"))
    assert paragraphs
    for p in paragraphs:
        assert p.text == lines[p.number - 1].strip()


def test_split_paragraphs__skips_boilerplate_and_repeats():
    corpus = load_corpus([SEEDS])
    texts = {(p.source[:3], p.text) for p in corpus.paragraphs}
    for noise in ("Skip to main content", "border image", "Content here", "News", "Blog", "More"):
        assert all(text != noise for _, text in texts)
    numbers_001 = [p.number for p in corpus.paragraphs if p.source.startswith("001")]
    assert 2 in numbers_001 and 3 not in numbers_001 and 4 not in numbers_001
    numbers_003 = [p.number for p in corpus.paragraphs if p.source.startswith("003")]
    assert 6 in numbers_003 and 7 not in numbers_003


def test_split_paragraphs__headers_carry_title_byline_and_section():
    corpus = load_corpus([SEEDS])
    by_key = {(p.source[:3], p.number): p for p in corpus.paragraphs}
    p = by_key[("001", 11)]
    assert "Drawing A New Picture" in p.header
    assert "Gu Yan" in p.header and "Guangming Daily" in p.header
    assert "Strategic choices" in p.header
    item = by_key[("002", 14)]
    assert item.group == 9 and "co-operation platforms" in item.header


def test_align_twins__pairs_the_bilingual_halves_of_000():
    corpus = load_corpus([SEEDS])
    by_key = {(p.source[:3], p.number): p for p in corpus.paragraphs}
    assert by_key[("000", 27)].twin == 70
    assert by_key[("000", 70)].twin == 27
    assert by_key[("000", 6)].twin == 48
    assert by_key[("001", 11)].twin is None


def test_load_corpus__bad_files_are_skipped_with_a_warning_naming_them(tmp_path):
    (tmp_path / "good.txt").write_text("Hong Kong has a harbour.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 culture in Hong Kong.\n".encode("latin-1"))
    (tmp_path / "copy.txt").write_text("Hong Kong has a harbour.\n", encoding="utf-8")
    corpus = load_corpus([tmp_path])
    joined = "\n".join(corpus.warnings)
    assert "empty.txt" in joined and "binary.md" in joined and "latin1.txt" in joined
    assert "copy.txt" in joined or "good.txt" in joined
    assert sorted(corpus.documents) == ["good.txt", "latin1.txt"] or "copy.txt" in corpus.documents
