"""Uploads, the document list, removal and `rag docs/show/remove`, on a real (small) index."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from rag.cli import main
from rag.config import RagConfig
from rag.errors import BadReference, UnreadableDocument
from rag.index.build import build_index
from rag.index.library import document_paragraphs
from rag.index.uploads import add_documents, list_documents, remove_document, safe_name, save_upload
from rag.types import Kind

MANUAL = """# Widget Manual

## Power

The widget runs from a 12 V supply and draws at most 2 A.

## Setup

Install the widget service like this:

```
widget --install
widget --start
```

The widget keeps its settings in the file /etc/widget.conf on every machine.
"""
NOTES = "Harbour notes\nThe ferry to Lamma leaves from pier 4 every forty minutes.\nTickets cost 22 dollars.\n"
REPORT = [
    "Quarterly Report",
    "Sales of the blue kettle rose by 14 percent in the spring quarter.",
    "The red kettle was withdrawn after a fault in its lid hinge.",
    "A new factory in Penang opens in March next year.",
]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> RagConfig:
    root = tmp_path_factory.mktemp("library")
    docs = root / "docs"
    docs.mkdir()
    (docs / "manual.md").write_text(MANUAL, encoding="utf-8")
    (docs / "notes.txt").write_text(NOTES, encoding="utf-8")
    config = RagConfig(home=root / "home", docs=(docs,))
    build_index(config)
    return config


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../.ssh/id_rsa", "id_rsa"),
        ("..\\..\\Windows\\evil.docx", "evil.docx"),
        (".hidden.txt", "hidden.txt"),
        ("/etc/passwd", "passwd"),
        ("a<b>|c?.PDF", "a_b_c.PDF"),
        ("年度报告 2024.pdf", "年度报告 2024.pdf"),
        ("...", "upload"),
        ("", "upload"),
        ("x" * 300 + ".md", "x" * 117 + ".md"),
    ],
)
def test_safe_name__no_folders_no_hidden_files_no_odd_characters(given: str, expected: str) -> None:
    assert safe_name(given) == expected


def test_save_upload__lands_in_the_documents_folder_under_its_safe_name(library: RagConfig) -> None:
    path = save_upload(library, "../../outside.txt", b"Kowloon lies north of the harbour.\n")
    assert path == library.home / "documents" / "outside.txt" and path.read_bytes().startswith(b"Kowloon")
    assert not (library.home.parent / "outside.txt").exists()
    path.unlink()


def test_save_upload__over_the_limit_is_refused_before_anything_is_written(library: RagConfig, tmp_path: Path) -> None:
    small = dataclasses.replace(library, max_file_mb=0.001)
    with pytest.raises(UnreadableDocument, match=r"^big\.txt is 0\.0 MB; the limit is 0\.001 MB"):
        save_upload(small, "big.txt", b"x" * 2_000)
    sparse = tmp_path / "huge.pdf"
    with sparse.open("wb") as fh:
        fh.truncate(200_000_000)
    with pytest.raises(UnreadableDocument, match=r"^huge\.pdf is 200\.0 MB; the limit is 50 MB \(RAG_MAX_FILE_MB\)$"):
        save_upload(library, "huge.pdf", sparse)
    assert not any((library.home / "documents").glob("*big*")) and not any((library.home / "documents").glob("huge*"))


def test_add_documents__a_changed_reupload_reembeds_only_its_changed_paragraph(library: RagConfig) -> None:
    first = add_documents(library, [save_upload(library, "report.txt", "\n".join(REPORT).encode())])
    assert first.problems == {} and first.embedded == len(REPORT)
    changed = [*REPORT[:2], "The red kettle returns in May with a stronger lid hinge.", REPORT[3]]
    second = add_documents(library, [save_upload(library, "report.txt", "\n".join(changed).encode())])
    assert second.embedded == 1 and second.removed == 1
    assert second.texts_embedded == 2  # its one sentence and the paragraph itself
    info = next(d for d in list_documents(library) if d.name == "report.txt")
    assert info.format == "txt-lines" and info.paragraphs == 4


def test_add_documents__an_unreadable_upload_is_reported_in_one_line_and_not_kept(library: RagConfig) -> None:
    bad = save_upload(library, "fake.docx", b"PK\x03\x04 this is not really a Word file")
    report = add_documents(library, [bad])
    (reason,) = report.problems.values()  # exactly one line, for this file
    assert reason.startswith("fake.docx ") and "\n" not in reason
    assert not bad.exists() and "fake.docx" not in {d.name for d in list_documents(library)}


def test_remove_document__an_upload_is_deleted_a_folder_file_is_only_excluded(library: RagConfig) -> None:
    path = save_upload(library, "gone.txt", b"The lighthouse on Waglan Island was built in 1893.\n")
    add_documents(library, [path])
    remove_document(library, "gone.txt")
    assert not path.exists() and "gone.txt" not in {d.name for d in list_documents(library)}
    remove_document(library, "notes.txt")
    assert (library.docs[0] / "notes.txt").exists()  # the user's file stays where it was
    assert "notes.txt" not in {d.name for d in list_documents(library)}
    add_documents(library, [library.docs[0] / "notes.txt"])  # naming it again brings it back
    assert "notes.txt" in {d.name for d in list_documents(library)}
    with pytest.raises(BadReference, match="no indexed document is named 'nope.pdf'"):
        remove_document(library, "nope.pdf")


def test_document_paragraphs__markdown_keeps_kinds_and_locations(library: RagConfig) -> None:
    paragraphs = document_paragraphs(library, "manual.md")
    code = next(p for p in paragraphs if p.kind == Kind.CODE)
    assert code.location == "lines 11–14" and code.group == code.number - 1
    assert code.section == ("Widget Manual", "Setup")


@pytest.fixture
def cli_env(library: RagConfig, monkeypatch: pytest.MonkeyPatch) -> RagConfig:
    monkeypatch.setenv("RAG_HOME", str(library.home))
    monkeypatch.setenv("RAG_DOCS", str(library.docs[0]))
    return library


def test_cli_docs__lists_name_format_paragraphs_and_time(cli_env: RagConfig, capsys: pytest.CaptureFixture) -> None:
    assert main(["docs"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["document", "format", "paragraphs", "indexed", "at"]
    row = next(line for line in out.splitlines() if line.startswith("manual.md"))
    assert row.split()[1:3] == ["markdown", "7"]


def test_cli_show__prints_the_paragraph_with_its_neighbours_marked_and_located(
    cli_env: RagConfig, capsys: pytest.CaptureFixture
) -> None:
    assert main(["show", "manual.md", "6", "--context", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "manual.md — Widget Manual › Setup"
    assert out[1].startswith("  ¶5 (line 9): Install the widget service")
    assert out[2] == "▶ ¶6 (lines 11–14) [code]: widget --install"
    assert out[3].strip() == "widget --start"
    assert out[4].startswith("  ¶7 (line 16): The widget keeps its settings")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "nope.md", "1"], "rag: no indexed document is named 'nope.md'"),
        (["show", "manual.md", "99"], "rag: manual.md has no indexed paragraph 99; its paragraphs run from 1 to 7"),
        (["show", "manual.md", "two"], "rag: the paragraph number must be a whole number, got 'two'"),
        (["show", "manual.md", "2", "--context", "-1"], "rag: --context must be at least 0, got -1"),
        (["remove", "nope.md"], "rag: no indexed document is named 'nope.md'"),
        (["index", "/no/such/folder"], "rag: no such file or folder: /no/such/folder"),
    ],
)
def test_cli__bad_input_is_one_line_and_exit_2(
    cli_env: RagConfig, capsys: pytest.CaptureFixture, argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith(message)
