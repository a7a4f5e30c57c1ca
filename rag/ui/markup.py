"""Small pieces of HTML the page's renderers share. Pure."""

from __future__ import annotations

import json
from html import escape

from rag.types import Script

LANG_TAGS = {Script.LATIN: "en", Script.HANT: "zh-Hant", Script.HANS: "zh-Hans"}


def icon(name: str) -> str:
    """An icon from the page's sprite (assets/icons.svg)."""
    return f'<svg class="rag-ico" aria-hidden="true"><use href="#rag-i-{name}"></use></svg>'


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def i18n(key: str, text: str, values: dict[str, str] | None = None) -> str:
    """`text` in a span the page's script relabels (string `key`, filled from `values`) when the
    question's language changes."""
    filled = f' data-i18n-values="{escape(json.dumps(values, ensure_ascii=False))}"' if values else ""
    return f'<span data-i18n="{escape(key)}"{filled}>{escape(text)}</span>'
