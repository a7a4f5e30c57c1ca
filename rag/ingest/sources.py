"""What the user added to the corpus (`sources.json`) and took out of it (`excluded.json`), under RAG_HOME.

Both are lists of resolved paths, each swapped in whole. A file removed from inside a folder that
stays indexed is excluded rather than deleted: the folder and the file are the user's.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

SOURCES = "sources.json"
EXCLUDED = "excluded.json"


def read_sources(home: Path) -> list[Path]:
    """Files and folders the user added with `rag index PATH...` (and the uploads folder)."""
    return [Path(p) for p in _read(home / SOURCES)]


def add_sources(home: Path, paths: Sequence[Path]) -> None:
    """Add files or folders to the corpus; anything excluded under them is included again."""
    resolved = [str(p.resolve()) for p in paths]
    _write(home / SOURCES, [*map(str, read_sources(home)), *resolved])
    kept = [p for p in read_excluded(home) if not any(_is_within(p, Path(r)) for r in resolved)]
    _write(home / EXCLUDED, [str(p) for p in kept])


def remove_source(home: Path, path: Path) -> bool:
    """Drop `path` from the added sources; False when it was not one of them."""
    known = [str(p) for p in read_sources(home)]
    target = str(path.resolve())
    if target not in known:
        return False
    _write(home / SOURCES, [p for p in known if p != target])
    return True


def read_excluded(home: Path) -> frozenset[Path]:
    """Files taken out with `rag remove` although a folder that holds them is indexed."""
    return frozenset(Path(p) for p in _read(home / EXCLUDED))


def exclude(home: Path, path: Path) -> None:
    _write(home / EXCLUDED, [*map(str, read_excluded(home)), str(path.resolve())])


def _is_within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _read(registry: Path) -> list[str]:
    if not registry.exists():
        return []
    return list(json.loads(registry.read_text(encoding="utf-8")))


def _write(registry: Path, paths: Sequence[str]) -> None:
    registry.parent.mkdir(parents=True, exist_ok=True)
    tmp = registry.with_name(registry.name + ".tmp")
    tmp.write_text(json.dumps(list(dict.fromkeys(paths)), indent=1), encoding="utf-8")
    tmp.replace(registry)
