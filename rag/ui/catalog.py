"""What the indexed documents are, for the start page and the follow-up suggestions. Pure.

Built once from `rag.qa.index_info()` and `rag.qa.paragraphs()`: each document's title (its
title paragraph in each language, else its first paragraph, shortened), its section headings
(heading paragraphs, and in a bilingual file the paragraphs whose twin is one), and the
languages it is written in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rag.types import Kind, Lang, Paragraph, Role
from rag.ui.resources import read_json

TITLE_CHARS = 90  # a title longer than this (a first paragraph standing in) is cut
Paragraphs = Mapping[tuple[str, int], Paragraph]


@dataclass(frozen=True)
class Heading:
    """A section heading: its paragraph number, its words without numbering, its language."""

    number: int
    text: str
    lang: Lang


@dataclass(frozen=True)
class DocumentEntry:
    source: str
    titles: tuple[tuple[Lang, str], ...]
    headings: tuple[Heading, ...]
    paragraphs: int

    @property
    def languages(self) -> tuple[Lang, ...]:
        return tuple(dict.fromkeys(lang for lang, _ in self.titles))

    def title(self, lang: Lang | None = None) -> str:
        """The title in `lang` when the document has one, else its first."""
        return next((text for written, text in self.titles if written == lang), self.titles[0][1])

    def topics(self, lang: Lang | None = None) -> tuple[str, ...]:
        """Section headings in `lang`, else in the document's first language."""
        lang = lang if lang in self.languages else self.languages[0]
        return tuple(h.text for h in self.headings if h.lang == lang)


@dataclass(frozen=True)
class Catalog:
    documents: tuple[DocumentEntry, ...]
    paragraphs: int

    def document(self, source: str) -> DocumentEntry | None:
        return next((d for d in self.documents if d.source == source), None)

    @property
    def languages(self) -> tuple[Lang, ...]:
        return tuple(dict.fromkeys(lang for d in self.documents for lang in d.languages))


def build_catalog(documents: Sequence[str], paragraphs: Paragraphs) -> Catalog:
    """One entry per document of the index, in the index's order."""
    by_source: dict[str, list[Paragraph]] = {source: [] for source in documents}
    for (source, _), paragraph in sorted(paragraphs.items()):
        by_source.setdefault(source, []).append(paragraph)
    entries = tuple(_entry(source, found, paragraphs) for source, found in by_source.items() if found)
    return Catalog(entries, sum(len(found) for found in by_source.values()))


def _entry(source: str, found: list[Paragraph], paragraphs: Paragraphs) -> DocumentEntry:
    titles: dict[Lang, str] = {}
    for p in found:
        if p.role is Role.TITLE:
            titles.setdefault(p.lang, _shorten(p.text))
    if not titles:
        titles[found[0].lang] = _shorten(found[0].text)
    return DocumentEntry(source, tuple(titles.items()), _headings(found, paragraphs), len(found))


def _headings(found: list[Paragraph], paragraphs: Paragraphs) -> tuple[Heading, ...]:
    heads = []
    for p in found:
        twin = paragraphs.get((p.source, p.twin)) if p.twin is not None else None
        titled = p.role is Role.TITLE or (twin is not None and twin.role is Role.TITLE)
        if not titled and (_is_heading(p) or (twin is not None and _is_heading(twin))):
            text = clean_heading(p.text)
            if text:
                heads.append(Heading(p.number, text, p.lang))
    return tuple(heads)


def _is_heading(paragraph: Paragraph) -> bool:
    return paragraph.role is Role.HEADING or paragraph.kind is Kind.HEADING


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    data = read_json("data/questions.json")
    return re.compile(data["enumerator"]), re.compile(data["subtitle_mark"])


def clean_heading(text: str) -> str:
    """A heading without its numbering ("1.", "一、", "(2)") and, when long, its subtitle.

    >>> clean_heading("1. High-End Manufacturing: From Follower to Global Leader")
    'High-End Manufacturing'
    """
    enumerator, subtitle = _patterns()
    text = enumerator.sub("", text.strip()).strip()
    head = subtitle.split(text, maxsplit=1)[0].strip()
    return head if len(head) >= 2 else text


def _shorten(text: str) -> str:
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1].rstrip() + "…"
