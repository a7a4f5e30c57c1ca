"""The Gradio chat UI: layout and event wiring only. What events do lives in rag.ui.handlers,
HTML in rag.ui.render/panel/chrome/welcome, CSS and JS in rag/ui/assets/.

>>> app = build_app(RagConfig.from_env())  # doctest: +SKIP
>>> app.launch(server_name="127.0.0.1", server_port=7860)  # doctest: +SKIP

Scripts can skip the page: `gradio_client.Client(url).predict(question, api_name="/ask")`
returns (answer markdown, citations as JSON).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from rag.config import RagConfig
from rag.errors import RagError
from rag.qa import ask, paragraphs
from rag.ui.chrome import IndexFacts, render_composer, render_header
from rag.ui.documents import documents_panel
from rag.ui.handlers import Handlers, Update, load_library
from rag.ui.panel import render_sources
from rag.ui.render import render_transcript
from rag.ui.resources import page_script, read_text, stylesheet
from rag.ui.settings import CONCURRENCY, launch_options
from rag.ui.sources import answer_markdown, citation_records, source_views
from rag.ui.strings import all_strings
from rag.ui.welcome import Library

SETTLED = "() => document.dispatchEvent(new CustomEvent('rag:settled'))"  # the composer sends the next question


@dataclass
class _Page:
    """The components the events connect."""

    turns: gr.State
    chat: gr.HTML
    sources: gr.HTML
    composer: gr.HTML
    store: gr.HTML


def build_app(config: RagConfig) -> gr.Blocks:
    """The chat page plus the stateless `/ask` API; loads the engine now so answers start fast."""
    facts, library = load_library(config)
    handlers = Handlers(config, library)
    with gr.Blocks(title="Ask the documents", analytics_enabled=False, fill_width=True) as app:
        page = _layout(facts, library, handlers)
        _connect(page, handlers)
        documents_panel(config)
        gr.api(_ask_api(config), api_name="ask")
    app.queue(default_concurrency_limit=CONCURRENCY)
    return app


def _layout(facts: IndexFacts, library: Library, handlers: Handlers) -> _Page:
    strings = all_strings()

    def context(args: list) -> str:  # called by the sources panel's script as server.context(...)
        return handlers.context(args)

    top = f"<style>{stylesheet()}</style>{read_text('assets/icons.svg')}{render_header(facts)}"
    gr.HTML(top, elem_id="rag-top", js_on_load=page_script("header", strings), apply_default_css=False)
    turns = gr.State([])
    with gr.Row(elem_id="rag-main", equal_height=False):
        with gr.Column(scale=7, min_width=0, elem_id="rag-chat-col"):
            chat = gr.HTML(render_transcript([], library), elem_id="rag-chat",
                           js_on_load=page_script("chat", strings), apply_default_css=False)
            composer = gr.HTML(render_composer(), elem_id="rag-composer",
                               js_on_load=page_script("composer", strings), apply_default_css=False)
        with gr.Column(scale=5, min_width=0, elem_id="rag-side"):
            sources = gr.HTML(render_sources([]), elem_id="rag-sources", apply_default_css=False,
                              js_on_load=page_script("sources", strings), server_functions=[context])
    store = gr.HTML("[]", html_template="", elem_id="rag-store", apply_default_css=False,
                    js_on_load=page_script("store", strings))
    return _Page(turns, chat, sources, composer, store)


def _connect(page: _Page, handlers: Handlers) -> None:
    """Questions and kept chats arrive from the composer's queue, one at a time; votes from the chat.
    None of these is a public API."""

    def respond(evt: gr.EventData, before: list) -> Iterator[tuple[Any, ...]]:
        for update in handlers.respond(evt._data or {}, before):
            yield _outputs(update)

    def open_chat(evt: gr.EventData) -> tuple[Any, ...]:
        return _outputs(handlers.open_chat(evt._data or {}))

    def vote(evt: gr.EventData, turns: list) -> None:
        try:
            handlers.record_feedback(evt._data or {}, turns)
        except RagError as exc:
            raise gr.Error(str(exc)) from None

    outputs = [page.turns, page.chat, page.sources, page.store]
    private: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden", "trigger_mode": "multiple"}
    page.composer.submit(respond, [page.turns], outputs, **private).then(None, js=SETTLED)
    page.composer.select(open_chat, None, outputs, **private).then(None, js=SETTLED)
    page.chat.like(vote, [page.turns], None, **private)


def _outputs(update: Update) -> tuple[Any, ...]:
    return tuple(gr.skip() if value is None else value for value in update)


def _ask_api(config: RagConfig) -> Callable[[str], tuple[str, list[dict]]]:
    def ask_endpoint(question: str) -> tuple[str, list[dict]]:
        """Answer one question, statelessly: (answer Markdown with [n] markers, citations JSON)."""
        try:
            answer = ask(question, config=config)
        except RagError as exc:
            return f"⚠ {exc}", []
        views = source_views(answer, paragraphs(config))
        return answer_markdown(answer, views), citation_records(views)

    return ask_endpoint


def run_cli(args: argparse.Namespace, config: RagConfig) -> int:
    """`rag chat`: build the app, listen on --host/--port (or RAG_HOST/RAG_PORT), print the URL."""
    options = launch_options(config, getattr(args, "host", None), getattr(args, "port", None))
    app = build_app(config)
    try:
        app.launch(
            prevent_thread_lock=True, quiet=True, max_file_size=config.max_file_bytes, **options.kwargs()
        )
    except OSError as exc:
        raise RagError(
            f"cannot listen on {options.server_name}:{options.server_port}: the port is in use or "
            "the address is not on this machine. Pass --port/--host or set RAG_PORT/RAG_HOST."
        ) from exc
    login = " (login required)" if options.auth else ""
    print(f"rag chat: open {options.url}{login} — Ctrl+C stops it", flush=True)
    try:
        app.block_thread()
    finally:
        app.close()
    return 0


if __name__ == "__main__":  # pragma: no cover - `rag chat` is the entry point
    sys.exit(run_cli(argparse.Namespace(host=None, port=None), RagConfig.from_env()))
