"""One `rag index` process over a folder of every supported format plus the bad documents, then
`rag ask` on each (in this process, which had not opened that index: the same fresh start).

The Debian FAQ's English PDF (from Debian's package, cut to its first pages) and two of its HTML
chapters are most of what is embedded.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from PIL import Image
from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from rag.config import REPO_ROOT

pytestmark = pytest.mark.slow
FAQ_EXTRACT = REPO_ROOT / "eval" / "corpora" / "debian-faq"
RAG = (sys.executable, "-m", "rag.cli")

MARKDOWN = """# Kettlectl Guide

Kettlectl controls the office kettle from the command line.

## Installing

Install kettlectl and set it up with these commands:

```
pip install kettlectl
kettlectl --init --room 4B
```

## Features

Kettlectl can:

- boil water to an exact temperature
- keep water warm for up to 90 minutes
- report when the kettle needs descaling

## Limits

The kettle holds at most 1.7 litres, and kettlectl refuses to boil it when it is empty.
"""
GBK_TEXT = """杭州西湖龙井茶简介
龙井茶产于浙江省杭州市西湖周围的群山之中，已有一千二百多年的历史，是中国十大名茶之一。
明前龙井在清明节之前采摘，制作一斤干茶大约需要三万六千个嫩芽，因此价格很高。
冲泡龙井茶时，水温以八十五度左右为宜，不宜用刚烧开的沸水直接冲泡，以免烫坏茶叶。
"""
BIG5_TEXT = """臺北捷運簡介
臺北捷運於一九九六年開始營運，第一條通車的路線是文湖線，當時稱為木柵線。
目前臺北捷運每日平均運量超過兩百萬人次，是臺北市民最重要的交通工具之一。
捷運站內及車廂內禁止飲食，違者可處新臺幣一千五百元以上、七千五百元以下罰鍰。
"""
LOGIN = """<html><head><title>Sign in</title></head><body><h1>Sign in</h1>
<form action="/login"><label>User name <input name="u"></label>
<label>Password <input type="password" name="p"></label><button>Sign in</button></form>
<p><a href="/forgot">Forgot your password?</a></p></body></html>"""
BAD = {  # file -> what its one line must say
    "locked.pdf": "locked.pdf is encrypted",
    "scan.pdf": "scan.pdf has no text layer (scanned?); OCR is not supported",
    "report.docx": "report.docx is not a valid Word document",
    "empty.txt": "empty.txt is empty",
    "login.html": "login.html has no readable text (only a form)",
    "huge.pdf": "huge.pdf is 200.0 MB; the limit is 50 MB (RAG_MAX_FILE_MB)",
}
# (question, document(s) its answer may come from, words the answer holds, what its location looks like).
# The Chinese question may be answered from the English page as well: the ranker quotes the other
# language's paragraph where it is the better match (rag.guard.features: crosslingual).
QUESTIONS = [
    ("How much water does the kettle hold at most?", "kettle-guide.md", "1.7 litres", r"^lines? \d+(–\d+)?$"),
    ("How do I install kettlectl?", "kettle-guide.md", "pip install kettlectl", r"^lines? \d+(–\d+)?$"),
    ("How long does the Star Ferry take to cross the harbour?", "ferries.docx", "nine minutes", r"^Harbour Ferries$"),
    ("冲泡龙井茶的水温应该是多少度？", "tea-gbk.txt", "八十五度", r"^line \d+$"),
    ("在臺北捷運站內飲食會被罰多少錢？", "metro-big5.txt", "一千五百元", r"^line \d+$"),
    ("Who created the Debian Project, and in what year?", "debian-faq.en.pdf", "Ian Murdock", r"^p\. \d+$"),
    ("Which tool can update a Debian system automatically at regular intervals?", "uptodate.en.html", "cron-apt",
     r"^9\.5\. Can I automatically update the system\?$"),
    ("可以自动升级 Debian 系统吗？用什么工具？", ("uptodate.zh-cn.html", "uptodate.en.html"), "cron-apt", r"^9\.5\. "),
]


def _docx() -> bytes:
    document = docx.Document()
    document.add_heading("Harbour Ferries", level=1)
    document.add_paragraph("The Star Ferry crosses Victoria Harbour between Tsim Sha Tsui and Central in about nine minutes.")
    document.add_paragraph("Ferries leave every eight to twelve minutes from early morning until late at night.")
    document.add_heading("Fares", level=1)
    table = document.add_table(rows=3, cols=2)
    for row, cells in zip(table.rows, [["Deck", "Adult fare"], ["Upper", "5.0 dollars"], ["Lower", "4.0 dollars"]],
                          strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf(encrypt: pdfencrypt.StandardEncryption | None = None, image: bool = False) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    if image:
        pdf.drawImage(ImageReader(Image.new("RGB", (200, 100), "white")), 72, 600, width=400, height=200)
    else:
        pdf.drawString(72, 760, "Salary figures for the third quarter are confidential.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


PDF_PAGES = 11  # of 73: the title, contents and first chapter, with their running headers and footers


def _first_pages(pdf_gz: Path, pages: int) -> bytes:
    """The FAQ's real typeset PDF cut to its first `pages` pages (pypdfium2), so the format test
    embeds a seventh of it; the answer and its page stay in (Ian Murdock is on p. 10)."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(gzip.decompress(pdf_gz.read_bytes()))
    extract = pdfium.PdfDocument.new()
    extract.import_pages(source, list(range(min(pages, len(source)))))
    buffer = io.BytesIO()
    extract.save(buffer)
    return buffer.getvalue()


