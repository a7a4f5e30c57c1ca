"""The embedding progress bars and the build summary a user reads while waiting."""

from __future__ import annotations

from rag.index.build import IndexReport
from rag.index.progress import progress_bar


def test_progress_bar__one_bar_per_count(capsys):
    with progress_bar("embedding") as progress:
        for done in (32, 64, 70):
            progress(done, 70)
        for done in (32, 64, 90):
            progress(done, 90)
    err = capsys.readouterr().err
    assert err.count("embedding sentences and paragraphs: 100%") >= 2
    assert "70/70" in err and "90/90" in err


def test_progress_bar__a_second_count_of_the_same_size_gets_its_own_bar(capsys):
    with progress_bar("embedding") as progress:
        progress(6, 6)
        progress(6, 6)
    err = capsys.readouterr().err
    assert err.count("embedding sentences and paragraphs:   0%| ") == 2  # two bars opened


def test_progress_bar__silent_when_nothing_is_embedded(capsys):
    with progress_bar("embedding"):
        pass
    assert capsys.readouterr().err == ""


def test_index_report__first_build_says_built_not_rebuilt():
    assert IndexReport(documents=2, rebuilt=True, first=True).summary().startswith("index built: 2 documents")
    assert IndexReport(rebuilt=True).summary().startswith("index rebuilt:")
    assert IndexReport().summary().startswith("index updated:")
