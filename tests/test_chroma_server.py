"""Scale-out: the same index/ask behaviour against a real `chroma run` server (RAG_CHROMA_URL),
including the server dying, pausing and coming back while the process keeps running."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.config import REPO_ROOT, RagConfig
from rag.errors import IndexNotBuilt, StoreUnavailable
from rag.index.snapshot import Manifest
from rag.qa import ask, get_pipeline
from tests.cli import config_env, run_cli
from tests.conftest import SEEDS

pytestmark = pytest.mark.server

# the repo's .venv, else the one running the tests (a git worktree shares another checkout's)
CHROMA = next(
    (p for p in (REPO_ROOT / ".venv" / "bin" / "chroma", Path(sys.executable).parent / "chroma") if p.exists()),
    REPO_ROOT / ".venv" / "bin" / "chroma",
)
# one small seed file: the server is the point here, not the corpus
DOC = "002_44e99aac8690d231.txt"
QUESTION = "When was the National 14th Five-Year Plan promulgated?"
FACT = "March 2021"
START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    """`chroma run` as a child process; stop() kills it, start() brings it back on the same
    port and path, as an operator restarting it would."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log = path.parent / f"{path.name}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ChromaServer:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [str(CHROMA), "run", "--path", str(self.path), "--port", str(self.port),
                 "--host", "127.0.0.1"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self.alive():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"chroma run did not come up: {self.log.read_text(errors='replace')[-800:]}")
            time.sleep(0.1)
        return self

    def alive(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1) as r:
                return r.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)  # in case a test paused it
            self.proc.kill()
            self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    assert CHROMA.exists(), f"{CHROMA} is missing; reinstall chromadb in .venv"
    chroma = ChromaServer(tmp_path_factory.mktemp("chroma") / "db").start()
    try:
        yield chroma
    finally:
        chroma.stop()


def rag(cfg: RagConfig, *argv: str) -> int:
    """The real CLI, in-process, with the environment `RagConfig.from_env` will read."""
    return run_cli(config_env(cfg), *argv)


@pytest.fixture(scope="module")
def served(server: ChromaServer, tmp_path_factory: pytest.TempPathFactory) -> RagConfig:
    """A seed file indexed into the server through `rag index`; only the snapshot is local."""
    root = tmp_path_factory.mktemp("served")
    (root / "docs").mkdir()
    shutil.copy(SEEDS / DOC, root / "docs")
    cfg = RagConfig(home=root / "home", docs=(root / "docs",), chroma_url=server.url)
    assert rag(cfg, "index") == 0
    return cfg


def _server_collections(cfg: RagConfig) -> list[str]:
    from rag.index import store

    return [c.name for c in store.connect(cfg).list_collections()]


def _assert_answered(answer: object) -> None:
    assert not answer.refused and FACT in answer.answer, answer
    assert (DOC, 6) in {(c.source, c.paragraph) for c in answer.citations}


def test_server__index_lives_on_the_server_and_answers(served, capsys):
    manifest = Manifest.read(served.home)
    assert _server_collections(served) == [manifest.collection]
    assert not (served.home / "chroma").exists(), "nothing was written to an embedded store"
    _assert_answered(ask(QUESTION, config=served))
    assert rag(served, "ask", QUESTION) == 0
    assert FACT in capsys.readouterr().out


def test_server__second_index_embeds_nothing_and_keeps_the_collection(served, capsys):
    before = Manifest.read(served.home).collection
    assert rag(served, "index") == 0
    assert "0 embedded, 0 removed" in capsys.readouterr().out
    assert Manifest.read(served.home).collection == before


def test_server__new_home_reuses_the_collection_and_adds_a_document(served, tmp_path, capsys):
    """A second machine (its own RAG_HOME) joins the server's index without re-embedding."""
    cfg = dataclasses.replace(served, home=tmp_path / "home2")
    assert rag(cfg, "index") == 0
    out, err = capsys.readouterr()
    assert "0 embedded" in out
    assert "has no record of an index; reusing collection" in err
    note = tmp_path / "harbour.md"
    note.write_text("# Harbour notes\n\nThe Victoria Harbour ferry fleet has 27 vessels.\n")
    assert rag(cfg, "index", str(note)) == 0
    assert re.search(r"\b[1-9]\d* embedded", capsys.readouterr().out)
    answer = ask("How many vessels does the Victoria Harbour ferry fleet have?", config=cfg)
    assert "27" in answer.answer and answer.citations[0].source == "harbour.md"
    assert len(_server_collections(cfg)) == 1


def test_server__missing_local_snapshot_says_how_to_fix_it(served, tmp_path, capsys):
    cfg = dataclasses.replace(served, home=tmp_path / "home3")
    shutil.copytree(served.home, cfg.home, ignore=shutil.ignore_patterns("*.lock"))
    manifest = Manifest.read(cfg.home)
    shutil.rmtree(cfg.home / manifest.snapshot)
    assert rag(cfg, "ask", QUESTION) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "local snapshot" in lines[0] and served.chroma_url in lines[0]
    assert "Run `rag index`" in lines[0]
    with pytest.raises(IndexNotBuilt):
        ask(QUESTION, config=cfg)
    assert rag(cfg, "index") == 0
    assert "0 embedded" in capsys.readouterr().out
    _assert_answered(ask(QUESTION, config=cfg))