def _zip_posing_as_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a Word document")
    return buffer.getvalue()


def build_folder(folder: Path, faq: Path) -> None:
    """The corpus of this test: good documents of every format, and the bad ones of BAD."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "debian-faq.en.pdf").write_bytes(_first_pages(faq / "debian-faq.en.pdf.gz", PDF_PAGES))
    for chapter in ("uptodate.en.html", "uptodate.zh-cn.html"):  # the FAQ's shortest bilingual chapter
        (folder / chapter).write_bytes((FAQ_EXTRACT / chapter).read_bytes())
    (folder / "kettle-guide.md").write_text(MARKDOWN, encoding="utf-8")
    (folder / "ferries.docx").write_bytes(_docx())
    (folder / "tea-gbk.txt").write_bytes(GBK_TEXT.encode("gbk"))
    (folder / "metro-big5.txt").write_bytes(BIG5_TEXT.encode("big5"))
    (folder / "locked.pdf").write_bytes(_pdf(pdfencrypt.StandardEncryption("user-secret", ownerPassword="owner")))
    (folder / "scan.pdf").write_bytes(_pdf(image=True))
    (folder / "report.docx").write_bytes(_zip_posing_as_docx())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "login.html").write_text(LOGIN, encoding="utf-8")
    with (folder / "huge.pdf").open("wb") as fh:  # sparse: 200 MB by its size, nothing on disk
        fh.truncate(200_000_000)


@pytest.fixture(scope="module")
def indexed(debian_faq: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, subprocess.CompletedProcess]:
    root = tmp_path_factory.mktemp("all-formats")
    build_folder(root / "docs", debian_faq)
    (root / "none").mkdir()  # RAG_DOCS: nothing but the folder given to `rag index`
    env = {**os.environ, "RAG_HOME": str(root / "home"), "RAG_DOCS": str(root / "none")}
    done = subprocess.run([*RAG, "index", str(root / "docs")], env=env, capture_output=True, text=True, timeout=1800)
    return env, done


def test_rag_index__indexes_every_format_and_names_each_bad_document_in_one_line(indexed) -> None:
    env, done = indexed
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stderr.splitlines()
    for name, reason in BAD.items():
        mine = [line for line in lines if f"not indexed: {name}" in line]
        assert len(mine) == 1 and reason in mine[0], (name, lines)
    assert any("tea-gbk.txt: decoded as GB" in line for line in lines)
    assert any("metro-big5.txt: decoded as Big5" in line for line in lines)
    docs = subprocess.run([*RAG, "docs"], env=env, capture_output=True, text=True, check=True).stdout
    formats = dict(line.split()[:2] for line in docs.splitlines()[1:-1])
    assert formats == {
        "debian-faq.en.pdf": "pdf",
        "uptodate.en.html": "html",
        "uptodate.zh-cn.html": "html",
        "kettle-guide.md": "markdown",
        "ferries.docx": "docx",
        "tea-gbk.txt": "txt-lines",
        "metro-big5.txt": "txt-lines",
    }


def _cli(env: dict[str, str], capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    """`rag ARGV` in this process, which never opened this index before: as a new process would."""
    from tests.cli import run_cli

    capsys.readouterr()
    code = run_cli({key: env[key] for key in ("RAG_HOME", "RAG_DOCS")}, *argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("question", "source", "words", "location"), QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_rag_ask__answers_from_each_format_with_a_location_a_person_can_open(
    indexed, capsys, question: str, source: str, words: str, location: str
) -> None:
    env, _ = indexed
    code, out, err = _cli(env, capsys, "ask", question, "--json")
    assert code == 0, err[-2000:]
    answer = json.loads(out)
    assert not answer["refused"], answer
    sources = (source,) if isinstance(source, str) else source
    cited = [c for c in answer["citations"] if c["source"] in sources]
    assert cited, answer
    assert any(words.lower() in c["text"].lower() for c in cited), answer
    assert all(re.search(location, c["location"]) for c in cited), cited
    first = cited[0]  # and a person can open it: `rag show` prints that paragraph at that location
    code, shown, err = _cli(env, capsys, "show", first["source"], str(first["paragraph"]), "--context", "0")
    assert code == 0, err
    assert f"▶ ¶{first['paragraph']} ({first['location']})" in shown
