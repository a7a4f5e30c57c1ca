"""Thumbs up/down from the chat page, kept on this machine in RAG_HOME/feedback.jsonl.

One JSON line per vote, with the question, the answer and its citations, so the team can read
what was judged. A comment added after a vote repeats the record with the comment and the same
`id`: the last line of an id is the one that counts.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

from rag.errors import RagError
from rag.ui.turns import Turn

RATINGS = ("up", "down")
MAX_COMMENT_CHARS = 2000
_write_lock = threading.Lock()


def feedback_record(turn: Turn, rating: str, comment: str, vote_id: str, at: datetime | None = None) -> dict:
    """The line to store for a vote on `turn`; checks the rating and the comment's length."""
    if rating not in RATINGS:
        raise RagError(f"feedback rating must be one of {', '.join(RATINGS)}, got {rating!r}.")
    if len(comment) > MAX_COMMENT_CHARS:
        raise RagError(f"feedback comment is {len(comment)} characters; the limit is {MAX_COMMENT_CHARS}.")
    answer = turn.answer
    return {
        "id": vote_id,
        "time": (at or datetime.now(UTC)).isoformat(timespec="seconds"),
        "rating": rating,
        "comment": comment.strip(),
        "question": turn.question,
        "answer": None if answer is None else answer.answer,
        "refused": None if answer is None else answer.refused,
        "mode": None if answer is None else str(answer.mode),
        "error": turn.error,
        "citations": [] if answer is None else [c.to_dict() for c in answer.citations],
    }


def save_feedback(path: Path, record: dict) -> None:
    """Append `record` as one line to `path`, creating its folder; safe across threads."""
    line = json.dumps(record, ensure_ascii=False) + "\n"
    with _write_lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(line)
