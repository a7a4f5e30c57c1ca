"""Bytes to text for any encoding: byte-order marks, then UTF-8, then a declared charset, then detection.

Anything but plain UTF-8 yields a warning that names the file and the encoding used, so a wrong guess can be seen.
"""

from __future__ import annotations

import codecs
import unicodedata

import charset_normalizer

from rag.ingest.readers.blocks import UnreadableDocument

# UTF-32 first: its little-endian mark starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", None),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_NAMES = {
    "gb18030": "GB18030",
    "gbk": "GBK",
    "gb2312": "GB2312",
    "big5": "Big5",
    "big5hkscs": "Big5-HKSCS",
    "shift_jis": "Shift-JIS",
    "cp932": "Shift-JIS (cp932)",
    "euc_jp": "EUC-JP",
    "euc_kr": "EUC-KR",
    "cp1252": "Windows-1252",
    "latin_1": "ISO-8859-1",
    "iso8859_1": "ISO-8859-1",
}
_SINGLE_BYTE_LATIN = frozenset(
    {"cp1250", "cp1252", "cp1257", "cp775", "cp850", "mac_latin2", "mac_roman", "latin_1"}
    | {f"iso8859_{n}" for n in range(1, 17)}
)
NEAR_TIE_CHAOS = 0.05
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
MAX_CONTROL_SHARE = 0.01


def encoding_name(codec: str) -> str:
    """The name people know an encoding by ("GBK", "Big5"), from a Python codec name."""
    key = codecs.lookup(codec).name.replace("-", "_")
    return _NAMES.get(key, _NAMES.get(codec.lower(), codec.upper().replace("_", "-")))


def decode_text(name: str, data: bytes, declared: str | None = None) -> tuple[str, list[str]]:
    """Decode a text file's bytes.

    Args:
        name: the file name, used in warnings and errors.
        data: the raw bytes.
        declared: a charset the file itself declares (an HTML meta tag), tried after UTF-8.

    Returns:
        (text, warnings); a warning such as "guide.txt: decoded as GBK (detected)" when the text was not UTF-8.

    Raises:
        UnreadableDocument: the bytes are binary or no encoding decodes them.
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                reason = f"{name} starts with a {codec} byte-order mark but is not {codec} text ({exc.reason})"
                raise UnreadableDocument(reason) from None
            return text, [] if label is None else [f"{name}: decoded as {label} (byte-order mark)"]
    if b"\x00" in data:
        return _decode_with_nuls(name, data)
    try:
        return _checked(name, data.decode("utf-8")), []
    except UnicodeDecodeError:
        pass
    if declared is not None:
        try:
            text = data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            return _checked(name, text), [f"{name}: decoded as {encoding_name(declared)} (declared)"]
    best = _detect(data)
    if best is None:
        raise UnreadableDocument(f"{name} is not text in any encoding I can detect; save it as UTF-8 and add it again")
    return _checked(name, str(best)), [f"{name}: decoded as {encoding_name(best.encoding)} (detected)"]


def _detect(data: bytes) -> charset_normalizer.CharsetMatch | None:
    """charset-normalizer's best match, except that Windows-1252 wins a near tie among single-byte encodings.

    Short Western European text decodes equally cleanly as cp1250, cp1252 or cp1257; cp1252 is by far the most
    common of them, so it is the better guess unless the detector is clearly surer of another.
    """
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None or best.encoding not in _SINGLE_BYTE_LATIN:
        return best
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos + NEAR_TIE_CHAOS:
            return match
    return best


def _decode_with_nuls(name: str, data: bytes) -> tuple[str, list[str]]:
    """UTF-16 without a byte-order mark has a NUL in every other byte of ASCII text; anything else is binary."""
    even, odd = data[0::2], data[1::2]
    for codec, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
        if len(data) % 2 == 0 and zeros.count(0) >= 0.9 * len(zeros):
            try:
                return _checked(name, data.decode(codec)), [f"{name}: decoded as UTF-16 (detected, no byte-order mark)"]
            except UnicodeDecodeError:
                break
    raise UnreadableDocument(f"{name} looks binary (it contains NUL bytes), not text")


def _checked(name: str, text: str) -> str:
    """Reject decoded text that is mostly control characters: that is a binary file that happened to decode."""
    controls = sum(1 for ch in text if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc")
    if controls > MAX_CONTROL_SHARE * max(len(text), 1):
        raise UnreadableDocument(f"{name} looks binary ({controls} control characters), not text")
    return text
