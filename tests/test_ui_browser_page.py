"""The chat page as a whole in Debian's Chromium: a phone, kept conversations, both themes' contrast,
first paint, and LLM mode (streaming, the model in the header, fallback, nothing blocked meanwhile).

Fixtures and helpers come from tests/test_browser.py.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterator

import pytest

from tests.llm_server import ScriptedLLM
from tests.test_browser import (  # noqa: F401 - fixtures
    FREIGHT, PHONE, PLATFORMS, RMB, ask, browser, inside, open_page, serve, settled, shot, url,
)

pytestmark = [pytest.mark.browser, pytest.mark.server]

RMB_REPLY = ("Hong Kong handles over 75% of global offshore RMB settlement [1]. "
             "Stock Connect and Bond Connect are core channels [1].")
WIDTH = "document.documentElement.scrollWidth"


def test_browser__phone_fits_and_the_source_sheet_has_a_way_back(browser, url, tmp_path):
    page = open_page(browser, url, PHONE, is_mobile=True, has_touch=True)
    assert page.evaluate(WIDTH) <= 390
    shot(page, tmp_path, "phone-start")
    turn = ask(page, FREIGHT)
    assert page.evaluate(WIDTH) <= 390, "the answer, its chips and buttons fit"
    assert page.locator("#rag-sources .rag-src").first.is_hidden(), "the panel waits off-screen"
    marker = turn.locator(".rag-answer button.rag-cite").first
    marker.tap()
    card = page.locator("#rag-sources .rag-src.is-focused")
    card.wait_for(state="visible", timeout=5_000)
    assert inside(page, "#rag-sources .rag-src.is-focused .rag-src-n", "#rag-sources")
    back = page.locator("#rag-sources .rag-back")
    assert back.is_visible() and "Back to the answer" in back.inner_text()
    shot(page, tmp_path, "phone-source-sheet")
    back.tap()
    page.wait_for_function("!document.body.classList.contains('rag-sheet-open')")
    assert marker.is_visible() and inside(page, "#rag-chat .rag-answer button.rag-cite", "#rag-chat")
    turn.locator(".rag-act-sources").tap()
    card.wait_for(state="visible", timeout=5_000)
    assert page.evaluate(WIDTH) <= 390
    assert page.errors == []
    page.context.close()


def test_browser__reload_keeps_the_conversation_and_new_chat_asks_first(browser, url, tmp_path):
    page = open_page(browser, url)
    ask(page, RMB)
    ask(page, "全國有多少個自貿試驗區?")
    page.reload()
    settled(page, 2)
    turns = page.locator("#rag-chat .rag-turn")
    assert turns.count() == 2 and "75%" in turns.nth(0).inner_text() and "22" in turns.nth(1).inner_text()
    turns.nth(0).locator(".rag-answer button.rag-cite").first.click()
    page.locator("#rag-sources .rag-src.is-focused").wait_for(timeout=5_000)
    page.click("#rag-new")
    confirm = page.locator("#rag-confirm")
    assert confirm.is_visible() and "新對話" in confirm.inner_text(), "asked in the chat's language"
    confirm.locator('[data-answer="no"]').click()
    assert page.locator("#rag-chat .rag-turn").count() == 2, "Cancel keeps the chat"
    page.click("#rag-new")
    confirm.locator('[data-answer="yes"]').click()
    page.wait_for_selector("#rag-chat .rag-welcome", timeout=30_000)
    ask(page, PLATFORMS)
    page.click("#rag-chats")
    items = page.locator("#rag-drawer .rag-chat-open")
    assert items.count() == 2 and RMB in items.nth(1).inner_text() and PLATFORMS in items.nth(0).inner_text()
    shot(page, tmp_path, "chats-drawer")
    items.nth(1).click()
    page.wait_for_function("document.querySelectorAll('#rag-chat .rag-turn').length === 2")
    settled(page, 2)
    page.reload()
    settled(page, 2)
    assert "75%" in page.locator("#rag-chat .rag-turn").first.inner_text(), "the opened chat is the one kept"
    assert page.errors == []
    page.context.close()


CONTRAST_JS = """(selectors) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = (e) => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length === 3 || c[3] > 0) return c.slice(0, 3); } return [255, 255, 255]; };
  const out = {};
  for (const sel of selectors) { const e = document.querySelector(sel); if (!e) { out[sel] = null; continue; }
    const a = lum(rgb(getComputedStyle(e).color)), b = lum(background(e));
    out[sel] = Math.round(((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)) * 100) / 100; }
  return out; }"""
START = [".rag-welcome h2", ".rag-welcome p", ".rag-example", ".rag-example-kind", ".rag-doc h3", ".rag-doc-topics",
         ".rag-src-empty", "#rag-chats", "#rag-input textarea"]
TEXTS = [".rag-answer p", ".rag-q p", ".rag-answer button.rag-cite", ".rag-chip.rag-cite", ".rag-chip-title",
         "#rag-send", ".rag-act-copy", "#rag-new", ".rag-status", ".rag-brand p", ".rag-src-n", ".rag-src h3",
         ".rag-src-meta", ".rag-src blockquote mark", ".rag-next-q", ".rag-notice.is-disagree", "#rag-input textarea"]


def contrasts(page: object, theme: str, selectors: list[str]) -> dict[str, float]:
    """Contrast ratios of the rendered text colours of `selectors` in `theme`, set with the toggle."""
    if page.evaluate("document.body.classList.contains('dark')") != (theme == "dark"):
        page.click("#rag-theme")
    page.wait_for_timeout(250)  # colours transition
    ratios = page.evaluate(CONTRAST_JS, selectors)
    assert None not in ratios.values(), ratios
    return ratios


def test_browser__text_contrast_passes_wcag_aa_in_both_themes(browser, url, tmp_path):
    page = open_page(browser, url)
    for theme in ("light", "dark"):
        low = {sel: r for sel, r in contrasts(page, theme, START).items() if r < 4.5}
        assert low == {}, f"{theme} start page: below 4.5:1: {low}"
    ask(page, FREIGHT)
    page.fill("#rag-input textarea", "draft")  # Ask enabled: its colours are the ones to check
    for theme in ("light", "dark"):
        low = {sel: r for sel, r in contrasts(page, theme, TEXTS).items() if r < 4.5}
        assert low == {}, f"{theme}: below 4.5:1: {low}"
        shot(page, tmp_path, f"theme-{theme}")
    page.reload()
    page.wait_for_selector("#rag-chat .rag-turn", timeout=30_000)
    assert page.evaluate("document.body.classList.contains('dark')"), "the theme is kept"
    assert page.errors == []
    page.context.close()


def test_browser__start_page_paints_and_logs_no_error(browser, url):
    """The time to the start page is printed (under 2 s idle); a bound would only measure the machine's load."""
    ctx = browser.new_context()
    page = ctx.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.add_init_script("""new MutationObserver((_, o) => { if (document.querySelector('#rag-chat .rag-welcome')) {
        window.startPageAt = performance.now(); o.disconnect(); } }).observe(document, {childList: true, subtree: true});""")
    page.goto(url)
    page.wait_for_selector("#rag-chat .rag-welcome", timeout=30_000)
    paint = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime")
    start_page = page.evaluate("window.startPageAt")
    print(f"first contentful paint {paint:.0f} ms; start page shown at {start_page:.0f} ms")
    assert 0 < paint <= start_page
    assert errors == []
    ctx.close()


