"""Reads JSON Lines records and checks their fields, naming the file, line and field of every
problem with what was expected and what was found."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rag.errors import EvalDataError


def read_records(path: Path, build: Callable[[dict, str], Any]) -> list:
    """Each non-blank line of `path` as a JSON object, passed to `build(raw, "path:line")`; ids unique."""
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


_MISSING = object()


def get_field(raw: dict, key: str, kind: type, where: str, default: object = _MISSING) -> Any:
    """raw[key], checked to be a `kind`; `default` when absent, or an error if there is none."""
    if key not in raw:
        if default is _MISSING:
            raise EvalDataError(f"{where}: missing field {key!r}; add it.")
        return default
    value = raw[key]
    # bool is an int subclass; a paragraph number of `true` is still wrong
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise EvalDataError(f"{where}: {key}: expected {kind.__name__}, got {value!r}.")
    return value


def get_choice(raw: dict, key: str, allowed: tuple[str, ...], where: str) -> str:
    """raw[key], checked to be one of `allowed`."""
    value = get_field(raw, key, str, where)
    if value not in allowed:
        raise EvalDataError(f"{where}: {key}: expected one of {', '.join(allowed)}; got {value!r}.")
    return value
