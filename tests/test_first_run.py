"""A first `rag ask` on an empty RAG_HOME: it shows the indexing progress bar, reports the
index as built, and keeps jieba's dictionary cache under RAG_HOME, not the system temp folder."""

from __future__ import annotations

import os
import subprocess
import sys

from rag.config import REPO_ROOT

DOCS = {
    "harbour.txt": "Harbour report\n\nThe harbour handled 12 million containers in 2024.\n\n"
                   "Its new terminal opened in March.\n",
    "港口.txt": "港口年报\n\n港口在2024年处理了1200万个集装箱。\n\n新码头于三月启用。\n",
}


def test_first_ask__shows_progress_reports_built_and_keeps_its_language_caches_under_rag_home(tmp_path):
    docs, home, tmp = tmp_path / "docs", tmp_path / "home", tmp_path / "tmp"
    docs.mkdir()
    tmp.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "OPENAI_"))}
    env.update(RAG_HOME=str(home), RAG_DOCS=str(docs), TMPDIR=str(tmp))
    done = subprocess.run(
        [sys.executable, "-m", "rag.cli", "ask", "港口在2024年处理了多少集装箱？"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    # the bars `rag index` shows
    assert "embedding sentences and paragraphs: 100%" in done.stderr, done.stderr
    assert "rag: index built: 2 documents" in done.stderr, done.stderr
    assert "rebuilt" not in done.stderr
    assert "1200万" in done.stdout, done.stdout
    assert not list(tmp.rglob("jieba*.cache")), "jieba wrote its cache into the system temp folder"
    assert list(home.rglob("jieba*.cache")), "no jieba cache under RAG_HOME"
    assert list((home / "cache").glob("cedict-*.marshal")), "the parsed CC-CEDICT is not kept under RAG_HOME"
    assert not list(tmp.rglob("cedict-*")), "CC-CEDICT's parse went to the system temp folder"
