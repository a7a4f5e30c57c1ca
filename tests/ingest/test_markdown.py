from rag.ingest.readers import BlockKind, read_document

GUIDE = """\
---
title: Packaging guide
---
# 4 Required files

The files below are needed
in every package.

## 4.1 control

The fields are:

1. Source
2. Package
   - nested item
   - another nested item

```sh
dpkg-deb --build pkg
ls -l pkg.deb
```

| Name | Size |
|------|------|
| control | 1 KB |
| rules | 3 KB |

> Keep the control file short.

    indented code
    second line

## 4.2 中文

中文段落
第二行。
"""


def _read() -> list:
    return read_document("guide.md", GUIDE.encode()).blocks


def test_read_markdown__headings_give_levels_and_section_paths() -> None:
    blocks = _read()
    headings = [(b.text, b.level) for b in blocks if b.kind == BlockKind.HEADING]
    assert headings == [("4 Required files", 1), ("4.1 control", 2), ("4.2 中文", 2)]
    paragraph = blocks[1]
    assert paragraph.text == "The files below are needed in every package."
    assert paragraph.section == ("4 Required files",)
    assert paragraph.location == "lines 6–7"


def test_read_markdown__front_matter_is_not_content() -> None:
    assert not any("Packaging guide" in b.text for b in _read())


def test_read_markdown__each_list_item_nested_or_not_is_one_block() -> None:
    items = [b for b in _read() if b.kind == BlockKind.LIST_ITEM]
    assert [b.text for b in items] == ["1. Source", "2. Package", "nested item", "another nested item"]
    assert items[2].location == "line 15"
    assert all(b.section == ("4 Required files", "4.1 control") for b in items)


def test_read_markdown__code_blocks_are_whole() -> None:
    code = [b for b in _read() if b.kind == BlockKind.CODE]
    assert [b.text for b in code] == ["dpkg-deb --build pkg\nls -l pkg.deb", "indented code\nsecond line"]
    assert code[0].location == "lines 18–21"


def test_read_markdown__table_body_rows_carry_header_prefixes() -> None:
    rows = [b for b in _read() if b.kind == BlockKind.TABLE_ROW]
    assert [b.text for b in rows] == ["Name: control | Size: 1 KB", "Name: rules | Size: 3 KB"]
    assert rows[0].location == "line 25"


def test_read_markdown__lead_in_owns_the_list_code_and_table_after_it() -> None:
    blocks = _read()
    lead = next(i for i, b in enumerate(blocks) if b.text == "The fields are:")
    owned = [b.kind for b in blocks if b.lead_in == lead]
    assert owned == [BlockKind.LIST_ITEM] * 4 + [BlockKind.CODE] + [BlockKind.TABLE_ROW] * 2


def test_read_markdown__blockquote_is_a_quote_and_chinese_lines_join_without_space() -> None:
    blocks = _read()
    assert any(b.kind == BlockKind.QUOTE and b.text == "Keep the control file short." for b in blocks)
    assert blocks[-1].text == "中文段落第二行。"
    assert blocks[-1].section == ("4 Required files", "4.2 中文")


def test_read_markdown__code_inside_a_list_item_follows_the_item_text() -> None:
    source = "Steps:\n\n1. Update the lists:\n\n   ```\n   apt update\n   ```\n2. Upgrade\n"
    blocks = read_document("steps.md", source.encode()).blocks
    assert [(b.kind, b.text) for b in blocks] == [
        (BlockKind.PARAGRAPH, "Steps:"),
        (BlockKind.LIST_ITEM, "1. Update the lists:"),
        (BlockKind.CODE, "apt update"),
        (BlockKind.LIST_ITEM, "2. Upgrade"),
    ]
    assert [b.lead_in for b in blocks] == [None, 0, 0, 0]
