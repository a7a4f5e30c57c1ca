"""Chooses which paragraphs an answer may draw on: language twins and list runs pulled in. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rag.types import Paragraph, ScoredParagraph

Lookup = Mapping[tuple[str, int], Paragraph]


def in_language(sp: ScoredParagraph, lang: str, lookup: Lookup) -> ScoredParagraph:
    """The same paragraph in the question's language when the document has both versions."""
    p = sp.paragraph
    if p.lang != lang and p.twin:
        twin = lookup.get((p.source, p.twin))
        if twin is not None:
            return ScoredParagraph(twin, sp.score, sp.dense, sp.sparse)
    return sp


def list_run(p: Paragraph, lookup: Lookup) -> list[Paragraph]:
    """The whole run (intro line and items) a list item belongs to, in document order."""
    if not p.group:
        return []
    run = [q for (src, _), q in lookup.items() if src == p.source and q.group == p.group]
    return sorted(run, key=lambda q: q.number)


def gather(hits: Sequence[ScoredParagraph], lang: str, lookup: Lookup) -> list[ScoredParagraph]:
    """Hits in the question's language, each paragraph once, best first."""
    seen: set[tuple[str, int]] = set()
    out: list[ScoredParagraph] = []
    for sp in hits:
        sp = in_language(sp, lang, lookup)
        key = (sp.paragraph.source, sp.paragraph.number)
        if key not in seen:
            seen.add(key)
            out.append(sp)
    return out


def dominant_run(hits: Sequence[ScoredParagraph], lookup: Lookup) -> list[Paragraph]:
    """A list run that two or more of the top hits fall in: the answer should be the list."""
    counts: dict[tuple[str, int], int] = {}
    for sp in hits[:5]:
        p = sp.paragraph
        if p.group:
            counts[(p.source, p.group)] = counts.get((p.source, p.group), 0) + 1
    for (source, group), n in counts.items():
        if n >= 2:
            return list_run(lookup[(source, group)], lookup) if (source, group) in lookup else []
    return []
