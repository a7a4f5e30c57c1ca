"""HTML for the chat page: header, transcript and sources panel. Pure string building.

Every piece of document or user text goes through `html.escape` here, and only here, so a
question or paragraph containing `<script>` is shown as text. Gradio receives finished HTML
and never renders user text itself. Marker [n] of turn t becomes a button carrying
data-turn/data-n; the page's script (ui_assets.MARKER_JS) opens that source in the panel.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from rag.answer.citations import MARKER
from rag.lang.text import language, split_sentences
from rag.types import Answer
from rag.ui.sources import SourceView
from rag.ui.turns import Turn

_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_SPACE_BEFORE_MARKER = re.compile(r"[ \t]+(?=\[\d{1,3}\])")
LANG_NAMES = {"zh": "中文版", "en": "English version"}
_THINKING = '<p class="rag-thinking">Searching the documents<i>.</i><i>.</i><i>.</i></p>'
_UNSUPPORTED = "Not supported by the cited paragraph"
_SOURCES_HEAD = '<h2 class="rag-src-head">Sources</h2>'


@dataclass(frozen=True)
class IndexFacts:
    """What the header says about the running system; never holds a secret."""

    mode: str
    model: str | None
    documents: int
    paragraphs: int


def render_header(facts: IndexFacts) -> str:
    if facts.mode == "llm":
        mode = f"Answers written by <strong>{escape(facts.model or 'the LLM')}</strong>"
    else:
        mode = "Answers quoted offline <strong>(extractive)</strong>"
    return (
        '<header class="rag-header"><div class="rag-brand"><span class="rag-logo">¶</span>'
        "<div><h1>Ask the documents</h1>"
        "<p>Every sentence cites the paragraph it comes from · English, 繁體, 简体</p></div></div>"
        f'<p class="rag-status"><span class="rag-dot rag-dot-{escape(facts.mode)}"></span>{mode}'
        f" · {facts.documents:,} documents · {facts.paragraphs:,} paragraphs indexed</p></header>"
    )


def render_transcript(turns: Sequence[Turn]) -> str:
    if not turns:
        return f'<div class="rag-log">{_WELCOME}</div>'
    body = "".join(_turn_html(i, t) for i, t in enumerate(turns))
    return f'<div class="rag-log" role="log" aria-live="polite">{body}</div>'


_WELCOME = (
    '<div class="rag-welcome"><h2>Ask about the documents</h2>'
    "<p>Answers come only from the indexed articles. Each sentence carries a number: click it "
    "to read the paragraph it quotes, with the quoted sentences highlighted.</p>"
    "<p>可以用繁體或簡體中文提問。文件沒有提到的問題，會直說沒有涵蓋。</p>"
    '<p class="rag-welcome-try">Try an example below, or ask your own.</p></div>'
)


def _turn_html(i: int, turn: Turn) -> str:
    question = ""
    if turn.question.strip():
        question = f'<div class="rag-q"><p>{escape(turn.question)}</p></div>'
    return f'<section class="rag-turn" data-turn="{i}">{question}{_reply_html(i, turn)}</section>'


def _reply_html(i: int, turn: Turn) -> str:
    if turn.error is not None:
        notice = escape(turn.error)
        return f'<div class="rag-notice is-error" role="alert"><span>⚠</span> {notice}</div>'
    answer = turn.answer
    if answer is None:
        return _bubble("is-pending", _THINKING)
    if answer.refused:
        icon = '<span class="rag-refusal-icon">∅</span>'
        body = f'<p class="rag-refusal">{icon}{escape(answer.answer)}</p>'
        return _bubble("is-refused", body + _warning(answer))
    live = turn.pending
    body = answer_html(answer, i, live=live) + _warning(answer)
    if not live:
        body += _chips(i, turn.sources)
    return _bubble("is-pending" if live else "is-answer", body)


def _bubble(kind: str, body: str) -> str:
    avatar = '<span class="rag-avatar">¶</span>'
    return f'<div class="rag-a {kind}">{avatar}<div class="rag-a-body">{body}</div></div>'


def _warning(answer: Answer) -> str:
    if not answer.warning:
        return ""
    text = escape(answer.warning)
    return f'<p class="rag-notice is-warning" role="status"><span>⚠</span> {text}</p>'


def answer_html(answer: Answer, turn: int, live: bool = False) -> str:
    """The answer's lines as paragraphs or list items, markers as source buttons.

    While `live` (an LLM still writing) markers are inert: they are checked only at the end.
    Sentences the guard flagged as unsupported (`Answer.flagged`) are marked.
    """
    text = _SPACE_BEFORE_MARKER.sub("", answer.answer.strip())
    count = 0 if live else len(answer.citations)
    flagged = frozenset(() if live else answer.flagged)
    items, blocks, index = [], [], 0
    for line in text.splitlines():
        if not line.strip():
            continue
        bullet = _BULLET.match(line)
        line = _BULLET.sub("", line) if bullet else line
        html, index = _line_html(line, turn, count, flagged, index)
        if bullet:
            items.append(f"<li>{html}</li>")
            continue
        if items:
            blocks.append(f"<ul>{''.join(items)}</ul>")
            items = []
        blocks.append(f"<p>{html}</p>")
    if items:
        blocks.append(f"<ul>{''.join(items)}</ul>")
    caret = '<span class="rag-caret"></span>' if live else ""
    return f'<div class="rag-answer">{"".join(blocks)}{caret}</div>'


def _line_html(
    line: str, turn: int, count: int, flagged: frozenset[int], index: int
) -> tuple[str, int]:
    """One line's HTML and the index of the answer sentence after it."""
    sentences = split_sentences(line)
    if not flagged:
        return _inline(line, turn, count), index + len(sentences)
    parts = []
    for sentence in sentences:
        html = _inline(sentence, turn, count)
        if index in flagged:
            html = f'<span class="rag-flagged" title="{_UNSUPPORTED}">{html}</span>'
        parts.append(html)
        index += 1
    return ("" if language(line) == "zh" else " ").join(parts), index


