"""The public surface of `rag`: its names, `__all__`, and that importing it stays light."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

import rag

PUBLIC = {"ask", "ask_stream", "get_engine", "Answer", "Citation", "RagConfig", "RagError"}
HEAVY = ("gradio", "chromadb", "llama_index")


def _public_names_in_dir() -> set[str]:
    # submodules imported by this test session (rag.config, …) are attributes too; they are not API
    return {n for n in dir(rag) if not n.startswith("_") and not isinstance(vars(rag).get(n), types.ModuleType)}


def test_dir__lists_the_public_names():
    assert PUBLIC <= set(dir(rag))


def test_all__lists_the_public_names_once_and_matches_dir():
    assert PUBLIC <= set(rag.__all__)
    assert len(rag.__all__) == len(set(rag.__all__))
    assert set(rag.__all__) == _public_names_in_dir()


def test_all__lazy_names_are_defined_in_their_modules():
    # read with ast, so the test does not import the pipeline
    for name, module in rag._LAZY.items():
        path = Path(rag.__file__).parent.joinpath(*module.split(".")[1:]).with_suffix(".py")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = {
            node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        } | {
            t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)
        }
        assert name in defined, f"rag.{name} points at {module}, which defines no {name}"


def test_all__eager_names_are_the_real_types():
    from rag.config import RagConfig
    from rag.errors import RagError
    from rag.types import Answer, Citation

    assert (rag.Answer, rag.Citation, rag.RagConfig, rag.RagError) == (Answer, Citation, RagConfig, RagError)


def test_getattr__unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        rag.no_such_name  # noqa: B018


def test_import__loads_no_heavy_library():
    code = "import json, sys, rag; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    loaded = json.loads(done.stdout)
    assert "rag" in loaded
    assert [m for m in loaded if m.split(".")[0] in HEAVY] == []
