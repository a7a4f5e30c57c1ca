"""The offline support judge: do these paragraphs state what this sentence claims? Pure.

It serves twice: `rag eval` scores citations with it (ALCE citation recall and precision,
Gao et al. 2023), and in LLM mode `ask()` can use it to guard an answer. So it is deterministic,
fast, needs no model, and errs towards "not supported" when it cannot tell.

A sentence is supported when
  1. every figure it states occurs in the paragraphs, compared as values: 45,000 = 4.5萬,
     5.25 million = 525萬, eleven-fold = 11倍;
  2. every name it states occurs there: capitalised Latin words and acronyms, Chinese proper
     nouns as jieba tags them (or an abbreviation of a phrase there, 進博會 for 進口博覽會);
  3. enough of its wording is there: English word prefixes, Chinese character bigrams.
Matching ignores case, width and Traditional/Simplified script (`rag.lang.text.normalise`).

Across languages (an English sentence, only Chinese paragraphs, or the reverse) names and wording
cannot be compared offline, so only figures are: such a sentence is supported when it states at
least one figure and every figure matches, with a lower score. That misses figure-free
translations and accepts a mistranslated claim that keeps its figures; the LLM judge does not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rag.answer.citations import strip_markers
from rag.guard.attribution import misattached_figure, reversed_polarity
from rag.guard.figures import EN_NUMBER_WORDS, ZH_NUMERAL, figures, zh_numeral
from rag.lang.text import CJK, EN_STOPWORDS, language, normalise, posseg

__all__ = [
    "Verdict", "chinese_names", "figures", "is_abbreviation", "judge_sentence", "latin_names",
    "missing_figure", "missing_name", "overlap", "strip_markers", "supports", "zh_numeral",
]

MIN_OVERLAP = 0.5
CROSSLINGUAL_SCORE = 0.6
# The reason given when nothing can be checked: a guard may treat it as "unknown", not "wrong".
UNVERIFIABLE = "other language and no figure to compare"

_LATIN_NAME = re.compile(r"[A-Z][A-Za-z0-9&]*(?:[-'][A-Za-z0-9]+)*")
_NAME_TAGS = ("nr", "ns", "nt", "nz", "j")
# Capitalised only because they open a sentence; a real name there ("Shenzhen has ...") is checked.
_OPENERS = frozenset(
    "however meanwhile moreover furthermore additionally also today currently overall together "
    "since after before during while although though because once first second third last next "
    "finally both yes in on at by for from with under over as".split()
)
_EN_WORD = re.compile(r"[a-z][a-z0-9']*|\d+(?:\.\d+)?%?")


@dataclass(frozen=True)
class Verdict:
    """`supported` is the decision; `score` in [0, 1] how much of the sentence was found."""

    supported: bool
    score: float
    reason: str


def judge_sentence(sentence: str, paragraphs: Sequence[str]) -> Verdict:
    """Whether `paragraphs` together state everything `sentence` claims.

    Args:
        sentence: one answer sentence; citation markers like [1] are ignored.
        paragraphs: the texts it cites (one or more).

    Returns:
        A Verdict; `reason` names the first missing figure or name, or the overlap.

    >>> judge_sentence("Hong Kong handles over 75% of offshore RMB settlement [1].",
    ...                ["Hong Kong handles over 75% of global offshore RMB settlement."]).supported
    True
    >>> judge_sentence("Hong Kong handles 57% of offshore RMB settlement.",
    ...                ["Hong Kong handles over 75% of global offshore RMB settlement."]).reason
    'figure 57 is not in the paragraphs'
    """
    claim = strip_markers(sentence)
    if not claim or not any(p.strip() for p in paragraphs):
        return Verdict(False, 0.0, "nothing to judge")
    missing = missing_figure(claim, _passage("\n".join(_normalised(p) for p in paragraphs)))
    if missing:
        return Verdict(False, 0.0, f"figure {missing} is not in the paragraphs")
    lang = language(claim)
    same = [p for p in paragraphs if _language(p) == lang]
    if not same:
        if not figures(normalise(claim)):
            return Verdict(False, 0.0, UNVERIFIABLE)
        return Verdict(True, CROSSLINGUAL_SCORE, "other language; all figures match")
    passage = _passage("\n".join(_normalised(p) for p in same))
    name = missing_name(claim, passage)
    if name:
        return Verdict(False, 0.0, f"name {name!r} is not in the paragraphs")
    score = overlap(claim, passage)
    if score < MIN_OVERLAP:
        return Verdict(False, score, f"only {score:.0%} of the wording is in the paragraphs")
    texts, text = [_normalised(p) for p in same], normalise(claim)
    attached = misattached_figure(text, texts)
    if attached is not None:
        return Verdict(False, score, f"figure {attached[0]:g} is about other things in the paragraphs than in {attached[1]!r}")
    flipped = reversed_polarity(text, texts)
    if flipped is not None:
        return Verdict(False, score, f"the paragraphs state {flipped!r} with the opposite polarity")
    return Verdict(True, score, f"figures, names, attachment and polarity match; {score:.0%} of the wording")


def supports(sentence: str, paragraphs: Sequence[str]) -> bool:
    """Shorthand for `judge_sentence(sentence, paragraphs).supported`."""
    return judge_sentence(sentence, paragraphs).supported


@dataclass(frozen=True)
class Passage:
    """What the judge looks up in the cited paragraphs, computed once per passage."""

    text: str
    figures: frozenset[float]
    words: frozenset[str]
    prefixes: frozenset[str]
    bigrams: frozenset[str]


@lru_cache(maxsize=2048)
def _passage(text: str) -> Passage:
    """`text` is normalised. Its figures are read generously: every Chinese numeral run and its
    parts count (十四五 -> 14 and 5), since only the sentence's figures must be matched."""
    values = figures(text)
    for run in ZH_NUMERAL.findall(text):
        for i in range(len(run)):
            for j in range(i + 1, min(len(run), i + 4) + 1):
                value = zh_numeral(run[i:j])
                if value is not None:
                    values.update({value, value * 10})
    words = set(re.findall(r"[a-z0-9]+", text))
    cjk_pairs = {text[i : i + 2] for i in range(len(text) - 1)}
    return Passage(
        text=text,
        figures=frozenset(values),
        words=frozenset(words),
        prefixes=frozenset(w[:5] for w in _EN_WORD.findall(text)),
        bigrams=frozenset(p for p in cjk_pairs if CJK.match(p[0]) and CJK.match(p[1])),
    )


