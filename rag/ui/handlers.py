"""What the page's events do: answer, open a kept chat, store a vote, show a paragraph in context.

The UI's I/O shell: it reaches the index only through rag.qa's public surface (ask_stream,
index_info, paragraphs, paragraph) and the disk only for feedback, and hands plain values back
to the wiring in app.py. Requests come from the browser, so each is checked before use.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from rag.config import RagConfig
from rag.errors import RagError
from rag.qa import ask, ask_stream, index_info, paragraph, paragraphs
from rag.types import AnswerMode, Script
from rag.ui.catalog import build_catalog
from rag.ui.chrome import IndexFacts
from rag.ui.examples import Example, ExampleKind, candidate_examples, pick_examples
from rag.ui.feedback import feedback_record, save_feedback
from rag.ui.panel import CONTEXT_RADIUS, render_context, render_sources
from rag.ui.records import conversation_record, turns_from_records
from rag.ui.render import render_transcript
from rag.ui.turns import Turn, converse
from rag.ui.welcome import Library

MAX_CONTEXT_RADIUS = 12  # "show more" stops widening here
Update = tuple[list[Turn] | None, str, str | None, str | None]  # turns, chat, sources, kept record; None: unchanged


@dataclass(frozen=True)
class Handlers:
    config: RagConfig
    library: Library

    def respond(self, request: dict, before: list[Turn]) -> Iterator[Update]:
        """Every state of one question's turn; `replace` (a turn index) asks again from there."""
        question = request.get("question")
        question = question if isinstance(question, str) else ""
        replace = request.get("replace")
        kept = list(before or [])
        if isinstance(replace, int) and not isinstance(replace, bool) and 0 <= replace <= len(kept):
            kept = kept[:replace]
        state = kept
        steps = converse(
            question, kept,
            lambda q, history: ask_stream(q, history, self.config),
            lambda: paragraphs(self.config),
        )
        for state in steps:
            yield None, render_transcript(state, self.library), None, None
        yield self._final(state)

    def open_chat(self, request: dict) -> Update:
        """A kept conversation (the browser's records) rendered again; [] starts a new one."""
        return self._final(turns_from_records(request.get("records"), paragraphs(self.config)))

    def _final(self, turns: list[Turn]) -> Update:
        # "<" escaped: the records are data, and stay inert even if put into HTML by mistake
        record = json.dumps(conversation_record(turns), ensure_ascii=False).replace("<", "\\u003c")
        return turns, render_transcript(turns, self.library), render_sources(turns), record

    def record_feedback(self, request: dict, turns: list[Turn]) -> None:
        """Append a vote on turn `turn` to RAG_HOME/feedback.jsonl."""
        index, vote_id = request.get("turn"), request.get("id")
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(turns or []):
            raise RagError(f"feedback names turn {index!r}, which this chat does not have. Reload the page.")
        comment = request.get("comment")
        record = feedback_record(
            turns[index], str(request.get("rating")), comment if isinstance(comment, str) else "",
            vote_id if isinstance(vote_id, str) else "",
        )
        save_feedback(self.config.feedback_path, record)

    def context(self, args: list) -> str:
        """HTML of the cited paragraphs `first`..`last` of `source` with `radius` neighbours a side."""
        source, first, last, radius, which = _context_request(args)
        cited = range(first, last + 1)
        start = max(1, first - radius)
        shown = [p for n in range(start, last + radius + 1) if (p := paragraph(source, n, self.config))]
        if not shown:
            raise RagError(f"{source} has no paragraph {first} in the index any more. Ask again.")
        entry = self.library.catalog.document(source)
        more = (start > 1, paragraph(source, shown[-1].number + 1, self.config) is not None)
        return render_context(source, entry.title() if entry else "", shown, cited, more, which)


def _context_request(args: object) -> tuple[str, int, int, int, Script]:
    if not isinstance(args, list) or len(args) != 5:
        raise RagError("context expects [source, first, last, radius, script].")
    source, first, last, radius, which = args
    numbers = (first, last, radius)
    if not isinstance(source, str) or not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
        raise RagError(f"context expects a file name and three numbers, got {args!r}.")
    if not 1 <= first <= last or last - first > 100:
        raise RagError(f"context range {first}–{last} is not a range of paragraphs.")
    script = which if which in {s.value for s in Script} else Script.LATIN.value
    return source, first, last, min(max(radius, CONTEXT_RADIUS), MAX_CONTEXT_RADIUS), Script(script)


def load_library(config: RagConfig) -> tuple[IndexFacts, Library]:
    """Load the retriever, models and tokenisers once, and work out what the start page says."""
    info = index_info(config)
    every = paragraphs(config)
    catalog = build_catalog(info.documents, every)
    works = _answers_as_expected(config) if info.mode is AnswerMode.EXTRACTIVE else None
    examples = pick_examples(candidate_examples(every.values()), works)
    facts = IndexFacts(info.mode, info.llm_model, len(info.documents), info.paragraphs)
    return facts, Library(catalog, examples)


def _answers_as_expected(config: RagConfig) -> Callable[[Example], bool]:
    """Offline answers are cheap: try each example, keep those answered (or refused, if meant to)."""

    def works(example: Example) -> bool:
        history: list[tuple[str, str]] = []
        for question in example.questions:
            answer = ask(question, history, config)
            if answer.refused != (example.kind is ExampleKind.UNANSWERABLE):
                return False
            history.append((question, answer.answer))
        return True

    return works
