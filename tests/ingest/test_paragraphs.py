"""Blocks to Paragraphs: numbering in reading order, kinds, sections, lead-in groups, headers and language parts."""

from __future__ import annotations

from rag.answer.units import lead_of, members
from rag.ingest.paragraphs import build_paragraphs
from rag.ingest.readers import read_document
from rag.types import Kind, Role

GUIDE = """# Packaging Guide

This guide explains how a package is put together from its control file.

## 4 Required files

### 4.1 control

The control file names the package. Create it like this:

```
Package: hello
Version: 1.0
Depends: libc6
```

The fields are:

- Package, the name
- Version, the version
- Depends, what it needs

A closing paragraph about uploading the package to the archive.
"""


def _read(name: str, text: str) -> list:
    return build_paragraphs(name, read_document(name, text.encode("utf-8")))


def test_build_paragraphs__markdown_is_numbered_in_reading_order_with_kinds_and_locations() -> None:
    paragraphs = _read("guide.md", GUIDE)
    assert [p.number for p in paragraphs] == list(range(1, len(paragraphs) + 1))
    kinds = [p.kind for p in paragraphs]
    assert kinds.count(Kind.HEADING) == 3 and kinds.count(Kind.CODE) == 1 and kinds.count(Kind.LIST_ITEM) == 3
    code = next(p for p in paragraphs if p.kind == Kind.CODE)
    assert code.text == "Package: hello\nVersion: 1.0\nDepends: libc6"  # one paragraph, newlines kept
    assert code.location == "lines 11–15"
    assert paragraphs[0].role == Role.TITLE and paragraphs[0].location == "line 1"


def test_build_paragraphs__a_lead_in_and_what_it_introduces_share_its_number_as_group() -> None:
    paragraphs = _read("guide.md", GUIDE)
    lookup = {(p.source, p.number): p for p in paragraphs}
    code_lead = next(p for p in paragraphs if p.text.endswith("like this:"))
    list_lead = next(p for p in paragraphs if p.text == "The fields are:")
    assert code_lead.group == code_lead.number and list_lead.group == list_lead.number
    assert [m.kind for m in members(code_lead, lookup)] == [Kind.CODE]
    assert [m.text for m in members(list_lead, lookup)] == ["Package, the name", "Version, the version", "Depends, what it needs"]
    assert lead_of(members(list_lead, lookup)[1], lookup) == list_lead
    closing = paragraphs[-1]
    assert closing.group is None and lead_of(closing, lookup) is None


def test_build_paragraphs__header_is_title_section_path_and_lead_in() -> None:
    paragraphs = _read("guide.md", GUIDE)
    item = next(p for p in paragraphs if p.text == "Version, the version")
    assert item.section == ("Packaging Guide", "4 Required files", "4.1 control")
    assert item.header == "Packaging Guide | 4 Required files › 4.1 control | The fields are:"
    lead = next(p for p in paragraphs if p.text == "The fields are:")
    assert lead.header == "Packaging Guide | 4 Required files › 4.1 control"
    heading = next(p for p in paragraphs if p.text == "4.1 control")
    assert heading.header == "Packaging Guide | 4 Required files"  # never itself


def test_build_paragraphs__a_list_without_lead_in_is_grouped_under_its_first_item() -> None:
    paragraphs = _read("l.md", "# Tools\n\nSome prose first.\n\n- dpkg\n- apt\n- aptitude\n")
    items = [p for p in paragraphs if p.kind == Kind.LIST_ITEM]
    assert [p.group for p in items] == [items[0].number] * 3


def test_build_paragraphs__code_is_never_a_title() -> None:
    paragraphs = _read("c.md", "```\nmake install\n```\n\nThis guide explains how to install the program on a server.\n")
    assert paragraphs[0].kind == Kind.CODE and paragraphs[0].role == Role.BODY
    assert "make install" not in paragraphs[1].header


ZH = [
    "软件包是一个包含程序以及安装所需信息的档案文件。",
    "每个软件包都有一个控制文件，记录名称和版本。",
    "安装软件包之前，系统会检查它的依赖关系。",
    "升级系统之前，请先阅读发行说明中的建议。",
    "删除软件包时，配置文件默认会被保留下来。",
    "彻底清除软件包会连同配置文件一起删除。",
]
EN = [
    "A package is an archive holding a program and what is needed to install it.",
    "Every package has a control file that records its name and version.",
    "Before a package is installed, the system checks its dependencies.",
    "Before upgrading the system, read the advice in the release notes.",
    "When a package is removed, its configuration files are kept by default.",
    "Purging a package deletes its configuration files as well.",
]
COMMANDS = "\n\n".join(f"```\napt-get install package-{i}\n```" for i in range(6))


def test_build_paragraphs__bilingual_parts_take_titles_from_prose_only_and_pair_twins() -> None:
    text = "# 软件包管理\n\n" + "\n\n".join(ZH) + "\n\n" + COMMANDS + "\n\n" + "\n\n".join(EN) + "\n"
    paragraphs = _read("bi.md", text)
    english = [p for p in paragraphs if p.text in EN]
    assert all("apt-get" not in p.header for p in english)  # a code line is never the English part's title
    assert all(p.header == "软件包管理" for p in english)  # no title of its own: the document's carries on
    twins = {p.text: p.twin for p in paragraphs if p.twin is not None}
    by_number = {p.number: p.text for p in paragraphs}
    assert by_number[twins[ZH[2]]] == EN[2]
    assert all(p.twin is None for p in paragraphs if p.kind == Kind.CODE)


def test_build_paragraphs__english_code_in_a_chinese_document_starts_no_language_part() -> None:
    text = "# 软件包管理\n\n" + "\n\n".join(ZH[:3]) + "\n\n" + COMMANDS + "\n\n" + "\n\n".join(ZH[3:]) + "\n"
    paragraphs = _read("zh.md", text)
    assert all(p.header.startswith("软件包管理") for p in paragraphs if p.number > 1)
    assert all(p.twin is None for p in paragraphs)
