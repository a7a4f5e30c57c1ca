"""The eval questions the latency figures are measured on."""

from __future__ import annotations

import json
from pathlib import Path

from rag.config import REPO_ROOT

QUESTIONS = REPO_ROOT / "eval" / "questions.jsonl"


def eval_questions(limit: int | None = None, path: Path = QUESTIONS) -> list[str]:
    """Every question of the eval set, or `limit` of them spread evenly over it (all languages)."""
    with path.open(encoding="utf-8") as fh:
        questions = [json.loads(line)["question"] for line in fh if line.strip()]
    if limit is None or limit >= len(questions):
        return questions
    step = len(questions) / limit
    return [questions[int(i * step)] for i in range(limit)]
