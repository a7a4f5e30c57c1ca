"""The answer guard: every LLM sentence must be supported by the paragraphs it cites. Pure.

The same offline judge that scores citations in `rag eval` (rag/judge.py) runs here, so
grounding is a property of each answer, not only of the report. Unsupported sentences are
removed, or with RAG_GUARD=flag kept and listed in `Answer.flagged`. A sentence in another
language than its source states no figure the judge could compare; it is kept and flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rag.answer.citations import MARKER, attach_marker
from rag.config import GuardMode
from rag.guard.judge import UNVERIFIABLE, judge_sentence, strip_markers
from rag.types import Paragraph


@dataclass(frozen=True)
class Guarded:
    sentences: list[str]
    flagged: tuple[int, ...]
    dropped: int


def guard(
    sentences: Sequence[tuple[str, tuple[int, ...]]], sources: Sequence[Paragraph], mode: GuardMode
) -> Guarded:
    """Keep supported sentences; `sentences` are (text, markers into `sources`) pairs.

    A sentence without a marker is checked against every source and, if one supports it,
    gets that source's marker; otherwise it counts as unsupported like any other.
    """
    kept: list[str] = []
    flagged: list[int] = []
    dropped = 0
    for text, markers in sentences:
        valid = [m for m in markers if 1 <= m <= len(sources)]
        if not strip_markers(text):
            continue
        verdict = judge_sentence(text, [sources[m - 1].text for m in valid]) if valid else None
        if verdict is not None and verdict.supported:
            kept.append(text)
            continue
        if verdict is not None and verdict.reason == UNVERIFIABLE:
            # A translation of its source cannot be checked offline: keep it, visibly unverified.
            flagged.append(len(kept))
            kept.append(text)
            continue
        if not valid:
            marker = _supporting_source(text, sources)
            if marker is not None:
                kept.append(attach_marker(MARKER.sub("", text).rstrip(), f"[{marker}]"))
                continue
        if mode is GuardMode.FLAG:
            flagged.append(len(kept))
            kept.append(text)
        else:
            dropped += 1
    return Guarded(kept, tuple(flagged), dropped)


def _supporting_source(text: str, sources: Sequence[Paragraph]) -> int | None:
    for n, source in enumerate(sources, start=1):
        if judge_sentence(text, [source.text]).supported:
            return n
    return None

