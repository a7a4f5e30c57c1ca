"""LLM answers through LlamaIndex's OpenAI-compatible client, bounded by one deadline.

The HTTP client's timeout bounds each read, not the whole reply, so an endpoint that drips a
byte every few seconds would never time out. Every call therefore runs as an asyncio task with
the deadline (`asyncio.wait_for`): at the deadline the task is cancelled, which closes its
connection, so nothing (no thread, no socket) outlives the call and the process can exit as
soon as its answer is printed.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator, Sequence
from typing import Any, TypeVar

from rag.answer.prompts import render
from rag.config import RagConfig
from rag.errors import LLMFailed
from rag.lang.lexicon import data_lines
from rag.types import Paragraph

_REFUSAL_PHRASES = re.compile(
    "|".join(f"(?:{line})" for lang in ("en", "zh") for line in data_lines(lang, "llm_refusals.txt")), re.I
)
LANGUAGE_NAMES = {"latin": "English", "hant": "Traditional Chinese", "hans": "Simplified Chinese"}
_T = TypeVar("_T")




def build_llm(config: RagConfig) -> Any:
    """An OpenAILike LLM; retries are ours so the whole call keeps to one deadline. Its client is
    made per call (`reuse_client=False`): an async client belongs to the event loop it was made in."""
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=config.llm_model,
        api_base=config.openai_base_url or "https://api.openai.com/v1",
        api_key=config.openai_api_key or "not-needed",
        timeout=config.llm_timeout_s,
        max_retries=0,
        reuse_client=False,
        temperature=0.0,
        max_tokens=600,
        is_chat_model=True,
        context_window=16000,
    )


def number_sources(paragraphs: Sequence[Paragraph]) -> str:
    return "\n\n".join(f"[{i}] {p.text}" for i, p in enumerate(paragraphs, start=1))


def messages(
    config: RagConfig,
    question: str,
    sources: Sequence[Paragraph],
    script: str,
    history: Sequence[tuple[str, str]],
) -> list[Any]:
    from llama_index.core.llms import ChatMessage

    turns = "\n".join(f"Earlier question: {q}\nEarlier answer: {a}" for q, a in history[-3:])
    system = render(config.prompts_dir, "answer_system_v1.txt", language=LANGUAGE_NAMES[script])
    user = render(
        config.prompts_dir,
        "answer_user_v1.txt",
        sources=number_sources(sources),
        history_block=f"Conversation so far:\n{turns}\n" if turns else "",
        question=question,
    )
    return [ChatMessage(role="system", content=system), ChatMessage(role="user", content=user)]


def is_refusal(text: str) -> bool:
    return bool(_REFUSAL_PHRASES.search(text)) and len(text) < 400


def _chat_before(llm: Any, chat: list[Any], deadline: float) -> str:
    """One chat call that returns by `deadline` even if the reply trickles in."""

    async def call() -> str:
        remaining = max(0.01, deadline - time.monotonic())
        response = await asyncio.wait_for(llm.achat(chat, timeout=remaining), remaining)
        return response.message.content or ""

    try:
        return _run(call)
    except TimeoutError:
        raise TimeoutError("the LLM endpoint did not answer in time") from None


def _run(make: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    """Run the coroutine `make()` to the end on a new event loop: in this thread, or in a
    short-lived one when this thread already runs a loop (an async caller)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append((True, asyncio.run(make())))
        except BaseException as exc:  # handed to the caller below
            outcome.append((False, exc))

    worker = threading.Thread(target=run, name="rag-llm", daemon=True)
    worker.start()
    worker.join()  # bounded: the coroutine keeps its own deadline
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def complete(llm: Any, chat: list[Any], config: RagConfig) -> str:
    """The model's reply, retried with backoff on transient errors, within `llm_timeout_s`."""
    deadline = time.monotonic() + config.llm_timeout_s
    last = "the LLM endpoint did not answer in time"  # kept when the deadline ends the retries
    for attempt in range(config.llm_retries + 1):
        if deadline - time.monotonic() <= 0.05:
            break
        try:
            reply = _chat_before(llm, chat, deadline)
        except Exception as exc:  # the openai client raises many types; each becomes a reason
            # a retry the deadline cut short says less than the failure that made us retry
            cut_short = attempt > 0 and isinstance(exc, TimeoutError)
            last = last if cut_short else describe_failure(exc)
            if not _transient(exc):
                break
            time.sleep(min(0.5 * 2**attempt, max(0.0, deadline - time.monotonic())))
            continue
        if reply.strip():
            return reply
        last = "the model returned an empty answer"
    raise LLMFailed(last)


def stream(llm: Any, chat: list[Any], config: RagConfig) -> Iterator[str]:
    """Deltas of the model's reply, stopped at `llm_timeout_s`; failures raise LLMFailed.

    Each step is awaited on this generator's own event loop with what is left of the deadline;
    closing the generator (or the deadline) closes the stream and its connection."""
    deadline = time.monotonic() + config.llm_timeout_s
    runner = asyncio.Runner()
    chunks: AsyncIterator[Any] | None = None

    def before_deadline(step: Awaitable[_T]) -> _T:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise LLMFailed("the LLM endpoint did not finish in time")
        try:
            return runner.run(asyncio.wait_for(step, remaining))
        except TimeoutError:
            raise LLMFailed("the LLM endpoint did not finish in time") from None

    try:
        chunks = before_deadline(llm.astream_chat(chat, timeout=config.llm_timeout_s))
        while True:
            try:
                chunk = before_deadline(anext(chunks))
            except StopAsyncIteration:
                return
            if chunk.delta:
                yield chunk.delta
    except LLMFailed:
        raise
    except Exception as exc:
        raise LLMFailed(describe_failure(exc)) from None
    finally:
        _close(runner, chunks)


def _close(runner: asyncio.Runner, chunks: AsyncIterator[Any] | None) -> None:
    try:
        if chunks is not None and hasattr(chunks, "aclose"):
            runner.run(chunks.aclose())
    except Exception:  # a stream cut at the deadline may fail to close; its loop is closed next
        pass
    finally:
        runner.close()


def describe_failure(exc: BaseException) -> str:
    status = getattr(exc, "status_code", None)
    name = type(exc).__name__
    if status == 429:
        return "the LLM endpoint is rate-limiting requests (HTTP 429)"
    if status is not None and status >= 500:
        return f"the LLM endpoint failed (HTTP {status})"
    if status is not None:
        return f"the LLM endpoint refused the request (HTTP {status})"
    if "Timeout" in name or isinstance(exc, TimeoutError):
        return "the LLM endpoint did not answer in time"
    if "Connection" in name:
        return "the LLM endpoint could not be reached"
    return f"the LLM call failed ({name})"


def _transient(exc: BaseException) -> bool:
    status = getattr(exc, "status_code", None)
    if status is not None:
        return status == 429 or status >= 500
    if isinstance(exc, TimeoutError):
        return False
    return "Timeout" in type(exc).__name__ or "Connection" in type(exc).__name__
