"""The chat page in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

One app over the seeded index per module; a fresh browser context (empty localStorage) per
test. Every test fails on a console error or an uncaught page error. Screenshots go to the
test's tmp_path and are copied to /tmp/ui-shots/ for a human to look at.
"""

from __future__ import annotations

import json
import shutil
import socket
import time
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
FREIGHT = "How many trips has the China-Europe freight train made?"
PLATFORMS = "What are the co-operation platforms?"
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(config: RagConfig) -> Iterator[str]:
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

    yield from serve(RagConfig(home=seeded_home, docs=(SEEDS,)))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail("chromium is missing: run scripts/ensure-chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


def open_page(browser: object, url: str, viewport: dict | None = None, **context: object) -> object:
    """A new context's page on `url`, waiting for the start page, recording console errors."""
    ctx = browser.new_context(viewport=viewport or DESKTOP, **context)
    page = ctx.new_page()
    page.errors, page.dialogs = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_selector("#rag-chat .rag-welcome", timeout=60_000)
    return page


@pytest.fixture
def page(browser, url: str) -> Iterator[object]:
    page = open_page(browser, url)
    yield page
    errors = list(page.errors)
    page.context.close()
    assert errors == [], f"console errors: {errors}"


def shot(page: object, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path))
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / path.name)
    return path


def settled(page: object, turns: int, timeout: float = 60_000) -> None:
    """Wait until the chat has `turns` turns, none pending, and the question queue is empty."""
    page.wait_for_function(
        f"document.querySelectorAll('#rag-chat .rag-turn').length >= {turns}"
        " && !document.querySelector('#rag-chat .rag-turn.is-pending')"
        " && !window.RAG.busy && !window.RAG.tasks.length",
        timeout=timeout,
    )


def ask(page: object, question: str) -> object:
    """Type `question`, press Enter, and return the locator of its finished turn."""
    n = page.locator("#rag-chat .rag-turn").count()
    page.fill("#rag-input textarea", question)
    page.press("#rag-input textarea", "Enter")
    settled(page, n + 1)
    return page.locator(f'#rag-chat .rag-turn[data-turn="{n}"]')


INSIDE_JS = """([sel, box]) => { const c = document.querySelector(box).getBoundingClientRect();
   const all = document.querySelectorAll(sel); if (!all.length) return false;
   const e = all[all.length - 1].getBoundingClientRect();
   return e.top >= c.top - 1 && e.bottom <= c.bottom + 1 && c.top >= -1 && c.bottom <= innerHeight + 1; }"""


def inside(page: object, selector: str, container: str = "#rag-chat", timeout: float = 3_000) -> bool:
    """Whether the last element matching `selector` comes to lie wholly inside `container`'s
    visible box within `timeout` ms (scrolling and sheets animate)."""
    from playwright.sync_api import TimeoutError as Timeout

    try:
        page.wait_for_function(INSIDE_JS, arg=[selector, container], timeout=timeout)
    except Timeout:
        return False
    return True


