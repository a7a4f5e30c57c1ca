"""Language, script normalisation, tokenising and sentence splitting: pure functions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from rag.lang.lexicon import lexicon
from rag.types import Lang, Script

# Memo size for the pure functions below: a few answers' worth of evidence, and a small corpus.
CACHE_SIZE = 8_192

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CJK_RUN = re.compile(r"([\u3400-\u9fff]+)")
_LATIN = re.compile(r"[A-Za-z]")
_INVISIBLE = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*%?|[a-z]+(?:'[a-z]+)?")
_ZH_SENTENCE_END = re.compile(r"(?<=[。！？!?；])")
_EN_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z]\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bNo\.)(?<!\bvs\.)(?<!\bSt\.)(?<!\be\.g\.)(?<!\bi\.e\.)"
    r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])"
)
EN_STOPWORDS = lexicon(Lang.EN).stopwords | lexicon(Lang.EN).question_words  # words that carry no content


def clean_question(text: str) -> str:
    """Drop control and zero-width characters, collapse whitespace."""
    text = _INVISIBLE.sub("", text.replace("\t", " ").replace("\n", " ").replace("\r", " "))
    return re.sub(r"\s+", " ", text).strip()


def cjk_share(text: str) -> float:
    cjk = len(CJK.findall(text))
    latin = len(_LATIN.findall(text))
    return cjk / (cjk + latin / 4) if cjk + latin else 0.0


def language(text: str) -> Lang:
    """Chinese when Chinese characters carry the text, else English."""
    return Lang.ZH if cjk_share(text) >= 0.3 else Lang.EN


@lru_cache(maxsize=4)
def _converter(config: str):  # noqa: ANN202 - opencc has no stubs
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text) if CJK.search(text) else text


def script(text: str) -> Script:
    """Which script a question is written in."""
    if language(text) is not Lang.ZH:
        return Script.LATIN
    return Script.HANS if to_simplified(text) == text and to_traditional(text) != text else Script.HANT


def to_traditional(text: str) -> str:
    return _converter("s2hk").convert(text) if CJK.search(text) else text


@lru_cache(maxsize=CACHE_SIZE)
def normalise(text: str) -> str:
    """Fold width, case and script so matching ignores them (never for display)."""
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()


_cache_folder: list[Path] = []  # where jieba keeps its dictionary cache; set by configure_cache


def configure_cache(folder: Path) -> None:
    """Keep jieba's 9 MB dictionary cache, and the parsed CC-CEDICT, in `folder` (under RAG_HOME),
    not the system temp folder.

    Called where a pipeline or an index build starts; the first folder given wins, because the
    dictionary is loaded once per process.
    """
    if not _cache_folder:
        _cache_folder.append(Path(folder))


def cache_folder() -> Path | None:
    """The folder `configure_cache` named, if any: where this process's language caches go."""
    return _cache_folder[0] if _cache_folder else None


@lru_cache(maxsize=1)
def _jieba():  # noqa: ANN202
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    if _cache_folder:
        _cache_folder[0].mkdir(parents=True, exist_ok=True)
        jieba.dt.tmp_dir = str(_cache_folder[0])
    jieba.initialize()
    return jieba


def posseg():  # noqa: ANN201 - jieba has no stubs
    """jieba.posseg over the tokenizer `_jieba()` initialised (its dictionary and cache folder)."""
    _jieba()
    import jieba.posseg

    return jieba.posseg


ZH_STOPWORDS = lexicon(Lang.ZH).stopwords | lexicon(Lang.ZH).question_words


@lru_cache(maxsize=1)
def _english_stemmer():  # noqa: ANN202 - PyStemmer has no stubs
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=CACHE_SIZE)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of an English word, as BM25 and every overlap see it:
    released, releases -> releas; companies -> compani. Figures and Chinese are left alone.
    Not idempotent (stem("releas") is "relea"): stem surface words, never stems."""
    return _english_stemmer().stemWord(word) if word.isascii() and word.isalpha() else word


def tokenize(text: str) -> list[str]:
    """Normalised tokens for BM25 and term overlap: jieba for Chinese, stemmed words for the rest
    (stop-words are dropped before stemming, by their surface form)."""
    return list(_stemmed_tokens(text))


def surface_tokens(text: str) -> list[str]:
    """The same tokens unstemmed, for rules about a document's layout (does a heading name its
    section?), where "contents" and "content" are different words."""
    return list(_tokens(text))


@lru_cache(maxsize=CACHE_SIZE)
def _stemmed_tokens(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in _tokens(text))


@lru_cache(maxsize=CACHE_SIZE)
def _tokens(text: str) -> tuple[str, ...]:
    # Memoised: every answer re-reads the same evidence paragraphs and their sentences.
    tokens: list[str] = []
    for chunk in CJK_RUN.split(normalise(text)):
        if not chunk:
            continue
        if CJK.match(chunk):
            tokens.extend(w for w in segment(chunk) if w not in ZH_STOPWORDS)
        else:
            tokens.extend(w for w in _WORD.findall(chunk) if w not in EN_STOPWORDS)
    return tuple(tokens)


_KNOWN_SEGMENTS: dict[str, tuple[str, ...]] = {}


def segment(run: str) -> tuple[str, ...]:
    """jieba's words for one run of Chinese characters; a known run needs no dictionary load."""
    known = _KNOWN_SEGMENTS.get(run)
    return known if known is not None else _segment_new(run)


@lru_cache(maxsize=CACHE_SIZE)
def _segment_new(run: str) -> tuple[str, ...]:
    return tuple(_jieba().lcut(run))


def segmentation(texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Every Chinese run of `texts` (normalised) with its words: saved beside an index."""
    return {run: segment(run) for text in texts for run in CJK_RUN.findall(normalise(text))}


def remember_segmentation(known: Mapping[str, Sequence[str]]) -> None:
    """Take runs segmented earlier (e.g. the corpus's), so answering over them skips jieba's
    dictionary (about a second to load)."""
    _KNOWN_SEGMENTS.update((run, tuple(words)) for run, words in known.items())


def split_sentences(text: str) -> list[str]:
    """Sentences of one paragraph, each keeping its closing punctuation."""
    return list(_sentences(text))


@lru_cache(maxsize=CACHE_SIZE)
def _sentences(text: str) -> tuple[str, ...]:
    parts = _ZH_SENTENCE_END.split(text) if language(text) == "zh" else _EN_SENTENCE_END.split(text)
    return tuple(p.strip() for p in parts if p and p.strip())
