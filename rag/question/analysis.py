"""One analysis of what a question asks, shared by retrieval, the answer writers and the guard. Pure.

Only closed-class language data is used (rag/lang/data): the question words and the cues
that say which kind of answer is wanted ("how many" -> a count), stop-words, units. The
asked thing is the head noun the cue governs ("how many *satellites*", "X's *budget*");
for Chinese, jieba's part-of-speech tags find it. No entity list, no capitalisation rule.

>>> analyse("How many members does the bank have?").asked_thing
'member'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache

from rag.lang.lexicon import Lexicon, lexicon
from rag.lang.text import CJK, language, normalise, posseg, script, tokenize
from rag.types import Lang, Script


class Asked(StrEnum):
    """The kind of answer a question wants."""

    COUNT = "count"
    QUANTITY = "quantity"
    DATE = "date"
    PERSON = "person"
    PLACE = "place"
    REASON = "reason"
    COMMAND = "command"
    METHOD = "method"
    LIST = "list"
    ENTITY = "entity"
    DEFINITION = "definition"
    YESNO = "yesno"
    OTHER = "other"


# When several cues match, the most specific kind wins ("what is the number of…" asks a count).
PRIORITY = (
    Asked.COUNT, Asked.QUANTITY, Asked.DATE, Asked.PERSON, Asked.PLACE, Asked.COMMAND, Asked.REASON,
    Asked.METHOD, Asked.LIST, Asked.ENTITY, Asked.DEFINITION, Asked.YESNO,
)
# Kinds whose cue governs a noun: the asked thing ("how many *members*", "which *platforms*").
_THING_KINDS = frozenset({Asked.COUNT, Asked.QUANTITY, Asked.LIST, Asked.ENTITY, Asked.DEFINITION})
# Kinds whose answer is a value that must stand next to the asked thing.
VALUE_KINDS = frozenset({Asked.COUNT, Asked.QUANTITY, Asked.DATE, Asked.PERSON, Asked.PLACE})
# Cues of these kinds only count at the start of a question part ("Is there…", "Which…").
_OPENING_KINDS = frozenset({Asked.YESNO})

_EN_WORD = re.compile(r"[a-z0-9][a-z0-9'+-]*")
_PART_SPLIT = re.compile(
    r"(?<=[?？])\s*(?=\S)|[,，;；]\s*(?:and\s+)?(?=(?:(?:in|on|at|by|for|from|with|to|of)\s+)?"
    r"(?:what|which|who|how|when|where|why)\b)|(?<=[?？。])",
    re.I,
)
_POSSESSIVE = re.compile(r"['’]s\b")
_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)*")


@dataclass(frozen=True)
class QuestionAnalysis:
    """What a question asks for, computed once."""

    text: str
    lang: Lang
    script: Script
    asked: Asked
    asked_thing: str | None  # head noun of what is asked for, singular and normalised
    content_words: tuple[str, ...]  # normalised tokens that carry the question's content
    parts: tuple[str, ...]  # the separate asks of a two-part question ("…? …?")
    figures: tuple[str, ...] = ()  # numbers the question itself states (a year, a version, a count)

    @property
    def wants_value(self) -> bool:
        return self.asked in VALUE_KINDS


def analyse(question: str) -> QuestionAnalysis:
    """The analysis of `question` (English or Chinese)."""
    return _analyse(question)


@lru_cache(maxsize=2048)
def _analyse(question: str) -> QuestionAnalysis:
    lang = language(question)
    words = lexicon(lang)
    norm = normalise(question)
    asked, cue, after, before = _asked(norm, words)
    if asked not in _THING_KINDS:
        thing = None
    else:
        thing = _thing_en(after, norm, asked, words) if lang is Lang.EN else _thing_zh(after, before, words)
        if asked is Asked.ENTITY and lang is Lang.EN and _plural_head(after, thing):
            asked = Asked.LIST  # "which platforms…": a plural asked thing asks for all of them
        if asked in (Asked.DEFINITION, Asked.ENTITY, Asked.COUNT) and thing in words.measure_nouns:
            asked = Asked.QUANTITY  # "what is the length of…" asks for a figure
    skip = words.question_words | set(tokenize(cue))
    content = tuple(dict.fromkeys(t for t in tokenize(question) if t not in skip))
    figures = tuple(dict.fromkeys(m.group(0).replace(",", "") for m in _FIGURE.finditer(norm)))
    return QuestionAnalysis(
        question, lang, script(question), asked, thing, content, tuple(question_parts(question)), figures
    )


def question_parts(question: str) -> list[str]:
    """A question asking two things ("…? …?", "…, and which …") as its separate asks."""
    parts = [p.strip() for p in _PART_SPLIT.split(question) if p and len(p.strip()) > 3]
    return parts or [question]


def _asked(norm: str, words: Lexicon) -> tuple[Asked, str, str, str]:
    """(kind asked, the cue, text after it, text before it): the most specific kind wins, then the earliest cue."""
    tokens = _EN_WORD.findall(norm) if words.lang is Lang.EN else []
    best: tuple[int, int, Asked, str, str, str] | None = None
    for cue in words.asked_cues:
        kind = Asked(cue.asked)
        if words.lang is Lang.EN:
            at = _find_words(tokens, cue.words, opening=kind in _OPENING_KINDS)
            if at is None:
                continue
            after, before = " ".join(tokens[at + len(cue.words):]), " ".join(tokens[:at])
        else:
            at = norm.find(cue.words[0])
            if at < 0:
                continue
            after, before = norm[at + len(cue.words[0]):], norm[:at]
        rank = (PRIORITY.index(kind), at)
        if best is None or rank < best[:2]:
            best = (*rank, kind, " ".join(cue.words), after, before)
    if best is None:
        return Asked.OTHER, "", norm, ""
    return best[2], best[3], best[4], best[5]


def _find_words(tokens: list[str], cue: tuple[str, ...], opening: bool) -> int | None:
    last = 1 if opening else len(tokens) - len(cue) + 1
    for i in range(max(0, last)):
        if all(c == "*" or tokens[i + j] == c for j, c in enumerate(cue) if i + j < len(tokens)) and i + len(
            cue
        ) <= len(tokens):
            return i
    return None


def singular(word: str) -> str:
    """English singular by the regular rules (cities -> city, boxes -> box, members -> member)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _thing_en(after: str, norm: str, asked: Asked, words: Lexicon) -> str | None:
    """The head noun the cue governs: the last word of the noun phrase right after it."""
    if asked in _THING_KINDS:
        text = _POSSESSIVE.split(after)[-1] if asked is Asked.DEFINITION else after
        phrase = []
        for word in text.split():
            if word in ("of", "the", "a", "an") and not phrase:
                continue
            if word in words.stopwords or word in words.question_words or (phrase and word.endswith("ed")):
                break  # the noun phrase ends at a function word or a past-tense verb ("visitors *attended*")
            phrase.append(word)
            if asked is Asked.COUNT and singular(word) != word:
                break  # "how many" counts a plural noun: the phrase ends there ("developers *live* in…")
        if phrase:
            return singular(phrase[-1])
    return None


