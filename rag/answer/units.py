"""Answer units: what an extractive answer quotes, a sentence together with what it needs. Pure.

  - a lead-in ending in ":" or "：" comes with the list, code block or table it introduces;
  - a list item stands for its whole list when the question asks for a list;
  - a sentence that opens with a pronoun ("It…", "它…") brings the sentence before it.
Each unit names every paragraph it quotes, so each can still be cited on its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rag.lang.lexicon import lexicon
from rag.lang.text import language, split_sentences
from rag.types import Kind, Paragraph, ScoredParagraph

Lookup = Mapping[tuple[str, int], Paragraph]
MAX_MEMBERS = 12
LEAD_IN_END = (":", "：")
_WHOLE = frozenset({Kind.CODE, Kind.TABLE_ROW})


@dataclass(frozen=True)
class Unit:
    """One quotable unit: `sentences[i]` is quoted from `paragraphs[i]`."""

    sentences: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...]
    hit: ScoredParagraph  # the retrieved paragraph the unit comes from
    rank: int  # that paragraph's retrieval rank, from 0
    index: int  # the sentence's position in its paragraph, from 0
    focus: str  # the sentence itself, without the context it brought
    is_list: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    @property
    def paragraph(self) -> Paragraph:
        return self.hit.paragraph


def members(lead: Paragraph, lookup: Lookup) -> list[Paragraph]:
    """The paragraphs a lead-in introduces (its list items, code block or table rows), in order."""
    out = []
    number = lead.number + 1
    while len(out) < MAX_MEMBERS:
        p = lookup.get((lead.source, number))
        if p is None or p.group != lead.number:
            break
        out.append(p)
        number += 1
    return out


def lead_of(p: Paragraph, lookup: Lookup) -> Paragraph | None:
    """The lead-in a list item belongs to, if any."""
    if p.group is None or p.group == p.number:
        return None
    return lookup.get((p.source, p.group))


def headline(text: str) -> str:
    """A list item's first sentence: the item itself, without its elaboration."""
    sentences = split_sentences(text)
    return sentences[0] if sentences else text


def member_text(p: Paragraph) -> str:
    """What a unit quotes of a member: a code block or table row whole, a list item's headline."""
    return p.text if p.kind in _WHOLE else headline(p.text)


def sentences_of(p: Paragraph) -> list[str]:
    """A paragraph's quotable sentences; a code block or table row is one."""
    return [p.text] if p.kind in _WHOLE else (split_sentences(p.text) or [p.text])


def build_units(evidence: Sequence[ScoredParagraph], lookup: Lookup, want_list: bool) -> list[Unit]:
    """Every unit of the evidence paragraphs, best paragraph first."""
    units: list[Unit] = []
    for rank, hit in enumerate(evidence):
        p = hit.paragraph
        sentences = sentences_of(p)
        items = members(p, lookup) if p.group == p.number else []
        lead = lead_of(p, lookup)
        for i, sentence in enumerate(sentences):
            quoted, sources = [sentence], [p]
            if i > 0 and _opens_with_pronoun(sentence):
                quoted, sources = [sentences[i - 1], sentence], [p, p]
            introduces = items and i == len(sentences) - 1 and (sentence.endswith(LEAD_IN_END) or want_list)
            if introduces:
                quoted += [member_text(m) for m in items]
                sources += items
            units.append(Unit(tuple(quoted), tuple(sources), hit, rank, i, sentence, bool(introduces)))
        if lead is not None and (want_list or p.kind in _WHOLE):  # a command comes with the line that says what it does
            run = members(lead, lookup)
            quoted = [sentences_of(lead)[-1]] + [member_text(m) for m in run]
            units.append(Unit(tuple(quoted), (lead, *run), hit, rank, 0, member_text(p), True))
    return units


def _opens_with_pronoun(sentence: str) -> bool:
    words = lexicon(language(sentence)).pronouns
    first = sentence.split(maxsplit=1)[0].lower().strip("\"“(") if sentence.split() else ""
    return first in words or any(sentence.startswith(w) for w in words if not w.isascii())
