"""Citation markers: rendering claims as `sentence [n]` and cleaning an LLM's markers. Pure."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import accumulate

from rag.lang.text import split_sentences
from rag.types import Citation, Paragraph

MARKER = re.compile(r"\[(\d{1,3})\]")
_LOOSE_MARKER = re.compile(r"[\[【]\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*[\]】]")
_CJK_END = re.compile(r"[\u3400-\u9fff。！？；」』）]\s*$")
_CJK_START = re.compile(r"\s*[\u3400-\u9fff「『（]")
_TRAILING_PUNCT = re.compile(r"([.。!！?？;；:：]+[\"”’」』)）]*)$")


def cite(paragraph: Paragraph) -> Citation:
    return Citation(
        source=paragraph.source,
        paragraph=paragraph.number,
        text=paragraph.text,
        location=paragraph.location,
        kind=paragraph.kind,
    )


def attach_marker(sentence: str, markers: str) -> str:
    """Put markers before the sentence's closing punctuation: `... 75% [1].`"""
    sentence = sentence.rstrip()
    match = _TRAILING_PUNCT.search(sentence)
    if match:
        return f"{sentence[: match.start()].rstrip()} {markers}{match.group(1)}"
    return f"{sentence} {markers}"


def join_sentences(sentences: Sequence[str], joiner: str = " ") -> str:
    """Join answer sentences; Chinese sentences run on, anything next to Latin text gets `joiner`."""
    out = ""
    for sentence in sentences:
        if out and not (_CJK_END.search(out) and _CJK_START.match(sentence)):
            out += joiner
        out += sentence
    return out


def render(
    claims: Sequence[tuple[str, Paragraph]],
    display: Callable[[str], str] = lambda s: s,
    joiner: str = " ",
) -> tuple[str, list[Citation]]:
    """Answer text and citations; a paragraph cited twice keeps its first number."""
    numbers: dict[tuple[str, int], int] = {}
    citations: list[Citation] = []
    sentences = []
    for text, paragraph in claims:
        key = (paragraph.source, paragraph.number)
        if key not in numbers:
            citations.append(cite(paragraph))
            numbers[key] = len(citations)
        sentences.append(attach_marker(display(text), f"[{numbers[key]}]"))
    return join_sentences(sentences, joiner), citations


def normalise_markers(text: str) -> str:
    """`[1, 2]`, `【1】` and `[1][2]` all become `[1][2]`."""

    def expand(match: re.Match[str]) -> str:
        return "".join(f"[{n}]" for n in re.split(r"\s*[,，、]\s*", match.group(1)))

    return _LOOSE_MARKER.sub(expand, text)


def renumber(text: str, sources: Sequence[Paragraph]) -> tuple[str, list[Citation]]:
    """Drop markers that point at no source and number the rest in order of first use."""
    text = normalise_markers(text)
    mapping: dict[int, int] = {}
    citations: list[Citation] = []

    def replace(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if not 1 <= n <= len(sources):
            return ""
        if n not in mapping:
            citations.append(cite(sources[n - 1]))
            mapping[n] = len(citations)
        return f"[{mapping[n]}]"

    cleaned = MARKER.sub(replace, text)
    cleaned = re.sub(r"(\[\d+\])(?:\1)+", r"\1", cleaned)
    cleaned = re.sub(r"[ \t]+([.,;:!?。，；：！？])", r"\1", cleaned)
    return re.sub(r"[ \t]{2,}", " ", cleaned).strip(), citations


def strip_markers(sentence: str) -> str:
    """The sentence without its citation markers."""
    return re.sub(r"\s*" + _LOOSE_MARKER.pattern, "", sentence).strip()


def markers_in(sentence: str) -> list[int]:
    return [int(n) for n in MARKER.findall(sentence)]


# Chinese sentence ends; an English sentence followed by a Chinese one; a marker run straight
# into the next sentence ("[1]February").
_ZH_END = re.compile(
    r"(?<=[。！？；])|(?<=[.!?])\s*(?=[\u3400-\u9fff「『“])|(?<=\])(?=[A-Z\u3400-\u9fff「『“])"
)
# A Chinese quote without a full stop, its markers, then the next sentence: "…故事 [1] The author …".
_UNSTOPPED_CHINESE = re.compile(r"([\u3400-\u9fff」』”])(\s*(?:\[\d{1,3}\])+)\s+(?=[A-Z\u3400-\u9fff「『“])")
_MARKER_AFTER_END = re.compile(r"([.!?。！？;；:：])(\s*)((?:\[\d{1,3}\])+)")
_WORDY = re.compile(r"[A-Za-z0-9\u3400-\u9fff]")


def answer_sentences(answer: str) -> list[tuple[str, tuple[int, ...]]]:
    """(sentence, its markers) for each sentence or line of the answer.

    Markers written after the full stop ("... 75%. [1]") are moved before it so they stay with
    their sentence; fragments with no words (a stray marker) join the sentence before.
    """
    text = _MARKER_AFTER_END.sub(r"\2\3\1", normalise_markers(answer))
    text = _UNSTOPPED_CHINESE.sub(r"\1\2\n", text)
    pieces: list[str] = []
    lines: list[int] = []  # the answer line each piece comes from
    text_lines = text.splitlines()
    for number, line in enumerate(text_lines):
        for part in _ZH_END.split(line):
            for sentence in split_sentences(part) if part.strip() else []:
                if pieces and not _WORDY.search(strip_markers(sentence)):
                    pieces[-1] += sentence
                else:
                    pieces.append(sentence)
                    lines.append(number)
    found = [tuple(dict.fromkeys(int(m) for m in MARKER.findall(s))) for s in pieces]
    return list(zip(pieces, _block_markers(found, lines, text_lines), strict=True))


def _block_markers(found: list[tuple[int, ...]], lines: list[int], text_lines: list[str]) -> list[tuple[int, ...]]:
    """A quoted block (a command, a code listing, a list) carries one marker, after its last line:
    every line of the block before it, with no marker of its own, is cited by that marker. A
    block is a run of lines with no blank line; a line that holds a marker closes it."""
    block = list(accumulate(not line.strip() for line in text_lines))  # blank lines up to each line
    marked_lines = {lines[i] for i, m in enumerate(found) if m}
    out = list(found)
    for i, markers in enumerate(found):
        if markers or lines[i] in marked_lines:
            continue  # cited, or a sentence on a line another sentence of which is cited
        j = next((j for j in range(i + 1, len(found)) if found[j]), None)
        if j is not None and block[lines[j]] == block[lines[i]]:
            out[i] = found[j]
    return out
