"""Grounded question answering over a document corpus, every sentence cited to its paragraph.

>>> from rag import ask
>>> r = ask("How many pilot free trade zones has China set up?")  # doctest: +SKIP
"""

from rag.config import RagConfig
from rag.errors import RagError
from rag.types import Answer, Citation

_LAZY = {"ask": "rag.qa", "ask_stream": "rag.qa", "index_info": "rag.qa", "get_engine": "rag.query_engine"}
__all__ = ["Answer", "Citation", "RagConfig", "RagError", *_LAZY]


def __getattr__(name: str):  # noqa: ANN202 - lazy, so `import rag` stays light
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'rag' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
