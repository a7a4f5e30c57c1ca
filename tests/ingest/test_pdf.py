import io

import pytest
from PIL import Image
from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from rag.ingest.readers import BlockKind, UnreadableDocument, read_document
from rag.ingest.readers.pdf_paragraphs import join_pdf_lines

WIDTH, HEIGHT = A4
LEFT, PITCH = 72, 14

# Each page: (outline title or None, lines). A line starting with ">" is indented (a new paragraph).
PAGES = [
    (
        "1 Introduction",
        [
            "1 Introduction",
            "",
            ">This handbook explains how the archive is organised and where the",
            "packages come from. It is meant for new administrators who need",
            "the essential informa-",
            "tion quickly.",
            ">The second paragraph starts with an indent and is short.",
            "",
            "• first point of the list, which wraps onto",
            "  a second line",
            "• second point",
        ],
    ),
    (
        "2 Mirrors",
        [
            "2 Mirrors",
            "",
            ">Mirrors copy the archive every six hours. A mirror that falls behind",
            "is removed from the list until it catches up with the main",
        ],
    ),
    (None, ["archive again, which usually takes a day.", ">Contact the mirror team for help."]),
    ("3 Security", ["3 Security", "", ">Security updates are published separately."]),
]


# Running headers that change from page to page: only their place on the page gives them away.
RUNNING_HEADERS = ["HANDBOOK: WELCOME", "CHAPTER TWO: MIRRORS", "MIRRORS, CONTINUED", "CHAPTER THREE: SECURITY"]


def _handbook(encrypt: pdfencrypt.StandardEncryption | None = None) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    for number, (title, lines) in enumerate(PAGES, start=1):
        pdf.setFont("Helvetica", 9)
        pdf.drawString(LEFT, HEIGHT - 40, RUNNING_HEADERS[number - 1])
        pdf.drawString(LEFT, 30, f"ACME confidential, page {number} of {len(PAGES)}")
        if title is not None:
            pdf.bookmarkPage(title)
            pdf.addOutlineEntry(title, title, level=0)
        y = HEIGHT - 90
        for line in lines:
            pdf.setFont("Helvetica-Bold" if line == title else "Helvetica", 11)
            if line:
                indent = 18 if line.startswith(">") else 0
                pdf.drawString(LEFT + indent, y, line.lstrip(">"))
            y -= PITCH
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def handbook() -> list:
    return read_document("handbook.pdf", _handbook()).blocks


def test_read_pdf__locations_are_physical_pages(handbook: list) -> None:
    assert handbook[0].location == "p. 1"
    assert [b.location for b in handbook if b.text.startswith(("Contact", "Security"))] == ["p. 3", "p. 4"]


def test_read_pdf__running_headers_and_footers_are_dropped(handbook: list) -> None:
    text = "\n".join(b.text for b in handbook)
    assert "ACME confidential" not in text
    assert not any(header in text for header in RUNNING_HEADERS)


def test_read_pdf__bare_page_numbers_are_dropped_even_in_a_short_file() -> None:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number in (1, 2):
        pdf.drawString(LEFT, HEIGHT - 90, f"Body text of page {number}.")
        pdf.drawString(WIDTH / 2, 30, f"- {number} -")
        pdf.showPage()
    pdf.save()
    blocks = read_document("short.pdf", buffer.getvalue()).blocks
    assert [b.text for b in blocks] == ["Body text of page 1.", "Body text of page 2."]


def test_read_pdf__lines_join_into_paragraphs_and_hyphens_mend(handbook: list) -> None:
    first = next(b for b in handbook if b.text.startswith("This handbook"))
    assert first.kind == BlockKind.PARAGRAPH
    assert first.text.endswith("who need the essential information quickly.")
    assert any(b.text == "The second paragraph starts with an indent and is short." for b in handbook)


def test_read_pdf__bullets_are_list_items(handbook: list) -> None:
    items = [b.text for b in handbook if b.kind == BlockKind.LIST_ITEM]
    assert items == ["first point of the list, which wraps onto a second line", "second point"]


def test_read_pdf__paragraph_cut_by_a_page_break_is_one_block(handbook: list) -> None:
    mirrors = next(b for b in handbook if b.text.startswith("Mirrors copy"))
    assert mirrors.text.endswith("catches up with the main archive again, which usually takes a day.")
    assert mirrors.location == "p. 2"


def test_read_pdf__outline_entries_become_headings_and_sections(handbook: list) -> None:
    headings = [(b.text, b.level, b.location) for b in handbook if b.kind == BlockKind.HEADING]
    assert headings == [("1 Introduction", 1, "p. 1"), ("2 Mirrors", 1, "p. 2"), ("3 Security", 1, "p. 4")]
    contact = next(b for b in handbook if b.text.startswith("Contact"))
    assert contact.section == ("2 Mirrors",)


def test_read_pdf__encrypted_without_user_password_is_readable() -> None:
    data = _handbook(pdfencrypt.StandardEncryption("", ownerPassword="owner-secret"))
    blocks = read_document("open.pdf", data).blocks
    assert blocks[0].text == "1 Introduction"


def test_read_pdf__password_protected_is_refused() -> None:
    data = _handbook(pdfencrypt.StandardEncryption("user-secret", ownerPassword="owner-secret"))
    with pytest.raises(UnreadableDocument, match=r"^locked\.pdf is encrypted .*; decrypt it first$"):
        read_document("locked.pdf", data)


def test_read_pdf__image_only_pdf_has_no_text_layer() -> None:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawImage(ImageReader(Image.new("RGB", (200, 100), "white")), 72, 600, width=400, height=200)
    pdf.showPage()
    pdf.save()
    with pytest.raises(UnreadableDocument, match=r"^scan\.pdf has no text layer \(scanned\?\); OCR is not supported$"):
        read_document("scan.pdf", buffer.getvalue())


def test_read_pdf__corrupt_pdf_is_refused_with_the_reason() -> None:
    with pytest.raises(
        UnreadableDocument,
        match=r"^broken\.pdf is not a readable PDF \(PDFium: Data format error\); it may be damaged or cut short$",
    ):
        read_document("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage")


def test_join_pdf_lines__soft_hyphens_join_and_a_hyphen_before_a_capital_stays() -> None:
    assert join_pdf_lines(["Users can se\ufffe", "lect packages"]) == "Users can select packages"
    assert join_pdf_lines(["the informa-", "tion"]) == "the information"
    assert join_pdf_lines(["see GNU/Linux-", "Hurd"]) == "see GNU/Linux-Hurd"
    assert join_pdf_lines(["中文的一", "行接着下一行"]) == "中文的一行接着下一行"
