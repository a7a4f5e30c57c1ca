"""Example questions for the start page, derived from the index. Pure, but for the check.

Four kinds show what the chat can do, each made from the documents with a template from
data/questions.json: a list (from a list's lead-in, "the following X:"), a follow-up (a count
stated in the documents, then a second count of the same paragraph), a Chinese question (a
count stated in Chinese) and one the documents cannot answer. Candidates come in document
order; `pick_examples` keeps the first of each kind that `works` (e.g. is not refused).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from rag.lang.text import script, split_sentences
from rag.types import Lang, Paragraph, Script
from rag.ui.figures import Figure, figures_in
from rag.ui.resources import read_json

_DATE_UNITS = frozenset("年月日天")  # "25年" counts years: not a thing to ask how many of
MIN_PHRASE_WORDS = 2  # "base stations", not "countries": specific enough to find one paragraph
CANDIDATES = 4  # tried per kind before giving it up


class ExampleKind(StrEnum):
    LIST = "list"
    FOLLOWUP = "followup"
    CHINESE = "chinese"
    UNANSWERABLE = "unanswerable"


@dataclass(frozen=True)
class Example:
    """One example: its kind and the questions it asks, in order (a follow-up asks two)."""

    kind: ExampleKind
    questions: tuple[str, ...]


def template(which: Script | str, key: str, **values: str) -> str:
    """The question template `key` for script `which`, filled in."""
    return _entry(which, key).format(**values)


def _entry(which: Script | str, key: str) -> str:
    return read_json("data/questions.json")[Script(which).value][key]


def candidate_examples(paragraphs: Iterable[Paragraph]) -> dict[ExampleKind, list[Example]]:
    """Up to `CANDIDATES` examples of each kind, in document order."""
    ordered = sorted(paragraphs, key=lambda p: (p.source, p.number))
    found = {
        ExampleKind.LIST: list(_take(_list_questions(ordered))),
        ExampleKind.FOLLOWUP: list(_take(_followups(ordered))),
        ExampleKind.CHINESE: list(_take(_chinese_counts(ordered))),
        ExampleKind.UNANSWERABLE: [Example(ExampleKind.UNANSWERABLE, (template(Script.LATIN, "unanswerable"),))],
    }
    return found


def pick_examples(
    candidates: dict[ExampleKind, list[Example]], works: Callable[[Example], bool] | None = None
) -> tuple[Example, ...]:
    """The first candidate of each kind that `works` (every one, when `works` is None)."""
    picked = []
    for examples in candidates.values():
        chosen = next((e for e in examples if works is None or works(e)), None)
        if chosen is not None:
            picked.append(chosen)
    return tuple(picked)


def _take(examples: Iterator[Example]) -> Iterator[Example]:
    seen: set[tuple[str, ...]] = set()
    for example in examples:
        if example.questions not in seen:
            seen.add(example.questions)
            yield example
        if len(seen) >= CANDIDATES:
            return


def _list_questions(ordered: list[Paragraph]) -> Iterator[Example]:
    for p in ordered:
        if p.group != p.number:
            continue
        which = script(p.text)
        match = re.search(_entry(which, "list_lead_in"), p.text.strip(), re.I)
        if match:
            yield Example(ExampleKind.LIST, (template(which, "list", thing=match.group(1).strip()),))


def _counts(p: Paragraph) -> list[Figure]:
    return [f for s in split_sentences(p.text) for f in figures_in(s) if f.phrase and f.kind.startswith("count")]


def _followups(ordered: list[Paragraph]) -> Iterator[Example]:
    for p in ordered:
        if p.lang is not Lang.EN:
            continue
        counts = _counts(p)
        for first, then in zip(counts, counts[1:], strict=False):
            if len(first.phrase.split()) >= MIN_PHRASE_WORDS and first.modifiers and then.phrase != first.phrase:
                yield Example(ExampleKind.FOLLOWUP, (
                    template(Script.LATIN, "how_many", thing=first.phrase),
                    template(Script.LATIN, "and_how_many", thing=then.phrase),
                ))


def _chinese_counts(ordered: list[Paragraph]) -> Iterator[Example]:
    for p in ordered:
        if p.lang is not Lang.ZH:
            continue
        for f in _counts(p):
            if f.unit and f.modifiers and f.unit not in _DATE_UNITS:
                which = script(p.text)
                yield Example(ExampleKind.CHINESE, (template(which, "how_many", measure=f.unit, thing=f.phrase),))
