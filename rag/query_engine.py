"""The pipeline as a LlamaIndex `CustomQueryEngine`, for LlamaIndex apps.

>>> engine = get_engine()  # doctest: +SKIP
>>> response = engine.query("What share of offshore RMB settlement does Hong Kong handle?")  # doctest: +SKIP
>>> response.metadata["answer"].citations[0].paragraph  # doctest: +SKIP
70
"""

from __future__ import annotations

from typing import Any

from llama_index.core.base.response.schema import Response
from llama_index.core.query_engine import CustomQueryEngine
from llama_index.core.schema import NodeWithScore, TextNode

from rag.config import RagConfig
from rag.qa import Pipeline, get_pipeline
from rag.types import Answer


class RagQueryEngine(CustomQueryEngine):
    """Grounded answers with paragraph citations, on the same path as `rag.ask`.

    `query(text)` returns a Response whose `metadata["answer"]` is our `Answer` and whose
    `source_nodes` are the cited paragraphs, in citation order.
    """

    pipeline: Any  # a rag.qa.Pipeline; pydantic cannot validate the plain class

    def custom_query(self, query_str: str) -> Response:
        answer = self.pipeline.answer(query_str)
        return Response(response=answer.answer, source_nodes=_cited_nodes(answer), metadata={"answer": answer})


def _cited_nodes(answer: Answer) -> list[NodeWithScore]:
    return [
        NodeWithScore(
            node=TextNode(id_=f"{c.source}#{c.paragraph}", text=c.text,
                          metadata={"source": c.source, "paragraph": c.paragraph}),
            score=1.0,
        )
        for c in answer.citations
    ]


def get_engine(config: RagConfig | None = None) -> RagQueryEngine:
    """A query engine over the process's pipeline for `config`."""
    pipeline: Pipeline = get_pipeline(config)
    return RagQueryEngine(pipeline=pipeline)
