"""Per-language closed-class word lists, read once from `rag/lang/data/<lang>/`.

Everything a rule needs to know about a language (its question words, stop-words, units,
months, negations) lives in those files, so the code states methods, never vocabularies.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from rag.types import Lang


@dataclass(frozen=True)
class AskedCue:
    """A word sequence that asks for one kind of answer ("how many" -> count)."""

    words: tuple[str, ...]  # "*" matches any one word
    asked: str


@dataclass(frozen=True)
class Lexicon:
    lang: Lang
    stopwords: frozenset[str]
    question_words: frozenset[str]
    asked_cues: tuple[AskedCue, ...]  # longest first
    units: frozenset[str]
    months: tuple[frozenset[str], ...]  # January's names first
    number_words: dict[str, float]
    reason_cues: frozenset[str]
    negations: frozenset[str]
    pronouns: frozenset[str]
    measure_nouns: frozenset[str]

    def month_of(self, word: str) -> int | None:
        """1-12 for a month name or abbreviation, else None."""
        for number, names in enumerate(self.months, start=1):
            if word in names:
                return number
        return None


def data_lines(lang: Lang | str, name: str) -> list[str]:
    """The entries of one data file of `lang` (comments and blank lines dropped)."""
    return _lines(Lang(lang), name)


def _lines(lang: Lang, name: str) -> list[str]:
    text = resources.files("rag.lang").joinpath("data", lang.value, name).read_text(encoding="utf-8")
    return [line.split("#", 1)[0].rstrip() for line in text.splitlines() if line.split("#", 1)[0].strip()]


def _words(lang: Lang, name: str) -> frozenset[str]:
    return frozenset(w for line in _lines(lang, name) for w in line.split())


def _cues(lang: Lang) -> tuple[AskedCue, ...]:
    cues = []
    for line in _lines(lang, "asked_types.tsv"):
        cue, asked = line.split("\t")
        words = tuple(cue.split()) if lang is Lang.EN else (cue,)
        cues.append(AskedCue(words, asked.strip()))
    return tuple(sorted(cues, key=lambda c: -sum(len(w) for w in c.words)))


@cache
def lexicon(lang: Lang | str) -> Lexicon:
    """The word lists of `lang` (English or Chinese), loaded once."""
    lang = Lang(lang)
    numbers = {}
    for line in _lines(lang, "number_words.txt"):
        word, value = line.split("\t")
        numbers[word.strip()] = float(value)
    return Lexicon(
        lang=lang,
        stopwords=_words(lang, "stopwords.txt"),
        question_words=_words(lang, "question_words.txt"),
        asked_cues=_cues(lang),
        units=_words(lang, "units.txt"),
        months=tuple(frozenset(line.split()) for line in _lines(lang, "months.txt")),
        number_words=numbers,
        reason_cues=_words(lang, "reason_cues.txt"),
        negations=_words(lang, "negations.txt"),
        pronouns=_words(lang, "pronouns.txt"),
        measure_nouns=_words(lang, "measure_nouns.txt"),
    )
