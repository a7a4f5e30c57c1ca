"""Plain records passed between the pipeline's stages. No library types leak out of here."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Lang(StrEnum):
    """The language a text is carried by."""

    EN = "en"
    ZH = "zh"


class Script(StrEnum):
    """How a question is written: it decides the script of the answer and its notices."""

    LATIN = "latin"
    HANT = "hant"
    HANS = "hans"


class Role(StrEnum):
    """What a paragraph is to its document."""

    TITLE = "title"
    BYLINE = "byline"
    HEADING = "heading"
    BODY = "body"


class Kind(StrEnum):
    """What a paragraph is in its document's structure (the readers' block kinds)."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    LIST_ITEM = "list_item"
    CODE = "code"
    TABLE_ROW = "table_row"
    QUOTE = "quote"


class Outcome(StrEnum):
    """What the answerability guard decided: answer, say the documents do not state it directly
    (closest passages cited), or refuse outright (off-topic: nothing cited)."""

    ANSWERED = "answered"
    NOT_STATED = "not_stated"
    REFUSED = "refused"


class AnswerMode(StrEnum):
    EXTRACTIVE = "extractive"
    LLM = "llm"


@dataclass(frozen=True)
class Paragraph:
    """One citable paragraph: paragraph `number` of document `source`.

    For a one-paragraph-per-line .txt file that is its `number`-th non-blank line, stripped,
    exactly as it stands in the file; for every other format it is the `number`-th indexed
    block in reading order. `header` is the contextual header (title, byline, section path,
    lead-in) that is embedded and keyword-indexed with it, never shown as the paragraph itself.

    `kind` is its structural kind; `section` the headings above it, outermost first (a
    heading's own section ends with itself); `location` where a person finds it ("p. 12",
    "lines 40–52", "line 7", or the nearest heading). `group` links a lead-in ending in ":"
    and what it introduces (list items, a code block, table rows), or a list run: each member's
    `group` is the lead's number, and so is the lead's own. `twin` is the same paragraph in the
    other language of a bilingual file.
    """

    source: str
    number: int
    text: str
    header: str = ""
    lang: Lang = Lang.EN
    group: int | None = None
    twin: int | None = None
    role: Role = Role.BODY
    kind: Kind = Kind.PARAGRAPH
    section: tuple[str, ...] = ()
    location: str = ""

    def __post_init__(self) -> None:  # records read back from JSON carry plain strings and lists
        object.__setattr__(self, "lang", Lang(self.lang))
        object.__setattr__(self, "role", Role(self.role))
        object.__setattr__(self, "kind", Kind(self.kind))
        object.__setattr__(self, "section", tuple(self.section))

    @property
    def key(self) -> str:
        return f"{self.source}#{self.number}"

    @property
    def indexed_text(self) -> str:
        return f"{self.header}\n{self.text}" if self.header else self.text


@dataclass(frozen=True)
class ScoredParagraph:
    paragraph: Paragraph
    score: float
    dense: float = 0.0
    sparse: float = 0.0


@dataclass(frozen=True)
class Citation:
    """One cited paragraph; `location` is where a person opens it ("p. 12", "lines 40–52")."""

    source: str
    paragraph: int
    text: str
    location: str = ""
    kind: Kind = Kind.PARAGRAPH

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "paragraph": self.paragraph,
            "text": self.text,
            "location": self.location,
            "kind": str(self.kind),
        }


@dataclass(frozen=True)
class Answer:
    """What `rag.ask` returns: marker [n] in `answer` refers to `citations[n-1]`.

    `refused` is True for both NOT_STATED and REFUSED outcomes; a NOT_STATED answer still
    cites the closest passages, so `citations` may be non-empty on a refusal.
    """

    answer: str
    citations: list[Citation] = field(default_factory=list)
    refused: bool = False
    mode: AnswerMode = AnswerMode.EXTRACTIVE
    warning: str | None = None
    flagged: tuple[int, ...] = ()
    outcome: Outcome | None = None
    confidence: float | None = None  # the calibrated probability that the documents answer the question

    def __post_init__(self) -> None:
        if self.outcome is None:
            object.__setattr__(self, "outcome", Outcome.REFUSED if self.refused else Outcome.ANSWERED)

    def to_dict(self) -> dict:
        return {
            "answer": self.answer,
            "citations": [c.to_dict() for c in self.citations],
            "refused": self.refused,
            "mode": self.mode,
            "warning": self.warning,
            "outcome": str(self.outcome),
            "confidence": self.confidence,
        }
