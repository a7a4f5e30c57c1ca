"""The README's examples run: every ```python block executes against the real seeded index,
and the sample output of `rag ask` is what `rag ask` prints."""

from __future__ import annotations

import os
import re
import shlex

import pytest

from rag.cli import main
from rag.config import REPO_ROOT
from tests.conftest import SEEDS

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)
APP_URL = "http://127.0.0.1:7860/"  # the README's address of `rag chat`; the test serves on a free port


def blocks(lang: str) -> list[str]:
    return [body for tag, body in FENCE.findall(README) if tag == lang]


@pytest.fixture
def readme_env(monkeypatch: pytest.MonkeyPatch, seeded_home: object) -> None:
    for key in [k for k in os.environ if k.startswith(("RAG_", "OPENAI_"))]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("RAG_HOME", str(seeded_home))
    monkeypatch.setenv("RAG_DOCS", str(SEEDS))


def test_readme__has_python_examples_and_a_sample_output():
    assert blocks("python") and any(b.startswith("$ rag ask ") for b in blocks("text"))


@pytest.mark.parametrize("n", range(len(blocks("python"))))
def test_readme__python_block_runs(readme_env, n):
    code = blocks("python")[n]
    if APP_URL not in code:
        exec(compile(code, f"README.md python block {n + 1}", "exec"), {})
        return
    from rag.config import RagConfig
    from tests.test_app_api import running

    with running(RagConfig.from_env()) as url:
        exec(compile(code.replace(APP_URL, url), f"README.md python block {n + 1}", "exec"), {})


@pytest.mark.parametrize("sample", [b for b in blocks("text") if b.startswith("$ rag ask ")])
def test_readme__rag_ask_sample_output_is_the_real_output(readme_env, capsys, sample):
    command, *shown = sample.splitlines()
    argv = shlex.split(command.removeprefix("$ rag "))
    assert main(argv) == 0
    real = capsys.readouterr().out.splitlines()
    assert real[0] == shown[0]
    cited = [line for line in shown if line.startswith("[")]
    for line in cited:  # the citation's address is exact; its text is shortened with …
        address, _, text = line.partition(": ")
        match = next((r for r in real if r.startswith(address + ": ")), None)
        assert match is not None, (line, real)
        assert match.removeprefix(address + ": ").startswith(text.rstrip("…").rstrip())
