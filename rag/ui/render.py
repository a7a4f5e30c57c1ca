"""HTML of the chat transcript: questions, answers, notices, and what sits under an answer.

Pure string building. Every piece of document or user text is escaped here or in the modules
this one calls (answer_view, panel, welcome), so a question or paragraph containing `<script>`
is shown as text. Each turn is labelled in its question's script. Marker [n] of turn t is a
button carrying data-turn/data-n; the page's scripts (assets/*.js) open that source.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape

from rag.types import Answer, Outcome, Script
from rag.ui.answer_view import MarkerPlan, answer_html, inline_html, marker_button, plain_markers
from rag.ui.disagreement import cited_stretches, disagreements
from rag.ui.groups import SourceGroup, group_sources, shown_numbers
from rag.ui.markup import LANG_TAGS, icon, short
from rag.ui.panel import render_sources  # noqa: F401 - rendered beside the transcript; callers import it here
from rag.ui.strings import say, say_html, script_of
from rag.ui.suggestions import suggest
from rag.ui.turns import Turn
from rag.ui.welcome import Library, render_welcome

_THINKING = '<p class="rag-thinking">{}<i>.</i><i>.</i><i>.</i></p>'


def render_transcript(turns: Sequence[Turn], library: Library | None = None) -> str:
    if not turns:
        return f'<div class="rag-log" data-script="latin">{render_welcome(library)}</div>'
    last = len(turns) - 1
    body = "".join(_turn_html(i, t, library, latest=i == last) for i, t in enumerate(turns))
    which = script_of(turns[-1].question)
    return f'<div class="rag-log" role="log" aria-live="polite" data-script="{which}">{body}</div>'


def _turn_html(i: int, turn: Turn, library: Library | None, latest: bool) -> str:
    """One turn; only the latest can be edited, asked again or followed up, so that no button
    quietly drops the turns after it."""
    which = script_of(turn.question)
    question = ""
    if turn.question.strip():
        edit = _action("edit", which, i, label=False) if latest else ""
        question = f'<div class="rag-q"><p>{escape(turn.question)}</p>{edit}</div>'
    state = " is-pending" if turn.pending else ""
    reply = _reply_html(i, turn, which, library if latest else None, latest)
    return (
        f'<section class="rag-turn{state}" data-turn="{i}" data-script="{which}" '
        f'lang="{LANG_TAGS[which]}">{question}{reply}</section>'
    )


def _reply_html(i: int, turn: Turn, which: Script, library: Library | None, latest: bool) -> str:
    if turn.error is not None:
        notice = f'<div class="rag-notice is-error" role="alert"><span>⚠</span> {escape(turn.error)}</div>'
        return notice + (_actions(i, which, ("retry",)) if turn.question.strip() and latest else "")
    answer = turn.answer
    if answer is None:
        return _bubble("is-pending", _THINKING.format(escape(say(which, "searching"))))
    if answer.refused and not answer.citations:
        body = f'<p class="rag-refusal"><span class="rag-refusal-icon">∅</span>{escape(answer.answer)}</p>'
        acts = ("retry", "up", "down") if latest else ("up", "down")
        return _bubble("is-refused", body + _warning(answer) + _actions(i, which, acts))
    if turn.pending:
        return _bubble("is-pending", answer_html(answer, i, live=True, which=which))
    kind = "is-not-stated" if answer.outcome is Outcome.NOT_STATED else "is-answer"  # closest passages cited
    return _bubble(kind, _answer_body(i, turn, answer, which, library, latest))


def _answer_body(
    i: int, turn: Turn, answer: Answer, which: Script, library: Library | None, latest: bool
) -> str:
    groups = group_sources(turn.sources)
    shown = shown_numbers(groups)
    grouped = frozenset(g.n for g in groups if len(g.views) > 1)
    body = answer_html(answer, i, shown=shown, grouped=grouped, which=which)
    body += _disagreement(i, answer, shown, which) + _warning(answer) + _chips(i, groups)
    acts = ("copy", "retry", "up", "down") if latest else ("copy", "up", "down")
    body += _actions(i, which, acts, len(groups))
    body += f'<textarea class="rag-copy-text" hidden readonly>{escape(copy_text(turn, which))}</textarea>'
    if library is not None:
        body += _suggestions(library, turn, which)
    return body


def _bubble(kind: str, body: str) -> str:
    avatar = '<span class="rag-avatar" aria-hidden="true">¶</span>'
    return f'<div class="rag-a {kind}">{avatar}<div class="rag-a-body">{body}</div></div>'


def _warning(answer: Answer) -> str:
    if not answer.warning:
        return ""
    return f'<p class="rag-notice is-warning" role="status"><span>⚠</span> {escape(answer.warning)}</p>'


def _disagreement(i: int, answer: Answer, shown: dict[int, int], which: Script) -> str:
    """The note naming figures the cited sources give differently for one thing."""
    notes = []
    for found in disagreements(cited_stretches(answer.answer)):
        figures = [(text, shown.get(n)) for text, n in found.figures]
        if len({g for _, g in figures}) < 2 or None in {g for _, g in figures}:
            continue  # one list's items are one source
        listed = escape(say(which, "disagree_sep")).join(
            f"{escape(text)}{marker_button(i, g, which)}" for text, g in figures
        )
        notes.append(say_html(which, "disagree", thing=escape(found.thing), figures=listed))
    if not notes:
        return ""
    return f'<p class="rag-notice is-disagree" role="note"><span>≠</span> {" ".join(notes)}</p>'


def _chips(turn: int, groups: Sequence[SourceGroup]) -> str:
    """The answer's sources under it, a row per document: its title, a chip per source."""
    documents: dict[str, list[SourceGroup]] = {}
    for group in groups:
        documents.setdefault(group.first.source, []).append(group)
    rows = []
    for found in documents.values():
        title = found[0].first.title or found[0].first.source
        chips = "".join(
            f'<button type="button" class="rag-chip rag-cite" data-turn="{turn}" data-n="{g.n}">'
            f'<span class="rag-chip-n">{g.n}</span>{escape(g.label)}</button>'
            for g in found
        )
        rows.append(
            f'<div class="rag-chip-row"><span class="rag-chip-title" title="{escape(title)}">'
            f"{escape(short(title, 60))}</span>{chips}</div>"
        )
    return f'<div class="rag-chips">{"".join(rows)}</div>' if rows else ""


