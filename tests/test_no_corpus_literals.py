"""No corpus in the code: a word in a rule of rag/ must be language data, not a corpus's vocabulary.

A "rule" is a string that decides behaviour: a regular expression, or a list/set of short
strings (a word list). The test collects the words of every such literal under rag/ and fails
when one occurs in a corpus under eval/ (the seeds and eval/corpora/) but in none of the
per-language data files (rag/lang/data/) — the sign of a rule fitted to the documents.
"""

from __future__ import annotations

import ast
import html
import re
from collections.abc import Iterator
from pathlib import Path

from rag.config import REPO_ROOT

RAG = REPO_ROOT / "rag"
CORPORA = [REPO_ROOT / "seeds", REPO_ROOT / "eval" / "corpora"]
LANGUAGE_DATA = RAG / "lang" / "data"
_REGEX_CALLS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
_TAGS = re.compile(r"<[^>]+>")
# Words of regex syntax and of formats, not of any document.
_NOT_WORDS = re.compile(r"\\[a-zA-Z]|\(\?[a-zA-Z<=!:P]+|\[\^?[^\]]*\]")


def rule_literals(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, text) of every regex argument and every element of a word list."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _REGEX_CALLS:
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id == "re" and node.args:
                yield from _strings(node.args[0])
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split":
            if isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str) and not node.args:
                yield node.lineno, node.func.value.value
        elif isinstance(node, ast.Set | ast.List | ast.Tuple) and len(node.elts) >= 3:
            values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(values) == len(node.elts) and all(len(v) <= 30 for v in values):
                yield from ((node.lineno, v) for v in values)


def _strings(node: ast.AST) -> Iterator[tuple[int, str]]:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            yield sub.lineno, sub.value


def words_of(text: str) -> set[str]:
    text = _NOT_WORDS.sub(" ", text)
    latin = {w.lower() for w in _LATIN_WORD.findall(text)}
    return latin | set(_CJK_RUN.findall(text))


def corpus_text() -> str:
    parts = []
    for root in CORPORA:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".txt", ".html", ".md"):
                raw = path.read_text(encoding="utf-8", errors="replace")
                parts.append(html.unescape(_TAGS.sub(" ", raw)).lower())
    return "\n".join(parts)


def language_words() -> set[str]:
    found: set[str] = set()
    for path in LANGUAGE_DATA.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8").lower()
            found |= set(re.findall(r"[a-z]+", text)) | set(_CJK_RUN.findall(text))
            found |= {c for c in re.findall(r"[\u3400-\u9fff]+", text)}
    return found


def offenders(sources: dict[str, str], corpus: str, allowed: set[str]) -> list[str]:
    """`path:line: word` for each rule word that the corpus uses and the language data lacks."""
    corpus_words = set(re.findall(r"[a-z]+", corpus))
    out = []
    for name, source in sources.items():
        for line, text in rule_literals(ast.parse(source)):
            for word in sorted(words_of(text)):
                in_corpus = (word in corpus) if _CJK_RUN.fullmatch(word) else (word in corpus_words)
                if in_corpus and word not in allowed and not any(word in a for a in allowed if _CJK_RUN.fullmatch(word)):
                    out.append(f"{name}:{line}: {word!r}")
    return out


def test_offenders__flags_a_corpus_word_in_a_rule_and_spares_language_data() -> None:
    source = 'import re\nNAMES = {"Daily", "Port", "what"}\nX = re.compile(r"\\b(how many|Zhuhai)\\b")\n'
    found = offenders({"m.py": source}, "the port of zhuhai and the daily news, how many", {"how", "many", "what"})
    assert found == ["m.py:2: 'daily'", "m.py:2: 'port'", "m.py:3: 'zhuhai'"]


def test_rag__has_no_corpus_fitted_literals() -> None:
    sources = {str(p.relative_to(REPO_ROOT)): p.read_text(encoding="utf-8") for p in sorted(RAG.rglob("*.py"))}
    found = offenders(sources, corpus_text(), language_words())
    assert not found, "rule literals that name corpus words (move them to rag/lang/data or remove them):\n" + "\n".join(found)
