"""Grounded question answering over a document corpus, every sentence cited to its paragraph.

>>> from rag import ask
>>> r = ask("How many pilot free trade zones has China set up?")  # doctest: +SKIP
"""

from rag.config import RagConfig
from rag.errors import RagError
from rag.types import Answer, Citation

__all__ = ["Answer", "Citation", "RagConfig", "RagError", "ask", "get_engine"]


def __getattr__(name: str):  # noqa: ANN202 - lazy, so `import rag` stays light
    if name in ("ask", "get_engine"):
        from rag import qa

        return getattr(qa, name)
    raise AttributeError(f"module 'rag' has no attribute {name!r}")
