"""Document readers: one file's bytes to a list of structured blocks, one reader per format.

>>> from rag.ingest.readers import read_document
>>> [b.kind.value for b in read_document("a.md", b"# Title\\n\\nText.").blocks]
['heading', 'paragraph']
"""

from rag.ingest.readers.blocks import Block, BlockKind, ReadResult, UnreadableDocument
from rag.ingest.readers.dispatch import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, check_size, read_document

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "Block",
    "BlockKind",
    "ReadResult",
    "UnreadableDocument",
    "check_size",
    "read_document",
]
