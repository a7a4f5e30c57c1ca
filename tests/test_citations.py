from rag.answer.citations import attach_marker, normalise_markers, render, renumber
from rag.types import Paragraph

A = Paragraph("a.txt", 3, "Alpha is first.")
B = Paragraph("b.txt", 7, "Beta is second.")


def test_attach_marker__goes_before_closing_punctuation():
    assert attach_marker("Alpha is first.", "[1]") == "Alpha is first [1]."
    assert attach_marker("香港是中心。", "[2]") == "香港是中心 [2]。"
    assert attach_marker("No stop", "[1]") == "No stop [1]"


def test_render__same_paragraph_keeps_its_number():
    text, cites = render([("Alpha is first.", A), ("Beta is second.", B), ("Again alpha.", A)])
    assert text == "Alpha is first [1]. Beta is second [2]. Again alpha [1]."
    assert [c.paragraph for c in cites] == [3, 7]


def test_renumber__drops_out_of_range_and_orders_by_first_use():
    text, cites = renumber("Beta [2][5]. Alpha 【1】. Both [2, 1].", [A, B])
    assert text == "Beta [1]. Alpha [2]. Both [1][2]."
    assert [c.source for c in cites] == ["b.txt", "a.txt"]


def test_normalise_markers__loose_forms():
    assert normalise_markers("x [1, 2] y【3】") == "x [1][2] y[3]"
