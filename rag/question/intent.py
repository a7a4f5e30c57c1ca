"""What kind of paragraph a question asks for (a title, a byline) so retrieval can favour it. Pure.

Contextual headers copy a document's title and byline into every paragraph, which makes the
title or byline paragraph itself no more similar to "who wrote it?" than any other; a small
bonus for the paragraph whose role the question names restores the order.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag.lang.lexicon import data_lines
from rag.lang.text import normalise
from rag.types import Lang


@lru_cache(maxsize=2)
def _role_cues(lang: Lang) -> list[tuple[str, str]]:
    return [tuple(line.split("\t")) for line in data_lines(lang, "role_cues.txt")]


def wanted_roles(question: str) -> frozenset[str]:
    """The roles (byline, title) whose paragraph the question asks about (rag/lang/data/*/role_cues.txt)."""
    text = normalise(question)
    padded = f" {' '.join(re.findall(r'[a-z0-9]+', text))} "
    found = {role for cue, role in _role_cues(Lang.EN) if f" {cue} " in padded}
    found |= {role for cue, role in _role_cues(Lang.ZH) if cue in text}
    return frozenset(found)
