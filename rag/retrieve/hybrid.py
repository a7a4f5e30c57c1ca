"""Hybrid retrieval: dense (Chroma through LlamaIndex) fused with BM25, as a LlamaIndex retriever."""

from __future__ import annotations

from typing import Any

import numpy as np
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from llama_index.core.vector_stores.types import VectorStoreQuery

from rag.config import RagConfig
from rag.errors import IndexDamaged, IndexNotBuilt
from rag.index.build import paragraph_id
from rag.index.keywords import KeywordIndex
from rag.index.sentence_vectors import SentenceIndex
from rag.index.snapshot import Manifest, damaged_files, read_paragraphs
from rag.lang.crosslingual import glossed_in
from rag.lang.text import CJK, normalise, stem, tokenize
from rag.question.intent import wanted_roles
from rag.retrieve.corpus_stats import Corpus, idf_table
from rag.retrieve.fusion import favour_roles, fuse_scores
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
        self._sentences: SentenceIndex | bool | None = None
        self._common: dict[str, bool] = {}
        self._texts: list[str] | None = None
        self._vectors: dict[str, np.ndarray] = {}
        self._corpus: Corpus | None = None

    @classmethod
    def load(cls, config: RagConfig) -> HybridRetriever:
        """The retriever for the index in `config.home`.

        Raises:
            IndexNotBuilt: no index, or its snapshot or collection is missing; says what to run.
            StoreUnavailable: the Chroma server at RAG_CHROMA_URL cannot be reached.
        """
        from llama_index.vector_stores.chroma import ChromaVectorStore

        from rag.index import store
        from rag.index.embedding import build_embedder

        manifest = Manifest.read(config.home)
        if manifest is None:
            raise IndexNotBuilt(f"no index in {config.home}; run `rag index`.")
        paragraphs, keywords = _read_snapshot(config, manifest)
        client = store.connect(config, manifest.store)
        try:
            collection = store.get_collection(client, manifest.collection)
        except Exception as exc:
            raise _store_error(config, manifest, exc) from None
        vector_store = ChromaVectorStore(chroma_collection=collection)
        return cls(config, manifest, paragraphs, keywords, vector_store, build_embedder(config))

    def is_common(self, term: str, share: float = 0.25) -> bool:
        """Whether `term` (normalised) occurs in more than `share` of the paragraphs."""
        if term not in self._common:
            texts = self._normalised_texts()
            hits = sum(term in t for t in texts)
            self._common[term] = hits > share * max(1, len(texts))
        return self._common[term]

    def knows(self, term: str) -> bool:
        """Whether the corpus has `term` (a normalised question token) or, for a Chinese word,
        its whole English translation: a word it lacks cannot be what the answer is about."""
        vocab = self.keywords.vocabulary
        if not CJK.search(term):  # a token, stemmed as the index is: budget, budgets -> budget
            return term in vocab or stem(term) in vocab
        if term in vocab:
            return True
        return any(term in t for t in self._normalised_texts()) or glossed_in(term, vocab)

    def _normalised_texts(self) -> list[str]:
        if self._texts is None:
            self._texts = [normalise(p.text) for p in self.paragraphs]
        return self._texts

    def forget_query_vectors(self) -> None:
        """Drop the kept question vectors, so the next call embeds its question (for timing)."""
        self._vectors.clear()

    def embed(self, query: str) -> np.ndarray:
        """The query's vector; the last few are kept, as the answer layer asks for them again."""
        cached = self._vectors.get(query)
        if cached is None:
            cached = np.asarray(self.embedder.get_query_embedding(query), dtype=np.float32)
            if len(self._vectors) >= 64:
                self._vectors.pop(next(iter(self._vectors)))
            self._vectors[query] = cached
        return cached

    def sentence_similarities(self, vector: np.ndarray, paragraph: Paragraph) -> np.ndarray | None:
        """Cosine similarity of the query to each sentence of `paragraph` (None without sentence vectors)."""
        index = self.sentence_index
        pos = self.position.get(paragraph_id(paragraph))
        if index is None or pos is None:
            return None
        return index.similarities(vector, pos)

    @property
    def corpus(self) -> Corpus:
        """IDF and vocabulary of the whole corpus, for the answer layer's features."""
        if self._corpus is None:
            frequency: dict[str, int] = {}
            for p in self.paragraphs:
                for token in set(tokenize(p.indexed_text)):
                    frequency[token] = frequency.get(token, 0) + 1
            self._corpus = Corpus(idf_table(frequency, len(self.paragraphs)), self.knows)
        return self._corpus

    def search(
        self, query: str, top_k: int | None = None, vector: np.ndarray | None = None
    ) -> list[ScoredParagraph]:
        """Best paragraphs for `query`, fused; our own records, no LlamaIndex types.

        Each candidate's dense score is the better of its paragraph vector and its best
        sentence vector, so one on-point sentence in a long paragraph is not blurred away.
        """
        k = self.config.top_k if top_k is None else top_k
        vector = self.embed(query) if vector is None else vector
        dense = self.dense(query, self.config.candidates, vector)
        sparse = self.keywords.scores(query)
        finer = self._sentence_rescore(dense, sparse, vector)
        fused = fuse_scores(finer, sparse, self.config.dense_weight, self.config.candidates)
        fused = [(pos, score, dense.get(pos, d), s) for pos, score, d, s in fused]
        roles = wanted_roles(query)
        if roles:
            fused = self._with_role_paragraphs(fused, roles, depth=max(k, 10))
            fused = favour_roles(fused, [p.role for p in self.paragraphs], roles, self.config.role_bonus)
        return [
            ScoredParagraph(self.paragraphs[pos], score, d, s) for pos, score, d, s in fused[:k]
        ]

    def _with_role_paragraphs(
        self, fused: list[tuple[int, float, float, float]], roles: frozenset[str], depth: int
    ) -> list[tuple[int, float, float, float]]:
        """Lift the title/byline paragraphs of the documents among the best `depth` hits up to
        just under their document's best: a byline shares few words with "who wrote it?", so
        neither retriever may have ranked it."""
        best_of: dict[str, float] = {}
        for pos, score, _, _ in fused[:depth]:
            best_of.setdefault(self.paragraphs[pos].source, score)
        lifted = {
            pos: 0.9 * best_of[p.source]
            for pos, p in enumerate(self.paragraphs)
            if p.role in roles and p.source in best_of
        }
        have = {hit[0] for hit in fused}
        out = [(pos, max(score, lifted.get(pos, score)), d, b) for pos, score, d, b in fused]
        out += [(pos, score, 0.0, 0.0) for pos, score in lifted.items() if pos not in have]
        return sorted(out, key=lambda t: (-t[1], t[0]))

    def _sentence_rescore(
        self, dense: dict[int, float], sparse: np.ndarray, vector: np.ndarray
    ) -> dict[int, float]:
        index = self.sentence_index
        if index is None:
            return dense
        floor = min(dense.values()) if dense else 0.0
        candidates = set(dense) | {int(i) for i in np.argsort(-sparse)[: self.config.candidates] if sparse[i] > 0}
        return {pos: max(dense.get(pos, floor), index.best(vector, pos)) for pos in candidates}

    @property
    def sentence_index(self) -> SentenceIndex | None:
        """Sentence vectors of this snapshot (written by `rag index`); None for older snapshots."""
        if self._sentences is None:
            index = SentenceIndex.load(self.config.home / self.manifest.snapshot)
            fits = index is not None and len(index.offsets) == len(self.paragraphs) + 1
            self._sentences = index if fits else False
        return self._sentences or None

    def dense(self, query: str, depth: int, vector: np.ndarray | None = None) -> dict[int, float]:
        """Snapshot position -> cosine similarity for the `depth` nearest paragraphs."""
        if vector is None:
            vector = self.embed(query)
        try:
            result = self.vector_store.query(
                VectorStoreQuery(query_embedding=list(map(float, vector)), similarity_top_k=depth)
            )
        except Exception as exc:
            # The cached retriever keeps its client: once the server is back, the next
            # call simply works, so a dead server costs one clear error, not a restart.
            raise _store_error(self.config, self.manifest, exc) from None
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


