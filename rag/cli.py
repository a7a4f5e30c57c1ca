"""The `rag` command: index, docs, show, remove, ask, chat, eval, bench.

Heavy libraries load only when a command needs them.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rag.config import RagConfig
from rag.errors import BadReference, RagError

if TYPE_CHECKING:
    from rag.ingest.catalog import DocumentInfo
    from rag.types import Paragraph

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    _exit_promptly()
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        config = RagConfig.from_env()
        return args.run(args, config)
    except RagError as exc:  # a ValueError one is bad input: a question, a document name, a number
        print(f"rag: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, ValueError) else EXIT_FAIL
    except KeyboardInterrupt:
        print("rag: interrupted", file=sys.stderr)
        return 130


def _exit_promptly() -> None:
    """Skip the interpreter's last garbage collections at exit: with LlamaIndex, openai and Chroma
    loaded they take 1-2 s after the answer is printed, to free memory the OS takes back anyway.
    Finalisers and atexit handlers still run; only cycles are left uncollected."""
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


EXAMPLES = """\
examples:
  rag index                      index the corpus (seeds/ by default; only new paragraphs are embedded)
  rag index notes/ report.pdf    add your own files or folders, then index them
  rag ask "What percentage of offshore RMB settlement does Hong Kong handle?"
  rag ask "香港处理多少离岸人民币结算?" --json
  rag docs                       list the indexed documents
  rag show 000_9ac360c900c966b4.txt 70   read the paragraph a citation [n] points to
  rag chat --port 7860           the chat UI at http://127.0.0.1:7860
  rag eval --corpus seeds --split dev
  rag bench --quick

settings are environment variables (RAG_HOME, RAG_DOCS, OPENAI_API_KEY, ...); see the README.
run `rag COMMAND --help` for a command's options.
"""


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the examples' line breaks; each argument's help states its own default."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rag", description="Answers from your documents, every sentence cited to its source paragraph.",
        epilog=EXAMPLES, formatter_class=_HelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")

    def command(name: str, summary: str, details: str = "") -> argparse.ArgumentParser:
        description = f"{summary[:1].upper()}{summary[1:]}.{details}"
        return sub.add_parser(name, help=summary, description=description, formatter_class=_HelpFormatter)

    index = command("index", "index the corpus (incremental; --rebuild starts clean)",
                    " Only paragraphs whose text is new are embedded; an unchanged corpus returns at once.")
    index.add_argument("paths", nargs="*", type=Path,
                       help="files or folders to add (PDF, HTML, Markdown, DOCX, text); default: none, "
                            "index the corpus as it is (RAG_DOCS and what was added before)")
    index.add_argument("--rebuild", action="store_true", help="build a fresh index from scratch (default: incremental)")
    index.add_argument("--wait", action="store_true",
                       help="wait for another indexer instead of failing (default: fail at once)")
    index.set_defaults(run=_index)

    docs = command("docs", "list the indexed documents")
    docs.set_defaults(run=_docs)

    show = command("show", "print paragraph N of a document with the paragraphs around it")
    show.add_argument("source", help="the document's name, as citations and `rag docs` give it")
    show.add_argument("number", help="the paragraph number (¶N of a citation)")
    show.add_argument("--context", default="2", help="paragraphs to show on each side (default: %(default)s)")
    show.set_defaults(run=_show)

    remove = command("remove", "take a document out of the index (re-indexes incrementally)")
    remove.add_argument("name", help="the document's name, as `rag docs` lists it")
    remove.set_defaults(run=_remove)

    ask = command("ask", "answer one question with citations",
                  " Offline the answer is extractive; with OPENAI_API_KEY or OPENAI_BASE_URL an LLM writes it."
                  " The first question on an empty RAG_HOME builds the index first (about a minute).")
    ask.add_argument("question", metavar="QUESTION",
                     help="the question, in English or Chinese (Traditional or Simplified); at most 2,000 characters")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON (default: text with citations)")
    ask.set_defaults(run=_ask)

    chat = command("chat", "start the chat UI in the browser")
    chat.add_argument("--host", default=None,
                      help="address to listen on (default: RAG_HOST, else 127.0.0.1)")
    chat.add_argument("--port", type=int, default=None, help="port to listen on (default: RAG_PORT, else 7860)")
    chat.set_defaults(run=_lazy("rag.ui.app", "run_cli"))

    ev = command("eval", "measure evidence, answers and grounding per corpus, dev and test halves")
    ev.add_argument("--corpus", default=None, metavar="NAME|all",
                    help="a corpus of eval/sets/corpora.json, or all (default: all)")
    ev.add_argument("--split", choices=("dev", "test", "both"), default="both",
                    help="which halves to run (default: %(default)s); an unsplit set runs whole")
    ev.add_argument("--set", dest="question_set", type=Path, default=None, metavar="FILE",
                    help="one question file instead: against --corpus, or the configured corpus (default: none)")
    ev.add_argument("--out", type=Path, default=Path("out/eval"),
                    help="folder for report.json, report.md and report.png (default: %(default)s)")
    ev.add_argument("--no-baseline", action="store_true",
                    help="skip the naive LlamaIndex baseline (default: run it)")
    ev.set_defaults(run=_lazy("rag.evaluation.runner", "run_cli"))

    train = command("train", "refit the answer ranker and the answerability model on the dev halves")
    train.add_argument("--corpus", nargs="*", default=None,
                       help="corpora to train on (default: all in eval/sets)")
    train.add_argument("--out", type=Path, default=None, help="where to write the models (default: rag/guard/models)")
    train.add_argument("--retrieval", action="store_true",
                       help="measure fusion weight x candidate depth on the dev halves instead of training "
                            "(default: train the models)")
    train.set_defaults(run=_lazy("rag.evaluation.training", "run_cli"))

    bench = command("bench", "measure speed, memory and scale",
                    " A full run takes about 15 minutes on 2 cores; --quick takes under a minute.")
    bench.add_argument("--quick", action="store_true",
                       help="under a minute; skips the 100k point (default: the full run, about 15 min)")
    bench.add_argument("--out", type=Path, default=Path("out/bench"),
                       help="folder for bench.json and bench.png (default: %(default)s)")
    bench.set_defaults(run=_lazy("rag.bench", "run_cli"))
    return parser


def _lazy(module: str, name: str) -> Callable[[argparse.Namespace, RagConfig], int]:
    def run(args: argparse.Namespace, config: RagConfig) -> int:
        import importlib

        return getattr(importlib.import_module(module), name)(args, config)

    return run


def _index(args: argparse.Namespace, config: RagConfig) -> int:
    from rag.index.build import build_index
    from rag.ingest.documents import add_sources

    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"rag: no such file or folder: {missing[0]}", file=sys.stderr)
        return EXIT_USAGE
    if args.paths:
        add_sources(config.home, args.paths)
    with _progress("embedding") as progress:
        report = build_index(config, rebuild=args.rebuild, wait=args.wait, progress=progress)
    print_report(report)
    return EXIT_OK


def print_report(report: object) -> None:
    """An IndexReport's notes on stderr, one line each, then its summary."""
    for warning in report.warnings:
        print(f"rag: warning: {warning}", file=sys.stderr)
    print(report.summary())


