"""HTML of the sources panel and of "view in context". Pure string building; all text escaped.

The panel holds every answered turn's source cards; the latest turn's are shown, and a clicked
marker shows its own turn's. One card per source group (rag.ui.groups): a single paragraph,
or a list's lead-in and items together. On a phone the panel is a sheet over the chat with a
way back to the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from rag.types import Paragraph, Script
from rag.ui.groups import SourceGroup, group_sources
from rag.ui.markup import LANG_TAGS, i18n, icon, short
from rag.ui.sources import SourceView
from rag.ui.strings import say, script_of
from rag.ui.turns import Turn

CONTEXT_RADIUS = 2  # paragraphs shown on each side of the cited ones, and added per "show more"


def render_sources(turns: Sequence[Turn]) -> str:
    """Every answered turn's sources; the latest is shown, a clicked marker shows its own."""
    answered = [i for i, t in enumerate(turns) if t.answered]
    which = script_of(turns[answered[-1]].question) if answered else Script.LATIN
    if not answered:
        body = f'<p class="rag-src-empty">{escape(say(which, "sources_empty"))}</p>'
    else:
        body = "".join(_turn_sources(i, turns[i], i == answered[-1]) for i in answered)
    return f'<aside class="rag-sources" data-script="{which}">{_bar(which)}{body}</aside>'


def _bar(which: Script) -> str:
    back, head, close = (say(which, k) for k in ("back_to_answer", "sources_head", "close"))
    return (
        '<div class="rag-src-bar">'
        f'<button type="button" class="rag-back" data-act="back">{icon("back")}{i18n("back_to_answer", back)}</button>'
        f'<h2 class="rag-src-head">{i18n("sources_head", head)}</h2>'
        f'<button type="button" class="rag-close" data-act="back" aria-label="{escape(close)}" '
        f'title="{escape(close)}">{icon("close")}</button></div>'
    )


def _turn_sources(i: int, turn: Turn, active: bool) -> str:
    which = script_of(turn.question)
    state = " is-active" if active else ""
    head = f'<p class="rag-src-for">{escape(say(which, "sources_for"))} <q>{escape(short(turn.question, 90))}</q></p>'
    if not turn.sources:
        cards = f'<p class="rag-src-empty">{escape(say(which, "no_sources"))}</p>'
    else:
        cards = "".join(source_card(i, g, which) for g in group_sources(turn.sources))
    return f'<div class="rag-src-turn{state}" data-turn="{i}" lang="{LANG_TAGS[which]}">{head}{cards}</div>'


def source_card(turn: int, group: SourceGroup, which: Script = Script.LATIN) -> str:
    """One source: title, file and paragraph numbers, the text with used sentences marked."""
    view = group.first
    title = escape(view.title or view.source)
    meta = [f"<code>{escape(view.source)}</code>", escape(group.label)]
    if view.location and not view.location.endswith(str(view.number)):  # "line 70" would repeat "¶ 70"
        meta.append(escape(view.location))
    if view.section:
        meta.append(escape(short(view.section, 80)))
    if len(group.views) == 1:
        text = f'<blockquote lang="{escape(view.lang)}">{_marked(view)}</blockquote>{_twin(view, which)}'
    else:
        lines = "".join(
            f'<p class="rag-src-line"><span class="rag-pn">¶{v.number}</span>{_marked(v)}</p>' for v in group.views
        )
        text = f'<blockquote class="is-list" lang="{escape(view.lang)}">{lines}</blockquote>'
    first, last = group.numbers
    context = (
        f'<button type="button" class="rag-context-open" data-act="context" data-source="{escape(view.source)}" '
        f'data-first="{first}" data-last="{last}">{icon("context")}{escape(say(which, "view_in_context"))}</button>'
    )
    return (
        f'<article class="rag-src" data-turn="{turn}" data-n="{group.n}" id="rag-src-{turn}-{group.n}">'
        f'<header><span class="rag-src-n">{group.n}</span><div><h3 lang="{escape(view.lang)}">{title}</h3>'
        f'<p class="rag-src-meta">{" · ".join(meta)}</p></div></header>{text}{context}</article>'
    )


def _marked(view: SourceView) -> str:
    return "".join(f"<mark>{escape(s.text)}</mark>" if s.used else escape(s.text) for s in view.segments)


def _twin(view: SourceView, which: Script) -> str:
    if view.twin is None:
        return ""
    name = say(which, "twin_zh" if view.twin.lang == "zh" else "twin_en")
    label = f"{name} · ¶ {view.twin.number}"
    return (
        f'<details class="rag-twin"><summary>{escape(label)}</summary>'
        f'<p lang="{escape(view.twin.lang)}">{escape(view.twin.text)}</p></details>'
    )


def render_context(
    source: str, title: str, shown: Sequence[Paragraph], cited: range, more: tuple[bool, bool], which: Script
) -> str:
    """Paragraphs around the cited ones, for the "view in context" reader.

    Args:
        source: the document's file name.
        title: the document's title ('' when it has none).
        shown: the paragraphs to show, in order.
        cited: the numbers of the cited paragraphs, marked among them.
        more: whether there are (earlier, later) paragraphs beyond `shown`.
        which: the script of the page's strings.
    """
    rows = "".join(
        f'<p class="rag-ctx-p{" is-cited" if p.number in cited else ""}" lang="{escape(p.lang)}" '
        f'data-number="{p.number}"><span class="rag-pn">¶{p.number}</span>{escape(p.text)}</p>'
        for p in shown
    )
    span = f"¶ {shown[0].number}–{shown[-1].number}" if shown else ""
    earlier = _more("before", which) if more[0] else ""
    later = _more("after", which) if more[1] else ""
    return (
        f'<div class="rag-ctx" data-source="{escape(source)}" data-first="{cited.start}" '
        f'data-last="{cited.stop - 1}"><header><h3>{escape(title or source)}</h3>'
        f'<p class="rag-src-meta"><code>{escape(source)}</code> · {escape(span)}</p></header>'
        f"{earlier}{rows}{later}</div>"
    )


def _more(side: str, which: Script) -> str:
    text = escape(say(which, f"context_more_{side}"))
    return f'<button type="button" class="rag-ctx-more" data-act="more-{side}">{text}</button>'
