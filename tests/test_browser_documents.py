"""The Documents panel in a real headless Chromium: upload a PDF, wait for indexing, ask about it, remove it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from rag.config import RagConfig
from rag.index.build import build_index
from tests.test_browser import ARGS, CHROMIUM, ask, serve, shot

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]
FACT = "The Lantau cable car carries visitors 5.7 kilometres from Tung Chung to Ngong Ping."


def _pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(72, 780, "Lantau Visitor Notes")
    pdf.setFont("Helvetica", 11)
    pdf.drawString(72, 750, FACT)
    pdf.drawString(72, 734, "The ride takes about twenty-five minutes in each direction.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser-docs")
    (root / "docs").mkdir()
    (root / "docs" / "base.txt").write_text("The harbour tunnel opened in 1972.\n", encoding="utf-8")
    config = RagConfig(home=root / "home", docs=(root / "docs",))
    build_index(config)
    yield from serve(config)


@pytest.fixture(scope="module")
def page(url: str) -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail("chromium is missing: run scripts/ensure-chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        page.wait_for_selector("#rag-documents", timeout=60_000)
        yield page
        browser.close()


def test_documents_panel__upload_ask_and_remove_a_pdf(page: object, tmp_path: Path) -> None:
    pdf = tmp_path / "lantau.pdf"
    pdf.write_bytes(_pdf())
    page.click("#rag-documents button")  # open the panel
    page.locator("#rag-upload input[type=file]").set_input_files(str(pdf))
    page.locator("#rag-doc-notices", has_text="1 of 1 file(s) indexed").wait_for(timeout=180_000)
    assert "lantau.pdf" in page.locator("#rag-doc-list").inner_text()
    shot(page, tmp_path, "documents-uploaded")

    turn = ask(page, "How far does the Lantau cable car carry visitors?")
    assert "5.7 kilometres" in turn.locator(".rag-answer").inner_text()

    page.locator("#rag-doc-choice input").fill("lantau.pdf")
    page.locator("#rag-doc-choice input").press("Enter")
    page.click("#rag-doc-remove")
    page.locator("#rag-doc-notices", has_text="removed lantau.pdf").wait_for(timeout=180_000)
    assert "lantau.pdf" not in page.locator("#rag-doc-list").inner_text()
    shot(page, tmp_path, "documents-removed")
