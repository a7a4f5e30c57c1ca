"""The start page: what the documents are, the languages it answers in, and examples. Pure.

Everything on it comes from the index (rag.ui.catalog, rag.ui.examples): the documents' titles
and section headings, their count, and example questions made from their text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from rag.types import Lang, Script
from rag.ui.catalog import Catalog, DocumentEntry
from rag.ui.examples import Example
from rag.ui.markup import short
from rag.ui.strings import say

SHOWN_DOCUMENTS = 8  # more are summed up as "and N more"
SHOWN_TOPICS = 4
LANGUAGE_NAMES = {Lang.EN: "English", Lang.ZH: "中文"}


@dataclass(frozen=True)
class Library:
    """What the page knows about the indexed documents, worked out once at start-up."""

    catalog: Catalog
    examples: tuple[Example, ...] = ()


def render_welcome(library: Library | None, which: Script = Script.LATIN) -> str:
    head = f"<h2>{escape(say(which, 'welcome_head'))}</h2>"
    body = f"<p>{escape(say(which, 'welcome_body'))}</p>"
    if library is None:
        return f'<div class="rag-welcome">{head}{body}</div>'
    catalog = library.catalog
    meta = say(which, "welcome_docs", documents=f"{len(catalog.documents):,}", paragraphs=f"{catalog.paragraphs:,}")
    written = " · ".join(LANGUAGE_NAMES.get(lang, str(lang)) for lang in catalog.languages)
    return (
        f'<div class="rag-welcome">{head}<p class="rag-welcome-meta">{escape(meta)} · {escape(written)}</p>'
        f"{body}<p class=\"rag-welcome-langs\">{escape(say(which, 'welcome_langs'))}</p>"
        f"{_examples(library.examples, which)}{_documents(catalog)}</div>"
    )


def _documents(catalog: Catalog) -> str:
    items = "".join(_document(d) for d in catalog.documents[:SHOWN_DOCUMENTS])
    more = len(catalog.documents) - SHOWN_DOCUMENTS
    tail = f'<li class="rag-doc is-more">+ {more:,}</li>' if more > 0 else ""
    return f'<ul class="rag-docs">{items}{tail}</ul>'


def _document(entry: DocumentEntry) -> str:
    title = entry.title(Lang.EN)
    others = [t for lang, t in entry.titles if t != title]
    alt = "".join(f'<p class="rag-doc-alt">{escape(short(t, 60))}</p>' for t in others[:1])
    topics = entry.topics(Lang.EN)[:SHOWN_TOPICS]
    listed = f'<p class="rag-doc-topics">{" · ".join(escape(short(t, 48)) for t in topics)}</p>' if topics else ""
    return (
        f'<li class="rag-doc"><h3 title="{escape(title)}">{escape(short(title, 80))}</h3>{alt}{listed}'
        f'<p class="rag-doc-file"><code>{escape(entry.source)}</code> · {entry.paragraphs:,} ¶</p></li>'
    )


def _examples(examples: tuple[Example, ...], which: Script) -> str:
    if not examples:
        return ""
    buttons = "".join(_example(e, which) for e in examples)
    return f'<div class="rag-examples"><p>{escape(say(which, "welcome_try"))}</p>{buttons}</div>'


def _example(example: Example, which: Script) -> str:
    then = f' <span class="rag-then">{escape(say(which, "then"))}</span> '
    asked = then.join(f"<span>{escape(q)}</span>" for q in example.questions)
    return (
        f'<button type="button" class="rag-example" data-kind="{example.kind}" '
        f'data-ask="{escape(json.dumps(list(example.questions), ensure_ascii=False))}">'
        f'<span class="rag-example-kind">{escape(say(which, f"example_{example.kind}"))}</span>{asked}</button>'
    )
