"""The readers on a real manual: the Debian FAQ as DocBook HTML (English and Chinese), PDF and text."""

from __future__ import annotations

import gzip
import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

from rag.ingest.readers import Block, BlockKind, read_document

CHAPTER = "pkgtools"  # "The Debian package management tools": lists, code, three heading levels


def _read(path: Path) -> list[Block]:
    return read_document(path.name, path.read_bytes()).blocks


def _nav_texts(path: Path) -> set[str]:
    root = lxml.html.parse(str(path)).getroot()
    navigation = root.xpath("//div[@class='navheader' or @class='navfooter']")
    return {" ".join(text.split()) for nav in navigation for text in nav.itertext() if text.strip()}


def _chapters(folder: Path, pattern: str) -> list[Path]:
    chapters = sorted(folder.glob(pattern))
    assert len(chapters) == 17, chapters
    return chapters


@pytest.mark.parametrize("relative", [f"{CHAPTER}.en.html", f"zh-cn/{CHAPTER}.zh-cn.html"])
def test_debian_faq_html__headings_and_code_blocks_match_the_source(debian_faq: Path, relative: str) -> None:
    path = debian_faq / relative
    source = path.read_text(encoding="utf-8")
    blocks = _read(path)
    headings = [b for b in blocks if b.kind == BlockKind.HEADING]
    assert len(headings) == len(re.findall(r"<h[1-6][ >]", source)) == 14
    assert headings[0].level == 1 and headings[0].text.startswith(("Chapter 8.", "第 8 章"))
    code = [b for b in blocks if b.kind == BlockKind.CODE]
    assert len(code) == source.count("<pre") == 17
    overview = next(b for b in code if b.text.startswith("apt-get update"))
    assert overview.text.count("\n") >= 9 and "apt-get upgrade            ->  apt upgrade" in overview.text
    dpkg = next(b for b in blocks if b.text in ("8.1.1. dpkg", "8.1.1. dpkg"))
    assert dpkg.level == 3 and len(dpkg.section) == 3


@pytest.mark.parametrize("pattern", ["*.en.html", "zh-cn/*.zh-cn.html"])
def test_debian_faq_html__no_navigation_text_in_any_chapter(debian_faq: Path, pattern: str) -> None:
    for path in _chapters(debian_faq, pattern):
        nav = _nav_texts(path)
        body = {b.text for b in _read(path) if b.kind != BlockKind.HEADING}
        assert not body & nav, path.name
        assert not body & {"Prev", "Next", "Up", "Home", "上一页", "下一页", "起始页"}, path.name


@pytest.mark.parametrize("pattern", ["*.en.html", "zh-cn/*.zh-cn.html"])
def test_debian_faq_html__block_counts_are_those_of_the_manual(debian_faq: Path, pattern: str) -> None:
    counts: Counter[BlockKind] = Counter()
    for path in _chapters(debian_faq, pattern):
        counts.update(b.kind for b in _read(path))
    # Measured: 516/517 paragraphs, 205 list items, 165 headings, 78 code blocks (one per <pre>).
    assert 480 <= counts[BlockKind.PARAGRAPH] <= 560
    assert 190 <= counts[BlockKind.LIST_ITEM] <= 220
    assert counts[BlockKind.HEADING] == 165
    assert counts[BlockKind.CODE] == 78


def test_debian_faq_html__chinese_text_has_no_spaces_from_source_line_breaks(debian_faq: Path) -> None:
    blocks = _read(debian_faq / f"zh-cn/{CHAPTER}.zh-cn.html")
    prose = "\n".join(b.text for b in blocks if b.kind == BlockKind.PARAGRAPH)
    assert "有多个工具可以管理 Debian 软件包" in prose
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", prose)


@pytest.fixture(scope="module")
def faq_pdf(debian_faq: Path) -> list[Block]:
    return read_document(
        "debian-faq.en.pdf", gzip.decompress((debian_faq / "debian-faq.en.pdf.gz").read_bytes())
    ).blocks


def test_debian_faq_pdf__every_block_has_a_page_location(faq_pdf: list[Block]) -> None:
    pages = {int(re.fullmatch(r"p\. (\d+)", b.location).group(1)) for b in faq_pdf}
    assert min(pages) == 1 and max(pages) <= 73 and len(pages) > 50


def test_debian_faq_pdf__running_headers_and_page_numbers_are_gone(faq_pdf: list[Block]) -> None:
    assert not [b.text for b in faq_pdf if re.match(r"CHAPTER \d+\. [A-Z]", b.text)]
    assert not [b.text for b in faq_pdf if re.fullmatch(r"[\divxl]+", b.text)]


def test_debian_faq_pdf__words_are_spaced_and_hyphenation_mended(faq_pdf: list[Block]) -> None:
    text = "\n".join(b.text for b in faq_pdf)
    assert "Debian GNU/Linux includes complete source-code for all of the included programs" in text
    assert "Users can select which packages to install" in text


def test_debian_faq_pdf__outline_gives_headings_and_sections(faq_pdf: list[Block]) -> None:
    headings = [b for b in faq_pdf if b.kind == BlockKind.HEADING]
    assert len(headings) >= 140  # 154 of the 165 outline entries are found on their pages
    apt = next(b for b in faq_pdf if b.text.startswith("apt-get provides a simple way"))
    assert apt.section[0] == "The Debian package management tools"
    assert len([b for b in faq_pdf if b.kind == BlockKind.PARAGRAPH]) in range(500, 700)


@pytest.mark.parametrize(
    ("name", "command", "command_kind"),
    [
        ("debian-faq.en.txt.gz", "apt search word", BlockKind.CODE),
        ("debian-faq.zh-cn.txt.gz", "apt-get update", BlockKind.PARAGRAPH),
    ],
)
def test_debian_faq_txt__is_read_as_hard_wrapped_with_numbered_headings(
    debian_faq: Path, name: str, command: str, command_kind: BlockKind
) -> None:
    result = read_document(name.removesuffix(".gz"), gzip.decompress((debian_faq / name).read_bytes()))
    assert result.format == "txt-blocks"
    headings = [b for b in result.blocks if b.kind == BlockKind.HEADING]
    assert "8.1.2. APT" in {b.text for b in headings} and len(headings) >= 160
    # Commands indented beyond the prose are code; set at the prose margin (the Chinese text) they read as prose.
    block = next(b for b in result.blocks if b.text == command)
    assert block.kind == command_kind
    assert re.fullmatch(r"line \d+", block.location)
