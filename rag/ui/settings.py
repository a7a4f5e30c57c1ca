"""How the chat server listens: address, port and login, from RagConfig and CLI flags. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field

from rag.config import RagConfig
from rag.errors import RagError

CONCURRENCY = 4  # answers computed at once; more wait in Gradio's queue


@dataclass(frozen=True)
class LaunchOptions:
    """Keyword arguments for `Blocks.launch`; `share` is never on."""

    server_name: str
    server_port: int
    auth: tuple[str, str] | None = field(default=None, repr=False)

    def kwargs(self) -> dict:
        return {
            "server_name": self.server_name,
            "server_port": self.server_port,
            "auth": self.auth,
            "share": False,
        }

    @property
    def url(self) -> str:
        host = f"[{self.server_name}]" if ":" in self.server_name else self.server_name
        return f"http://{host}:{self.server_port}/"


def auth_pair(auth: str | None) -> tuple[str, str] | None:
    """`user:password` (RAG_AUTH) as a pair; the password may itself contain ':'."""
    if auth is None:
        return None
    user, sep, password = auth.partition(":")
    if not sep or not user or not password:
        raise RagError("RAG_AUTH must look like user:password (both non-empty). Fix or unset it.")
    return user, password


def launch_options(
    config: RagConfig, host: str | None = None, port: int | None = None
) -> LaunchOptions:
    """Where to listen: CLI flags when given, else RAG_HOST/RAG_PORT (in config)."""
    port = config.port if port is None else port
    if not 0 < port < 65536:
        raise RagError(
            f"port must be between 1 and 65535, got {port}. Pass --port or set RAG_PORT."
        )
    return LaunchOptions(
        server_name=config.host if host is None else host,
        server_port=port,
        auth=auth_pair(config.auth),
    )
