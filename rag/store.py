"""Chroma, embedded on disk or a server at RAG_CHROMA_URL: the only module that imports chromadb."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from rag.config import RagConfig
from rag.errors import RagError, StoreUnavailable

COLLECTION_PREFIX = "rag_"


def connect(config: RagConfig) -> Any:
    """A Chroma client; telemetry off, and no default embedding function is ever used."""
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if config.chroma_url is None:
        config.home.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(config.home / "chroma"), settings=settings)
    url = urlparse(config.chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise RagError(f"RAG_CHROMA_URL must look like http://host:port, got {config.chroma_url!r}.")
    try:
        return chromadb.HttpClient(
            host=url.hostname,
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=settings,
        )
    except Exception as exc:  # chromadb raises plain ValueError/ConnectionError here
        raise unavailable(config, exc) from None


def unavailable(config: RagConfig, exc: BaseException) -> StoreUnavailable:
    where = config.chroma_url or str(config.home / "chroma")
    return StoreUnavailable(
        f"the vector store at {where} is not reachable ({type(exc).__name__}); "
        "start it (chroma run --path DIR --port PORT) or unset RAG_CHROMA_URL."
    )


def collection_name(embedder: str, stamp: str) -> str:
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", embedder).strip("-")[:40]
    return f"{COLLECTION_PREFIX}{slug}_{stamp}"


def open_collection(client: Any, name: str, embedder: str) -> Any:
    return client.get_or_create_collection(
        name=name,
        embedding_function=None,
        metadata={"hnsw:space": "cosine", "embedder": embedder},
    )


def drop_collections(client: Any, keep: str | None) -> None:
    """Delete our collections other than `keep` (leftovers of interrupted rebuilds)."""
    for col in client.list_collections():
        name = col if isinstance(col, str) else col.name
        if name.startswith(COLLECTION_PREFIX) and name != keep:
            client.delete_collection(name)