def wait_for_lines(path: Path, count: int, timeout: float = 10.0) -> list[dict]:
    """The JSON lines of `path` once it has `count` of them (the server writes them as votes arrive)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = path.read_text().splitlines() if path.exists() else []
        if len(lines) >= count or time.monotonic() > deadline:
            return [json.loads(line) for line in lines]
        time.sleep(0.1)


def test_browser__english_answer_marker_opens_highlighted_paragraph(page, tmp_path):
    turn = ask(page, RMB)
    assert "75%" in turn.locator(".rag-answer").inner_text()
    assert turn.locator(".rag-q p").inner_text().strip() == RMB
    marker = turn.locator(".rag-answer button.rag-cite").first
    assert marker.inner_text().strip() == "1"
    marker.click()
    card = page.locator("#rag-sources .rag-src.is-focused")
    card.wait_for(timeout=5_000)
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
    follow_up = ask(page, "And how many mainland enterprises does it host?")
    assert "1,370" in follow_up.locator(".rag-answer").inner_text(), "history reached ask()"


def test_browser__chinese_answers_and_an_older_marker_shows_its_own_sources(page, tmp_path):
    first = ask(page, "全國有多少個自貿試驗區?")
    assert "22" in first.locator(".rag-answer").inner_text()
    second = ask(page, "香港交易所有多少家内地企业?")
    assert "1370" in second.locator(".rag-answer").inner_text()
    first.locator(".rag-answer button.rag-cite").first.click()
    card = page.locator("#rag-sources .rag-src.is-focused")
    card.wait_for(timeout=5_000)
    assert "22個自貿試驗區" in " ".join(card.locator("blockquote mark").all_inner_texts())
    assert page.locator('#rag-sources .rag-src-turn[data-turn="1"]').is_hidden()
    shot(page, tmp_path, "chinese-answer-source")


def test_browser__page_strings_follow_the_question_language(page):
    ask(page, "香港交易所有多少家内地企业?")
    assert page.locator("#rag-send").get_attribute("aria-label") == "提问"
    assert page.locator(".rag-turn .rag-act-copy").inner_text().strip() == "复制"
    assert page.locator("#rag-new").inner_text().strip() == "新对话"
    assert "份文件" in page.locator(".rag-status").inner_text()
    ask(page, "全國有多少個自貿試驗區?")
    assert page.locator("#rag-input textarea").get_attribute("placeholder").startswith("用中文")
    assert page.locator(".rag-turn").last.locator(".rag-act-copy").inner_text().strip() == "複製"
    assert page.locator("#rag-new").inner_text().strip() == "新對話"
    ask(page, RMB)
    assert page.locator("#rag-new").inner_text().strip() == "New chat"
    assert page.locator(".rag-turn").first.locator(".rag-act-copy").inner_text().strip() == "复制"


def test_browser__script_question_is_text_and_runs_nothing(page, tmp_path):
    question = "<script>alert(1)</script><img src=x onerror=alert(2)> what is this?"
    turn = ask(page, question)
    assert turn.locator(".rag-q p").inner_text().strip() == question
    assert page.locator("#rag-chat script, #rag-chat img, #rag-sources script").count() == 0
    page.wait_for_timeout(500)
    assert page.dialogs == []


def test_browser__refusal_empty_box_and_too_long_notice(page, tmp_path):
    refused = ask(page, "What is the best recipe for chocolate cake?")
    assert refused.locator(".rag-a.is-refused").is_visible()
    assert "don't cover" in refused.inner_text()
    assert refused.locator("button.rag-cite").count() == 0
    assert page.locator("#rag-send").is_disabled(), "Ask is disabled while the box is empty"
    page.fill("#rag-input textarea", "   ")
    assert page.locator("#rag-send").is_disabled()
    page.press("#rag-input textarea", "Enter")
    page.wait_for_timeout(400)
    assert page.locator("#rag-chat .rag-turn").count() == 1, "an empty submit adds nothing"
    long = "why " * 510
    page.fill("#rag-input textarea", long)
    counter = page.locator(".rag-counter")
    assert counter.is_visible() and "2,040 / 2,000" in counter.inner_text()
    assert page.locator("#rag-send").is_enabled()
    page.press("#rag-input textarea", "Enter")
    settled(page, 2)
    notice = page.locator("#rag-chat .rag-turn").last.locator(".rag-notice.is-error")
    assert "2,000" in notice.inner_text()
    assert inside(page, "#rag-chat .rag-notice.is-error"), "the notice is in view"
    assert page.locator("#rag-input textarea").input_value() == long, "the question comes back to be shortened"
    shot(page, tmp_path, "refusal-and-notice")


def test_browser__after_eight_turns_the_newest_answer_is_inside_the_chat_viewport(page, tmp_path):
    questions = [RMB, "全國有多少個自貿試驗區?", "How many base stations are there?", PLATFORMS,
                 "香港交易所有多少家内地企业?", "What is the best recipe for chocolate cake?",
                 "How many members does the AIIB have?", FREIGHT]
    for k, question in enumerate(questions, start=1):
        ask(page, question)
        assert inside(page, "#rag-chat .rag-turn:last-of-type .rag-a"), f"turn {k} is out of view"
    assert page.locator("#rag-chat .rag-turn").count() == 8
    shot(page, tmp_path, "eight-turns")


def test_browser__fast_second_question_queues_instead_of_vanishing(page):
    box = "#rag-input textarea"
    page.fill(box, RMB)
    page.press(box, "Enter")
    page.fill(box, "全國有多少個自貿試驗區?")
    page.press(box, "Enter")
    assert page.locator(box).input_value() == ""
    settled(page, 2)
    turns = page.locator("#rag-chat .rag-turn")
    assert turns.count() == 2
    assert "75%" in turns.nth(0).inner_text() and "22" in turns.nth(1).inner_text()


def test_browser__list_answer_is_one_marker_one_card_and_a_list(page, tmp_path):
    turn = ask(page, PLATFORMS)
    answer = turn.locator(".rag-answer")
    assert answer.locator("ol li").count() == 10, "(1)…(10) render as a list"
    assert "(1)" not in answer.inner_text()
    assert answer.locator("button.rag-cite").count() == 1, "one marker for the lead-in and its list"
    assert turn.locator(".rag-chip").count() == 1 and "¶ 9–19" in turn.locator(".rag-chip").inner_text()
    assert page.locator("#rag-sources .rag-src-turn.is-active .rag-src").count() == 1
    card = page.locator("#rag-sources .rag-src")
    assert card.locator(".rag-src-line").count() == 11
    assert len(card.locator("mark").all()) == 11, "every item stays highlighted in the card"
    shot(page, tmp_path, "list-answer")


def test_browser__disagreeing_sources_are_flagged(page, tmp_path):
    turn = ask(page, FREIGHT)
    note = turn.locator(".rag-notice.is-disagree")
    assert note.is_visible()
    text = note.inner_text()
    assert text.startswith("≠ The sources disagree") and "80,000" in text and "100,000" in text
    assert note.locator("button.rag-cite").count() == 2
    chinese = ask(page, "香港交易所有多少家内地企业?")
    assert chinese.locator(".rag-notice.is-disagree").count() == 0
    shot(page, tmp_path, "disagreement")


def test_browser__copy_puts_the_answer_and_its_citations_on_the_clipboard(browser, url):
    page = open_page(browser, url, permissions=["clipboard-read", "clipboard-write"])
    turn = ask(page, RMB)
    turn.locator(".rag-act-copy").click()
    page.wait_for_function("document.querySelector('.rag-act-copy.is-done')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("As the world's largest offshore RMB center") and "75%" in copied and "[1]" in copied
    assert "Sources:" in copied and "000_9ac360c900c966b4.txt ¶ 70" in copied
    assert "“As the world's largest offshore RMB center, Hong Kong handles over 75%" in copied
    assert page.errors == []
    page.context.close()


def test_browser__hover_preview_shows_the_quoted_sentence(page, tmp_path):
    turn = ask(page, RMB)
    turn.locator(".rag-answer button.rag-cite").first.hover()
    preview = page.locator(".rag-preview")
    preview.wait_for(state="visible", timeout=3_000)
    assert "Hong Kong handles over 75% of global offshore RMB settlement" in preview.inner_text()
    assert "25 Years of WTO Membership" in preview.inner_text()
    shot(page, tmp_path, "hover-preview")
    page.mouse.move(5, 5)
    preview.wait_for(state="hidden", timeout=3_000)


def test_browser__view_in_context_shows_the_paragraph_among_its_neighbours(page, tmp_path):
    turn = ask(page, RMB)
    turn.locator(".rag-answer button.rag-cite").first.click()
    page.locator("#rag-sources .rag-src.is-focused .rag-context-open").click()
    reader = page.locator(".rag-reader .rag-ctx")
    reader.wait_for(timeout=10_000)
    numbers = [int(n) for n in reader.locator(".rag-ctx-p").evaluate_all("ps => ps.map(p => p.dataset.number)")]
    assert numbers == [68, 69, 70, 71, 72]
    assert "75%" in reader.locator(".rag-ctx-p.is-cited").inner_text()
    reader.locator(".rag-ctx-more").last.click()
    page.wait_for_function("document.querySelectorAll('.rag-reader .rag-ctx-p').length > 5")
    shot(page, tmp_path, "view-in-context")
    page.keyboard.press("Escape")
    assert page.locator(".rag-reader").is_hidden()


def test_browser__retry_edit_and_feedback_stored_locally(page, seeded_home):
    feedback = seeded_home / "feedback.jsonl"
    before = feedback.read_text().splitlines() if feedback.exists() else []
    ask(page, RMB)
    page.locator(".rag-turn").last.locator(".rag-act-retry").click()
    settled(page, 1)
    assert page.locator("#rag-chat .rag-turn").count() == 1, "ask again replaces the answer"
    page.locator(".rag-turn .rag-q .rag-act-edit").click()
    assert page.locator("#rag-input textarea").input_value() == RMB and page.locator(".rag-editing").is_visible()
    page.fill("#rag-input textarea", "全國有多少個自貿試驗區?")
    page.press("#rag-input textarea", "Enter")
    settled(page, 1)
    turns = page.locator("#rag-chat .rag-turn")
    assert turns.count() == 1 and "22" in turns.first.inner_text(), "the edited question replaced the old"
    turns.first.locator(".rag-act-down").click()
    assert turns.first.locator(".rag-act-down").get_attribute("aria-pressed") == "true"
    page.fill(".rag-feedback textarea", "Missing the Hainan port.")
    page.click(".rag-feedback button")
    page.wait_for_selector(".rag-feedback-thanks")
    lines = wait_for_lines(feedback, len(before) + 2)[len(before):]
    assert [(r["rating"], r["comment"]) for r in lines] == [("down", ""), ("down", "Missing the Hainan port.")]
    assert lines[1]["question"] == "全國有多少個自貿試驗區?" and "22" in lines[1]["answer"]
    assert lines[1]["citations"][0]["source"] == "000_9ac360c900c966b4.txt" and lines[0]["id"] == lines[1]["id"]


def test_browser__start_page_says_what_the_documents_are(page, seeded_home, tmp_path):
    from rag.qa import index_info
    from tests.conftest import SEEDS

    info = index_info(RagConfig(home=seeded_home, docs=(SEEDS,)))
    welcome = page.locator(".rag-welcome")
    text = welcome.inner_text()
    assert f"{len(info.documents)} documents" in text and f"{info.paragraphs} paragraphs" in text
    assert "English" in text and "中文" in text
    titles = welcome.locator(".rag-doc h3").all_inner_texts()
    assert len(titles) == 5 and any("Regional Co-operation with the Mainland" in t for t in titles)
    assert "High-End Manufacturing" in welcome.locator(".rag-doc").first.inner_text()
    kinds = welcome.locator(".rag-example").evaluate_all("bs => bs.map(b => b.dataset.kind)")
    assert kinds == ["list", "followup", "chinese", "unanswerable"]
    shot(page, tmp_path, "start-page")
    welcome.locator('.rag-example[data-kind="followup"]').click()
    settled(page, 2)
    turns = page.locator("#rag-chat .rag-turn")
    assert "base stations" in turns.nth(0).inner_text() and "1.2 billion users" in turns.nth(1).inner_text()


def test_browser__follow_up_suggestions_come_from_section_headings(page):
    turn = ask(page, FREIGHT)
    suggestions = turn.locator(".rag-next-q").all_inner_texts()
    assert suggestions and all("“" in s for s in suggestions)
    assert any("Digital Economy & New Infrastructure" in s for s in suggestions)
    turn.locator(".rag-next-q").first.click()
    settled(page, 2)
    assert page.locator("#rag-chat .rag-turn").count() == 2
