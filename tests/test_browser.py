"""The chat page in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Screenshots go to the test's tmp_path and are copied to /tmp/ui-shots/ for a human to look at.
"""

from __future__ import annotations

import dataclasses
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.config import RagConfig
from rag.ui.app import build_app

pytestmark = [pytest.mark.browser, pytest.mark.server]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path("/tmp/ui-shots")
RMB = "What percentage of offshore RMB settlement does Hong Kong handle?"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(config: RagConfig) -> Iterator[str]:
    app = build_app(config)
    port = free_port()
    app.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=port, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


@pytest.fixture(scope="module")
def url(seeded_home: Path) -> Iterator[str]:
    from tests.conftest import SEEDS

    yield from _serve(RagConfig(home=seeded_home, docs=(SEEDS,)))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail("chromium is missing: run scripts/ensure-chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, url: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_selector("#rag-chat .rag-welcome", timeout=60_000)
    yield page
    context.close()


def shot(page: object, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path))
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / path.name)
    return path


def ask(page: object, question: str) -> object:
    """Type `question`, press Enter, and return the locator of its finished turn."""
    n = page.locator("#rag-chat .rag-turn").count()
    page.fill("#rag-input textarea", question)
    page.press("#rag-input textarea", "Enter")
    page.wait_for_function(
        f"document.querySelectorAll('#rag-chat .rag-turn').length > {n}"
        " && !document.querySelector('#rag-chat .rag-a.is-pending')",
        timeout=60_000,
    )
    return page.locator(f'#rag-chat .rag-turn[data-turn="{n}"]')


def test_browser__english_answer_marker_opens_highlighted_paragraph(page, tmp_path):
    turn = ask(page, RMB)
    assert "75%" in turn.locator(".rag-answer").inner_text()
    assert turn.locator(".rag-q").inner_text().strip() == RMB
    marker = turn.locator(".rag-answer button.rag-cite").first
    assert marker.inner_text().strip() == "1"
    marker.click()
    card = page.locator("#rag-sources .rag-src.is-focused")
    card.wait_for(timeout=5_000)
    assert card.is_visible()
    assert "000_9ac360c900c966b4.txt" in card.inner_text()
    assert "¶ 70" in card.inner_text() or "¶ 27" in card.inner_text()
    assert "25 Years of WTO Membership" in card.locator("h3").inner_text()
    marked = card.locator("blockquote mark").all_inner_texts()
    assert any("75%" in m for m in marked), marked
    assert "Stock Connect" not in " ".join(marked), "only the quoted sentence is highlighted"
    twin = card.locator("details.rag-twin")
    twin.locator("summary").click()
    assert "離岸人民幣" in twin.inner_text()
    shot(page, tmp_path, "english-answer-source")
    follow_up = ask(page, "And how many mainland firms are listed there?")
    assert "1,370" in follow_up.locator(".rag-answer").inner_text(), "history reached ask()"


def test_browser__chinese_answers_and_an_older_marker_shows_its_own_sources(page, tmp_path):
    first = ask(page, "中國有多少個自貿試驗區?")
    assert "22" in first.locator(".rag-answer").inner_text()
    second = ask(page, "香港交易所有多少家内地企业?")
    assert "1370" in second.locator(".rag-answer").inner_text()
    assert page.locator("#rag-chat .rag-turn").count() == 2
    first.locator(".rag-answer button.rag-cite").first.click()
    card = page.locator("#rag-sources .rag-src.is-focused")
    card.wait_for(timeout=5_000)
    marked = " ".join(card.locator("blockquote mark").all_inner_texts())
    assert "22個自貿試驗區" in marked
    assert page.locator('#rag-sources .rag-src-turn[data-turn="1"]').is_hidden()
    shot(page, tmp_path, "chinese-answer-source")


def test_browser__script_question_is_text_and_runs_nothing(page, tmp_path):
    question = "<script>alert(1)</script><img src=x onerror=alert(2)> what is this?"
    turn = ask(page, question)
    assert turn.locator(".rag-q").inner_text().strip() == question
    assert page.locator("#rag-chat script, #rag-chat img, #rag-sources script").count() == 0
    page.wait_for_timeout(500)
    assert page.dialogs == []
    shot(page, tmp_path, "script-question")


def test_browser__refusal_empty_and_new_chat(page, tmp_path):
    refused = ask(page, "What is the best recipe for chocolate cake?")
    assert refused.locator(".rag-a.is-refused").is_visible()
    assert "don't cover" in refused.inner_text()
    assert refused.locator("button.rag-cite").count() == 0
    page.click("#rag-send")
    notice = page.locator("#rag-chat .rag-notice.is-error")
    notice.wait_for(timeout=30_000)
    assert "empty" in notice.inner_text()
    shot(page, tmp_path, "refusal-and-notice")
    page.click("#rag-new")
    page.wait_for_selector("#rag-chat .rag-welcome", timeout=30_000)
    assert page.locator("#rag-chat .rag-turn").count() == 0


def test_browser__example_button_asks_it(page, tmp_path):
    page.get_by_role("button", name="中國有多少個自貿試驗區?").click()
    page.wait_for_selector("#rag-chat .rag-turn .rag-answer button.rag-cite", timeout=60_000)
    assert "22" in page.locator("#rag-chat .rag-answer").first.inner_text()


@pytest.fixture
def llm_url(llm, llm_config) -> Iterator[str]:
    llm.script(("text", "Hong Kong handles over 75% of global offshore RMB settlement [1]. "
                        "Stock Connect and Bond Connect are core channels [1]."))
    yield from _serve(dataclasses.replace(llm_config, llm_model="scripted-model-7"))


def test_browser__llm_mode_shows_the_model_and_a_fallback_warning(browser, llm, llm_url, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(llm_url)
    page.wait_for_selector("#rag-chat .rag-welcome", timeout=60_000)
    assert "scripted-model-7" in page.locator(".rag-status").inner_text()
    turn = ask(page, RMB)
    assert "75%" in turn.locator(".rag-answer").inner_text()
    turn.locator(".rag-answer button.rag-cite").first.click()
    focused = page.locator("#rag-sources .rag-src.is-focused")
    marked = " ".join(focused.locator("blockquote mark").all_inner_texts())
    assert "75%" in marked and "Stock Connect" in marked
    shot(page, tmp_path, "llm-answer-source")
    llm.script(("text", "Hong Kong handles about 90% of it."))
    fallback = ask(page, "How many mainland enterprises does the Hong Kong Stock Exchange host?")
    warning = fallback.locator(".rag-notice.is-warning")
    assert warning.is_visible() and "extractive answer instead" in warning.inner_text()
    assert "90%" not in fallback.inner_text()
    assert fallback.locator(".rag-answer button.rag-cite").count() >= 1
    shot(page, tmp_path, "llm-fallback-warning")
    page.close()
