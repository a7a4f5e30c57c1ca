"""Small pieces of HTML the page's renderers share. Pure."""

from __future__ import annotations

from html import escape

from rag.types import Script

LANG_TAGS = {Script.LATIN: "en", Script.HANT: "zh-Hant", Script.HANS: "zh-Hans"}


def icon(name: str) -> str:
    """An icon from the page's sprite (assets/icons.svg)."""
    return f'<svg class="rag-ico" aria-hidden="true"><use href="#rag-i-{name}"></use></svg>'


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def i18n(key: str, text: str) -> str:
    """`text` in a span the page's script relabels when the question's language changes."""
    return f'<span data-i18n="{escape(key)}">{escape(text)}</span>'