def _read_snapshot(config: RagConfig, manifest: Manifest) -> tuple[list[Paragraph], KeywordIndex]:
    folder = config.home / manifest.snapshot
    if not (folder / "paragraphs.jsonl").exists():
        if config.chroma_url is not None:
            from rag.index.store import where

            raise IndexNotBuilt(
                f"the local snapshot (paragraphs and BM25) of collection {manifest.collection} "
                f"is missing from {config.home}; its vectors are on the Chroma server at "
                f"{where(config)}. Run `rag index` to rewrite it (nothing is re-embedded)."
            )
        raise IndexNotBuilt(
            f"the index in {config.home} is incomplete (snapshot {manifest.snapshot} is "
            "missing); run `rag index`."
        )
    bad = damaged_files(folder, manifest.files, sizes_only=True)
    if bad:
        raise IndexDamaged(
            f"the index in {config.home} is damaged (snapshot file {bad[0]} is missing or truncated); "
            "run `rag index` to repair it."
        )
    try:
        return read_paragraphs(folder), KeywordIndex.load(folder / "bm25")
    except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:  # what a damaged file raises
        raise IndexDamaged(
            f"the index in {config.home} is damaged ({type(exc).__name__} reading snapshot "
            f"{manifest.snapshot}); run `rag index` to repair it."
        ) from None


def _store_error(config: RagConfig, manifest: Manifest, exc: Exception) -> Exception:
    """The RagError a failed Chroma call means; `exc` itself when it is not a store failure."""
    from rag.index.store import failure

    error = failure(config, manifest.collection, exc)
    if error is None:
        return exc
    now = Manifest.read(config.home)
    if isinstance(error, IndexNotBuilt) and now is not None and now.built_at != manifest.built_at:
        return IndexNotBuilt("the index was rebuilt while answering; ask again.")
    return error
