"""Tests of the evaluation data in eval/sets/ (no product code involved)."""
