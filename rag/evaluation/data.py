"""Loads and validates the eval question set and the judge pairs (JSON Lines).

Every problem names the file, the line and the field, says what was expected and what was
found, so a broken set fails in one clear line instead of deep inside a metric.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.errors import RagError

LANGS = ("en", "hant", "hans")
KINDS = (
    "fact", "number", "list", "meta", "paraphrase", "crosslingual", "multi", "followup",
    "conflict", "unanswerable",
)
PAIR_KINDS = (
    "positive", "paraphrase", "hard_negative_number", "hard_negative_entity", "hard_negative_polarity",
    "hard_negative_attribution", "unrelated",
)


class EvalDataError(RagError, ValueError):
    """An eval file is missing or malformed; the message says where and how to fix it."""


@dataclass(frozen=True)
class GoldRef:
    source: str
    paragraph: int


@dataclass(frozen=True)
class EvalItem:
    """One question with its gold paragraphs and required facts (see eval/README.md)."""

    id: str
    question: str
    lang: str
    kind: str
    answerable: bool
    gold: tuple[GoldRef, ...] = ()
    facts: tuple[tuple[str, ...], ...] = ()
    history: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class JudgePair:
    """A (sentence, paragraph) pair labelled supported or not, to measure the judge."""

    id: str
    sentence: str
    source: str
    paragraph: int
    supported: bool
    kind: str
    lang: str = field(default="en")


def load_questions(path: Path) -> list[EvalItem]:
    """The question set at `path`, validated. Raises EvalDataError."""
    return _load(path, _item)


def load_judge_pairs(path: Path) -> list[JudgePair]:
    """The judge pairs at `path`, validated. Raises EvalDataError."""
    return _load(path, _pair)


def check_references(
    path: Path, items: list[EvalItem] | list[JudgePair], known: Collection[tuple[str, int]]
) -> None:
    """Every gold or judge paragraph must be an indexed paragraph of the corpus."""
    for item in items:
        refs = (
            [(g.source, g.paragraph) for g in item.gold]
            if isinstance(item, EvalItem)
            else [(item.source, item.paragraph)]
        )
        for ref in refs:
            if ref not in known:
                raise EvalDataError(
                    f"{path}: item {item.id}: paragraph {ref[1]} of {ref[0]} is not an indexed "
                    "paragraph of the corpus; fix the reference or re-index (`rag index --rebuild`)."
                )


def _load(path: Path, build: Callable[[dict, str], Any]) -> list:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise EvalDataError(f"no such eval file: {path}. Pass an existing file with --set.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalDataError(f"cannot read {path} ({type(exc).__name__}); expected UTF-8 JSON Lines.") from None
    records, seen = [], set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalDataError(f"{where}: expected one JSON object per line, got invalid JSON ({exc.msg}).") from None
        if not isinstance(raw, dict):
            raise EvalDataError(f"{where}: expected a JSON object, got {type(raw).__name__}.")
        record = build(raw, where)
        if record.id in seen:
            raise EvalDataError(f"{where}: id {record.id!r} is used twice; ids must be unique.")
        seen.add(record.id)
        records.append(record)
    if not records:
        raise EvalDataError(f"{path} holds no items; expected JSON Lines with at least one item.")
    return records


def _item(raw: dict, where: str) -> EvalItem:
    item = EvalItem(
        id=_get(raw, "id", str, where),
        question=_get(raw, "question", str, where),
        lang=_choice(raw, "lang", LANGS, where),
        kind=_choice(raw, "kind", KINDS, where),
        answerable=_get(raw, "answerable", bool, where),
        gold=tuple(_gold(g, where) for g in _get(raw, "gold", list, where, [])),
        facts=tuple(_fact(f, where) for f in _get(raw, "facts", list, where, [])),
        history=tuple(_turn(t, where) for t in _get(raw, "history", list, where, [])),
    )
    if item.answerable and not item.gold:
        raise EvalDataError(f"{where}: answerable item {item.id} has no gold paragraphs; add them.")
    if not item.question.strip():
        raise EvalDataError(f"{where}: item {item.id} has an empty question.")
    return item


def _pair(raw: dict, where: str) -> JudgePair:
    return JudgePair(
        id=_get(raw, "id", str, where),
        sentence=_get(raw, "sentence", str, where),
        source=_get(raw, "source", str, where),
        paragraph=_get(raw, "paragraph", int, where),
        supported=_get(raw, "supported", bool, where),
        kind=_choice(raw, "kind", PAIR_KINDS, where),
        lang=_choice(raw, "lang", LANGS, where),
    )


def _gold(raw: object, where: str) -> GoldRef:
    if not isinstance(raw, dict):
        raise EvalDataError(f"{where}: gold: expected {{source, paragraph}} objects, got {raw!r}.")
    return GoldRef(_get(raw, "source", str, where), _get(raw, "paragraph", int, where))


def _fact(raw: object, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(v, str) and v for v in raw):
        raise EvalDataError(f"{where}: facts: expected lists of non-empty variant strings, got {raw!r}.")
    return tuple(raw)


def _turn(raw: object, where: str) -> tuple[str, str]:
    if not isinstance(raw, list) or len(raw) != 2 or not all(isinstance(v, str) for v in raw):
        raise EvalDataError(f"{where}: history: expected [question, answer] pairs, got {raw!r}.")
    return raw[0], raw[1]


_MISSING = object()


def _get(raw: dict, key: str, kind: type, where: str, default: object = _MISSING) -> Any:
    if key not in raw:
        if default is _MISSING:
            raise EvalDataError(f"{where}: missing field {key!r}; add it.")
        return default
    value = raw[key]
    # bool is an int subclass; a paragraph number of `true` is still wrong
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise EvalDataError(f"{where}: {key}: expected {kind.__name__}, got {value!r}.")
    return value


def _choice(raw: dict, key: str, allowed: tuple[str, ...], where: str) -> str:
    value = _get(raw, key, str, where)
    if value not in allowed:
        raise EvalDataError(f"{where}: {key}: expected one of {', '.join(allowed)}; got {value!r}.")
    return value
