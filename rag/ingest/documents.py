"""Finds and reads the corpus files, skipping or repairing bad ones with a warning naming the file."""

from __future__ import annotations

import codecs
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rag.ingest.paragraphs import split_paragraphs
from rag.types import Paragraph

SUFFIXES = (".txt", ".md")
# Windows editors save "Unicode" text as UTF-16 with a byte-order mark; it is full of NULs.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
MAX_PARAGRAPH_CHARS = 20_000


@dataclass
class Corpus:
    paragraphs: list[Paragraph] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def find_files(roots: Iterable[Path]) -> list[Path]:
    """Every .txt/.md file under the given files and folders, in a stable order."""
    found: dict[Path, None] = {}
    for root in roots:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.startswith("."):
                    found[path.resolve()] = None
        elif root.is_file():
            found[root.resolve()] = None
    return list(found)


def decode(path: Path, data: bytes) -> tuple[str | None, str | None]:
    """(text, warning): None text means skip the file."""
    if not data.strip():
        return None, f"skipped {path.name}: the file is empty"
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), None
            except UnicodeDecodeError:
                return None, f"skipped {path.name}: it starts like {codec} text but is not"
    if b"\x00" in data[:8192]:
        return None, f"skipped {path.name}: it looks binary, not text"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") > max(16, len(text) // 20):
            return None, (
                f"skipped {path.name}: it is not UTF-8 text (byte {exc.start} is invalid); "
                "save it as UTF-8 and index it again"
            )
        return text, f"{path.name} is not valid UTF-8; undecodable bytes were replaced"


def read_text(path: Path) -> str:
    """A document's text as `load_corpus` decodes it; "" when it would be skipped."""
    text, _ = decode(path, path.read_bytes())
    return text or ""


def load_corpus(roots: Sequence[Path]) -> Corpus:
    corpus = Corpus()
    seen_hashes: dict[str, str] = {}
    for path in find_files(roots):
        if path.suffix.lower() not in SUFFIXES:
            corpus.warnings.append(f"skipped {path.name}: only .txt and .md files are indexed")
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            corpus.warnings.append(f"skipped {path.name}: {exc.strerror}")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen_hashes:
            corpus.warnings.append(f"skipped {path.name}: same content as {seen_hashes[digest]}")
            continue
        text, warning = decode(path, data)
        if warning:
            corpus.warnings.append(warning)
        if text is None:
            continue
        seen_hashes[digest] = path.name
        name = _unique_name(path, corpus.documents)
        paragraphs = split_paragraphs(name, text)
        long = [p for p in paragraphs if len(p.text) > MAX_PARAGRAPH_CHARS]
        for p in long:
            corpus.warnings.append(
                f"skipped paragraph {p.number} of {name}: {len(p.text):,} characters; "
                f"the limit is {MAX_PARAGRAPH_CHARS:,}"
            )
        kept = [p for p in paragraphs if len(p.text) <= MAX_PARAGRAPH_CHARS]
        if not kept:
            corpus.warnings.append(f"skipped {name}: no indexable paragraphs")
            continue
        corpus.documents.append(name)
        corpus.paragraphs.extend(kept)
    return corpus


def _unique_name(path: Path, taken: Sequence[str]) -> str:
    name = path.name
    return name if name not in taken else f"{path.parent.name}/{name}"


def read_sources(home: Path) -> list[Path]:
    """Files and folders the user added with `rag index PATH...`."""
    registry = home / "sources.json"
    if not registry.exists():
        return []
    return [Path(p) for p in json.loads(registry.read_text(encoding="utf-8"))]


def add_sources(home: Path, paths: Sequence[Path]) -> None:
    known = read_sources(home)
    merged = list(dict.fromkeys([*map(str, known), *(str(p.resolve()) for p in paths)]))
    home.mkdir(parents=True, exist_ok=True)
    tmp = home / "sources.json.tmp"
    tmp.write_text(json.dumps(merged, indent=1), encoding="utf-8")
    tmp.replace(home / "sources.json")
