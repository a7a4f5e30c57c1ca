"""Brings a Chroma collection in line with the corpus paragraphs, by content-hash id.

>>> plan = plan_sync(collection, paragraphs)  # doctest: +SKIP
>>> add_missing(collection, plan, vectors_of)  # doctest: +SKIP
>>> retire(collection, plan)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rag.types import Paragraph

EMBED_BATCH = 32
COPY_BATCH = 1000
_METADATA_KEYS = ("source", "paragraph", "header", "lang", "group", "twin")


def paragraph_id(p: Paragraph) -> str:
    """Content-derived id: re-indexing upserts instead of duplicating."""
    return hashlib.sha1(f"{p.source}\n{p.indexed_text}".encode()).hexdigest()[:24]


def metadata(p: Paragraph) -> dict:
    return {
        "source": p.source,
        "paragraph": p.number,
        "header": p.header,
        "lang": p.lang,
        "group": p.group or 0,
        "twin": p.twin or 0,
    }


@dataclass
class SyncPlan:
    """How a collection differs from the corpus: ids to embed, to drop, to renumber."""

    wanted: dict[str, Paragraph]
    todo: list[str]
    stale: list[str]
    moved: list[str]

    @property
    def changes(self) -> bool:
        return bool(self.todo or self.stale or self.moved)


def plan_sync(collection: Any, paragraphs: Sequence[Paragraph]) -> SyncPlan:
    wanted = {paragraph_id(p): p for p in paragraphs}
    existing = collection.get(include=["metadatas"])
    have = {
        i: {k: m.get(k) for k in _METADATA_KEYS}
        for i, m in zip(existing["ids"], existing["metadatas"], strict=True)
    }
    return SyncPlan(
        wanted=wanted,
        todo=[i for i in wanted if i not in have],
        stale=[i for i in have if i not in wanted],
        moved=[i for i, p in wanted.items() if i in have and have[i] != metadata(p)],
    )


def add_missing(
    collection: Any,
    plan: SyncPlan,
    vectors_of: Callable[[Sequence[Paragraph]], list[list[float]]],
) -> None:
    """Add the paragraphs the collection lacks, with their vectors, through LlamaIndex's vector store.

    `vectors_of` gives a batch of paragraphs their vectors (rag.index.vectors derives them from
    sentence vectors; `lambda ps: embedder.get_text_embedding_batch([p.indexed_text for p in ps])`
    embeds them).
    """
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    vector_store = ChromaVectorStore(chroma_collection=collection)
    todo = plan.todo
    for start in range(0, len(todo), EMBED_BATCH):
        batch = todo[start : start + EMBED_BATCH]
        paragraphs = [plan.wanted[i] for i in batch]
        nodes = [
            TextNode(id_=i, text=p.text, metadata=metadata(p), embedding=v)
            for i, p, v in zip(batch, paragraphs, vectors_of(paragraphs), strict=True)
        ]
        vector_store.add(nodes)


def retire(collection: Any, plan: SyncPlan) -> None:
    """Drop vectors the corpus lost, renumber those whose paragraph moved."""
    if plan.stale:
        collection.delete(ids=plan.stale)
    if plan.moved:
        old = collection.get(ids=plan.moved, include=["metadatas"])
        merged = {
            i: {**m, **metadata(plan.wanted[i])}
            for i, m in zip(old["ids"], old["metadatas"], strict=True)
        }
        collection.update(ids=list(merged), metadatas=list(merged.values()))


def copy_kept(source: Any, target: Any, plan: SyncPlan) -> None:
    """Copy into `target` the vectors of `source` the corpus still uses, renumbered; none re-embedded."""
    keep = [i for i in plan.wanted if i not in plan.todo]
    for start in range(0, len(keep), COPY_BATCH):
        got = source.get(
            ids=keep[start : start + COPY_BATCH], include=["embeddings", "metadatas", "documents"]
        )
        metadatas = [
            {**m, **metadata(plan.wanted[i])}
            for i, m in zip(got["ids"], got["metadatas"], strict=True)
        ]
        target.add(
            ids=got["ids"],
            embeddings=got["embeddings"],
            metadatas=metadatas,
            documents=got["documents"],
        )
