"""HTML of the chat page (rag.ui.render) and what the sources panel shows (rag.ui.sources)."""

from __future__ import annotations

import re

from rag.types import Answer, Citation, Outcome, Paragraph
from rag.ui.chrome import IndexFacts, render_header
from rag.ui.render import answer_html, copy_text, render_sources, render_transcript
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
    assert '<div class="rag-src-turn" data-turn="0" lang="en">' in html
    assert '<div class="rag-src-turn is-active" data-turn="1" lang="en">' in html
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
    assert rows[0].count('class="rag-chip rag-cite"') == 2 and "¶ 70" in rows[0] and "¶ 27" in rows[0]
    assert "&lt;img src=x" in rows[1] and "<img" not in rows[1]


def test_answer_html__flagged_sentences_are_marked():
    text = "Hong Kong handles over 75% [1]. It is on the moon [1]. Stock Connect [1]."
    answer = _answer(text, EN, flagged=(1,))
    html = answer_html(answer, turn=0)
    assert re.findall(r'<span class="rag-flagged"[^>]*>(.*?)</span>', html) == [
        'It is on the moon<button type="button" class="rag-cite" data-turn="0" data-n="1" '
        'aria-label="Show source 1">1</button>.'
    ]


LIST = [Paragraph("002.txt", 9, "So far, we have built the following platforms:", header="Regional Co-operation", group=9)]
LIST += [Paragraph("002.txt", 9 + k, f"({k})  Platform number {k};", header="Regional Co-operation", group=9)
         for k in (1, 2, 3)]
LIST_PARAGRAPHS = {(p.source, p.number): p for p in LIST}


def _list_turn() -> Turn:
    text = "So far, we have built the following platforms [1]:\n" + "\n".join(
        f"({k})  Platform number {k} [{k + 1}];" for k in (1, 2, 3))
    answer = Answer(text, citations=[Citation(p.source, p.number, p.text) for p in LIST])
    return Turn("Which platforms?", answer, sources=source_views(answer, LIST_PARAGRAPHS))


def test_render_transcript__a_list_is_one_marker_one_chip_and_a_numbered_list():
    html = render_transcript([_list_turn()])
    answer = re.search(r'<div class="rag-answer">(.*?)</div>', html).group(1)
    assert answer.count("<li>") == 3 and "<ol>" in answer and "(1)" not in answer
    assert answer.count('class="rag-cite"') == 1, "the items' markers point at the same card"
    assert html.count('class="rag-chip rag-cite"') == 1 and "¶ 9–12" in html


def test_render_sources__a_list_is_one_card_with_every_item_marked():
    html = render_sources([_list_turn()])
    assert html.count('<article class="rag-src"') == 1 and html.count('class="rag-src-line"') == 4
    assert html.count("<mark>") == 4 and 'data-first="9" data-last="12"' in html


def test_copy_text__answer_with_shown_markers_then_each_source_and_its_quote():
    text = copy_text(_list_turn())
    assert text.startswith("So far, we have built the following platforms [1]:\n(1)  Platform number 1;")
    assert "[2]" not in text and "Sources:\n[1] Regional Co-operation — 002.txt ¶ 9–12" in text
    single = copy_text(_turn("How much?", _answer("Hong Kong handles over 75% of settlement [1].", EN)))
    assert single.endswith(f"[1] {TITLE_EN} — {SRC} ¶ 70\n    “Hong Kong handles over 75% of settlement.”")


def test_render_transcript__disagreeing_figures_get_a_note_in_the_question_language():
    a = Paragraph("a.txt", 1, "The China-Europe railway has operated over 80,000 trips.")
    b = Paragraph("b.txt", 4, "The number of China-Europe freight trains will exceed 100,000.")
    answer = _answer(f"{a.text[:-1]} [1]. {b.text[:-1]} [2].", a, b)
    paragraphs = {(p.source, p.number): p for p in (a, b)}
    html = render_transcript([Turn("How many trips?", answer, sources=source_views(answer, paragraphs))])
    note = re.search(r'<p class="rag-notice is-disagree" role="note">(.*?)</p>', html).group(1)
    assert "The sources disagree on China-Europe: over 80,000 trips" in note and "over 100,000" in note
    assert note.count('class="rag-cite"') == 2
    chinese = render_transcript([Turn("多少列?", answer, sources=source_views(answer, paragraphs))])
    assert "来源的说法不一致" in chinese or "來源的說法不一致" in chinese
    same = _answer("Hong Kong handles over 75% of settlement [1].", EN)
    assert "is-disagree" not in render_transcript([_turn("q", same)])


def test_render_transcript__each_turn_is_labelled_in_its_question_script():
    hans = render_transcript([_turn("香港处理多少离岸人民币结算?", _answer("香港處理全球75%以上 [1]。", ZH))])
    assert 'data-script="hans"' in hans and 'lang="zh-Hans"' in hans and ">复制<" in hans
    assert 'aria-label="显示来源 1"' in hans
    hant = render_transcript([Turn("中國有多少?", pending=True)])
    assert "正在搜尋文件" in hant


def test_render_transcript__answer_has_copy_retry_and_votes_and_the_question_an_edit():
    html = render_transcript([_turn("How much?", _answer("Hong Kong handles over 75% [1].", EN))])
    for act in ("copy", "retry", "up", "down", "edit", "sources"):
        assert f'data-act="{act}" data-turn="0"' in html
    assert '<textarea class="rag-copy-text" hidden readonly>Hong Kong handles over 75% [1].' in html
    assert 'aria-pressed="false"' in html


def test_render__not_stated_answer_shows_the_closest_passages_as_sources():
    answer = _answer("The documents do not state this directly. The closest passages: Hong Kong handles [1].", EN,
                     refused=True, outcome=Outcome.NOT_STATED)
    html = render_transcript([_turn("q", answer)])
    assert 'class="rag-a is-not-stated"' in html and 'class="rag-cite" data-turn="0" data-n="1"' in html
    assert '<article class="rag-src"' in render_sources([_turn("q", answer)])
    located = Answer("In it [1].", citations=[Citation(SRC, 70, EN.text, "p. 12")])
    assert "¶ 70 · p. 12" in render_sources([_turn("q", located)])


def test_render_transcript__only_the_latest_turn_can_be_asked_again_or_edited():
    first, second = (_turn(q, _answer("Hong Kong handles over 75% [1].", EN)) for q in ("one?", "two?"))
    html = render_transcript([first, second])
    assert 'data-act="retry" data-turn="0"' not in html and 'data-act="edit" data-turn="0"' not in html
    assert 'data-act="retry" data-turn="1"' in html and 'data-act="edit" data-turn="1"' in html
    assert 'data-act="copy" data-turn="0"' in html and 'data-act="down" data-turn="0"' in html
