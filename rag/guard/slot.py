"""The asked-slot check: does a sentence state the asked thing's value, not just any value? Pure.

"How many satellites…" needs a count attached to satellites, not any number in the sentence;
"which year did Y open" needs a year. The rule is stated for each language over plain word
positions: a value of the asked kind must stand within a few words of the asked thing
(English: `WINDOW_EN` words; Chinese: `WINDOW_ZH` jieba words). A figure glued to letters
("5G") or with several dots ("4.4.3", a section or version number) is not a count.

    slot_score(analyse("How many members does the bank have?"), "The bank has 109 members.")  # -> 1.0
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rag.lang.crosslingual import term_forms
from rag.lang.lexicon import lexicon
from rag.lang.text import CJK, CJK_RUN, normalise, posseg, segment, stem
from rag.question.analysis import Asked, QuestionAnalysis, singular
from rag.types import Lang

WINDOW_EN = 6
WINDOW_ZH = 4
_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)*%?(?![A-Za-z0-9])|\d[\w.-]*|[a-z][a-z0-9'+_-]*|[\u3400-\u9fff]+|\S", re.I)
_PLAIN_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|\d+(?:\.\d+)?%?")
_YEAR = re.compile(r"(1[5-9]|20)\d{2}")
_ZH_DATE = re.compile(r"\d{1,4}[年月日]")
_ZH_NUMBER = re.compile(r"[\d一二三四五六七八九十百千万亿两]+")
_BREAKS = frozenset(",;.!?，；。！？、")
_CAPITALISED = re.compile(r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?")


@dataclass(frozen=True)
class Token:
    text: str  # as written
    norm: str  # normalised (lower case, Simplified)


@lru_cache(maxsize=16_384)
def tokens(sentence: str) -> tuple[Token, ...]:
    """Words, figures and punctuation in order; Chinese runs cut into jieba words."""
    out: list[Token] = []
    for m in _TOKEN.finditer(sentence):
        raw = m.group(0)
        if CJK.match(raw):
            out.extend(Token(w, normalise(w)) for w in _cut(raw))
        else:
            out.append(Token(raw, normalise(raw)))
    return tuple(out)


def _cut(run: str) -> list[str]:
    """jieba words of a Chinese run, with figures and their measure words split apart."""
    words: list[str] = []
    for part in CJK_RUN.split(normalise(run)):
        if part:
            words.extend(segment(part) if CJK.match(part) else [part])
    return words


def is_count(tok: Token, lang: Lang, before: Token | None, after: Token | None) -> bool:
    """A standalone figure or number word: not part of "5G", not a section number "4.4.3"."""
    if _PLAIN_NUMBER.fullmatch(tok.text):
        return True
    if CJK.search(tok.text):  # a Chinese numeral counts when a unit or measure word follows it (三百*名*)
        numeral = bool(_ZH_NUMBER.fullmatch(tok.text)) or tok.norm in lexicon(Lang.ZH).number_words
        return numeral and after is not None and (after.norm in lexicon(Lang.ZH).units or after.norm[:1] in lexicon(Lang.ZH).units)
    return tok.norm in lexicon(Lang.EN).number_words


@lru_cache(maxsize=16_384)
def _tagged(word: str, tag: str) -> bool:
    """Whether jieba tags a Chinese word as a person (nr) or place (ns) name."""
    if not CJK.search(word):
        return False
    return any(p.flag == tag for p in posseg().lcut(word))


def is_date(tok: Token) -> bool:
    if _YEAR.fullmatch(tok.text) or _ZH_DATE.fullmatch(tok.text):
        return True
    return lexicon(Lang.EN).month_of(tok.norm) is not None or any(tok.norm in m for m in lexicon(Lang.ZH).months)


def value_positions(kind: Asked, toks: Sequence[Token], lang: Lang) -> list[int]:
    """Where a value of `kind` stands in the sentence."""
    found = []
    for i, tok in enumerate(toks):
        before = toks[i - 1] if i else None
        after = toks[i + 1] if i + 1 < len(toks) else None
        if kind in (Asked.COUNT, Asked.QUANTITY):
            hit = is_count(tok, lang, before, after) and not (kind is Asked.COUNT and _YEAR.fullmatch(tok.text))
        elif kind is Asked.DATE:
            hit = is_date(tok)
        elif kind is Asked.PERSON:
            hit = (i > 0 and bool(_CAPITALISED.fullmatch(tok.text)) and after is not None
                   and bool(_CAPITALISED.fullmatch(after.text))) or _tagged(tok.text, "nr")
        elif kind is Asked.PLACE:
            hit = (i > 0 and bool(_CAPITALISED.fullmatch(tok.text)) and toks[i - 1].norm in ("in", "at", "from")
                   ) or _tagged(tok.text, "ns")
        else:
            hit = False
        if hit:
            found.append(i)
    return found


def thing_positions(thing: str | None, toks: Sequence[Token]) -> list[int]:
    """Where the asked thing (or, across languages, a translation of it) is named."""
    if not thing:
        return []
    forms = {thing, *term_forms(thing)} if CJK.search(thing) else {thing, f"{thing}s", f"{thing}es", stem(thing)}
    out = []
    for i, tok in enumerate(toks):
        norm = tok.norm
        if norm in forms or singular(norm) in forms or stem(norm) in forms or (CJK.search(norm) and thing in term_forms(norm)):
            out.append(i)
        elif CJK.search(thing) and CJK.search(norm) and (thing in norm or norm in thing) and len(norm) > 1:
            out.append(i)
    return out


def slot_score(question: QuestionAnalysis, sentence: str, anchors: Sequence[str] = ()) -> float:
    """1.0 when a value of the asked kind stands next to the asked thing (or, when the question
    names no thing, next to one of `anchors`, the words naming what it is about); 0.5 when a
    value is there but not next to it; 0.25 when the thing is not named at all; 0.0 without a
    value. Kinds that ask for no value (definitions, methods) score by whether the thing is named."""
    toks = tokens(sentence)
    things = thing_positions(question.asked_thing, toks)
    if question.asked is Asked.REASON:
        cues = lexicon(question.lang).reason_cues | lexicon(Lang.EN).reason_cues
        return 1.0 if any(t.norm in cues for t in toks) else 0.0
    if not question.wants_value:
        return 1.0 if things or not question.asked_thing else 0.0
    values = value_positions(question.asked, toks, question.lang)
    if not values:
        return 0.0
    if not question.asked_thing:
        things = [i for a in anchors for i in thing_positions(a, toks)]
        if not things:
            return 0.5
    window = WINDOW_ZH if question.lang is Lang.ZH or CJK.search(sentence) else WINDOW_EN
    if question.asked_thing in _units(question.lang):  # "多少公里": the figure must carry that unit
        return 1.0 if any(v + 1 < len(toks) and toks[v + 1].norm == question.asked_thing for v in values) else 0.25
    if question.asked_thing in lexicon(question.lang).measure_nouns and any(_has_unit(toks, v) for v in values):
        return 1.0  # "what is the length…": "55 km" states a length whether or not the word is there
    if any(abs(v - t) <= window and not _separated(toks, v, t) for v in values for t in things):
        return 1.0
    return 0.25 if not things else 0.5


def _units(lang: Lang) -> frozenset[str]:
    return lexicon(lang).units


def _has_unit(toks: Sequence[Token], v: int) -> bool:
    """A figure followed by a unit of measure ("55 km", "142 公里")."""
    units = lexicon(Lang.EN).units | lexicon(Lang.ZH).units
    return v + 1 < len(toks) and toks[v + 1].norm in units and toks[v + 1].norm not in ("time", "times", "年", "月", "日")


def _separated(toks: Sequence[Token], a: int, b: int) -> bool:
    """A clause break (comma, semicolon, full stop) stands between positions `a` and `b`."""
    lo, hi = sorted((a, b))
    return any(t.text in _BREAKS for t in toks[lo + 1 : hi])
