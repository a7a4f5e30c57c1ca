"""The chat page's Documents panel: drag-and-drop upload, indexing with progress, the list, remove.

Self-contained: `documents_panel(config)` inside the page's `gr.Blocks` adds it. The work is done by
rag.index.uploads; the functions here turn its results into what the panel shows, and are plain
Python (tested without a browser). Every text shown is escaped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from rag.config import RagConfig
from rag.errors import RagError
from rag.index.uploads import add_documents, list_documents, remove_document, save_upload
from rag.ingest.readers import SUPPORTED_SUFFIXES

COLUMNS = ["document", "format", "paragraphs", "indexed at"]


@dataclass(frozen=True)
class Outcome:
    """What one upload or removal did: a line per file that could not be indexed, and a summary."""

    problems: tuple[str, ...]
    summary: str


def upload(config: RagConfig, files: Sequence[str | Path], progress: Callable[[int, int], None] | None) -> Outcome:
    """Save each uploaded file into RAG_HOME/documents, then index them all incrementally."""
    saved, problems = [], []
    for file in files:
        path = Path(file)
        try:
            saved.append(save_upload(config, path.name, path))
        except RagError as exc:
            problems.append(str(exc))
    if not saved:
        return Outcome(tuple(problems), "nothing was added")
    try:
        report = add_documents(config, saved, progress)
    except RagError as exc:
        return Outcome((*problems, str(exc)), "nothing was added")
    problems.extend(report.problems.values())
    added = len(saved) - len(report.problems)
    return Outcome(tuple(problems), f"{added} of {len(files)} file(s) indexed; {report.summary()}")


def remove(config: RagConfig, name: str | None) -> Outcome:
    if not name:
        return Outcome(("choose a document to remove",), "")
    try:
        report = remove_document(config, name)
    except RagError as exc:
        return Outcome((str(exc),), "")
    return Outcome((), f"removed {name}; {report.summary()}")


def document_rows(config: RagConfig) -> list[list[Any]]:
    return [
        [d.name, d.format, d.paragraphs, time.strftime("%Y-%m-%d %H:%M", time.localtime(d.indexed_at))]
        for d in list_documents(config)
    ]


def render_outcome(outcome: Outcome) -> str:
    """A notice per file that could not be read, then the summary; all escaped."""
    lines = [f'<p class="rag-notice is-error" role="alert">⚠ {escape(p)}</p>' for p in outcome.problems]
    if outcome.summary:
        lines.append(f'<p class="rag-notice" role="status">{escape(outcome.summary)}</p>')
    return "".join(lines)


def documents_panel(config: RagConfig) -> None:
    """The panel's components and events; call inside the page's `gr.Blocks`."""
    with gr.Accordion("Documents", open=False, elem_id="rag-documents"):
        files = gr.File(
            file_count="multiple", file_types=list(SUPPORTED_SUFFIXES), label="Add documents: drop files here",
            elem_id="rag-upload",
        )
        notices = gr.HTML("", elem_id="rag-doc-notices")
        table = gr.Dataframe(
            value=document_rows(config), headers=COLUMNS, interactive=False, elem_id="rag-doc-list", wrap=True
        )
        with gr.Row():
            choice = gr.Dropdown(choices=_names(config), label="Document", elem_id="rag-doc-choice", scale=4)
            button = gr.Button("Remove", variant="stop", elem_id="rag-doc-remove", scale=1)

    def on_upload(paths: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        def tick(done: int, total: int) -> None:
            progress((done, total), desc="Embedding", unit="texts")

        outcome = upload(config, paths or [], tick)
        return None, render_outcome(outcome), document_rows(config), gr.update(choices=_names(config), value=None)

    def on_remove(name: str | None) -> tuple[Any, ...]:
        outcome = remove(config, name)
        return render_outcome(outcome), document_rows(config), gr.update(choices=_names(config), value=None)

    private = {"api_visibility": "private"}
    files.upload(on_upload, [files], [files, notices, table, choice], **private)
    button.click(on_remove, [choice], [notices, table, choice], **private)


def _names(config: RagConfig) -> list[str]:
    return [d.name for d in list_documents(config)]
