"""The `rag` command: index, docs, show, remove, ask, chat, eval, bench. Heavy libraries load only when a command needs them."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from rag.config import RagConfig
from rag.errors import RagError

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rag", description=__doc__)
    sub = parser.add_subparsers(dest="command")

    index = sub.add_parser("index", help="index the corpus (incremental; --rebuild starts clean)")
    index.add_argument("paths", nargs="*", type=Path, help="files or folders to add (PDF, HTML, Markdown, DOCX, text)")
    index.add_argument("--rebuild", action="store_true", help="build a fresh index from scratch")
    index.add_argument("--wait", action="store_true", help="wait for another indexer instead of failing")
    index.set_defaults(run=_index)

    docs = sub.add_parser("docs", help="list the indexed documents")
    docs.set_defaults(run=_lazy("rag.ingest.commands", "docs"))

    show = sub.add_parser("show", help="print paragraph N of a document with the paragraphs around it")
    show.add_argument("source", help="the document's name, as citations and `rag docs` give it")
    show.add_argument("number", help="the paragraph number (¶N of a citation)")
    show.add_argument("--context", default="2", help="paragraphs to show on each side (default 2)")
    show.set_defaults(run=_lazy("rag.ingest.commands", "show"))

    remove = sub.add_parser("remove", help="take a document out of the index (re-indexes incrementally)")
    remove.add_argument("name", help="the document's name, as `rag docs` lists it")
    remove.set_defaults(run=_lazy("rag.ingest.commands", "remove"))

    ask = sub.add_parser("ask", help="answer one question with citations")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.set_defaults(run=_ask)

    chat = sub.add_parser("chat", help="start the chat UI in the browser")
    chat.add_argument("--host", default=None)
    chat.add_argument("--port", type=int, default=None)
    chat.set_defaults(run=_lazy("rag.ui.app", "run_cli"))

    ev = sub.add_parser("eval", help="measure evidence, answers and grounding per corpus, dev and test halves")
    ev.add_argument("--corpus", default=None, metavar="NAME|all",
                    help="a corpus of eval/sets/corpora.json, or all (the default)")
    ev.add_argument("--split", choices=("dev", "test", "both"), default="both",
                    help="which halves to run (default both); an unsplit set runs whole")
    ev.add_argument("--set", dest="question_set", type=Path, default=None, metavar="FILE",
                    help="one question file instead: against --corpus, or the configured corpus")
    ev.add_argument("--out", type=Path, default=Path("out/eval"))
    ev.add_argument("--no-baseline", action="store_true", help="skip the naive LlamaIndex baseline")
    ev.set_defaults(run=_lazy("rag.evaluation.runner", "run_cli"))

    train = sub.add_parser("train", help="refit the answer ranker and the answerability model on the dev halves")
    train.add_argument("--corpus", nargs="*", default=None, help="corpora to train on (default: all in eval/sets)")
    train.add_argument("--out", type=Path, default=None, help="where to write the models (default: rag/guard/models)")
    train.add_argument("--retrieval", action="store_true",
                       help="measure fusion weight x candidate depth on the dev halves instead of training")
    train.set_defaults(run=_lazy("rag.evaluation.training", "run_cli"))
    bench = sub.add_parser("bench", help="measure speed, memory and scale")
    bench.add_argument("--quick", action="store_true", help="under a minute; skips the 100k point")
    bench.add_argument("--out", type=Path, default=Path("out/bench"))
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


class _progress:
    """A tqdm bar driven by (done, total) callbacks; silent when nothing needs embedding."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = None

    def __enter__(self) -> Callable[[int, int], None]:
        return self.update

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=self.label, unit="text", file=sys.stderr)
        self.bar.update(done - self.bar.n)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


def _ask(args: argparse.Namespace, config: RagConfig) -> int:
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



if __name__ == "__main__":
    sys.exit(main())
