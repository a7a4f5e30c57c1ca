"""`ask()`: the one entry point. A thin wrapper over the query engine, loaded once per process."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator, Sequence

from rag.config import RagConfig
from rag.query_engine import ConversationQuery, RagQueryEngine, build_engine
from rag.errors import IndexNotBuilt
from rag.question.validation import validate_question
from rag.index.snapshot import Manifest
from rag.types import Answer

_lock = threading.Lock()
_engines: dict[RagConfig, tuple[float, RagQueryEngine]] = {}


def get_engine(config: RagConfig | None = None) -> RagQueryEngine:
    """The process's engine for `config`, built on first use and reloaded after a re-index."""
    config = RagConfig.from_env() if config is None else config
    with _lock:
        manifest = Manifest.read(config.home)
        if manifest is None:
            _build_missing_index(config)
            manifest = Manifest.read(config.home)
            if manifest is None:
                raise IndexNotBuilt(f"no index in {config.home}; run `rag index --rebuild`.")
        cached = _engines.get(config)
        if cached is None or cached[0] != manifest.built_at:
            _engines[config] = (manifest.built_at, build_engine(config))
        return _engines[config][1]


def _build_missing_index(config: RagConfig) -> None:
    from rag.index.build import build_index

    print(f"rag: no index in {config.home} yet; building it now…", file=sys.stderr)
    report = build_index(config, wait=True)
    for warning in report.warnings:
        print(f"rag: warning: {warning}", file=sys.stderr)
    print(f"rag: {report.summary()}", file=sys.stderr)


def ask(
    question: str,
    history: Sequence[tuple[str, str]] | None = None,
    config: RagConfig | None = None,
) -> Answer:
    """Answer `question` from the indexed documents, citing a paragraph for every sentence.

    Args:
        question: English, Traditional or Simplified Chinese; at most 2,000 characters.
        history: earlier (question, answer) turns, so follow-ups like "and its members?" resolve.
        config: settings; `RagConfig.from_env()` when None.

    Returns:
        An `Answer`: marker [n] in `answer` refers to `citations[n-1]`.

    Raises:
        BadQuestion: the question is empty or too long (a ValueError).
        IndexNotBuilt, StoreUnavailable: the index cannot be used; the message says what to do.

    >>> ask("What share of offshore RMB settlement does Hong Kong handle?").citations[0].paragraph
    70
    """
    validate_question(question)
    engine = get_engine(config)
    response = engine.query(ConversationQuery(query_str=question, history=tuple(history or ())))
    return response.metadata["answer"]


def ask_stream(
    question: str,
    history: Sequence[tuple[str, str]] | None = None,
    config: RagConfig | None = None,
) -> Iterator[Answer]:
    """Like `ask`, but yields partial answers while an LLM writes; the last one is final."""
    validate_question(question)
    engine = get_engine(config)
    yield from engine.stream_answer(question, tuple(history or ()))
