"""Take the README's screenshots of the chat page: desktop and phone, light and dark.

    .venv/bin/python scripts/ui_screenshots.py            # index from RAG_HOME / RAG_DOCS (the seeds by default)
    .venv/bin/python scripts/ui_screenshots.py --out docs/screenshots

Starts the app on a free local port, drives Debian's chromium through Playwright (never
`playwright install`; scripts/ensure-chromium installs chromium), asks a few questions that show
a list, a disagreement note and sources, and writes desktop-light.png, desktop-dark.png,
phone-light.png and phone-dark.png.
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path

from rag.config import RagConfig
from rag.ui.app import build_app

CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
DESKTOP_QUESTIONS = ("What are the co-operation platforms?", "How many trips has the China-Europe freight train made?")
PHONE_QUESTIONS = ("How many trips has the China-Europe freight train made?",)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = build_app(RagConfig.from_env())
    port = _free_port()
    app.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=port, quiet=True)
    try:
        _shoot(f"http://127.0.0.1:{port}/", args.out)
    finally:
        app.close()
    return 0


def _shoot(url: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        for theme in ("light", "dark"):
            _page(browser, url, DESKTOP, theme, DESKTOP_QUESTIONS, out / f"desktop-{theme}.png")
            _page(browser, url, PHONE, theme, PHONE_QUESTIONS, out / f"phone-{theme}.png", is_mobile=True)
        browser.close()
    print(f"screenshots in {out}/", file=sys.stderr)


def _page(browser: object, url: str, viewport: dict, theme: str, questions: tuple[str, ...], path: Path,
          **options: object) -> None:
    context = browser.new_context(viewport=viewport, device_scale_factor=1, **options)
    context.add_init_script(f"localStorage.setItem('rag-theme', '{theme}')")
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("#rag-chat .rag-welcome", timeout=60_000)
    for n, question in enumerate(questions, start=1):
        page.fill("#rag-input textarea", question)
        page.press("#rag-input textarea", "Enter")
        page.wait_for_function(
            f"document.querySelectorAll('#rag-chat .rag-turn').length >= {n} && !window.RAG.busy"
            " && !document.querySelector('#rag-chat .rag-turn.is-pending')", timeout=60_000)
    if viewport is DESKTOP and theme == "dark":  # one of the two shows the hover preview
        page.locator("#rag-chat .rag-turn").last.locator(".rag-answer button.rag-cite").first.hover()
    page.wait_for_timeout(400)
    page.screenshot(path=str(path))
    context.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
