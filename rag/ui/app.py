"""The Gradio chat UI: wiring only. Behaviour lives in ui_turns, HTML in ui_render.

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
from rag.qa import ask, ask_stream, index_info, paragraphs
from rag.ui.assets import MARKER_JS, STYLE
from rag.ui.documents import documents_panel
from rag.ui.render import IndexFacts, render_header, render_sources, render_transcript
from rag.ui.settings import CONCURRENCY, EXAMPLES, launch_options
from rag.ui.sources import answer_markdown, citation_records, source_views
from rag.ui.turns import Turn, converse


@dataclass
class _Page:
    """The components the events connect."""

    turns: gr.State
    transcript: gr.HTML
    sources: gr.HTML
    box: gr.Textbox
    send: gr.Button
    clear: gr.Button
    examples: list[gr.Button]


def build_app(config: RagConfig) -> gr.Blocks:
    """The chat page plus the stateless `/ask` API; loads the engine now so answers start fast."""
    facts = _warm(config)
    with gr.Blocks(title="Ask the documents", analytics_enabled=False, fill_width=True) as app:
        page = _layout(facts)
        _connect(page, config)
        documents_panel(config)
        gr.api(_ask_api(config), api_name="ask")
    app.queue(default_concurrency_limit=CONCURRENCY)
    return app


def _layout(facts: IndexFacts) -> _Page:
    header = f"<style>{STYLE}</style>{render_header(facts)}"
    gr.HTML(header, js_on_load=None, apply_default_css=False)
    turns = gr.State([])
    with gr.Row(equal_height=False):
        with gr.Column(scale=7, min_width=380):
            transcript = gr.HTML(
                render_transcript([]), elem_id="rag-chat", js_on_load=MARKER_JS,
                autoscroll=True, apply_default_css=False,
            )
            with gr.Row(elem_id="rag-tools"):
                examples = [gr.Button(q, size="sm", variant="secondary") for q in EXAMPLES]
            with gr.Row(equal_height=True):
                box = gr.Textbox(
                    placeholder="Ask in English or 中文 (繁體/简体)…", show_label=False,
                    lines=1, max_lines=5, scale=9, autofocus=True, elem_id="rag-input",
                )
                send = gr.Button("Ask", variant="primary", scale=0, min_width=90,
                                 elem_id="rag-send")
                clear = gr.Button("New chat", scale=0, min_width=110, elem_id="rag-new")
        with gr.Column(scale=5, min_width=320):
            sources = gr.HTML(
                render_sources([]), elem_id="rag-sources", js_on_load=None, apply_default_css=False
            )
    return _Page(turns, transcript, sources, box, send, clear, examples)


def _connect(page: _Page, config: RagConfig) -> None:
    """Enter, Ask and the examples answer; New chat forgets. None of these is a public API."""

    def respond(message: str, before: list[Turn]) -> Iterator[tuple[Any, ...]]:
        yield from _respond(config, message, before)

    outputs = [page.box, page.turns, page.transcript, page.sources]
    private = {"api_visibility": "private", "show_progress": "hidden"}
    page.box.submit(respond, [page.box, page.turns], outputs, **private)
    page.send.click(respond, [page.box, page.turns], outputs, **private)
    for example in page.examples:
        example.click(respond, [example, page.turns], outputs, **private)
    page.clear.click(_new_chat, None, outputs, **private)


def _respond(config: RagConfig, message: str, before: list[Turn]) -> Iterator[tuple[Any, ...]]:
    """One chat turn as Gradio outputs: (input box, turns, transcript, sources panel)."""
    steps = converse(
        message or "",
        before or [],
        lambda question, history: ask_stream(question, history, config),
        lambda: paragraphs(config),
    )
    state: list[Turn] = list(before or [])
    box: Any = ""  # cleared once, then left alone while the answer streams
    for state in steps:
        yield box, gr.skip(), render_transcript(state), gr.skip()
        box = gr.skip()
    failed = bool(state) and state[-1].error is not None
    yield (message if failed else ""), state, render_transcript(state), render_sources(state)


def _new_chat() -> tuple[str, list[Turn], str, str]:
    return "", [], render_transcript([]), render_sources([])


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


def _warm(config: RagConfig) -> IndexFacts:
    """Load the retriever, models and tokenisers once per process, before anyone asks."""
    info = index_info(config)
    return IndexFacts(info.mode, info.llm_model, len(info.documents), info.paragraphs)


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
