"""BM25 over jieba-segmented, script-normalised text (bm25s), saved on disk beside Chroma.

The jieba segmentation of the corpus's Chinese is saved with it, so a process that answers
over the corpus needs no jieba dictionary (about a second to load) unless a question brings
Chinese it has not seen.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rag.lang.crosslingual import english_glosses
from rag.lang.text import CJK, normalise, remember_segmentation, segmentation, stem, tokenize

if TYPE_CHECKING:
    import numpy as np

SEGMENTS = "segments.json"


def saved_segmentation(folder: Path) -> dict:
    """The Chinese runs and their words saved beside the BM25 index in `folder`; indexes built
    before the segmentation was saved simply go without it."""
    path = folder / SEGMENTS
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


class KeywordIndex:
    """BM25 scores for every paragraph of a snapshot, in snapshot order."""

    def __init__(self, retriever: object, segments: Mapping[str, Sequence[str]] | None = None) -> None:
        self._bm25 = retriever
        self._segments = dict(segments or {})

    @classmethod
    def build(cls, texts: Sequence[str]) -> KeywordIndex:
        import bm25s

        retriever = bm25s.BM25()
        corpus = [tokenize(t) or ["\u2205"] for t in texts]
        retriever.index(corpus, show_progress=False)
        return cls(retriever, segmentation(texts))

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder), show_progress=False)
        with (folder / SEGMENTS).open("w", encoding="utf-8") as fh:
            json.dump(self._segments, fh, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        import bm25s

        segments = saved_segmentation(folder)
        remember_segmentation(segments)
        return cls(bm25s.BM25.load(str(folder), show_progress=False, mmap=False), segments)

    @property
    def vocabulary(self) -> Mapping[str, int]:
        """Every token the corpus has (normalised, as `tokenize` gives them)."""
        return self._bm25.vocab_dict

    def scores(self, query: str) -> np.ndarray:
        """BM25 of every paragraph for `query`; a Chinese query also scores its words' English
        glosses (rag.lang.crosslingual), so it finds English paragraphs too."""

        total = self._term_scores(tuple(tokenize(query)))
        text = normalise(query)
        if CJK.search(text):
            for glosses in english_glosses(text):
                total = total + self._best_gloss_scores(glosses)
        return total

    def _term_scores(self, terms: tuple[str, ...]) -> np.ndarray:
        import numpy as np

        known = [t for t in terms if t in self._bm25.vocab_dict]
        if not known:
            return np.zeros(self._bm25.scores["num_docs"], dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def _best_gloss_scores(self, glosses: Sequence[Sequence[str]]) -> np.ndarray:
        """Per paragraph, the best score of any one gloss: a word counts once however many
        glosses it has (each gloss scored as a phrase, its words in their corpus form)."""
        import numpy as np

        best = np.zeros(self._bm25.scores["num_docs"], dtype=np.float32)
        for gloss in glosses:
            terms = tuple(t for t in (self._corpus_form(w) for w in gloss) if t is not None)
            if terms:
                best = np.maximum(best, self._term_scores(terms))
        return best

    def _corpus_form(self, word: str) -> str | None:
        """A gloss word as the index holds it (its stem), or None when the corpus lacks it."""
        form = stem(word)
        return form if form in self._bm25.vocab_dict else None
