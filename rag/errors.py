"""The exception tree. The CLI and UI show a RagError's message as it is."""


class RagError(Exception):
    """Base of every error a user can cause or fix."""


class BadQuestion(RagError, ValueError):
    """The question cannot be answered as given (empty, too long)."""


class IndexNotBuilt(RagError):
    """There is no usable index yet."""


class IndexBusy(RagError):
    """Another `rag index` holds the lock."""


class StoreUnavailable(RagError):
    """The vector store (for example a Chroma server) cannot be reached."""


class UnreadableDocument(RagError):
    """A document cannot be read; the message names the file and the reason in one line."""


class BadReference(RagError, ValueError):
    """A document or paragraph the user named is not in the index, or is not a valid reference."""


class EvalDataError(RagError, ValueError):
    """An eval file is missing or malformed; the message says where and how to fix it."""


class BenchFailed(RagError):
    """A command the bench runs failed; the message carries the end of its stderr."""


class LLMFailed(Exception):
    """The endpoint gave no usable answer; `reason` is safe to show a user.

    Not a RagError: the pipeline catches it and falls back to the extractive answer.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