class SlowLLM(ScriptedLLM):
    """The scripted server, streaming each reply 12 characters at a time with `pause` s between."""

    pause = 0.0

    def _handler(self) -> type:
        base, server = super()._handler(), self

        class Slow(base):
            def _stream(self, text: str) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.end_headers()
                for i in range(0, len(text), 12):
                    delta = {"index": 0, "delta": {"content": text[i:i + 12]}, "finish_reason": None}
                    chunk = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m", "choices": [delta]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                    time.sleep(server.pause)
                self.wfile.write(b"data: [DONE]\n\n")

        return Slow


@pytest.fixture
def slow_llm() -> Iterator[SlowLLM]:
    server = SlowLLM().start()
    yield server
    server.stop()


@pytest.fixture
def llm_url(slow_llm, config) -> Iterator[str]:
    llm_config = dataclasses.replace(config, openai_base_url=slow_llm.url, openai_api_key="sk-test-secret-123",
                                     llm_timeout_s=30.0, llm_model="scripted-model-7")
    yield from serve(llm_config)


def test_browser__llm_answer_streams_and_nothing_waits_for_it(browser, slow_llm, llm_url, tmp_path):
    page = open_page(browser, llm_url)
    assert "scripted-model-7" in page.locator(".rag-status").inner_text()
    slow_llm.script(("text", RMB_REPLY))
    first = ask(page, RMB)
    first.locator(".rag-answer button.rag-cite").first.click()
    slow_llm.pause = 1.5  # about 15 s of streaming: the checks below run inside it, even on a loaded machine
    slow_llm.script(("text", RMB_REPLY))
    page.fill("#rag-input textarea", "And which channels connect the markets?")
    page.press("#rag-input textarea", "Enter")
    live = page.locator('#rag-chat .rag-turn[data-turn="1"] .rag-a.is-pending .rag-answer')
    live.wait_for(timeout=20_000)
    page.wait_for_function("(document.querySelector('.rag-a.is-pending .rag-answer')?.textContent || '').length > 20")
    partial = live.inner_text()
    assert 0 < len(partial) < len(RMB_REPLY) and live.locator("button.rag-cite").count() == 0
    assert live.locator(".rag-caret").count() == 1
    shot(page, tmp_path, "llm-streaming")
    started = time.monotonic()
    page.locator("#rag-sources .rag-src.is-focused .rag-context-open").click()
    page.locator(".rag-reader .rag-ctx-p.is-cited").wait_for(timeout=5_000)
    assert page.locator(".rag-a.is-pending").count() == 1, "the reader opened while the answer was still coming"
    other = open_page(browser, llm_url)
    refused = ask(other, "What is the best recipe for chocolate cake?")
    assert refused.locator(".rag-a.is-refused").is_visible()
    # the refusal came back while the first answer was still streaming: nothing waited for it
    assert page.locator(".rag-a.is-pending").count() == 1, f"after {time.monotonic() - started:.1f} s"
    other.context.close()
    slow_llm.pause = 0.0  # checked; the rest of the stream need not take its time
    page.keyboard.press("Escape")
    settled(page, 2)
    final = page.locator('#rag-chat .rag-turn[data-turn="1"]')
    assert final.locator(".rag-answer button.rag-cite").count() >= 1 and final.locator(".rag-caret").count() == 0
    assert page.errors == []
    page.context.close()


def test_browser__llm_failure_shows_the_fallback_warning(browser, slow_llm, llm_url, tmp_path):
    page = open_page(browser, llm_url)
    slow_llm.script(("text", "Hong Kong handles about 90% of it."))
    fallback = ask(page, "How many mainland enterprises does the Hong Kong Stock Exchange host?")
    warning = fallback.locator(".rag-notice.is-warning")
    assert warning.is_visible() and "extractive answer instead" in warning.inner_text()
    assert "90%" not in fallback.inner_text()
    assert fallback.locator(".rag-answer button.rag-cite").count() >= 1
    shot(page, tmp_path, "llm-fallback-warning")
    assert page.errors == []
    page.context.close()
