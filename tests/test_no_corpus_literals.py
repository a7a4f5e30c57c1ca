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
# The measuring shells label metrics, and the format readers name HTML tags, ARIA roles and
# Word styles: their strings decide nothing about what a document says.
SHELLS = ("evaluation", "bench", "cli.py")  # cli.py: command names and choices
FORMAT_READERS = RAG / "ingest" / "readers"
STORE_MESSAGES = RAG / "index" / "store.py"  # reads Chroma's error messages, a format of its own
CORPORA = [REPO_ROOT / "seeds", REPO_ROOT / "eval" / "corpora"]
DATA_SUFFIXES = (".txt", ".tsv", ".json")  # language and format data files anywhere under rag/
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
            identifiers = all(re.fullmatch(r"[a-z0-9_.]+", v) and "_" in v for v in values[:1]) and all(
                re.fullmatch(r"[a-z0-9_.]+", v) for v in values)  # names of fields or features
            if len(values) == len(node.elts) and all(len(v) <= 30 for v in values) and not identifiers:
                yield from ((node.lineno, v) for v in values)


def _strings(node: ast.AST) -> Iterator[tuple[int, str]]:
    """String parts of a regex argument, not of calls inside it (a data file's name)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.lineno, node.value
    elif not isinstance(node, ast.Call):
        for child in ast.iter_child_nodes(node):
            yield from _strings(child)


def code_words(trees: list[ast.AST]) -> set[str]:
    """Words of the code's own identifiers (fields, variables, functions): code vocabulary, not a corpus's."""
    names: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.keyword) and node.arg:
                names.add(node.arg)
            elif isinstance(node, ast.FunctionDef | ast.ClassDef):
                names.add(node.name)
    return {w for n in names for w in re.split(r"_+", n.lower()) if len(w) >= 3}


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
    for path in RAG.rglob("*"):
        if path.is_file() and path.suffix in DATA_SUFFIXES:
            text = path.read_text(encoding="utf-8").lower()
            found |= set(re.findall(r"[a-z]+", text)) | set(_CJK_RUN.findall(text))
            found |= {c for c in re.findall(r"[\u3400-\u9fff]+", text)}
    return found


def offenders(sources: dict[str, str], corpus: str, allowed: set[str]) -> list[str]:
    """`path:line: word` for each rule word that the corpus uses and neither the language data
    nor the code's own identifiers hold."""
    corpus_words = set(re.findall(r"[a-z]+", corpus))
    trees = {name: ast.parse(source) for name, source in sources.items()}
    allowed = allowed | code_words(list(trees.values()))
    out = []
    for name, tree in trees.items():
        for line, text in rule_literals(tree):
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
    sources = {
        str(p.relative_to(REPO_ROOT)): p.read_text(encoding="utf-8")
        for p in sorted(RAG.rglob("*.py"))
        if p.relative_to(RAG).parts[0] not in SHELLS and FORMAT_READERS not in p.parents and p != STORE_MESSAGES
    }
    found = offenders(sources, corpus_text(), language_words())
    assert not found, "rule literals that name corpus words (move them to rag/lang/data or remove them):\n" + "\n".join(found)
