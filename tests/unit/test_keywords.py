"""rag.index.keywords.KeywordIndex: BM25 over a few hand-made texts.

jieba's dictionary (seconds to load) and CC-CEDICT (seconds to parse) are replaced by the
segmentation and glosses of these few words, the way an index's saved segmentation spares a
process jieba; bm25s, normalisation, tokenising and gloss scoring are the real code.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from rag.index.keywords import SEGMENTS, KeywordIndex
from rag.lang import crosslingual, text

SEGMENTATION = {  # simplified runs, as jieba cuts them
    "香港的离岸人民币结算": ("香港", "的", "离岸", "人民币", "结算"),
    "离岸人民币": ("离岸", "人民币"),
    "城市": ("城市",),
}
GLOSSES = {
    "离岸": (("offshore",),),
    "人民币": (("renminbi",), ("rmb",)),
    "城市": (("city",), ("town",)),
}
TEXTS = [
    "Hong Kong handles offshore RMB settlement.",  # 0
    "Shenzhen port handles containers.",  # 1
    "The cities of the Greater Bay Area.",  # 2
    "香港的離岸人民幣結算",  # 3: Traditional script
    "the of and",  # 4: only stop-words
]


@pytest.fixture
def index(monkeypatch: pytest.MonkeyPatch) -> Iterator[KeywordIndex]:
    def no_jieba(run: str) -> tuple[str, ...]:
        raise AssertionError(f"the test segmentation lacks {run!r}")

    monkeypatch.setattr(text, "_KNOWN_SEGMENTS", dict(SEGMENTATION))
    monkeypatch.setattr(text, "_segment_new", no_jieba)
    monkeypatch.setattr(crosslingual, "dictionary", lambda: GLOSSES)
    text._tokens.cache_clear()
    yield KeywordIndex.build(TEXTS)
    text._tokens.cache_clear()  # tokens were memoised under the test segmentation


def test_keyword_index__ranks_the_text_with_the_query_words_first(index):
    scores = index.scores("Shenzhen port")
    assert scores.shape == (len(TEXTS),)
    assert int(np.argmax(scores)) == 1
    assert scores[0] == scores[2] == scores[3] == 0


def test_keyword_index__more_shared_terms_score_higher(index):
    scores = index.scores("Hong Kong handles")
    assert scores[0] > scores[1] > 0  # text 1 shares only "handles"


def test_keyword_index__unknown_or_stop_words_score_zero(index):
    assert not index.scores("zzz quux").any()
    assert not index.scores("the of").any()  # text 4 is indexed, but as nothing


def test_keyword_index__folds_case_and_width(index):
    assert index.scores("HONG KONG")[0] == pytest.approx(index.scores("hong kong")[0])
    assert index.scores("rmb")[0] > 0
    assert index.scores("ｒｍｂ")[0] == pytest.approx(index.scores("rmb")[0])


def test_keyword_index__chinese_is_segmented_without_stop_words(index):
    vocabulary = set(index.vocabulary)
    assert {"香港", "离岸", "人民币", "结算"} <= vocabulary
    assert "的" not in vocabulary
    assert "离岸人民币结算" not in vocabulary


def test_keyword_index__traditional_and_simplified_fold_together(index):
    traditional, simplified = index.scores("離岸人民幣"), index.scores("离岸人民币")
    assert "離岸" not in index.vocabulary  # the corpus's Traditional text is stored Simplified
    assert int(np.argmax(traditional)) == 3
    np.testing.assert_allclose(traditional, simplified)


def test_keyword_index__chinese_query_finds_english_text_through_glosses(index):
    scores = index.scores("离岸人民币")
    assert scores[0] > 0  # offshore, rmb
    assert scores[1] == scores[2] == 0


def test_keyword_index__singular_gloss_matches_the_corpus_plural(index):
    scores = index.scores("城市")  # glossed "city"; the corpus says "cities"
    assert int(np.argmax(scores)) == 2
    assert scores[2] > 0


def test_keyword_index__save_and_load_keep_scores_and_segmentation(index, tmp_path: Path):
    index.save(tmp_path)
    assert (tmp_path / SEGMENTS).exists()
    loaded = KeywordIndex.load(tmp_path)
    for query in ("Hong Kong handles", "離岸人民幣"):
        np.testing.assert_allclose(loaded.scores(query), index.scores(query))
