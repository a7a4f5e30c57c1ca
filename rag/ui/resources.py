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


def stylesheet() -> str:
    """The page's CSS: every stylesheet in assets/, in the order listed here."""
    return "\n".join(read_text(f"assets/{name}.css") for name in STYLESHEETS)


def page_script(name: str, strings: dict) -> str:
    """The `js_on_load` body of one component: the page's strings, the shared helpers, its script."""
    prefix = f"const STRINGS = {json.dumps(strings, ensure_ascii=False)};\n"
    return prefix + read_text("assets/common.js") + "\n" + read_text(f"assets/{name}.js")


STYLESHEETS = ("base", "chat", "sources", "phone")