def _inline(text: str, turn: int, count: int) -> str:
    """Escaped text; [n] with 1 <= n <= count becomes a button, any other marker stays text."""
    out = []
    for k, part in enumerate(MARKER.split(text)):
        if k % 2 == 0:
            out.append(escape(part))
            continue
        n = int(part)
        if 1 <= n <= count:
            out.append(
                f'<button type="button" class="rag-cite" data-turn="{turn}" data-n="{n}" '
                f'title="Show source {n}" aria-label="Show source {n}">{n}</button>'
            )
        else:
            out.append(f'<span class="rag-cite is-inert">{n}</span>')
    return "".join(out)


def _chips(turn: int, sources: Sequence[SourceView]) -> str:
    """The answer's sources under it, a row per document: its title, a button per paragraph."""
    documents: dict[str, list[SourceView]] = {}
    for view in sources:
        documents.setdefault(view.source, []).append(view)
    rows = []
    for views in documents.values():
        title = views[0].title or views[0].source
        buttons = "".join(
            f'<button type="button" class="rag-chip rag-cite" data-turn="{turn}" data-n="{v.n}" '
            f'title="Show source {v.n}"><span class="rag-chip-n">{v.n}</span>¶{v.number}</button>'
            for v in views
        )
        rows.append(
            f'<div class="rag-chip-row"><span class="rag-chip-title" title="{escape(title)}">'
            f"{escape(_short(title, 60))}</span>{buttons}</div>"
        )
    return f'<div class="rag-chips">{"".join(rows)}</div>' if rows else ""


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_sources(turns: Sequence[Turn]) -> str:
    """Every answered turn's sources; the latest is shown, a clicked marker shows its own."""
    answered = [i for i, t in enumerate(turns) if t.answered]
    if not answered:
        return f'<aside class="rag-sources">{_SOURCES_HEAD}{_NO_SOURCES}</aside>'
    groups = "".join(_turn_sources(i, turns[i], i == answered[-1]) for i in answered)
    return f'<aside class="rag-sources">{_SOURCES_HEAD}{groups}</aside>'


_NO_SOURCES = (
    '<p class="rag-src-empty">The paragraphs an answer quotes appear here: document, file, '
    "paragraph number, and the quoted sentences highlighted.</p>"
)


def _turn_sources(i: int, turn: Turn, active: bool) -> str:
    state = " is-active" if active else ""
    head = f'<p class="rag-src-for">For: <q>{escape(_short(turn.question, 90))}</q></p>'
    if not turn.sources:
        cards = '<p class="rag-src-empty">No sources: the documents don\'t cover this question.</p>'
    else:
        cards = "".join(source_card(i, s) for s in turn.sources)
    return f'<div class="rag-src-turn{state}" data-turn="{i}">{head}{cards}</div>'


def source_card(turn: int, view: SourceView) -> str:
    """One cited paragraph: title, file and number, text with used sentences marked, twin."""
    title = escape(view.title or view.source)
    meta = [f"<code>{escape(view.source)}</code>", f"¶ {view.number}"]
    if view.section:
        meta.append(escape(_short(view.section, 80)))
    text = "".join(
        f"<mark>{escape(s.text)}</mark>" if s.used else escape(s.text) for s in view.segments
    )
    twin = ""
    if view.twin is not None:
        label = f"{LANG_NAMES.get(view.twin.lang, view.twin.lang)} · ¶ {view.twin.number}"
        twin = (
            f'<details class="rag-twin"><summary>{escape(label)}</summary>'
            f'<p lang="{escape(view.twin.lang)}">{escape(view.twin.text)}</p></details>'
        )
    return (
        f'<article class="rag-src" data-turn="{turn}" data-n="{view.n}" '
        f'id="rag-src-{turn}-{view.n}"><header><span class="rag-src-n">{view.n}</span>'
        f'<div><h3 lang="{escape(view.lang)}">{title}</h3>'
        f'<p class="rag-src-meta">{" · ".join(meta)}</p></div></header>'
        f'<blockquote lang="{escape(view.lang)}">{text}</blockquote>{twin}</article>'
    )
