"""HTML of the chat page (rag.ui.render) and what the sources panel shows (rag.ui.sources)."""

from __future__ import annotations

import re

from rag.types import Answer, Citation, Paragraph
from rag.ui.render import IndexFacts, answer_html, render_header, render_sources, render_transcript
from rag.ui.sources import (
    answer_markdown,
    citation_records,
    document_title,
    section_heading,
    source_views,
)
from rag.ui.turns import Turn

SRC = "000_9ac360c900c966b4.txt"
TITLE_EN = "25 Years of WTO Membership: China Shocks the World"
EN = Paragraph(SRC, 70, "Hong Kong handles over 75% of settlement. Stock Connect is a channel.",
               header=f"{TITLE_EN} | 作者簡介:高松傑", lang="en", twin=27)
ZH = Paragraph(SRC, 27, "香港處理全球75%以上的離岸人民幣結算業務。", header="文章:入世25年 | 作者簡介:高松傑 | 五、香港",
               lang="zh", twin=70)
EVIL = Paragraph("evil.txt", 3, "Click <script>alert(1)</script> & <b onmouseover=x>here</b>.",
                 header="<img src=x onerror=alert(2)> | By Mallory")
PARAGRAPHS = {(p.source, p.number): p for p in (EN, ZH, EVIL)}


def _answer(text: str, *paragraphs: Paragraph, **kw) -> Answer:
    cites = [Citation(p.source, p.number, p.text) for p in paragraphs]
    return Answer(answer=text, citations=cites, **kw)


def _turn(question: str, answer: Answer) -> Turn:
    return Turn(question, answer, sources=source_views(answer, PARAGRAPHS))


def test_answer_html__markers_become_buttons_for_their_source():
    html = answer_html(_answer("Hong Kong handles over 75% [1]. Nine [2].", EN), turn=3)
    button = r'<button type="button" class="rag-cite" data-turn="3" data-n="1"[^>]*>1</button>'
    assert re.search(button, html)
    assert 'data-n="2"' not in html and '<span class="rag-cite is-inert">2</span>' in html
    assert "75%<button" in html, "the marker hugs the word it cites"


def test_answer_html__live_answer_has_inert_markers_and_a_caret():
    html = answer_html(_answer("Hong Kong [1]", EN), turn=0, live=True)
    assert "<button" not in html and "rag-caret" in html


def test_answer_html__lines_and_bullets():
    html = answer_html(_answer("Platforms:\n- Stock Connect [1]\n- Bond Connect [1]", EN), turn=0)
    assert html.count("<li>") == 2 and "<p>Platforms:</p><ul>" in html


def test_render__question_answer_and_paragraph_text_are_escaped():
    answer = _answer("<script>alert(3)</script> says [1].", EVIL)
    turn = _turn("<script>alert(1)</script>?", answer)
    page = render_transcript([turn]) + render_sources([turn])
    assert "<script" not in page and "<img" not in page and "<b " not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;?" in page
    assert "Click &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b onmouseover=x&gt;" in page


def test_render_sources__card_has_title_file_number_highlight_and_twin():
    turn = _turn("How much?", _answer("Hong Kong handles over 75% of settlement [1].", EN))
    html = render_sources([turn])
    assert f"<h3 lang=\"en\">{TITLE_EN}</h3>" in html
    assert f"<code>{SRC}</code> · ¶ 70" in html
    assert "<mark>Hong Kong handles over 75% of settlement.</mark> Stock Connect" in html
    assert '<details class="rag-twin"><summary>中文版 · ¶ 27</summary>' in html
    assert "香港處理全球75%以上" in html


def test_render_sources__latest_answered_turn_is_shown_and_refusal_says_so():
    first = _turn("q1", _answer("Hong Kong handles over 75% [1].", EN))
    refused = _turn("cake?", Answer("The documents don't cover this.", refused=True))
    failed = Turn("", error="question is empty")
    html = render_sources([first, refused, failed])
    assert '<div class="rag-src-turn" data-turn="0">' in html
    assert '<div class="rag-src-turn is-active" data-turn="1">' in html
    assert "No sources" in html and 'data-turn="2"' not in html


