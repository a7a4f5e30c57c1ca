"""Plain-text markup in a hard-wrapped .txt: literal blocks, `=` headings, anchors, and section rules."""

from __future__ import annotations

from rag.ingest.readers import BlockKind, read_document

MANUAL = b"""= A Manual

[[getting-started]]
== Getting started

To fetch a copy of a repository you use the clone command with the
address of the repository, which downloads everything:

------------------------------------------------
$ tool clone example.org/repo.git

$ tool log
------------------------------------------------

After the clone you can look around the history of the project at
leisure, and nothing you do here changes the remote copy at all.
"""

FAQ = b"""The Manual

---------------------------------------------------------------------

Version 1.0

---------------------------------------------------------------------

The first chapter explains what the manual covers and for whom it was
written, so that a reader knows what to expect from the rest of it.
"""


def test_markup__a_delimited_literal_block_is_one_code_block_with_its_lead_in() -> None:
    blocks = read_document("manual.txt", MANUAL).blocks
    kinds = [b.kind for b in blocks]
    assert kinds == [BlockKind.HEADING, BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.CODE, BlockKind.PARAGRAPH]
    code = blocks[3]
    assert code.text == "$ tool clone example.org/repo.git\n\n$ tool log" and code.lead_in == 2
    assert [b.level for b in blocks[:2]] == [1, 2] and blocks[2].section == ("A Manual", "Getting started")
    assert not any("getting-started" in b.text for b in blocks)


def test_markup__a_rule_between_blank_lines_is_not_a_literal_block() -> None:
    blocks = read_document("faq.txt", FAQ).blocks
    assert BlockKind.CODE not in [b.kind for b in blocks]
    assert any(b.text.startswith("The first chapter explains") for b in blocks)
