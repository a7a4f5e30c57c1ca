"""Loads prompt templates from prompts/ and renders them strictly."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Template

from rag.errors import RagError


@lru_cache(maxsize=16)
def _load(folder: Path, name: str) -> Template:
    path = folder / name
    try:
        return Template(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RagError(f"prompt template {path} is missing; restore it from the repository.") from None


def render(folder: Path, name: str, **variables: str) -> str:
    """The template filled in; a missing variable raises KeyError."""
    return _load(folder, name).substitute(**variables)