def test_render_transcript__refusal_error_warning_pending_look_different():
    refused = Turn("cake?", Answer("文件中沒有涵蓋這個問題。", refused=True))
    fell_back = "LLM timed out; showing the extractive answer instead."
    warned = _turn("q", _answer("Hong Kong handles over 75% [1].", EN, warning=fell_back))
    failed, pending = Turn("", error="question is empty"), Turn("next?", pending=True)
    html = render_transcript([refused, warned, failed, pending])
    assert 'class="rag-a is-refused"' in html and "文件中沒有涵蓋這個問題。" in html
    assert 'class="rag-notice is-warning"' in html and "LLM timed out" in html
    assert 'class="rag-notice is-error" role="alert"' in html and "question is empty" in html
    assert html.count('<div class="rag-q">') == 3, "an empty question shows only its notice"
    assert "Searching the documents" in html
    assert "rag-welcome" in render_transcript([])


def test_render_header__says_the_mode_and_counts():
    offline = render_header(IndexFacts("extractive", None, 5, 160))
    assert "extractive" in offline and "5 documents" in offline and "160 paragraphs" in offline
    llm = render_header(IndexFacts("llm", "gpt-<4o>", 5, 1600))
    assert "gpt-&lt;4o&gt;" in llm and "1,600 paragraphs" in llm


def test_document_title__first_header_part_unless_a_byline():
    assert document_title(EN) == TITLE_EN
    byline = Paragraph("004.txt", 1, "x", header="The author is a professor. | x")
    assert document_title(byline) == ""
    assert section_heading(ZH) == "五、香港" and section_heading(EN) == ""


def test_source_views__fall_back_to_the_citation_when_the_index_changed():
    answer = Answer("Gone [1].", citations=[Citation("gone.txt", 9, "Gone now.")])
    (view,) = source_views(answer, {})
    assert view.text == "Gone now." and view.title == "" and view.twin is None


def test_api_output__markdown_lists_sources_and_records_are_json_ready():
    answer = _answer("Hong Kong handles over 75% of settlement [1].", EN, warning="fell back")
    views = source_views(answer, PARAGRAPHS)
    markdown = answer_markdown(answer, views)
    assert markdown.startswith("Hong Kong handles over 75%") and "> ⚠ fell back" in markdown
    assert f"- [1] {TITLE_EN} — {SRC} ¶70" in markdown
    (record,) = citation_records(views)
    assert record == {"n": 1, "source": SRC, "paragraph": 70, "title": TITLE_EN, "text": EN.text,
                      "highlighted": ["Hong Kong handles over 75% of settlement."]}


def test_render_transcript__sources_under_an_answer_are_grouped_by_document():
    answer = _answer("Hong Kong handles over 75% [1]. 香港處理 [2]. Click [3].", EN, ZH, EVIL)
    html = render_transcript([_turn("q", answer)])
    rows = re.findall(r'<div class="rag-chip-row">(.*?)</div>', html)
    assert len(rows) == 2, "two documents, two rows"
    assert rows[0].count('class="rag-chip rag-cite"') == 2 and "¶70" in rows[0] and "¶27" in rows[0]
    assert "&lt;img src=x" in rows[1] and "<img" not in rows[1]


def test_answer_html__flagged_sentences_are_marked():
    text = "Hong Kong handles over 75% [1]. It is on the moon [1]. Stock Connect [1]."
    answer = _answer(text, EN, flagged=(1,))
    html = answer_html(answer, turn=0)
    assert re.findall(r'<span class="rag-flagged"[^>]*>(.*?)</span>', html) == [
        'It is on the moon<button type="button" class="rag-cite" data-turn="0" data-n="1" '
        'title="Show source 1" aria-label="Show source 1">1</button>.'
    ]
