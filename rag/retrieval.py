"""Hybrid retrieval: dense (Chroma through LlamaIndex) fused with BM25, as a LlamaIndex retriever."""

from __future__ import annotations

from typing import Any

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from llama_index.core.vector_stores.types import VectorStoreQuery

from rag.config import RagConfig
from rag.errors import IndexNotBuilt, RagError
from rag.fusion import favour_roles, fuse_scores
from rag.intent import ROLE_BONUS, wanted_roles
from rag.indexing import paragraph_id
from rag.snapshot import Manifest, read_paragraphs
from rag.sparse import KeywordIndex
from rag.types import Paragraph, ScoredParagraph


class HybridRetriever(BaseRetriever):
    """Dense + keyword retrieval over one index snapshot.

    >>> retriever = HybridRetriever.load(RagConfig.from_env())  # doctest: +SKIP
    >>> retriever.retrieve("offshore RMB settlement")[0].node.metadata["paragraph"]  # doctest: +SKIP
    70
    """

    def __init__(
        self,
        config: RagConfig,
        manifest: Manifest,
        paragraphs: list[Paragraph],
        keywords: KeywordIndex,
        vector_store: Any,
        embedder: Any,
    ) -> None:
        super().__init__()
        self.config = config
        self.manifest = manifest
        self.paragraphs = paragraphs
        self.keywords = keywords
        self.vector_store = vector_store
        self.embedder = embedder
        self.position = {paragraph_id(p): i for i, p in enumerate(paragraphs)}
        self.by_key = {(p.source, p.number): p for p in paragraphs}

    @classmethod
    def load(cls, config: RagConfig) -> HybridRetriever:
        from llama_index.vector_stores.chroma import ChromaVectorStore

        from rag import store
        from rag.embedding import build_embedder

        manifest = Manifest.read(config.home)
        folder = config.home / manifest.snapshot if manifest else None
        if manifest is None or folder is None or not (folder / "paragraphs.jsonl").exists():
            raise IndexNotBuilt(f"no index in {config.home}; run `rag index --rebuild`.")
        try:
            paragraphs = read_paragraphs(folder)
            keywords = KeywordIndex.load(folder / "bm25")
        except (OSError, ValueError, KeyError) as exc:
            raise IndexNotBuilt(
                f"the index in {config.home} is damaged ({type(exc).__name__}); "
                "run `rag index --rebuild`."
            ) from None
        client = store.connect(config)
        try:
            collection = client.get_collection(manifest.collection, embedding_function=None)
        except RagError:
            raise
        except Exception as exc:
            if config.chroma_url is not None:
                raise store.unavailable(config, exc) from None
            raise IndexNotBuilt(
                f"the index's collection is missing from {config.home}; run `rag index --rebuild`."
            ) from None
        vector_store = ChromaVectorStore(chroma_collection=collection)
        return cls(config, manifest, paragraphs, keywords, vector_store, build_embedder(config))

    def search(self, query: str, top_k: int | None = None) -> list[ScoredParagraph]:
        """Best paragraphs for `query`, fused; our own records, no LlamaIndex types."""
        k = self.config.top_k if top_k is None else top_k
        dense = self.dense(query, self.config.candidates)
        sparse = self.keywords.scores(query)
        fused = fuse_scores(dense, sparse, self.config.dense_weight, self.config.candidates)
        roles = wanted_roles(query)
        if roles:
            fused = favour_roles(fused, [p.role for p in self.paragraphs], roles, ROLE_BONUS)
        return [
            ScoredParagraph(self.paragraphs[pos], score, d, s) for pos, score, d, s in fused[:k]
        ]

    def dense(self, query: str, depth: int) -> dict[int, float]:
        """Snapshot position -> cosine similarity for the `depth` nearest paragraphs."""
        vector = self.embedder.get_query_embedding(query)
        result = self.vector_store.query(
            VectorStoreQuery(query_embedding=vector, similarity_top_k=depth)
        )
        hits: dict[int, float] = {}
        for node_id, sim in zip(result.ids or [], result.similarities or [], strict=False):
            pos = self.position.get(node_id)
            if pos is not None:
                hits[pos] = float(sim)
        return hits

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [to_node(sp) for sp in self.search(query_bundle.query_str)]


def to_node(sp: ScoredParagraph) -> NodeWithScore:
    p = sp.paragraph
    node = TextNode(
        id_=paragraph_id(p),
        text=p.text,
        metadata={"source": p.source, "paragraph": p.number, "header": p.header, "lang": p.lang},
    )
    return NodeWithScore(node=node, score=sp.score)
