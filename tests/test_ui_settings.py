"""Where and how the chat server listens (rag.ui.settings)."""

from __future__ import annotations

import dataclasses

import pytest

from rag.config import RagConfig
from rag.errors import RagError
from rag.ui.settings import auth_pair, launch_options


def test_launch_options__defaults_are_local_and_never_shared():
    options = launch_options(RagConfig())
    expected = {"server_name": "127.0.0.1", "server_port": 7860, "auth": None, "share": False}
    assert options.kwargs() == expected
    assert options.url == "http://127.0.0.1:7860/"


def test_launch_options__flags_override_environment():
    config = RagConfig.from_env({"RAG_HOST": "0.0.0.0", "RAG_PORT": "9000"})
    assert launch_options(config).kwargs()["server_port"] == 9000
    options = launch_options(config, host="127.0.0.2", port=8001)
    assert (options.server_name, options.server_port) == ("127.0.0.2", 8001)
    with pytest.raises(RagError, match="between 1 and 65535"):
        launch_options(config, port=70000)


def test_auth_pair__user_and_password_and_clear_errors():
    assert auth_pair(None) is None
    assert auth_pair("alice:pa:ss") == ("alice", "pa:ss")
    for bad in ("alice", ":pw", "alice:"):
        with pytest.raises(RagError, match="user:password") as err:
            auth_pair(bad)
        assert bad not in str(err.value), "the message never echoes the secret"


def test_launch_options__password_never_in_repr():
    options = launch_options(dataclasses.replace(RagConfig(), auth="alice:hunter2"))
    assert options.auth == ("alice", "hunter2") and "hunter2" not in repr(options)
