"""The `rag` command: index, ask, chat, eval, bench. Heavy libraries load only when a command needs them."""

from __future__ import annotations

import argparse
import atexit
import gc
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from rag.config import RagConfig
from rag.errors import BadQuestion, RagError

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
    except BadQuestion as exc:
        print(f"rag: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except RagError as exc:
        print(f"rag: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("rag: interrupted", file=sys.stderr)
        return 130


def _exit_promptly() -> None:
    """Skip the interpreter's last garbage collections at exit: with LlamaIndex, openai and Chroma
    loaded they take 1-2 s after the answer is printed, to free memory the OS takes back anyway.
    Finalisers and atexit handlers still run; only cycles are left uncollected."""
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rag", description=__doc__)
    sub = parser.add_subparsers(dest="command")

    index = sub.add_parser("index", help="index the corpus (incremental; --rebuild starts clean)")
    index.add_argument("paths", nargs="*", type=Path, help=".txt/.md files or folders to add")
    index.add_argument("--rebuild", action="store_true", help="build a fresh index from scratch")
    index.add_argument("--wait", action="store_true", help="wait for another indexer instead of failing")
    index.set_defaults(run=_index)

    ask = sub.add_parser("ask", help="answer one question with citations")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.set_defaults(run=_ask)

    chat = sub.add_parser("chat", help="start the chat UI in the browser")
    chat.add_argument("--host", default=None)
    chat.add_argument("--port", type=int, default=None)
    chat.set_defaults(run=_lazy("rag.ui.app", "run_cli"))

    ev = sub.add_parser("eval", help="measure retrieval, answers and grounding on eval/")
    ev.add_argument("--set", dest="question_set", type=Path, default=None)
    ev.add_argument("--out", type=Path, default=Path("out/eval"))
    ev.add_argument("--no-baseline", action="store_true", help="skip the naive LlamaIndex baseline")
    ev.set_defaults(run=_lazy("rag.evaluation.runner", "run_cli"))

    bench = sub.add_parser("bench", help="measure speed, memory and scale")
    bench.add_argument("--quick", action="store_true", help="under a minute; skips the 100k point")
    bench.add_argument("--out", type=Path, default=Path("out/bench"))
    bench.set_defaults(run=_lazy("rag.bench", "run_cli"))
    return parser


def _lazy(module: str, name: str) -> Callable[[argparse.Namespace, RagConfig], int]:
    def run(args: argparse.Namespace, config: RagConfig) -> int:
        import importlib

        try:
            target = getattr(importlib.import_module(module), name)
        except ModuleNotFoundError:
            print(f"rag: `{args.command}` is not available in this build", file=sys.stderr)
            return EXIT_FAIL
        return target(args, config)

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
    for warning in report.warnings:
        print(f"rag: warning: {warning}", file=sys.stderr)
    print(report.summary())
    return EXIT_OK


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

            self.bar = tqdm(total=total, desc=self.label, unit="para", file=sys.stderr)
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
            text = c.text if len(c.text) <= 160 else c.text[:157] + "…"
            print(f"[{n}] {c.source} ¶{c.paragraph}: {text}")
    if answer.warning:
        print(f"\nwarning: {answer.warning}", file=sys.stderr)
    return EXIT_OK


def with_home(config: RagConfig, home: Path) -> RagConfig:
    return replace(config, home=home)


if __name__ == "__main__":
    sys.exit(main())
