"""The chat's Documents panel: upload, notices per unreadable file, the list, remove; on a real small index."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.config import RagConfig
from rag.index.build import build_index
from rag.ui.documents import Outcome, document_rows, remove, render_outcome, upload


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> RagConfig:
    root = tmp_path_factory.mktemp("ui-docs")
    (root / "docs").mkdir()
    (root / "docs" / "base.txt").write_text("The harbour tunnel opened in 1972.\n", encoding="utf-8")
    config = RagConfig(home=root / "home", docs=(root / "docs",))
    build_index(config)
    return config


def _file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_upload__indexes_good_files_and_names_each_bad_one_with_its_reason(home: RagConfig, tmp_path: Path) -> None:
    good = _file(tmp_path, "guide.md", b"# Guide\n\nThe night bus to the airport leaves every twenty minutes.\n")
    empty = _file(tmp_path, "blank.txt", b"")
    fake = _file(tmp_path, "fake.pdf", b"this is not a pdf at all")
    ticks: list[tuple[int, int]] = []
    outcome = upload(home, [good, empty, fake], lambda done, total: ticks.append((done, total)))
    assert outcome.problems[0] == "blank.txt is empty"
    assert outcome.problems[1].startswith("fake.pdf is not a PDF")
    assert outcome.summary.startswith("1 of 3 file(s) indexed")
    assert ticks and ticks[-1][0] == ticks[-1][1]  # progress reached its end
    rows = document_rows(home)
    assert [r[:3] for r in rows] == [["base.txt", "txt-lines", 1], ["guide.md", "markdown", 2]]


def test_remove__takes_an_uploaded_document_out_of_the_list(home: RagConfig, tmp_path: Path) -> None:
    upload(home, [_file(tmp_path, "extra.txt", b"Trams in Hong Kong have run since 1904.\n")], None)
    assert "extra.txt" in [r[0] for r in document_rows(home)]
    outcome = remove(home, "extra.txt")
    assert outcome.problems == () and outcome.summary.startswith("removed extra.txt")
    assert "extra.txt" not in [r[0] for r in document_rows(home)]
    assert remove(home, "missing.txt").problems[0].startswith("no indexed document is named 'missing.txt'")


def test_render_outcome__escapes_file_names_and_reasons() -> None:
    html = render_outcome(Outcome(("<script>x</script>.txt is empty",), "1 of 2 <b>"))
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html
    assert html.count('role="alert"') == 1
