"""The plain records a PDF page becomes before any layout rule runs: lines of text with their positions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PdfLine:
    """One printed line. Coordinates are PDF points with y growing upwards, so ``top`` > ``bottom``."""

    text: str
    left: float
    right: float
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return max(self.top - self.bottom, 1.0)


@dataclass(frozen=True)
class PdfPage:
    number: int  # 1-based physical page
    lines: list[PdfLine]


@dataclass(frozen=True)
class PdfChar:
    """One character with its (loose, font-height) box."""

    text: str
    left: float
    bottom: float
    right: float
    top: float


# A character starting this many of its heights left of the last one, and lower, begins the next line.
RETURN_HEIGHTS = 3.0


def assemble_lines(chars: list[PdfChar]) -> list[PdfLine]:
    """Group characters, in the PDF's reading order, into printed lines by their positions.

    A character starts a new line when its vertical centre falls outside the current line's band, or when it
    jumps far back to the left and lower (a tight line spacing). Whitespace never starts a line; PDFium's own line
    breaks are ignored because it sometimes leaves them out.
    """
    lines: list[PdfLine] = []
    text: list[str] = []
    box: list[float] = []  # left, bottom, right, top of the current line
    for char in chars:
        if char.text.isspace() or char.top <= char.bottom:
            text.append(" " if char.text.isspace() else char.text)
            continue
        if box and _starts_line(char, box):
            lines.append(_line(text, box))
            text, box = [], []
        text.append(char.text)
        if box:
            box = [min(box[0], char.left), min(box[1], char.bottom), max(box[2], char.right), max(box[3], char.top)]
        else:
            box = [char.left, char.bottom, char.right, char.top]
        box.append(char.right)  # box[4]: where the last character ended
    if box:
        lines.append(_line(text, box))
    return [line for line in lines if line.text]


def _starts_line(char: PdfChar, box: list[float]) -> bool:
    centre = (char.top + char.bottom) / 2
    if centre < box[1] or centre > box[3]:
        return True
    height = char.top - char.bottom
    return char.left < box[4] - RETURN_HEIGHTS * height and centre < (box[1] + box[3]) / 2


def _line(text: list[str], box: list[float]) -> PdfLine:
    return PdfLine(" ".join("".join(text).split()), box[0], box[2], box[3], box[1])