def _progress(label: str) -> object:
    """The embedding progress bars (rag.index.progress), shared with a first build by `rag ask`/`rag chat`."""
    from rag.index.progress import progress_bar

    return progress_bar(label)


def _ask(args: argparse.Namespace, config: RagConfig) -> int:
    from rag.question.validation import validate_question

    validate_question(args.question)  # bad input fails before the heavy imports below
    from rag.qa import ask

    answer = ask(args.question, config=config)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(answer.answer)
    if answer.citations:
        print()
        for n, c in enumerate(answer.citations, start=1):
            flat = " ".join(c.text.split())  # a code block's lines on one line
            text = flat if len(flat) <= 160 else flat[:157] + "…"
            where = f" ({c.location})" if c.location else ""
            print(f"[{n}] {c.source} ¶{c.paragraph}{where}: {text}")
    if answer.warning:
        print(f"\nwarning: {answer.warning}", file=sys.stderr)
    return EXIT_OK


# rag docs / show / remove: plain-text shells over rag.index.library

MARK = "▶"


def _docs(args: argparse.Namespace, config: RagConfig) -> int:
    from rag.index.library import list_documents

    documents = list_documents(config)
    if not documents:
        raise BadReference(f"no index in {config.home}; run `rag index` first")
    print(format_documents(documents))
    return 0


def _show(args: argparse.Namespace, config: RagConfig) -> int:
    from rag.index.library import around, document_paragraphs

    number = _count(args.number, "the paragraph number", minimum=1)
    context = _count(args.context, "--context", minimum=0)
    print(format_context(around(document_paragraphs(config, args.source), number, context), number))
    return 0


def _remove(args: argparse.Namespace, config: RagConfig) -> int:
    from rag.index.library import remove_document

    print_report(remove_document(config, args.name))
    print(f"removed {args.name}")
    return 0


def format_documents(documents: Sequence[DocumentInfo]) -> str:
    """One row per document: name, format, paragraphs, when this version was indexed."""
    rows = [("document", "format", "paragraphs", "indexed at")]
    rows += [
        (d.name, d.format or "?", f"{d.paragraphs:,}" if d.paragraphs else "?", _when(d.indexed_at))
        for d in documents
    ]
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

if __name__ == "__main__":
    sys.exit(main())
