"""Secrets stay secret: the API key (and a password inside RAG_CHROMA_URL) never reaches a repr,
a log record, a warning, an error or the CLI's output, even when the endpoint fails."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import socket
import subprocess
import sys

import pytest

from rag.cli import main
from rag.config import REPO_ROOT, RagConfig
from tests.cli import config_env

KEY = "sk-proj-LEAKCHECK-9f3b2c7d1e"
RMB = "What percentage of offshore RMB settlement does Hong Kong handle?"


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _set_env(monkeypatch: pytest.MonkeyPatch, cfg: RagConfig, **extra: str) -> None:
    for key in [k for k in os.environ if k.startswith(("RAG_", "OPENAI_"))]:
        monkeypatch.delenv(key)
    for name, value in config_env(cfg, OPENAI_API_KEY=KEY, **extra).items():
        monkeypatch.setenv(name, value)


def test_config__repr_and_str_hide_the_key_and_the_ui_password():
    cfg = RagConfig.from_env({"OPENAI_API_KEY": KEY, "RAG_AUTH": "admin:hunter2-pass"})
    assert cfg.openai_api_key == KEY
    for text in (repr(cfg), str(cfg), f"{cfg}", f"{cfg!r}"):
        assert KEY not in text and "hunter2-pass" not in text


FAILURES = {
    "unreachable": None,
    "http 500": ("status", 500),
    "http 401": ("status", 401),
    "body echoing the key": ("garbage", json.dumps({"error": {"message": f"Incorrect API key provided: {KEY}"}})),
    "non-json echoing the key": ("garbage", f"<html>bad key {KEY}</html>"),
}


class _Records(logging.Handler):
    """Every log record of every logger, formatted with its traceback, while installed."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def __enter__(self) -> _Records:
        root = logging.getLogger()
        self._level = root.level
        root.addHandler(self)
        root.setLevel(logging.DEBUG)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger().removeHandler(self)
        logging.getLogger().setLevel(self._level)


@pytest.mark.parametrize("failure", list(FAILURES))
def test_rag_ask__failing_llm_endpoint_never_shows_the_key(
    config, llm, monkeypatch, capfd, failure
):
    step = FAILURES[failure]
    url = f"http://127.0.0.1:{_dead_port()}/v1" if step is None else llm.url
    if step is not None:
        llm.script(*[step] * 6)  # three attempts for each of the two runs
    _set_env(monkeypatch, config, OPENAI_BASE_URL=url, RAG_LLM_TIMEOUT="3")
    with _Records() as records:
        for argv in (["ask", RMB], ["ask", RMB, "--json"]):
            assert main(argv) == 0
            out, err = capfd.readouterr()
            assert "75%" in out and "warning" in (err + out)
            assert KEY not in out and KEY not in err
    assert records.lines, "the DEBUG records were captured"
    assert KEY not in "\n".join(records.lines)
    if step is not None:
        assert llm.headers and llm.headers[-1]["Authorization"] == f"Bearer {KEY}", "the key was used"


def test_rag_ask__subprocess_with_debug_logging_never_prints_the_key(config, llm):
    """A separate process, with every logger at DEBUG (as someone debugging would run it)."""
    llm.script(("status", 500), ("status", 500), ("status", 500))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "OPENAI_"))}
    env.update(RAG_HOME=str(config.home), RAG_DOCS=str(config.docs[0]), OPENAI_API_KEY=KEY,
               OPENAI_BASE_URL=llm.url, RAG_LLM_TIMEOUT="3", OPENAI_LOG="debug")
    code = "import logging, sys; logging.basicConfig(level=logging.DEBUG); from rag.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", code, "ask", RMB], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "75%" in done.stdout and ("HTTP 500" in done.stderr or "did not answer in time" in done.stderr)
    assert KEY not in done.stdout and KEY not in done.stderr


def test_chroma_url__password_is_not_shown_in_errors(config, monkeypatch, capfd):
    url = f"http://admin:chroma-s3cret@127.0.0.1:{_dead_port()}"
    _set_env(monkeypatch, config, RAG_CHROMA_URL=url)
    for argv in (["ask", RMB], ["index"]):
        assert main(argv) == 1
        out, err = capfd.readouterr()
        assert "not reachable" in err and "127.0.0.1" in err
        assert "chroma-s3cret" not in out + err and KEY not in out + err


def test_answer_warning__names_the_failure_not_the_key(llm, llm_config):
    from rag.qa import build_pipeline

    llm.script(*[("garbage", f'{{"error": "{llm_config.openai_api_key}"}}')] * 3)
    answer = build_pipeline(llm_config).answer(RMB, ())
    assert answer.warning and llm_config.openai_api_key not in json.dumps(answer.to_dict())
    assert llm_config.openai_api_key not in repr(dataclasses.replace(llm_config))
