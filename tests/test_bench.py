"""`rag bench`: the quick run end to end, and its pure parts. Thresholds live in the report, not here."""

from __future__ import annotations

import json

import pytest

from rag.bench.measure import percentile
from rag.bench.report import growth_exponent, targets
from rag.bench.synthetic import seed_sentences, synthetic_paragraphs, unit_vectors
from rag.cli import main
from rag.index.build import paragraph_id
from rag.ingest.documents import load_corpus
from tests.conftest import SEEDS

FIGURES = (
    "embed_tokens_per_s", "index_tokens_per_s", "index_noop_s", "ask_p50_ms", "ask_p95_ms",
    "bare_retrieval_p50_ms", "baseline_ask_p50_ms", "cold_first_answer_s", "import_floor_s",
    "rss_mb",
)
SCALE_FIGURES = ("paragraphs", "add_s", "retrieval_p50_ms", "retrieval_p95_ms", "rss_mb")


@pytest.mark.slow
def test_bench_quick__writes_every_figure_positive_and_each_target_with_met(tmp_path, monkeypatch):
    monkeypatch.setenv("RAG_HOME", str(tmp_path / "home"))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "RAG_CHROMA_URL", "RAG_DOCS"):
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "bench"

    assert main(["bench", "--quick", "--out", str(out)]) == 0

    report = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    assert report["quick"] is True
    assert all(report[key] > 0 for key in FIGURES), {k: report.get(k) for k in FIGURES}
    assert [p["paragraphs"] for p in report["scale"]] == [1_000, 3_000]
    assert all(p[key] > 0 for p in report["scale"] for key in SCALE_FIGURES)
    assert report["targets"] and all(isinstance(t["met"], bool) for t in report["targets"])
    assert (out / "bench.png").stat().st_size > 10_000
    assert not (tmp_path / "home" / "manifest.json").exists()  # the user's index is left alone


def test_synthetic_paragraphs__same_seed_same_corpus_with_unique_ids():
    pool = seed_sentences(load_corpus([SEEDS]).paragraphs)
    first, again = synthetic_paragraphs(pool, 2_000), synthetic_paragraphs(pool, 2_000)
    assert first == again
    assert len({paragraph_id(p) for p in first}) == 2_000
    assert {p.lang for p in first} == {"en", "zh"}


def test_unit_vectors__deterministic_unit_length():
    a = next(unit_vectors(5, 384, 5))
    b = next(unit_vectors(5, 384, 5))
    assert (a == b).all() and a.shape == (5, 384)
    assert abs(float((a * a).sum(axis=1).max()) - 1.0) < 1e-5


def test_percentile__nearest_rank_returns_a_measured_value():
    values = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert percentile(values, 50) == 3.0
    assert percentile(values, 95) == 5.0
    assert percentile([7.0], 95) == 7.0


def test_targets__ratios_against_references_of_the_same_run():
    figures = {
        "embed_tokens_per_s": 1000.0, "index_tokens_per_s": 950.0, "index_noop_s": 2.0,
        "ask_p50_ms": 90.0, "bare_retrieval_p50_ms": 40.0, "cold_first_answer_s": 3.5,
        "import_floor_s": 3.0, "rss_mb": 400.0,
        "scale": [{"paragraphs": 1_000, "retrieval_p50_ms": 5.0},
                  {"paragraphs": 100_000, "retrieval_p50_ms": 20.0}],
    }
    met = {t.name: t.met for t in targets(figures)}
    assert met == {
        "index throughput / raw embedding": True,
        "index, unchanged corpus": False,
        "ask p50 / bare retrieval p50": True,
        "cold first answer − import floor": True,
        "RSS after the warm run": True,
        "retrieval p50 at 100,000 paragraphs": True,
        "retrieval p50 growth exponent (log-log)": True,
    }
    assert growth_exponent(figures["scale"]) == pytest.approx(0.301, abs=1e-3)