def test_server__unreachable_at_start_is_one_clear_line(served, tmp_path, capsys):
    cfg = dataclasses.replace(served, home=tmp_path / "home4", chroma_url=f"http://127.0.0.1:{free_port()}")
    shutil.copytree(served.home, cfg.home, ignore=shutil.ignore_patterns("*.lock"))
    for argv in (("ask", QUESTION), ("index",)):
        assert rag(cfg, *argv) == 1
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1, lines
        assert lines[0].startswith(f"rag: the vector store at {cfg.chroma_url} is not reachable")
        assert "chroma run --path DIR --port PORT" in lines[0]


def test_server__killed_mid_session_fails_clearly_then_recovers(served, server, capsys):
    """The cached engine survives the server dying: one clear error per call, then answers
    again once `chroma run` is back on the same port and path, with no restart."""
    from gradio_client import Client

    from rag.ui.app import build_app

    engine = get_pipeline(served)
    _assert_answered(ask(QUESTION, config=served))
    app = build_app(served)
    port = free_port()
    app.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=port, quiet=True)
    try:
        ui = Client(f"http://127.0.0.1:{port}/", verbose=False)
        server.stop()
        with pytest.raises(StoreUnavailable, match="not reachable"):
            ask(QUESTION, config=served)
        capsys.readouterr()
        assert rag(served, "ask", QUESTION) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith(f"rag: the vector store at {server.url}")
        notice, citations = ui.predict(QUESTION, api_name="/ask")
        assert "not reachable" in notice and citations == []

        server.start()
        _assert_answered(ask(QUESTION, config=served))
        assert get_pipeline(served) is engine, "recovered without reloading the engine"
        markdown, citations = ui.predict(QUESTION, api_name="/ask")
        assert "2021" in markdown and citations
    finally:
        app.close()
        if not server.alive():
            server.start()


def test_server__paused_server_times_out_instead_of_hanging(served, server):
    """SIGSTOP: the port still accepts connections but nothing answers."""
    from rag.qa import build_pipeline

    engine = build_pipeline(dataclasses.replace(served, store_timeout_s=2.0))
    assert FACT in engine.answer(QUESTION, ()).answer
    outcome: list[BaseException | object] = []

    def attempt() -> None:
        try:
            outcome.append(engine.answer(QUESTION, ()))
        except Exception as exc:  # the outcome is checked below
            outcome.append(exc)

    server.proc.send_signal(signal.SIGSTOP)
    try:
        start = time.monotonic()
        worker = threading.Thread(target=attempt, daemon=True)
        worker.start()
        worker.join(timeout=20)
        assert not worker.is_alive(), "ask hung on a paused Chroma server"
        assert time.monotonic() - start < 20
        assert isinstance(outcome[0], StoreUnavailable) and "not reachable" in str(outcome[0])
    finally:
        server.proc.send_signal(signal.SIGCONT)
    assert FACT in engine.answer(QUESTION, ()).answer


@pytest.mark.slow
def test_server__paused_server_every_new_command_fails_within_the_store_timeout(served, server):
    """A new process cannot even build its Chroma client against a paused server: `rag ask` and
    `rag index` each give up after RAG_STORE_TIMEOUT (+ 5 s for starting Python) with one line."""
    timeout = 3
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "OPENAI_"))}
    env.update(config_env(served), RAG_STORE_TIMEOUT=str(timeout))
    server.proc.send_signal(signal.SIGSTOP)
    try:
        for argv in (("ask", QUESTION), ("index",)):
            start = time.monotonic()
            done = subprocess.run(
                [sys.executable, "-m", "rag.cli", *argv], cwd=REPO_ROOT, env=env,
                capture_output=True, text=True, timeout=120,
            )
            elapsed = time.monotonic() - start
            lines = done.stderr.strip().splitlines()
            assert done.returncode == 1, done.stderr[-2000:]
            assert lines == [
                f"rag: the vector store at {server.url} is not reachable (no answer within {timeout} s); "
                "start it (chroma run --path DIR --port PORT) or unset RAG_CHROMA_URL."
            ], argv
            # gave up rather than hung (a hang runs into the 120 s limit); Python's start-up under load
            # can take several seconds, so the bound is loose
            assert elapsed < timeout + 30, f"rag {argv[0]} took {elapsed:.1f}s"
    finally:
        server.proc.send_signal(signal.SIGCONT)


def test_server__refused_connection_says_so_not_an_exception_name(served, tmp_path, capsys):
    cfg = dataclasses.replace(served, home=tmp_path / "home5", chroma_url=f"http://127.0.0.1:{free_port()}")
    assert rag(cfg, "ask", QUESTION) == 1
    line = capsys.readouterr().err.strip()
    assert "(connection refused)" in line and "Error" not in line, line
