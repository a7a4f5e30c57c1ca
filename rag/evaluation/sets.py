"""The per-corpus question sets in eval/sets/, with their dev/test split and quote gold."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from rag.config import REPO_ROOT, RagConfig
from rag.errors import EvalDataError
from rag.evaluation.data import EvalItem, GoldRef, load_questions
from rag.types import Paragraph

SETS = REPO_ROOT / "eval" / "sets"
DEFAULT_CORPORA = {"seeds": "seeds", "debian-faq": "eval/corpora/debian-faq", "git-manual": "eval/corpora/git-manual"}


@dataclass(frozen=True)
class CorpusSet:
    name: str
    folder: Path
    path: Path

    def items(self, by_key: Mapping[tuple[str, int], Paragraph], split: str | None = None) -> list[EvalItem]:
        """The set's items (of one split), with quote gold resolved against the indexed paragraphs."""
        raw = [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
        splits = {r["id"]: r.get("split", "all") for r in raw}
        items = load_questions(self.path)
        chosen = [i for i in items if split is None or splits[i.id] == split]
        quotes = {r["id"]: [g for g in r.get("gold", []) if "quote" in g] for r in raw}
        return [resolve_quotes(i, quotes[i.id], by_key) for i in chosen]

    def dev(self, by_key: Mapping[tuple[str, int], Paragraph]) -> list[EvalItem]:
        return self.items(by_key, "dev")


def load_sets(names: Sequence[str] | None = None) -> dict[str, CorpusSet]:
    """Every corpus with a question set (or just `names`)."""
    mapping_file = SETS / "corpora.json"
    mapping = json.loads(mapping_file.read_text(encoding="utf-8")) if mapping_file.exists() else DEFAULT_CORPORA
    wanted = list(mapping) if not names or "all" in names else list(names)
    out = {}
    for name in wanted:
        if name not in mapping:
            raise EvalDataError(f"unknown corpus {name!r}; expected one of {', '.join(mapping)}.")
        folder = REPO_ROOT / mapping[name]
        if not folder.exists():
            raise EvalDataError(f"corpus {name}: no folder {folder}; fetch it (see eval/sets/README.md).")
        out[name] = CorpusSet(name, folder, SETS / f"{name}.jsonl")
    return out


def corpus_config(config: RagConfig, name: str, folder: Path) -> RagConfig:
    """Settings over corpus `name`'s own index (RAG_HOME/eval/NAME), built first if needed."""
    from rag.index.build import build_index

    cfg = replace(config, home=config.home / "eval" / name, docs=(folder,))
    build_index(cfg, wait=True)
    return cfg


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def resolve_quotes(item: EvalItem, quotes: Sequence[dict], by_key: Mapping[tuple[str, int], Paragraph]) -> EvalItem:
    """Quote gold -> every indexed paragraph of the source containing the quote (or, for a quote
    spanning paragraphs, the consecutive ones whose joined text contains it)."""
    if not quotes:
        return item
    refs = [g for g in item.gold if g.paragraph > 0]
    for g in quotes:
        found = _find(g["source"], _collapse(g["quote"]), by_key)
        if not found:
            raise EvalDataError(f"item {item.id}: quote not found in {g['source']}: {g['quote'][:60]!r}")
        refs.extend(GoldRef(g["source"], n) for n in found)
    return replace(item, gold=tuple(dict.fromkeys(refs)))


def _find(source: str, quote: str, by_key: Mapping[tuple[str, int], Paragraph]) -> list[int]:
    numbers = sorted(n for (s, n) in by_key if s == source)
    texts = {n: _collapse(by_key[(source, n)].text) for n in numbers}
    inside = [n for n in numbers if quote in texts[n]]
    if inside:
        return inside
    for i, start in enumerate(numbers):
        joined = texts[start]
        for j in range(i + 1, min(i + 30, len(numbers))):
            joined = f"{joined} {texts[numbers[j]]}"
            if quote in joined:
                return numbers[i : j + 1]
            if len(joined) > len(quote) * 4 + 2000:
                break
    return []
