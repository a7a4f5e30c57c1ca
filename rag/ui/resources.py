"""The files the page is made of: stylesheets and scripts in assets/, words and rules in data/."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any


@lru_cache(maxsize=32)
def read_text(path: str) -> str:
    """A file shipped inside `rag.ui`, by its path there (`assets/chat.css`)."""
    return files("rag.ui").joinpath(path).read_text(encoding="utf-8")


@lru_cache(maxsize=8)
def read_json(path: str) -> Any:
    """A JSON data file shipped inside `rag.ui` (`data/strings.json`)."""
    return json.loads(read_text(path))
