import io
import zipfile

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from rag.ingest.readers import BlockKind, UnreadableDocument, read_document


def _manual() -> bytes:
    document = docx.Document()
    document.add_paragraph("Server Manual", style="Title")
    document.add_paragraph("Read this first.")
    document.add_heading("Installing", level=1)
    document.add_paragraph("You need:")
    document.add_paragraph("a 64-bit machine", style="List Bullet")
    document.add_paragraph("two gigabytes of memory", style="List Number")
    for line in ("./configure --prefix=/opt/app", "make install"):
        document.add_paragraph().add_run(line).font.name = "Courier New"
    document.add_heading("Ports", level=2)
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(
        table.rows, [["Service", "Port", "Protocol"], ["web", "443", "TCP"], ["dns", "53", "UDP"]], strict=True
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("Keep ports closed unless needed.", style="Quote")
    pairs = document.add_table(rows=2, cols=2)
    for row, cells in zip(pairs.rows, [["Owner", "Ops team"], ["Pager", "+1 555 0100"]], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    numbered = document.add_paragraph("numbered by direct formatting")
    num_pr = OxmlElement("w:numPr")
    num_id = OxmlElement("w:numId")
    num_id.set(qn("w:val"), "1")
    num_pr.append(num_id)
    numbered._p.get_or_add_pPr().append(num_pr)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def manual() -> list:
    return read_document("manual.docx", _manual()).blocks


def test_read_docx__headings_from_title_and_heading_styles(manual: list) -> None:
    headings = [(b.text, b.level) for b in manual if b.kind == BlockKind.HEADING]
    assert headings == [("Server Manual", 1), ("Installing", 1), ("Ports", 2)]


def test_read_docx__paragraphs_and_tables_keep_body_order(manual: list) -> None:
    order = [b.kind for b in manual]
    assert order == [
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.LIST_ITEM,
        BlockKind.LIST_ITEM,
        BlockKind.CODE,
        BlockKind.HEADING,
        BlockKind.TABLE_ROW,
        BlockKind.TABLE_ROW,
        BlockKind.QUOTE,
        BlockKind.TABLE_ROW,
        BlockKind.TABLE_ROW,
        BlockKind.LIST_ITEM,
    ]


def test_read_docx__monospace_paragraphs_are_one_code_block(manual: list) -> None:
    code = next(b for b in manual if b.kind == BlockKind.CODE)
    assert code.text == "./configure --prefix=/opt/app\nmake install"
    assert manual[code.lead_in].text == "You need:"


def test_read_docx__table_rows_use_a_header_row_but_key_value_pairs_do_not(manual: list) -> None:
    rows = [b.text for b in manual if b.kind == BlockKind.TABLE_ROW]
    assert rows == [
        "Service: web | Port: 443 | Protocol: TCP",
        "Service: dns | Port: 53 | Protocol: UDP",
        "Owner | Ops team",
        "Pager | +1 555 0100",
    ]


def test_read_docx__location_is_the_nearest_heading(manual: list) -> None:
    assert manual[1].location == "Server Manual"
    row = next(b for b in manual if b.kind == BlockKind.TABLE_ROW)
    assert (row.location, row.section) == ("Ports", ("Installing", "Ports"))


def test_read_docx__bold_first_row_is_a_header() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    for index, (row, cells) in enumerate(zip(table.rows, [["Name", "Size"], ["a", "1"]], strict=True)):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.paragraphs[0].add_run(text).bold = index == 0
    buffer = io.BytesIO()
    document.save(buffer)
    assert [b.text for b in read_document("t.docx", buffer.getvalue()).blocks] == ["Name: a | Size: 1"]


def test_read_docx__zip_without_document_xml_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photos/cat.jpg", b"not really")
    with pytest.raises(UnreadableDocument, match=r"^fake\.docx is not a valid Word document \(a ZIP archive without"):
        read_document("fake.docx", buffer.getvalue())


def test_read_docx__broken_document_xml_is_refused() -> None:
    source = zipfile.ZipFile(io.BytesIO(_manual()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item)
            archive.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    with pytest.raises(UnreadableDocument, match=r"^cut\.docx is not a valid Word document \(.+\)$"):
        read_document("cut.docx", buffer.getvalue())


def test_read_docx__not_a_zip_is_refused() -> None:
    with pytest.raises(UnreadableDocument, match=r"^plain\.docx is not a valid Word document \(not a ZIP archive\)$"):
        read_document("plain.docx", b"just some text")
