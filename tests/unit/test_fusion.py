"""rag.retrieve.fusion: score fusion, reciprocal-rank fusion and the role bonus, on hand-made rankings."""

from __future__ import annotations

import numpy as np
import pytest

from rag.retrieve.fusion import favour_roles, fuse_scores, reciprocal_rank
from rag.types import Role


def _order(fused: list[tuple]) -> list[int]:
    return [t[0] for t in fused]


def test_fuse_scores__normalises_dense_min_max_and_bm25_by_its_best():
    dense = {0: 0.9, 1: 0.5, 2: 0.7}
    sparse = np.array([0.0, 4.0, 2.0, 0.0])
    fused = fuse_scores(dense, sparse, dense_weight=0.4, depth=10)
    by_pos = {pos: score for pos, score, _, _ in fused}
    # pos 0: dense top (1.0) and no BM25; pos 1: dense floor (0.0) and the best BM25 (1.0)
    assert by_pos[0] == pytest.approx(0.4)
    assert by_pos[1] == pytest.approx(0.6)
    assert by_pos[2] == pytest.approx(0.4 * 0.5 + 0.6 * 0.5)
    assert _order(fused) == [1, 2, 0]


def test_fuse_scores__returns_raw_dense_and_bm25_beside_the_fused_score():
    fused = fuse_scores({0: 0.9, 1: 0.5}, np.array([0.0, 3.0]), dense_weight=0.5, depth=10)
    assert {(pos, d, b) for pos, _, d, b in fused} == {(0, 0.9, 0.0), (1, 0.5, 3.0)}


def test_fuse_scores__weight_one_follows_dense_and_weight_zero_follows_bm25():
    dense = {0: 0.9, 1: 0.6, 2: 0.3}
    sparse = np.array([1.0, 2.0, 5.0])
    assert _order(fuse_scores(dense, sparse, dense_weight=1.0, depth=10)) == [0, 1, 2]
    assert _order(fuse_scores(dense, sparse, dense_weight=0.0, depth=10)) == [2, 1, 0]


def test_fuse_scores__bm25_only_candidate_gets_the_dense_floor():
    dense = {0: 0.8, 1: 0.4}
    sparse = np.array([0.0, 0.0, 0.0, 6.0])
    fused = {pos: (score, d) for pos, score, d, _ in fuse_scores(dense, sparse, dense_weight=0.5, depth=10)}
    assert set(fused) == {0, 1, 3}
    assert fused[3] == (pytest.approx(0.5), 0.4)  # floor similarity, normalised to 0, plus full BM25


def test_fuse_scores__depth_limits_the_bm25_candidates_and_ignores_zero_scores():
    sparse = np.array([0.0, 3.0, 2.0, 1.0, 0.0])
    assert set(_order(fuse_scores({}, sparse, dense_weight=0.5, depth=2))) == {1, 2}
    assert set(_order(fuse_scores({}, sparse, dense_weight=0.5, depth=10))) == {1, 2, 3}


def test_fuse_scores__no_bm25_hits_leaves_the_dense_order():
    fused = fuse_scores({3: 0.2, 5: 0.6}, np.zeros(6), dense_weight=0.4, depth=10)
    assert _order(fused) == [5, 3]
    assert fused[0][1] == pytest.approx(0.4)


def test_fuse_scores__equal_scores_are_ordered_by_position():
    fused = fuse_scores({7: 0.5, 2: 0.5, 4: 0.5}, np.zeros(8), dense_weight=0.5, depth=10)
    assert _order(fused) == [2, 4, 7]


def test_reciprocal_rank__sums_one_over_k_plus_rank():
    fused = dict(reciprocal_rank([[1, 2, 3], [3, 1]], k=60))
    assert fused[1] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[3] == pytest.approx(1 / 63 + 1 / 61)
    assert fused[2] == pytest.approx(1 / 62)


def test_reciprocal_rank__ranks_agreement_first():
    assert [pos for pos, _ in reciprocal_rank([[1, 2, 3], [3, 1]])] == [1, 3, 2]


def test_reciprocal_rank__ties_are_ordered_by_position():
    assert [pos for pos, _ in reciprocal_rank([[7, 5], [5, 7]])] == [5, 7]


def test_reciprocal_rank__smaller_k_weighs_the_top_rank_more():
    assert dict(reciprocal_rank([[4]], k=1))[4] == pytest.approx(0.5)


def test_favour_roles__raises_the_wanted_role_above_a_better_body_paragraph():
    fused = [(0, 0.6, 0.7, 1.0), (1, 0.5, 0.6, 2.0), (2, 0.4, 0.5, 0.0)]
    roles = [Role.BODY, Role.BODY, Role.TITLE]
    out = favour_roles(fused, roles, frozenset({"title"}), bonus=0.5)
    assert _order(out) == [2, 0, 1]
    assert out[0] == (2, pytest.approx(0.9), 0.5, 0.0)  # dense and BM25 are carried unchanged


def test_favour_roles__leaves_scores_when_no_role_is_wanted():
    fused = [(0, 0.6, 0.0, 0.0), (1, 0.5, 0.0, 0.0)]
    out = favour_roles(fused, [Role.BODY, Role.BYLINE], frozenset(), bonus=0.5)
    assert out == fused


def test_favour_roles__re_sorts_with_position_breaking_ties():
    fused = [(3, 0.75, 0.0, 0.0), (1, 0.25, 0.0, 0.0)]
    roles = ["body", "byline", "body", "body"]
    out = favour_roles(fused, roles, frozenset({"byline"}), bonus=0.5)
    assert [(pos, score) for pos, score, _, _ in out] == [(1, 0.75), (3, 0.75)]  # a tie: lower position first
