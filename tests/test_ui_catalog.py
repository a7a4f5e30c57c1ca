"""What the start page says and suggests (rag.ui.catalog, rag.ui.examples, rag.ui.suggestions, rag.ui.welcome)."""

from __future__ import annotations

from rag.types import Lang, Paragraph, Role, Script
from rag.ui.catalog import build_catalog, clean_heading
from rag.ui.examples import Example, ExampleKind, candidate_examples, pick_examples
from rag.ui.suggestions import suggest
from rag.ui.welcome import Library, render_welcome

DOC = [
    Paragraph("a.txt", 1, "入世25年:中國的奇蹟", lang=Lang.ZH, role=Role.TITLE, twin=5),
    Paragraph("a.txt", 2, "一、高端製造:從跟跑到領跑", lang=Lang.ZH, role=Role.HEADING, twin=6),
    Paragraph("a.txt", 3, "全國22個自貿試驗區聯動發展,複製推廣379項制度創新成果。", lang=Lang.ZH, twin=7),
    Paragraph("a.txt", 4, "二、香港:超級聯繫人", lang=Lang.ZH, role=Role.HEADING, twin=8),
    Paragraph("a.txt", 5, "25 Years in the WTO: A Miracle", role=Role.TITLE, twin=1),
    Paragraph("a.txt", 6, "1. High-End Manufacturing: From Follower to Leader", twin=2),
    Paragraph("a.txt", 7, "China operates over 3.5 million base stations and more than 1.2 billion users.", twin=3),
    Paragraph("a.txt", 8, "2. Hong Kong: Super Connector", twin=4),
    Paragraph("b.txt", 1, "So far, we have built the following co-operation platforms:", group=1),
    Paragraph("b.txt", 2, "(1) A conference;", group=1),
    Paragraph("b.txt", 3, "(2) Another conference.", group=1),
]
PARAGRAPHS = {(p.source, p.number): p for p in DOC}


def test_build_catalog__titles_in_each_language_and_headings_found_through_twins():
    catalog = build_catalog(["a.txt", "b.txt"], PARAGRAPHS)
    a, b = catalog.documents
    assert a.title(Lang.EN) == "25 Years in the WTO: A Miracle" and a.title(Lang.ZH) == "入世25年:中國的奇蹟"
    assert a.topics(Lang.EN) == ("High-End Manufacturing", "Hong Kong") and a.topics(Lang.ZH)[0] == "高端製造"
    assert b.title() == "So far, we have built the following co-operation platforms:", "no title: its first line"
    assert catalog.paragraphs == 11 and catalog.languages == (Lang.ZH, Lang.EN)


def test_clean_heading__drops_numbering_and_a_long_subtitle():
    assert clean_heading("(2) Trade: Platforms of Openness") == "Trade"
    assert clean_heading("三、一帶一路:聯通世界") == "一帶一路"
    assert clean_heading("IV. A: b") == "A: b", "a head too short keeps the whole heading"


def test_candidate_examples__one_of_each_kind_made_from_the_text():
    found = candidate_examples(DOC)
    assert found[ExampleKind.LIST][0].questions == ("What are the co-operation platforms?",)
    assert found[ExampleKind.FOLLOWUP][0].questions == ("How many base stations are there?", "And how many users?")
    assert found[ExampleKind.CHINESE][0].questions == ("有多少個自貿試驗區?",)
    assert found[ExampleKind.UNANSWERABLE][0].questions == ("What will the weather be like tomorrow?",)


def test_pick_examples__keeps_the_first_that_works_per_kind():
    found = {ExampleKind.LIST: [Example(ExampleKind.LIST, ("a",)), Example(ExampleKind.LIST, ("b",))]}
    assert pick_examples(found, lambda e: e.questions != ("a",))[0].questions == ("b",)
    assert pick_examples(found, lambda e: False) == ()


def test_suggest__sections_after_the_cited_one_in_the_question_script():
    catalog = build_catalog(["a.txt", "b.txt"], PARAGRAPHS)
    assert suggest(catalog, [("a.txt", 7)], Script.LATIN) == ("What does the document say about “Hong Kong”?",)
    assert suggest(catalog, [("a.txt", 5)], Script.LATIN) == (
        "What does the document say about “High-End Manufacturing”?", "What does the document say about “Hong Kong”?")
    assert suggest(catalog, [("a.txt", 3)], Script.HANS)[0] == "文件中「香港」一节说了什么?"
    assert suggest(catalog, [("b.txt", 2)], Script.LATIN) == (), "no headings, no made-up suggestions"


def test_render_welcome__documents_languages_and_examples_escaped():
    catalog = build_catalog(["a.txt", "b.txt"], PARAGRAPHS)
    example = Example(ExampleKind.FOLLOWUP, ("How <b>many</b>?", "And more?"))
    html = render_welcome(Library(catalog, (example,)))
    assert "2 documents · 11 paragraphs · 中文 · English" in html
    assert "25 Years in the WTO: A Miracle" in html and "High-End Manufacturing · Hong Kong" in html
    assert 'data-kind="followup"' in html and "How &lt;b&gt;many&lt;/b&gt;?" in html and "<b>" not in html
    assert 'data-ask="[&quot;How &lt;b&gt;many&lt;/b&gt;?&quot;, &quot;And more?&quot;]"' in html