def _plural_head(after: str, thing: str | None) -> bool:
    """Whether the asked thing is written in the plural right after the cue ("which *platforms*"),
    not as a verb taking an object ("which package *provides* it")."""
    words = after.split()
    objects = lexicon(Lang.EN).pronouns
    return bool(thing) and any(
        w != thing and singular(w) == thing and (i + 1 >= len(words) or words[i + 1] not in objects)
        for i, w in enumerate(words[:4])
    )


def _thing_zh(after: str, before: str, words: Lexicon) -> str | None:
    """The head (last noun) of the noun run right after the cue (多少离岸人民币*结算*), else the
    last noun before it (大桥的*长度*是多少)."""
    def is_noun(word: str, flag: str) -> bool:
        return (flag.startswith(("n", "vn")) and word not in words.question_words and word not in words.units
                and bool(CJK.search(word)))

    run: list[str] = []
    for word, flag in _pos(after):
        if is_noun(word, flag):
            run.append(word)
        elif run or (flag.startswith(("v", "p")) and word not in words.units) or len(word) > 1:
            break  # only a measure word may stand between the cue and its noun (多少*个*城市)
    if run:
        return normalise(run[-1])
    nouns = [w for w, flag in _pos(before) if is_noun(w, flag)]
    return normalise(nouns[-1]) if nouns else None


@lru_cache(maxsize=2048)
def _pos(text: str) -> tuple[tuple[str, str], ...]:
    if not CJK.search(text):
        return ()
    return tuple((p.word, p.flag) for p in posseg().lcut(text))


def analyse_turn(question: str, context: str = "") -> QuestionAnalysis:
    """The analysis of a question in a conversation: what it asks comes from the question
    itself; its content words also take those of the earlier turn it follows up (`context`)."""
    q = analyse(question)
    if not context:
        return q
    skip = lexicon(q.lang).question_words | lexicon(language(context)).question_words
    extra = tuple(t for t in tokenize(context) if t not in skip and t not in q.content_words)
    return replace(q, content_words=q.content_words + extra)
