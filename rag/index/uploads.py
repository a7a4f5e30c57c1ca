"""Uploaded files: copied into RAG_HOME/documents/ under a safe name, within the size limit.

The chat's Documents panel saves each upload here, then indexes them with `add_documents`:

>>> path = save_upload(config, "../../etc/Report 2024.pdf", data)  # doctest: +SKIP
>>> path.name  # doctest: +SKIP
'Report 2024.pdf'
>>> add_documents(config, [path], progress=None).problems  # doctest: +SKIP
{}

Uploading a file under a name it already has replaces it: the new version keeps the document's
name, so only its changed paragraphs are embedded again.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from pathlib import Path, PurePath

from rag.config import RagConfig
from rag.index.library import add_documents, documents_folder, list_documents, remove_document
from rag.ingest.readers import check_size
from rag.ingest.sources import add_sources

__all__ = ["add_documents", "documents_folder", "list_documents", "remove_document", "safe_name", "save_upload"]

MAX_NAME_CHARS = 120
DEFAULT_NAME = "upload"
_UNSAFE = re.compile(r"[^\w.\-+()\[\] ]+")  # \w keeps letters of every script (中文.pdf stays 中文.pdf)
_RUNS = re.compile(r"([_ ])\1+")


def safe_name(filename: str) -> str:
    """A plain file name for an upload: no folders, no leading dot, nothing a shell or path would read.

    >>> safe_name("../../.ssh/id_rsa"), safe_name("..\\\\a<b>.PDF"), safe_name(".hidden.txt")
    ('id_rsa', 'a_b.PDF', 'hidden.txt')
    """
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", filename))[-1]
    base = _RUNS.sub(r"\1", _UNSAFE.sub("_", base)).strip(" ._-")
    suffix = PurePath(base).suffix if len(PurePath(base).suffix) <= 10 else ""
    stem = base[: len(base) - len(suffix)] if suffix else base
    stem = stem[: MAX_NAME_CHARS - len(suffix)].rstrip(" ._") or DEFAULT_NAME
    return stem + suffix


def save_upload(config: RagConfig, filename: str, data: bytes | Path) -> Path:
    """Copy an upload (its bytes, or the temporary file a web server wrote) into the documents folder.

    The size is checked before anything is read or written. A name another indexed document
    already has (from RAG_DOCS or an added folder) gets " (2)", " (3)"… so both stay citable.

    Raises:
        UnreadableDocument: the file is empty or larger than RAG_MAX_FILE_MB.
    """
    name = safe_name(filename)
    size = data.stat().st_size if isinstance(data, Path) else len(data)
    check_size(name, size, config.max_file_bytes)
    folder = documents_folder(config)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / _free_name(config, folder, name)
    tmp = folder / f".{target.name}.part"
    if isinstance(data, Path):
        shutil.copyfile(data, tmp)
    else:
        tmp.write_bytes(data)
    os.replace(tmp, target)
    add_sources(config.home, [folder])
    return target


def _free_name(config: RagConfig, folder: Path, name: str) -> str:
    elsewhere = {d.name for d in list_documents(config) if Path(d.path).parent != folder.resolve()}
    stem, suffix = PurePath(name).stem, PurePath(name).suffix
    candidate, n = name, 1
    while candidate in elsewhere:
        n += 1
        candidate = f"{stem} ({n}){suffix}"
    return candidate
