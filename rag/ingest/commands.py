"""`rag docs`, `rag show` and `rag remove`: thin shells over rag.ingest.library, printing plain text."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from rag.config import RagConfig
from rag.errors import BadReference
from rag.ingest.catalog import DocumentInfo
from rag.ingest.library import around, document_paragraphs, list_documents, remove_document
from rag.types import Paragraph

MARK = "▶"


def docs(args: argparse.Namespace, config: RagConfig) -> int:
    documents = list_documents(config)
    if not documents:
        raise BadReference(f"no index in {config.home}; run `rag index` first")
    print(format_documents(documents))
    return 0


def show(args: argparse.Namespace, config: RagConfig) -> int:
    number = _count(args.number, "the paragraph number", minimum=1)
    context = _count(args.context, "--context", minimum=0)
    print(format_context(around(document_paragraphs(config, args.source), number, context), number))
    return 0


def remove(args: argparse.Namespace, config: RagConfig) -> int:
    from rag.cli import print_report

    print_report(remove_document(config, args.name))
    print(f"removed {args.name}")
    return 0


def format_documents(documents: Sequence[DocumentInfo]) -> str:
    """One row per document: name, format, paragraphs, when this version was indexed."""
    rows = [("document", "format", "paragraphs", "indexed at")]
    rows += [(d.name, d.format or "?", f"{d.paragraphs:,}" if d.paragraphs else "?", _when(d.indexed_at)) for d in documents]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}" for r in rows
    ]
    total = sum(d.paragraphs for d in documents)
    return "\n".join([*lines, f"{len(documents)} documents, {total:,} paragraphs"])


def format_context(paragraphs: Sequence[Paragraph], number: int) -> str:
    """The paragraphs around `number`, each headed `¶N (location)`, the asked one marked."""
    asked = next(p for p in paragraphs if p.number == number)
    out = [asked.source + (f" — {' › '.join(asked.section)}" if asked.section else "")]
    for p in paragraphs:
        mark = MARK if p.number == number else " "
        where = f" ({p.location})" if p.location else ""
        kind = "" if p.kind == "paragraph" else f" [{p.kind.value.replace('_', ' ')}]"
        lines = p.text.splitlines() or [""]
        out.append(f"{mark} ¶{p.number}{where}{kind}: {lines[0]}")
        out.extend(f"      {line}" for line in lines[1:])
    return "\n".join(out)


def _when(stamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp)) if stamp else "?"


def _count(raw: str, what: str, minimum: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise BadReference(f"{what} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise BadReference(f"{what} must be at least {minimum}, got {value}")
    return value
