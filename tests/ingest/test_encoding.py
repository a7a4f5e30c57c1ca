import codecs

import pytest

from rag.ingest.readers.blocks import UnreadableDocument
from rag.ingest.readers.encoding import decode_text

ZH_SIMPLIFIED = (
    "软件包管理工具可以帮助您安装、升级和删除系统中的软件。在使用之前，请先更新软件包列表，"
    "然后再安装您需要的程序。如果遇到依赖关系问题，可以尝试修复损坏的软件包，或者查看系统日志以获得更多信息。"
) * 3
ZH_TRADITIONAL = (
    "軟體套件管理工具可以幫助您安裝、升級和刪除系統中的軟體。在使用之前，請先更新套件清單，"
    "然後再安裝您需要的程式。如果遇到相依性問題，可以嘗試修復損壞的套件，或者查看系統日誌以獲得更多資訊。"
) * 3


def test_decode_text__utf8_gives_no_warning() -> None:
    assert decode_text("a.txt", "naïve 中文".encode()) == ("naïve 中文", [])


def test_decode_text__utf8_bom_is_stripped_without_warning() -> None:
    assert decode_text("a.txt", codecs.BOM_UTF8 + b"hello") == ("hello", [])


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_decode_text__bom_decodes_and_warns(codec: str) -> None:
    text, warnings = decode_text("win.txt", "Hello 世界".encode(codec))
    assert text == "Hello 世界"
    assert warnings == [f"win.txt: decoded as {codec.upper()} (byte-order mark)"]


def test_decode_text__gbk_is_detected_and_named() -> None:
    text, warnings = decode_text("guide.txt", ZH_SIMPLIFIED.encode("gbk"))
    assert text == ZH_SIMPLIFIED
    assert len(warnings) == 1 and warnings[0].startswith("guide.txt: decoded as GB")
    assert warnings[0].endswith("(detected)")


def test_decode_text__big5_is_detected_and_named() -> None:
    text, warnings = decode_text("guide.txt", ZH_TRADITIONAL.encode("big5"))
    assert text == ZH_TRADITIONAL
    assert warnings == ["guide.txt: decoded as Big5 (detected)"]


def test_decode_text__windows_1252_wins_a_near_tie() -> None:
    text = "Café crème brûlée — naïve façade. Déjà vu, résumé."
    assert decode_text("menu.txt", text.encode("cp1252")) == (text, ["menu.txt: decoded as Windows-1252 (detected)"])


def test_decode_text__declared_charset_is_used_before_detection() -> None:
    text, warnings = decode_text("p.html", ZH_SIMPLIFIED.encode("gb18030"), declared="gb18030")
    assert text == ZH_SIMPLIFIED
    assert warnings == ["p.html: decoded as GB18030 (declared)"]


def test_decode_text__utf16_without_bom_is_recognised() -> None:
    text, warnings = decode_text("u.txt", "plain ascii words".encode("utf-16-le"))
    assert text == "plain ascii words"
    assert "UTF-16" in warnings[0]


def test_decode_text__binary_with_nuls_is_refused() -> None:
    with pytest.raises(UnreadableDocument, match=r"^blob\.txt looks binary \(it contains NUL bytes\)"):
        decode_text("blob.txt", bytes(range(256)) * 4)


def test_decode_text__control_characters_are_refused() -> None:
    with pytest.raises(UnreadableDocument, match="looks binary"):
        decode_text("ctl.txt", b"\x01\x02\x03\x04\x05\x06\x07\x08abc" * 20)
