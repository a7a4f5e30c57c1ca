"""HTML of the page around the chat: header (status, chats, new chat, theme), drawer, composer.

Pure string building. Labels carry `data-i18n` keys, so the page's script can show them in the
script of the latest question; the server renders them in English first.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from rag.config import MAX_QUESTION_CHARS
from rag.types import Script
from rag.ui.markup import i18n, icon
from rag.ui.strings import say

COUNTER_FROM = 0.8  # the character counter shows from this share of the limit on


@dataclass(frozen=True)
class IndexFacts:
    """What the header says about the running system; never holds a secret."""

    mode: str
    model: str | None
    documents: int
    paragraphs: int


def render_header(facts: IndexFacts, which: Script = Script.LATIN) -> str:
    if facts.mode == "llm":
        mode = f"{i18n('status_llm', say(which, 'status_llm'))} <strong>{escape(facts.model or 'LLM')}</strong>"
    else:
        mode = f"{i18n('status_extractive', say(which, 'status_extractive'))} <strong>(extractive)</strong>"
    counts = {"documents": f"{facts.documents:,}", "paragraphs": f"{facts.paragraphs:,}"}
    return (
        '<header class="rag-header"><div class="rag-brand"><span class="rag-logo" aria-hidden="true">¶</span>'
        f'<div><h1>{i18n("title", say(which, "title"))}</h1><p>{i18n("tagline", say(which, "tagline"))}'
        " · English, 繁體, 简体</p></div></div>"
        f'<p class="rag-status"><span class="rag-dot rag-dot-{escape(facts.mode)}"></span>{mode} · '
        f"{i18n('status_counts', say(which, 'status_counts', **counts), counts)}</p>"
        f"{_tools(which)}</header>{_drawer(which)}{_confirm(which)}"
    )


def _tool(element_id: str, act: str, glyph: str, key: str, which: Script, label: bool = True) -> str:
    text = escape(say(which, key))
    shown = i18n(key, say(which, key)) if label else ""
    return (
        f'<button type="button" id="{element_id}" class="rag-tool" data-act="{act}" title="{text}" '
        f'aria-label="{text}" data-i18n-label="{key}">{icon(glyph)}{shown}</button>'
    )


def _tools(which: Script) -> str:
    return (
        '<nav class="rag-tools">'
        + _tool("rag-chats", "chats", "chats", "chats", which)
        + _tool("rag-new", "new", "new", "new_chat", which)
        + _tool("rag-theme", "theme", "moon", "theme_dark", which, label=False)
        + "</nav>"
    )


def _drawer(which: Script) -> str:
    close = escape(say(which, "close"))
    title = i18n("earlier_chats", say(which, "earlier_chats"))
    return (
        '<div id="rag-drawer" class="rag-drawer" hidden><div class="rag-drawer-panel" role="dialog" '
        f'aria-labelledby="rag-drawer-title"><header><h2 id="rag-drawer-title">{title}</h2>'
        f'<button type="button" class="rag-close" data-act="close-drawer" aria-label="{close}" title="{close}">'
        f'{icon("close")}</button></header><ul class="rag-chat-list"></ul>'
        f'<p class="rag-chat-none">{i18n("no_chats", say(which, "no_chats"))}</p></div></div>'
    )


def _confirm(which: Script) -> str:
    return (
        '<div id="rag-confirm" class="rag-confirm" hidden><div class="rag-confirm-box" role="alertdialog" '
        'aria-modal="true" aria-labelledby="rag-confirm-text"><p id="rag-confirm-text"></p><div>'
        f'<button type="button" class="rag-btn" data-answer="no">{i18n("no", say(which, "no"))}</button>'
        f'<button type="button" class="rag-btn is-primary" data-answer="yes">{i18n("yes", say(which, "yes"))}</button>'
        "</div></div></div>"
    )


def render_composer(which: Script = Script.LATIN) -> str:
    """The question box: Ask is disabled while it is empty; a counter shows near the limit."""
    ask = escape(say(which, "ask"))
    cancel = i18n("cancel", say(which, "cancel"))
    return (
        f'<form class="rag-composer" data-max="{MAX_QUESTION_CHARS}" '
        f'data-counter-from="{int(MAX_QUESTION_CHARS * COUNTER_FROM)}" novalidate>'
        f'<div class="rag-editing" hidden>{icon("edit")}{i18n("editing", say(which, "editing"))}'
        f'<button type="button" class="rag-link" data-act="cancel-edit">{cancel}</button></div>'
        '<ol class="rag-queue" hidden></ol>'
        '<div class="rag-box"><div id="rag-input">'
        f'<textarea rows="1" placeholder="{escape(say(which, "placeholder"))}" aria-label="{ask}" '
        'data-i18n-placeholder="placeholder" autofocus></textarea></div>'
        f'<button type="submit" id="rag-send" class="rag-send" disabled aria-label="{ask}" title="{ask}" '
        f'data-i18n-label="ask">{icon("send")}{i18n("ask", say(which, "ask"))}</button></div>'
        '<p class="rag-counter" aria-live="polite" hidden></p></form>'
    )
