"""Two checks the support judge makes once figures, names and wording all match. Pure.

A sentence can keep every figure, name and most words of its source and still say something
else: "X does not handle 75% of Y" (polarity), or "X handles 75% of Z", where Z is named
elsewhere in the paragraph (attachment). Both rules are stated for a language, not a document:

Polarity: each clause of the claim is aligned with the clause of the paragraphs that shares most
of its wording; if one of the two negates and the other does not, the claim says the opposite.
Negation words are data, per language (rag/lang/data/<lang>/negations.txt; phrases such as
"not only" that do not negate are in negation_exceptions.txt). Chinese is matched word by word
as jieba segments it, so 不断 or 未来 never count as negations.

Attachment: the content words next to a figure that counts something (not a year, a span of
time from time_units.txt, an ordinal or part of a compound) in the claim (WINDOW words, or WINDOW_CJK
characters, on each side, within its clause) that the paragraphs contain must be found near
the same figure in one sentence of the paragraphs (PASSAGE_WINDOW words or PASSAGE_WINDOW_CJK
characters on each side), not only elsewhere. In English the claim's window also stops at a
conjunction (conjunctions.txt): "X has 9 members and Y has 8 trips" asks nothing of 9 about Y.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.guard.figures import figure_spans
from rag.lang.text import CJK, CJK_RUN, EN_STOPWORDS, language, segment, split_sentences
from rag.lang.wordlists import word_list
from rag.types import Lang

WINDOW = 3
PASSAGE_WINDOW = 6
WINDOW_CJK = 4
PASSAGE_WINDOW_CJK = 10
MIN_ALIGNMENT = 0.5  # share of a claim clause's wording its best clause must have to be compared
PREFIX = 5  # English words match on their first letters, as in the judge's overlap

# Clause ends: punctuation (not a comma inside a figure, 240,000), a full stop, a spaced dash.
_CLAUSE_END = re.compile(r"(?<!\d),|,(?!\d{3})|[;:，；：、。！？!?]|\.(?=\s|$)|\s[-–—]\s")
_WORD = re.compile(r"[a-z][a-z0-9'’]*|\d+(?:[.,]\d+)*%?")
_YEAR = re.compile(r"1[89]\d\d|2[01]\d\d")
# 14th and five-year name a plan or a session rather than count a thing (第十四 in Chinese)
_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b|-[a-z]")


def reversed_polarity(claim: str, paragraphs: Sequence[str]) -> str | None:
    """The claim clause whose negation its best-matching paragraph clause does not share
    (or the reverse); None when every alignable clause agrees. Texts are normalised."""
    lang = language(claim)
    clauses = [c for p in paragraphs for s in split_sentences(p) for c in _clauses(s)]
    units = [(_units(c, lang), _negated(c, lang)) for c in clauses]
    for part in _clauses(claim):
        wanted = _units(part, lang)
        if len(wanted) < 2:
            continue
        scored = [(len(wanted & have) / len(wanted), negated) for have, negated in units]
        best = max((score for score, _ in scored), default=0.0)
        if best < MIN_ALIGNMENT:
            continue
        if all(negated != _negated(part, lang) for score, negated in scored if score == best):
            return part.strip()
    return None


def misattached_figure(claim: str, paragraphs: Sequence[str]) -> tuple[float, str] | None:
    """(figure, its clause in the claim) for the first figure whose neighbouring words are
    named near another thing in the paragraphs, not near this figure; None when all agree.

    Only neighbouring words the paragraphs contain somewhere are asked for (the judge's overlap
    already weighs words they lack), and years are left out: a year dates its clause rather
    than counting a thing. Texts are normalised."""
    lang = language(claim)
    cjk = lang is Lang.ZH
    sentences = [s for p in paragraphs for s in split_sentences(p)]
    everywhere = set().union(*(_units(p, lang) for p in paragraphs))
    for value, start, end in figure_spans(claim):
        asked = _near(claim, start, end, cjk, passage=False) & everywhere
        if not asked or _dates_or_names(claim, start, end, lang):
            continue
        found = [
            _near(s, s_start, s_end, cjk, passage=True)
            for s in sentences
            for v, s_start, s_end in figure_spans(s)
            if v == value
        ]
        if found and all(asked - around for around in found):
            clause = _CLAUSE_END.split(claim[:start])[-1] + claim[start:end] + _CLAUSE_END.split(claim[end:])[0]
            return value, clause.strip()
    return None


def _dates_or_names(text: str, start: int, end: int, lang: Lang) -> bool:
    """A year, a span of time (three years, 25年), an ordinal (14th, 第十四) or a compound
    (five-year): it dates its clause or belongs to a name, it does not count a thing."""
    figure, rest = text[start:end].strip(), text[end:].lstrip()
    if _YEAR.fullmatch(figure) or _ORDINAL.match(text, end) or text[max(0, start - 1) : start] == "第":
        return True
    units = word_list(lang, "time_units")
    if lang is Lang.ZH:
        return any(rest.startswith(unit) for unit in units)
    following = _WORD.match(rest)
    return following is not None and following.group() in units


def _near(text: str, start: int, end: int, cjk: bool, passage: bool) -> set[str]:
    """Matching units on both sides of text[start:end]: within its clause for a claim, its
    sentence for a paragraph (`text` is one sentence there)."""
    before, after = text[:start], text[end:]
    if not passage:
        before = _CLAUSE_END.split(before)[-1]
        after = _CLAUSE_END.split(after)[0]
    if cjk:
        width = PASSAGE_WINDOW_CJK if passage else WINDOW_CJK
        return _bigrams(_cjk_only(before)[-width:]) | _bigrams(_cjk_only(after)[:width])
    if passage:
        return set(_content(before)[-PASSAGE_WINDOW:]) | set(_content(after)[:PASSAGE_WINDOW])
    joins = word_list(Lang.EN, "conjunctions")
    before_words = _WORD.findall(before)
    cut = max((i + 1 for i, w in enumerate(before_words) if w in joins), default=0)
    after_words = _WORD.findall(after)
    stop = next((i for i, w in enumerate(after_words) if w in joins), len(after_words))
    return set(_content(" ".join(before_words[cut:]))[-WINDOW:]) | set(_content(" ".join(after_words[:stop]))[:WINDOW])


def _content(text: str) -> list[str]:
    """English content words (first PREFIX letters), figures and stop words left out."""
    words = [w.replace("’", "'") for w in _WORD.findall(text)]
    return [w[:PREFIX] for w in words if w[0].isalpha() and w not in EN_STOPWORDS]


def _cjk_only(text: str) -> str:
    return "".join(CJK.findall(text))


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE_END.split(sentence) if c.strip()]


def _units(text: str, lang: Lang) -> set[str]:
    """What alignment compares: Chinese character pairs, or English content words."""
    if lang is Lang.ZH:
        return {b for run in CJK_RUN.findall(text) for b in _bigrams(run)} | set(_content(CJK.sub(" ", text)))
    return set(_content(text))


def _negated(clause: str, lang: Lang) -> bool:
    text = clause.replace("’", "'")
    for phrase in word_list(lang, "negation_exceptions"):
        text = re.sub(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", " ", text)
    negations = word_list(lang, "negations")
    if lang is Lang.ZH:
        words = [w for run in CJK_RUN.findall(text) for w in segment(run)]
        words += _WORD.findall(CJK.sub(" ", text))
    else:
        words = _WORD.findall(text)
    return any(w in negations for w in words)
