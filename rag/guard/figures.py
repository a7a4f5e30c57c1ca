"""Figures in text, compared as values: 45,000 = 4.5萬, 5.25 million = 525萬, eleven-fold = 11倍. Pure."""

from __future__ import annotations

import re

_FIGURE = re.compile(
    r"(?<![\d.])(\d+(?:,\d{3})+|\d+)(\.\d+)?\s*(万亿|万|亿|千亿|百万|千万|trillion|billion|million|thousand)?"
)
_SCALE = {
    "万亿": 1e12, "万": 1e4, "亿": 1e8, "千亿": 1e11, "百万": 1e6, "千万": 1e7,
    "trillion": 1e12, "billion": 1e9, "million": 1e6, "thousand": 1e3,
}
EN_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
    if i >= 2  # "one" is as often a pronoun as a figure
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_EN_NUMBER = re.compile(r"\b(" + "|".join(EN_NUMBER_WORDS) + r")\b")
_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
ZH_NUMERAL = re.compile(r"[零一二两三四五六七八九十百千]+")
# A Chinese numeral states a figure only before a counter: 七届, 十大, 六成, 11倍 (not 一带一路).
_ZH_COUNTED = re.compile(r"([零一二两三四五六七八九十百千]+)(?=[倍成届项大万亿年个家座条名位次])")


def figures(text: str) -> set[float]:
    """Values of the figures in normalised `text`: digits with scale words, number words."""
    return {value for value, _, _ in figure_spans(text)}


def figure_spans(text: str) -> list[tuple[float, int, int]]:
    """(value, start, end) of each figure in normalised `text`, in order."""
    spans = []
    for match in _FIGURE.finditer(text):
        whole, decimals, scale = match.groups()
        value = float(whole.replace(",", "") + (decimals or ""))
        spans.append((value * _SCALE.get(scale, 1.0), match.start(), match.end()))
    spans.extend((float(EN_NUMBER_WORDS[m.group(1)]), m.start(), m.end()) for m in _EN_NUMBER.finditer(text))
    for match in _ZH_COUNTED.finditer(text):
        value = zh_numeral(match.group(1))
        if value is not None and value > 1:
            spans.append((value * (10 if text[match.end()] == "成" else 1), match.start(), match.end()))  # 六成 = 60%
    return sorted(spans, key=lambda span: span[1])


def zh_numeral(text: str) -> float | None:
    """十七 -> 17, 一百二十 -> 120, 四五 -> None (not a numeral). Up to the thousands."""
    total, digit = 0, None
    for char in text:
        if char in _ZH_DIGITS:
            if digit is not None:
                return None
            digit = _ZH_DIGITS[char]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[char]
            total += (1 if digit is None else digit) * unit
            digit = None
    return float(total + (digit or 0))
