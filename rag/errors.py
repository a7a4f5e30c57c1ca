"""The exception tree. The CLI and UI show a RagError's message as it is."""


class RagError(Exception):
    """Base of every error a user can cause or fix."""


class BadQuestion(RagError, ValueError):
    """The question cannot be answered as given (empty, too long)."""


class UnsupportedLanguage(BadQuestion):
    """The question is in a language the answers are not written in."""


class IndexNotBuilt(RagError):
    """There is no usable index yet."""


class IndexDamaged(IndexNotBuilt):
    """Part of the index on disk is unreadable; `rag index` repairs it."""


class IndexBusy(RagError):
    """Another `rag index` holds the lock."""


class StoreUnavailable(RagError):
    """The vector store (for example a Chroma server) cannot be reached."""


class BadDocument(RagError):
    """A document the user asked to index cannot be read."""
