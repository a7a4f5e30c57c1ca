import io
import zipfile

import pytest

from rag.ingest.readers import SUPPORTED_SUFFIXES, UnreadableDocument, read_document


def test_read_document__zero_bytes_is_empty() -> None:
    with pytest.raises(UnreadableDocument, match=r"^notes\.txt is empty$"):
        read_document("docs/notes.txt", b"")


def test_read_document__over_the_limit_names_size_and_limit() -> None:
    with pytest.raises(UnreadableDocument, match=r"^big\.pdf is 2\.0 MB; the limit is 1 MB \(RAG_MAX_FILE_MB\)$"):
        read_document("big.pdf", b"%PDF-" + b"0" * 1_999_995, max_bytes=1_000_000)


def test_read_document__whitespace_only_has_no_readable_text() -> None:
    with pytest.raises(UnreadableDocument, match=r"^blank\.md has no readable text$"):
        read_document("blank.md", b"\n\n   \n")


def test_read_document__unsupported_suffix_lists_the_supported_ones() -> None:
    with pytest.raises(UnreadableDocument, match=r"^slides\.pptx: \.pptx is not supported; use one of \.txt, "):
        read_document("slides.pptx", b"PK\x03\x04")


def test_read_document__pdf_named_txt_is_refused_with_the_fix() -> None:
    with pytest.raises(UnreadableDocument, match=r"^report\.txt is a PDF, not text; rename it to \.pdf$"):
        read_document("report.txt", b"%PDF-1.4\n%...")


def test_read_document__zip_named_md_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x")
    with pytest.raises(UnreadableDocument, match=r"^a\.md is a ZIP archive"):
        read_document("a.md", buffer.getvalue())


def test_read_document__pdf_suffix_without_pdf_content() -> None:
    with pytest.raises(UnreadableDocument, match=r"^x\.pdf is not a PDF \(it does not start with %PDF-\)$"):
        read_document("x.pdf", b"<html>not a pdf</html>")


def test_read_document__legacy_doc_named_docx_says_to_resave() -> None:
    with pytest.raises(UnreadableDocument, match=r"^old\.docx is an old binary Word \(\.doc\) file; save it as \.docx"):
        read_document("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)


@pytest.mark.parametrize("suffix", [".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml"])
def test_read_document__every_text_suffix_reads(suffix: str) -> None:
    assert suffix in SUPPORTED_SUFFIXES
    result = read_document(f"a{suffix.upper()}", b"Hello there.")
    assert [b.text for b in result.blocks] == ["Hello there."]


def test_read_document__binary_txt_is_refused() -> None:
    with pytest.raises(UnreadableDocument, match=r"^data\.txt looks binary"):
        read_document("data.txt", b"\x00\x01\x02\x03" * 100)
