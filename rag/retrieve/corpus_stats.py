"""What the answer layer needs to know about the whole corpus: word IDF and vocabulary."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Corpus:
    idf: Callable[[str], float]  # inverse document frequency of a normalised token; unknown words get the most
    knows: Callable[[str], bool]  # whether the corpus uses the word at all (or, for Chinese, its translation)


def idf_table(document_frequency: Mapping[str, int], documents: int) -> Callable[[str], float]:
    """BM25's IDF, log((N - df + 0.5) / (df + 0.5) + 1); a word the corpus lacks gets the highest."""

    def idf(word: str) -> float:
        df = document_frequency.get(word, 0)
        return math.log((documents - df + 0.5) / (df + 0.5) + 1)

    return idf