_ACTIONS = {"copy": ("copy", "copy"), "retry": ("retry", "retry"), "edit": ("edit", "edit"),
            "up": ("up", "helpful"), "down": ("down", "not_helpful"), "sources": ("book", "show_sources")}


def _action(act: str, which: Script, turn: int, label: bool = True, count: int = 0) -> str:
    glyph, key = _ACTIONS[act]
    text = escape(say(which, key, n=count) if act == "sources" else say(which, key))
    pressed = ' aria-pressed="false"' if act in ("up", "down") else ""
    shown = f"<span>{text}</span>" if label else ""
    return (
        f'<button type="button" class="rag-act rag-act-{act}" data-act="{act}" data-turn="{turn}" '
        f'title="{text}" aria-label="{text}"{pressed}>{icon(glyph)}{shown}</button>'
    )


def _actions(turn: int, which: Script, acts: Sequence[str], sources: int = 0) -> str:
    buttons = "".join(_action(a, which, turn, label=a in ("copy", "retry")) for a in acts)
    if sources:
        buttons += _action("sources", which, turn, count=sources)
    return f'<div class="rag-actions">{buttons}</div>'


def _suggestions(library: Library, turn: Turn, which: Script) -> str:
    questions = suggest(library.catalog, [(v.source, v.number) for v in turn.sources], which)
    if not questions:
        return ""
    buttons = "".join(
        f'<button type="button" class="rag-next-q" data-ask="{escape(json.dumps([q], ensure_ascii=False))}">'
        f"{escape(q)}</button>"
        for q in questions
    )
    return f'<div class="rag-next"><p>{escape(say(which, "follow_ups"))}</p>{buttons}</div>'


def copy_text(turn: Turn, which: Script = Script.LATIN) -> str:
    """The answer with its markers as shown, then each source with the sentences it quoted."""
    if turn.answer is None:
        return ""
    groups = group_sources(turn.sources)
    plan = MarkerPlan(shown_numbers(groups), frozenset(g.n for g in groups if len(g.views) > 1))
    lines = [plain_markers(turn.answer.answer.strip(), plan)]
    if groups:
        lines += ["", f"{say(which, 'sources_head')}:"]
    for g in groups:
        lines.append(f"[{g.n}] {g.first.title or g.first.source} — {g.first.source} {g.label}")
        lines.append(f"    “{short(g.quoted, 400)}”")
    return "\n".join(lines)


__all__ = ["answer_html", "copy_text", "inline_html", "render_sources", "render_transcript"]
