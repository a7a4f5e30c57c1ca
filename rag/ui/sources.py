"""What the sources panel shows for each citation of an answer. Pure over our own records.

The panel needs more than a Citation holds (title, section, language twin, the sentences
used), so it is looked up once, when the answer is final, from the retriever's paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rag.types import Answer, Paragraph
from rag.ui.highlight import Segment, claims_by_marker, highlight

Paragraphs = Mapping[tuple[str, int], Paragraph]
_NOT_A_TITLE = re.compile(
    r"[.。!?！？]$|^(author:|作者|the author is|by\s|source:|來源|来源)"
    r"|^(january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\s+\d"
    r"|^\d{4}年\d{1,2}月",
    re.I,
)


@dataclass(frozen=True)
class Twin:
    """The same paragraph in the other language of a bilingual file."""

    number: int
    text: str
    lang: str


@dataclass(frozen=True)
class SourceView:
    """One numbered source: marker `n` in the answer points here."""

    n: int
    source: str
    number: int
    title: str
    section: str
    segments: tuple[Segment, ...]
    lang: str = "en"
    twin: Twin | None = None
    group: int | None = None  # the list (lead-in and items) the paragraph belongs to
    location: str = ""  # where a person finds it in the file ("p. 12", "lines 40–52")

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


def header_parts(header: str) -> list[str]:
    return [part.strip() for part in header.split(" | ") if part.strip()]


def document_title(paragraph: Paragraph) -> str:
    """The first part of the header, unless that is a byline (a file without a title): then ''."""
    parts = header_parts(paragraph.header)
    if not parts or _NOT_A_TITLE.search(parts[0]):
        return ""
    return parts[0]


def section_heading(paragraph: Paragraph) -> str:
    """The last header part when it is a section heading rather than the title or a byline."""
    parts = header_parts(paragraph.header)
    if len(parts) < 2 or _NOT_A_TITLE.search(parts[-1]) or " · " in parts[-1]:
        return ""
    return parts[-1] if parts[-1] != paragraph.text else ""


def source_views(answer: Answer, paragraphs: Paragraphs) -> tuple[SourceView, ...]:
    """A view per citation of `answer`, with the sentences the answer used highlighted."""
    claims = claims_by_marker(answer.answer)
    views = []
    for n, citation in enumerate(answer.citations, start=1):
        paragraph = paragraphs.get((citation.source, citation.paragraph))
        if paragraph is None:  # the index changed under us: show the cited text as it was
            paragraph = Paragraph(citation.source, citation.paragraph, citation.text)
        views.append(
            SourceView(
                n=n,
                source=citation.source,
                number=citation.paragraph,
                title=document_title(paragraph),
                section=section_heading(paragraph),
                segments=tuple(highlight(citation.text, claims.get(n, []))),
                lang=paragraph.lang,
                twin=_twin(paragraph, paragraphs),
                group=paragraph.group,
                location=citation.location,
            )
        )
    return tuple(views)


def _twin(paragraph: Paragraph, paragraphs: Paragraphs) -> Twin | None:
    if paragraph.twin is None:
        return None
    other = paragraphs.get((paragraph.source, paragraph.twin))
    return None if other is None else Twin(other.number, other.text, other.lang)


def citation_records(views: tuple[SourceView, ...]) -> list[dict]:
    """The citations as JSON-ready dicts, for the `/ask` API: marker [n] is record n."""
    return [
        {
            "n": v.n,
            "source": v.source,
            "paragraph": v.number,
            "title": v.title,
            "text": v.text,
            "highlighted": [s.text for s in v.segments if s.used],
        }
        for v in views
    ]


def answer_markdown(answer: Answer, views: tuple[SourceView, ...]) -> str:
    """The answer as Markdown: text with [n] markers, any warning, then the numbered sources."""
    lines = [answer.answer]
    if answer.warning:
        lines += ["", f"> ⚠ {answer.warning}"]
    if views:
        lines += ["", *(f"- [{v.n}] {v.title or v.source} — {v.source} ¶{v.number}" for v in views)]
    return "\n".join(lines)
