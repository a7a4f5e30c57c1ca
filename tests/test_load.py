"""A bounded loopback load test of the chat app's `/ask` API: 20 concurrent gradio_client
clients x 10 questions each. Every response must be a grounded answer or a refusal.

Prints throughput and p95 latency (`pytest -s tests/test_load.py` shows them); README.md's
"Scaling out" section quotes a run.
"""

from __future__ import annotations

import re
import statistics
import threading
import time
from collections.abc import Iterator

import pytest

from rag.config import RagConfig
from tests.test_app_api import running

pytestmark = [pytest.mark.server, pytest.mark.slow]

CLIENTS = 20
QUESTIONS = (
    "What percentage of offshore RMB settlement does Hong Kong handle?",
    "How many pilot free trade zones has China set up?",
    "香港处理全球多少离岸人民币结算业务?",
    "中國有多少個自貿試驗區?",
    "When was the National 14th Five-Year Plan promulgated?",
    "Who called on Hong Kong to 'deepen international exchanges and cooperation' in the Government Work Report?",
    "What is the best recipe for chocolate cake?",
    "今天北京的天氣怎麼樣?",
    "How many representatives took part in the HKPC forum 'Bridging Opportunities with the 15th Five-Year Plan'?",
    "Who won the 2022 FIFA World Cup?",
)
REFUSALS = ("The documents don't cover this.", "文件中沒有涵蓋這個問題。", "文件中没有涵盖这个问题。")
REQUEST_TIMEOUT_S = 300
TEST_TIMEOUT_S = 900


@pytest.fixture(scope="module")
def url(seeded_home) -> Iterator[str]:
    from tests.conftest import SEEDS

    with running(RagConfig(home=seeded_home, docs=(SEEDS,))) as address:
        yield address


def _check(question: str, markdown: str, citations: list[dict]) -> str | None:
    """None for a grounded answer or a refusal, else what is wrong."""
    if markdown.startswith("⚠"):
        return f"error for {question!r}: {markdown}"
    if not citations:
        return None if markdown.strip() in REFUSALS else f"uncited non-refusal: {markdown[:200]!r}"
    used = {int(n) for n in re.findall(r"\[(\d+)\]", markdown.split("\n\n- [")[0])}
    numbers = {c["n"] for c in citations}
    if not used or not used <= numbers:
        return f"markers {sorted(used)} do not match citations {sorted(numbers)}"
    return None


def _client_run(url: str, offset: int, latencies: list[float], problems: list[str]) -> None:
    from gradio_client import Client

    try:
        client = Client(url, verbose=False)
        for i in range(len(QUESTIONS)):
            question = QUESTIONS[(offset + i) % len(QUESTIONS)]
            start = time.perf_counter()
            markdown, citations = client.submit(question, api_name="/ask").result(
                timeout=REQUEST_TIMEOUT_S
            )
            latencies.append(time.perf_counter() - start)
            problem = _check(question, markdown, citations)
            if problem is not None:
                problems.append(problem)
    except Exception as exc:  # any failure of a client is a failed test, reported below
        problems.append(f"client {offset}: {type(exc).__name__}: {exc}")


def test_app_ask__20_concurrent_clients_get_grounded_answers_or_refusals(url):
    latencies: list[float] = []
    problems: list[str] = []
    threads = [
        threading.Thread(target=_client_run, args=(url, n, latencies, problems), daemon=True)
        for n in range(CLIENTS)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    deadline = start + TEST_TIMEOUT_S
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.perf_counter()))
    elapsed = time.perf_counter() - start
    assert not any(t.is_alive() for t in threads), f"clients still waiting after {TEST_TIMEOUT_S}s"
    assert problems == []
    assert len(latencies) == CLIENTS * len(QUESTIONS)
    p95 = statistics.quantiles(latencies, n=20)[-1]
    print(
        f"\nload: {len(latencies)} answers from {CLIENTS} concurrent clients in {elapsed:.1f}s: "
        f"{len(latencies) / elapsed:.1f} answers/s, latency p50 {statistics.median(latencies):.2f}s, "
        f"p95 {p95:.2f}s, max {max(latencies):.2f}s"
    )
