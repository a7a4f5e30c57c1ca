"""The real CLI in this process, under exactly the RAG_* variables given (none of the caller's)."""

from __future__ import annotations

import os
from collections.abc import Mapping

import pytest

from rag.cli import main
from rag.config import RagConfig


def config_env(cfg: RagConfig, **extra: str) -> dict[str, str]:
    """The RAG_* variables that point the CLI at `cfg`'s home, documents and store, plus `extra`."""
    env = {"RAG_HOME": str(cfg.home), "RAG_DOCS": os.pathsep.join(map(str, cfg.docs))}
    if cfg.chroma_url:
        env["RAG_CHROMA_URL"] = cfg.chroma_url
    return {**env, **extra}


def child_env(cfg: RagConfig, **extra: str) -> dict[str, str]:
    """A child process's environment: this one's, with only `cfg`'s RAG_* variables (and `extra`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "OPENAI_"))}
    return {**env, **config_env(cfg, **extra)}


def run_cli(env: Mapping[str, str], *argv: str) -> int:
    """`rag ARGV` with RAG_* and OPENAI_* taken from `env` only, as `RagConfig.from_env` reads them."""
    with pytest.MonkeyPatch.context() as mp:
        for key in [k for k in os.environ if k.startswith(("RAG_", "OPENAI_"))]:
            mp.delenv(key)
        for key, value in env.items():
            if key.startswith(("RAG_", "OPENAI_")):
                mp.setenv(key, value)
        return main(list(argv))
