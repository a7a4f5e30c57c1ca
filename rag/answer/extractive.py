"""Offline answers: the best source sentences, each with its citation. Pure.

Sentences are scored by the question terms they contain (figures count double) plus the
rank of their paragraph; up to four are kept, more only when the question asks for a list.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.answer.evidence import Lookup, dominant_run, gather
from rag.lang.crosslingual import term_forms
from rag.lang.text import normalise, split_sentences, tokenize
from rag.types import Paragraph, ScoredParagraph

MAX_SENTENCES = 4
_NUMBERISH = re.compile(r"\d")
_QUANTITY_CUE = re.compile(
    r"\b(how (many|much|long|large|big)|what (percentage|share|proportion|number|amount)|by how)\b|多少|幾|几|百分之|比例",
    re.I,
)
_AUTHOR_CUE = re.compile(r"\b(who wrote|written by|author|who is the writer)\b|作者|誰寫|谁写", re.I)
_DATE_CUE = re.compile(r"\b(when was|what date|published (on|in|when)|which day)\b|何時|何时|日期|哪天", re.I)
_PUBLICATION_CUE = re.compile(r"\b(where was|which (newspaper|publication|paper)|published (in|by))\b|刊登|發表|发表", re.I)
_AUTHOR_LINE = re.compile(r"^(author:|作者|by\s|the author is)", re.I)
_DATE_LINE = re.compile(r"\b\d{1,2},\s+\d{4}\b|\d{4}年\d{1,2}月")
_LIST_CUE = re.compile(r"\b(list|which|what are|name the|platforms|measures|enumerate)\b|哪些|哪幾|哪几|列出|有什麼|有什么", re.I)


@dataclass(frozen=True)
class Claim:
    """One answer sentence and the paragraph it quotes."""

    text: str
    paragraph: Paragraph


@dataclass(frozen=True)
class _Scored:
    text: str
    paragraph: Paragraph
    score: float
    terms: frozenset[str]
    rank: int
    boosted: bool = False


def compose(
    question: str,
    hits: Sequence[ScoredParagraph],
    lang: str,
    lookup: Lookup,
    context: str = "",
) -> list[Claim]:
    """Claims answering `question` from `hits` (best first); `context` is an earlier turn."""
    evidence = gather(hits, lang, lookup)
    if not evidence:
        return []
    run = dominant_run(evidence, lookup)
    if run and (_LIST_CUE.search(question) or _run_is_top(run, evidence)):
        return [Claim(_headline(p.text), p) for p in run]
    parts = question_parts(question)
    if len(parts) == 1:
        weights = _term_weights(question, context)
        scored = _score_sentences(evidence, weights, _boost(question), counted_thing(question))
        return _select(scored)
    claims: list[Claim] = []
    for part in parts:
        weights = _term_weights(part, context)
        scored = _score_sentences(evidence, weights, _boost(part), counted_thing(part))
        best = _select(scored, limit=2)
        claims.extend(c for c in best if c not in claims)
    return claims[:MAX_SENTENCES]


_PART_SPLIT = re.compile(
    r"(?<=[?？])\s*(?=\S)|[,，;；]\s*(?:and\s+)?(?=(?:(?:in|on|at|by|for|from|with|to|of)\s+)?(?:what|which|who|how|when|where)\b)",
    re.I,
)
_FOCUS = re.compile(r"\bhow (?:many|much)\s+(?:of\s+the\s+)?([a-z-]+)", re.I)


def question_parts(question: str) -> list[str]:
    """A question asking two things ("…? …?", "…, and which …") as its separate asks."""
    parts = [p.strip() for p in _PART_SPLIT.split(question) if p and len(p.strip()) > 3]
    return parts or [question]


def counted_thing(question: str) -> str | None:
    """The thing a how-many question counts ("representatives"), singular, for figure matching."""
    match = _FOCUS.search(question)
    if not match:
        return None
    word = match.group(1).lower()
    return word[:-1] if word.endswith("s") and len(word) > 4 else word


def _boost(question: str) -> re.Pattern[str] | None:
    """What kind of sentence the question asks for: a figure, a byline or a date."""
    if _AUTHOR_CUE.search(question):
        return _AUTHOR_LINE
    if _DATE_CUE.search(question) or _PUBLICATION_CUE.search(question):
        return _DATE_LINE
    if _QUANTITY_CUE.search(question):
        return _NUMBERISH
    return None


def _headline(text: str) -> str:
    """A list item's first sentence: the item itself, without its elaboration."""
    sentences = split_sentences(text)
    return sentences[0] if sentences else text


def _run_is_top(run: list[Paragraph], evidence: Sequence[ScoredParagraph]) -> bool:
    return evidence[0].paragraph in run[1:]


def _term_weights(question: str, context: str) -> dict[str, float]:
    weights = {t: (2.0 if _NUMBERISH.search(t) else 1.0) for t in tokenize(context)}
    for t in tokenize(question):
        weights[t] = 3.0 if _NUMBERISH.search(t) else 1.5
    return weights


def _counts(sentence: str, focus: str | None) -> bool:
    """Whether a figure stands right before the counted thing: "over 500 representatives"."""
    if focus is None:
        return False
    return bool(re.search(rf"\d[\d,.]*\s*(?:%\s*)?(?:[a-z-]+\s+){{0,3}}{re.escape(focus)}", sentence, re.I))


def _score_sentences(
    evidence: Sequence[ScoredParagraph],
    weights: dict[str, float],
    boost: re.Pattern[str] | None,
    focus: str | None = None,
) -> list[_Scored]:
    total = sum(weights.values()) or 1.0
    top = evidence[0].score or 1.0
    out: list[_Scored] = []
    for rank, sp in enumerate(evidence[:5]):
        prior = max(sp.score, 0.0) / top
        for sentence in split_sentences(sp.paragraph.text):
            words = set(tokenize(sentence))
            terms = frozenset(t for t in weights if t in words or not term_forms(t).isdisjoint(words))
            overlap = math.fsum(weights[t] for t in terms) / total  # exact: a set's order must not break ties
            bonus = 0.5 if boost is not None and boost.search(sentence) else 0.0
            bonus += 0.5 if _counts(sentence, focus) else 0.0
            score = overlap + 0.35 * prior + bonus
            out.append(_Scored(sentence, sp.paragraph, score, terms, rank, bonus > 0))
    out.sort(key=lambda s: (-s.score, s.rank))
    return out


def _select(scored: list[_Scored], limit: int = MAX_SENTENCES) -> list[Claim]:
    if not scored:
        return []
    best = scored[0]
    chosen = [best]
    covered = set(best.terms)
    sources = {best.paragraph.source}
    seen = {normalise(best.text)}
    for s in scored[1:]:
        if len(chosen) == limit:
            break
        if normalise(s.text) in seen or s.score < 0.6 * best.score:
            continue
        new_terms = s.terms - covered
        other_source = s.paragraph.source not in sources and s.score >= 0.8 * best.score
        if new_terms or other_source or (s.boosted and not best.boosted):
            chosen.append(s)
            covered |= s.terms
            sources.add(s.paragraph.source)
            seen.add(normalise(s.text))
    return [Claim(s.text, s.paragraph) for s in chosen]
