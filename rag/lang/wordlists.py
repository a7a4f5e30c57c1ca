"""Per-language word lists shipped as data: rag/lang/data/<lang>/<name>.txt, one entry a line.

>>> "not" in word_list(Lang.EN, "negations")
True
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rag.lang.text import normalise
from rag.types import Lang

DATA = Path(__file__).with_name("data")


@lru_cache(maxsize=32)
def word_list(lang: Lang, name: str) -> frozenset[str]:
    """The normalised entries of `data/<lang>/<name>.txt`; `#` starts a comment line."""
    lines = (DATA / str(lang) / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(normalise(line.strip()) for line in lines if line.strip() and not line.startswith("#"))
