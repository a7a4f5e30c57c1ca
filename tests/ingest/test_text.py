import textwrap

from rag.ingest.readers import BlockKind, read_document
from rag.ingest.readers.text import is_hard_wrapped

NEWS = """Storm closes coastal roads as rivers rise across the region overnight.
Officials said more than 40 roads were closed by Tuesday morning, and schools in three districts stayed shut.

The weather service expects the rain to ease by Thursday, although flood warnings remain in place for now.
Residents were asked to avoid unnecessary travel and to check on elderly neighbours.
"""

NEWS_ZH = """暴雨导致沿海道路封闭，多条河流水位上涨。
官员表示，截至周二上午，已有四十多条道路封闭，三个区的学校停课。
气象部门预计降雨将在周四减弱，但洪水预警仍然有效。
"""

WRAPPED = """\
Package Guide
=============

1 Overview

    A package bundles a program with the information needed to install
    it, such as its dependencies, its maintainer scripts and a short
    description that tools show to the user.

    Install a package with the following command:

        dpkg --install foo_1.0_all.deb
        apt-get install -f

1.1 Removing packages

    Removing a package keeps its configuration files unless you purge
    it, which deletes them as well; this is useful when a broken
    configuration stops the program from starting again.

    The tools are:

      * dpkg, the low-level tool that unpacks archives and runs the
        maintainer scripts;
      * apt, which resolves dependencies.
"""

WRAPPED_ZH = """\
软件包管理

    软件包是一个包含程序以及安装所需信息的档案文件，例如它的依赖关系、
    维护者脚本和一段简短的描述。这些信息由工具显示给用户，以便用户决定
    是否安装。

    升级系统之前，请先阅读发行说明，了解从上一个版本升级的推荐步骤以及
    需要考虑的已知问题。
"""


def test_is_hard_wrapped__tells_wrapped_text_from_one_paragraph_per_line() -> None:
    assert is_hard_wrapped(WRAPPED.splitlines())
    assert is_hard_wrapped(WRAPPED_ZH.splitlines())
    assert not is_hard_wrapped(NEWS.splitlines())
    assert not is_hard_wrapped(NEWS_ZH.splitlines())


def test_is_hard_wrapped__long_lines_are_not_wrapped_even_in_blocks() -> None:
    long = "\n".join(["word " * 40 + "and on", "word " * 40 + "and on", ""] * 5)
    assert not is_hard_wrapped(long.splitlines())


def test_read_text__one_per_line_each_line_is_a_paragraph_at_its_nonblank_number() -> None:
    result = read_document("news.txt", NEWS.encode())
    assert result.format == "txt-lines"
    assert [b.location for b in result.blocks] == ["line 1", "line 2", "line 3", "line 4"]
    assert result.blocks[2].text.startswith("The weather service expects")
    assert {b.kind for b in result.blocks} == {BlockKind.PARAGRAPH}


def test_read_text__hard_wrapped_blocks_headings_code_and_lists() -> None:
    result = read_document("guide.txt", WRAPPED.encode())
    assert result.format == "txt-blocks"
    by_text = {b.text: b for b in result.blocks}
    title = by_text["Package Guide"]
    assert (title.kind, title.level, title.location) == (BlockKind.HEADING, 1, "lines 1–2")
    overview = next(b for b in result.blocks if b.text.startswith("A package bundles"))
    assert overview.kind == BlockKind.PARAGRAPH and overview.location == "lines 6–8"
    assert "install it, such as" in overview.text and "\n" not in overview.text
    assert overview.section == ("1 Overview",)  # "1" is a top-level number, a sibling of the title
    code = next(b for b in result.blocks if b.kind == BlockKind.CODE)
    assert code.text == "dpkg --install foo_1.0_all.deb\napt-get install -f"
    assert code.location == "lines 12–13"
    assert result.blocks[code.lead_in].text == "Install a package with the following command:"
    removing = by_text["1.1 Removing packages"]
    assert removing.kind == BlockKind.HEADING and removing.level == 2
    items = [b for b in result.blocks if b.kind == BlockKind.LIST_ITEM]
    assert [b.text[:4] for b in items] == ["dpkg", "apt,"]
    assert items[0].location == "lines 23–24"
    assert items[0].text.endswith("runs the maintainer scripts;")
    assert all(result.blocks[b.lead_in].text == "The tools are:" for b in items)
    assert items[0].section == ("1 Overview", "1.1 Removing packages")


def test_read_text__wrapped_chinese_joins_lines_without_spaces() -> None:
    result = read_document("zh.txt", WRAPPED_ZH.encode())
    paragraph = result.blocks[1]
    assert paragraph.text.startswith("软件包是一个包含程序以及安装所需信息的档案文件，例如它的依赖关系、维护者脚本")
    assert " " not in paragraph.text


def test_read_text__gbk_file_is_decoded_with_a_warning() -> None:
    result = read_document("新闻.txt", NEWS_ZH.encode("gbk") * 3)
    assert result.blocks[0].text == "暴雨导致沿海道路封闭，多条河流水位上涨。"
    assert result.warnings and result.warnings[0].startswith("新闻.txt: decoded as GB")


def test_read_text__big5_file_is_decoded_with_a_warning() -> None:
    text = "颱風來襲，沿海道路全面封閉，多條河川水位上漲。\n官員表示，截至週二上午，已有四十多條道路封閉。\n"
    result = read_document("news.txt", (text * 3).encode("big5"))
    assert result.blocks[0].text == "颱風來襲，沿海道路全面封閉，多條河川水位上漲。"
    assert result.warnings == ["news.txt: decoded as Big5 (detected)"]


def test_read_text__rfc_style_text_is_wrapped() -> None:
    paragraph = textwrap.fill("The quick brown fox jumps over the lazy dog. " * 12, width=72)
    data = "\n\n".join([paragraph] * 3 + ["1.2 Terminology", paragraph.replace("quick", "slow")]).encode()
    result = read_document("rfc.txt", data)
    assert result.format == "txt-blocks"
    assert result.blocks[1].kind == BlockKind.HEADING
    assert result.blocks[2].section == ("1.2 Terminology",)
