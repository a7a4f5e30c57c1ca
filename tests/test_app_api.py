"""The chat app as a server: the stateless `/ask` API through gradio_client, login, secrets."""

from __future__ import annotations

import dataclasses
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from gradio_client import Client

from rag.config import RagConfig
from rag.ui.app import build_app
from rag.ui.settings import launch_options

pytestmark = pytest.mark.server

RMB = "What percentage of offshore RMB settlement does Hong Kong handle?"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(config: RagConfig, **launch: object) -> Iterator[str]:
    """The app built for `config`, listening on a free local port until the block ends."""
    app = build_app(config)
    port = free_port()
    app.launch(
        prevent_thread_lock=True, server_name="127.0.0.1", server_port=port, quiet=True, **launch
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


@pytest.fixture(scope="module")
def client(seeded_home) -> Iterator[Client]:
    from tests.conftest import SEEDS

    with running(RagConfig(home=seeded_home, docs=(SEEDS,))) as url:
        yield Client(url, verbose=False)


def test_app_api__ask_answers_with_75_and_cites_the_rmb_paragraph(client):
    markdown, citations = client.predict(RMB, api_name="/ask")
    assert "75" in markdown and "[1]" in markdown
    cited = {(c["source"], c["paragraph"]) for c in citations}
    assert cited & {("000_9ac360c900c966b4.txt", 70), ("000_9ac360c900c966b4.txt", 27)}
    first = citations[0]
    assert first["n"] == 1 and "75%" in first["text"]
    assert any("75%" in h for h in first["highlighted"]), "the quoted sentence is marked as used"
    assert first["title"].startswith("25 Years of WTO Membership")


def test_app_api__chinese_question_answers_in_chinese_with_citation(client):
    markdown, citations = client.predict("全國有多少個自貿試驗區?", api_name="/ask")
    assert "22" in markdown and "自貿試驗區" in markdown
    assert citations and citations[0]["source"].startswith("000_")


def test_app_api__empty_question_returns_a_notice_not_a_crash(client):
    markdown, citations = client.predict("   ", api_name="/ask")
    assert markdown.startswith("⚠") and "empty" in markdown
    assert citations == []


def test_app_api__over_long_question_returns_the_limit(client):
    markdown, citations = client.predict("why " * 600, api_name="/ask")
    assert "2,000" in markdown and "Shorten" in markdown and citations == []


def test_app_api__uncovered_question_is_refused_without_citations(client):
    cake = "What is the best recipe for chocolate cake?"
    markdown, citations = client.predict(cake, api_name="/ask")
    assert "don't cover" in markdown and citations == []


def test_app_api__parallel_requests_all_get_their_own_answer(client):
    jobs = [client.submit(q, api_name="/ask") for q in (RMB, "全國有多少個自貿試驗區?", RMB)]
    answers = [job.result(timeout=120)[0] for job in jobs]
    assert "75" in answers[0] and "22" in answers[1] and "75" in answers[2]


def test_app_api__only_ask_is_a_public_endpoint(client):
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(endpoints) == {"/ask"}


def test_app_api__llm_mode_names_the_model_and_never_shows_the_key(llm, llm_config):
    llm.script(("text", "Hong Kong handles over 75% of global offshore RMB settlement [1]."))
    config = dataclasses.replace(llm_config, llm_model="scripted-model-7")
    with running(config) as url:
        page = urllib.request.urlopen(url + "config").read().decode()
        markdown, citations = Client(url, verbose=False).predict(RMB, api_name="/ask")
    assert "scripted-model-7" in page and "sk-test-secret-123" not in page
    assert "75%" in markdown and len(citations) == 1


def test_app_api__rag_auth_requires_login(config):
    options = launch_options(dataclasses.replace(config, auth="alice:s3cret:x"))
    with running(config, auth=options.auth) as url:
        with pytest.raises(urllib.error.HTTPError) as denied:
            urllib.request.urlopen(url + "config")
        logged_in = Client(url, auth=("alice", "s3cret:x"), verbose=False)
        markdown, _ = logged_in.predict(RMB, api_name="/ask")
    assert denied.value.code in (401, 403)
    assert "75" in markdown


def test_app_api__rag_chat_on_a_busy_port_says_how_to_fix_it(seeded_home, monkeypatch, capsys):
    from rag.cli import main

    monkeypatch.setenv("RAG_HOME", str(seeded_home))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        code = main(["chat", "--port", str(busy.getsockname()[1])])
    assert code == 1
    err = capsys.readouterr().err  # may also hold what other servers' threads in this process print
    ours = [line for line in err.splitlines() if line.startswith("rag:")]
    assert len(ours) == 1 and ours[0].startswith("rag: cannot listen on 127.0.0.1:") and "--port" in ours[0], err
    assert "rag/cli.py" not in err, err  # no traceback through the command