def missing_figure(claim: str, passage: Passage) -> str | None:
    """The first figure of `claim` absent from the passage, printed; None if all occur."""
    for value in sorted(figures(normalise(claim))):
        if not any(abs(value - k) <= 1e-9 * max(1.0, abs(k)) for k in passage.figures):
            return f"{value:g}"
    return None


def missing_name(claim: str, passage: Passage) -> str | None:
    """The first name in `claim` that the passage (same language) does not contain."""
    for name in latin_names(claim):
        norm = normalise(name)
        parts = [p for p in re.split(r"[-'&]", norm) if p]
        if norm not in passage.text and not all(p in passage.words for p in parts):
            return name
    if language(claim) == "zh":
        for name in chinese_names(normalise(claim)):
            if name not in passage.text and not is_abbreviation(name, passage.text):
                return name
    return None


def latin_names(claim: str) -> list[str]:
    """Capitalised words and acronyms, minus sentence-initial function words."""
    names = []
    for match in _LATIN_NAME.finditer(claim):
        word = re.sub(r"['’]s$", "", match.group())
        lower = word.lower()
        opener = match.start() == 0 or claim[: match.start()].rstrip().endswith((":", '"', "“"))
        if lower in EN_STOPWORDS or lower in EN_NUMBER_WORDS or lower == "one":
            continue
        if opener and (lower in _OPENERS or lower.endswith("ly")):
            continue
        names.append(word)
    return names


def chinese_names(claim: str) -> list[str]:
    """Proper nouns (people, places, organisations, brands) of a normalised Chinese sentence."""
    return [
        word
        for word, flag in _posseg(claim)
        if flag.startswith(_NAME_TAGS) and len(word) >= 2 and CJK.search(word)
    ]


def is_abbreviation(name: str, passage: str) -> bool:
    """True when `name`'s characters occur in order, close together, in `passage` (进博会)."""
    first = name[0]
    start = passage.find(first)
    while start >= 0:
        pos, ok = start, True
        for char in name[1:]:
            pos = passage.find(char, pos + 1, start + 4 * len(name))
            if pos < 0:
                ok = False
                break
        if ok:
            return True
        start = passage.find(first, start + 1)
    return False


def overlap(claim: str, passage: Passage) -> float:
    """Share of the claim's wording found in the passage: CJK characters covered by shared
    bigrams, and English content words matched on a five-letter prefix."""
    text = normalise(claim)
    covered: set[int] = set()
    for i in range(len(text) - 1):
        if text[i : i + 2] in passage.bigrams:
            covered.update((i, i + 1))
    cjk = len(CJK.findall(text))
    words = [w for w in _EN_WORD.findall(CJK.sub(" ", text)) if w not in EN_STOPWORDS]
    found = sum(1 for w in words if w[:5] in passage.prefixes)
    total = cjk + len(words)
    return (len(covered) + found) / total if total else 0.0


@lru_cache(maxsize=2048)
def _normalised(text: str) -> str:
    return normalise(text)


@lru_cache(maxsize=2048)
def _language(text: str) -> str:
    return language(text)


@lru_cache(maxsize=4096)
def _posseg(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((p.word, p.flag) for p in posseg().lcut(text))
