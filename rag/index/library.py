"""The indexed documents as the CLI and the chat's Documents panel handle them: list, add, remove, show.

>>> report = add_documents(config, [Path("notes/")])  # doctest: +SKIP
>>> [d.name for d in list_documents(config)]  # doctest: +SKIP
>>> remove_document(config, "old.pdf")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rag.config import RagConfig
from rag.errors import BadReference, IndexBusy, RagError, StoreUnavailable
from rag.ingest.catalog import DocumentInfo, read_catalog
from rag.ingest.sources import add_sources, exclude, remove_source
from rag.types import Paragraph

if TYPE_CHECKING:
    from rag.index.build import IndexReport

UPLOADS = "documents"  # under RAG_HOME: where uploaded files are kept


def documents_folder(config: RagConfig) -> Path:
    return config.home / UPLOADS


def list_documents(config: RagConfig) -> list[DocumentInfo]:
    """The documents the live index holds, in corpus order ([] before the first index)."""
    from rag.index.snapshot import Manifest

    manifest = Manifest.read(config.home)
    if manifest is None:
        return []
    infos = read_catalog(config.home / manifest.snapshot)
    if infos is None:  # an index built before documents were recorded
        return [DocumentInfo(name, "", "", 0, "", 0, manifest.built_at) for name in manifest.documents]
    return infos


def add_documents(
    config: RagConfig, paths: Sequence[Path], progress: Callable[[int, int], None] | None = None
) -> IndexReport:
    """Add files or folders to the corpus and index incrementally (only new paragraphs are embedded).

    Returns:
        The IndexReport; its `problems` hold one line for each of these files that could not be
        indexed. An upload that could not be indexed is deleted again.

    Raises:
        RagError: nothing at all can be indexed (the message gives each file's reason), or the
            index is busy or the store unreachable.
    """
    from rag.index.build import build_index

    uploads = documents_folder(config).resolve()
    add_sources(config.home, [p for p in paths if uploads not in p.resolve().parents])
    try:
        report = build_index(config, wait=True, progress=progress)
    except (IndexBusy, StoreUnavailable):
        raise
    except RagError:  # nothing at all could be indexed: these uploads are not kept either
        _discard([p for p in paths if uploads in p.resolve().parents])
        raise
    mine = {k: v for k, v in report.problems.items() if any(_within(Path(k), p.resolve()) for p in paths)}
    _discard([Path(k) for k in mine if uploads in Path(k).parents])
    report.problems = mine
    return report


def remove_document(config: RagConfig, name: str) -> IndexReport:
    """Take document `name` (as `list_documents` names it) out of the corpus and re-index.

    An uploaded file is deleted; a file the user added is dropped from the sources; a file inside
    an indexed folder is excluded (never deleted: it is the user's).

    Raises:
        BadReference: no indexed document has that name, or it is the only one.
    """
    from rag.index.build import build_index

    documents = list_documents(config)
    info = next((d for d in documents if d.name == name), None)
    if info is None or not info.path:
        known = ", ".join(d.name for d in documents[:5]) or "none"
        raise BadReference(f"no indexed document is named {name!r} (indexed: {known}…); `rag docs` lists them all")
    if len(documents) == 1:
        raise BadReference(f"{name} is the only indexed document; add another before removing it")
    path = Path(info.path)
    if documents_folder(config).resolve() in path.parents:
        path.unlink(missing_ok=True)
    elif not remove_source(config.home, path):
        exclude(config.home, path)
    return build_index(config, wait=True)


def document_paragraphs(config: RagConfig, name: str) -> list[Paragraph]:
    """Every indexed paragraph of document `name`, in order.

    Raises:
        BadReference: there is no index, or no document of that name in it.
    """
    from rag.index.snapshot import Manifest, read_paragraphs

    manifest = Manifest.read(config.home)
    if manifest is None:
        raise BadReference(f"no index in {config.home}; run `rag index` first")
    found = [p for p in read_paragraphs(config.home / manifest.snapshot) if p.source == name]
    if not found:
        raise BadReference(f"no indexed document is named {name!r}; `rag docs` lists them")
    return sorted(found, key=lambda p: p.number)


def around(paragraphs: Sequence[Paragraph], number: int, context: int) -> list[Paragraph]:
    """Paragraph `number` with up to `context` indexed paragraphs on each side.

    Raises:
        BadReference: `number` is not an indexed paragraph of the document.
    """
    numbers = [p.number for p in paragraphs]
    if number not in numbers:
        source = paragraphs[0].source if paragraphs else "the document"
        raise BadReference(
            f"{source} has no indexed paragraph {number}; its paragraphs run from {numbers[0]} to {numbers[-1]}"
        )
    at = numbers.index(number)
    return list(paragraphs[max(0, at - context) : at + context + 1])


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _discard(paths: Sequence[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
