"""Decides whether the evidence answers the question. Pure.

A top-score threshold alone does not separate answerable from unanswerable questions here
(unanswerable near misses reach dense scores of 0.80-0.89, answerable ones 0.83-0.90), so the
decision asks what a careful reader would:
  1. anchors: do the question's figures and names occur together in one evidence paragraph?
  2. answer type: if it asks how many / which year / who, does a sentence that mentions the
     question's subject hold a figure / a year / a name?
  3. topic: is the best dense score high enough, and does the corpus share more than one
     telling word with the question (off-topic questions)?
  4. attribute: does the corpus use the word for what a "what is X's Y?" question asks for?
Thresholds are calibrated on eval/ only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rag.answer.extractive import question_parts
from rag.guard.judge import chinese_names, is_abbreviation
from rag.lang.crosslingual import term_forms
from rag.lang.text import CJK, EN_STOPWORDS, language, normalise, split_sentences, tokenize
from rag.types import Role, ScoredParagraph

_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
_DATE = re.compile(
    r"\b(19|20)\d{2}\b|(19|20)\d{2}年|\d{1,2}月|\d{1,2}日|\b(january|february|march|april|may|june|july"
    r"|august|september|october|november|december)\b",
    re.I,
)
_LATIN_NAME = re.compile(
    r"(?<![A-Za-z0-9-])[A-Z][A-Za-z0-9&-]*(?:\s+(?:of\s+|the\s+|and\s+)?[A-Z][A-Za-z0-9&-]*)*"
)
_NOT_NAMES = frozenset(
    """what which who whom whose when where why how do does did is are was were can could will
    would should in on at by for from of the and or besides according as after before during
    since under with between among if also then so""".split()
)
_PERSON = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z-]+)+\b")
_DESCRIPTOR = re.compile(r"^[A-Z][a-z]+(ese|ish|ian|an)$|^(English|Mainland|Western|Eastern)$")
_ASK_DATE = re.compile(
    r"\b(which|what) (year|month|day|date)\b|\bwhen (was|did|were|will)\b|哪一年|哪年|哪個月|哪个月|哪一天|哪天"
    r"|何時|何时|什麼時候|什么时候|幾時|几时|日期",
    re.I,
)
_ASK_QUANTITY = re.compile(
    r"\bhow (many|much|long|large|big|far|fast)\b"
    r"|\bwhat (is|was) the (length|area|size|budget|population|number|amount|value|share|percentage)\b"
    r"|\bwhat (percentage|share|proportion|number|amount)\b"
    r"|多少|幾多|几多|多大|多長|多长|多少公里|面積|面积|長度|长度|比例",
    re.I,
)
_ASK_PERSON = re.compile(
    r"^(who)\b|\bwho (is|was|are|were|founded|heads|leads|runs)\b|\bname of the (author|writer|founder|head)\b"
    r"|\b(author|writer)'s name\b|是誰|是谁|哪位|何人",
    re.I,
)
_ASK_PLACE = re.compile(
    r"\b(in which|which) (city|country|place)\b|\bwhere (is|was|are|were)\b.*\b(based|located|headquartered)\b"
    r"|在哪裡|在哪里|哪個城市|哪个城市|哪座城市|總部設|总部设",
    re.I,
)
_GENERIC = frozenset("the of and".split())
_LOCATED = re.compile(r"headquarter|based in|located in|seated in|總部|总部|位於|位于|落戶|落户")
_ORGANISATION = re.compile(
    r"\b(Bank|Fund|Investment|Corporation|Council|Association|Government|Bureau|Organi[sz]ations?|Zone"
    r"|Daily|Initiative|Centre|Center|University|Committee|Conference|Plan|Road|Hong Kong|China"
    r"|Cooperation|Co-operation|Partnership|Forum|Union|Community|Agency|Authority|Commission|Ministry"
    r"|Department|Office|Institute|Exchange|Group|Company|Limited|Port|Fair|Report|Economic|Monetary)\b"
)
_CONTINUES = re.compile(r"(It|Its|They|Their|This|These|That|He|She|His|Her)\b|(它|其|該|该|這|这|此)")
_LIST_NUMBER = re.compile(r"^\s*[(（]?\d{1,2}[)）.]\s*")
_CHINESE_MONTH = re.compile(r"(\d{1,2})月")
_MONTHS = "january february march april may june july august september october november december".split()
# Words that ask rather than tell, or only say when: a question is not about them.
_QUESTION_WORDS = frozenset(
    """怎么样 谁 哪个 哪些 哪家 哪份 哪位 哪里 哪一年 哪一天 哪天 哪年 甚么 什么 怎么 怎样 如何 为何 为什么
    第几 一共 多长 多大 今天 明天 昨天 现在 今年 today tomorrow yesterday now""".split()
)


@dataclass(frozen=True)
class RefusalPolicy:
    """Thresholds calibrated on eval/ (see the README's eval section)."""

    min_dense: float = 0.80
    min_dense_crosslingual: float = 0.84
    min_coverage: float = 0.15


@dataclass(frozen=True)
class Signals:
    dense: float
    missing_anchors: tuple[str, ...]
    missing_type: str | None
    crosslingual: bool
    coverage: float = 1.0
    off_topic: bool = False
    unknown_attribute: tuple[str, ...] = ()


def anchors(question: str, chinese: bool) -> list[str]:
    """Figures and proper names the evidence must contain, normalised."""
    months = {m.start(1) for m in _CHINESE_MONTH.finditer(question)}
    found = [
        f"{m.group(0)}月" if m.start() in months else m.group(0).replace(",", "")
        for m in _FIGURE.finditer(question)
    ]
    for match in _LATIN_NAME.finditer(re.sub(r"['’]s\b", " ;", question)):
        words = match.group(0).split()
        while words and words[0].lower() in _NOT_NAMES:
            words = words[1:]
        if not words or (len(words) == 1 and _DESCRIPTOR.match(words[0])):
            continue
        found.append(" ".join(words))
    if chinese:
        found.extend(chinese_names(question))
    return [normalise(a) for a in found]


def _drop_common(anchor: str, is_common: Callable[[str], bool]) -> str:
    """A name without the words that half the corpus uses (China and Belt and Road -> belt and road)."""
    if is_common(anchor):
        return ""
    words = anchor.split()
    if len(words) < 3:
        return anchor
    kept = [w for w in words if w in _GENERIC or not is_common(w)]
    while kept and kept[0] in _GENERIC:
        kept = kept[1:]
    while kept and kept[-1] in _GENERIC:
        kept = kept[:-1]
    return " ".join(kept)


def _has(text: str, anchor: str) -> bool:
    """Exact, as an acronym (AIIB), as an abbreviation (亞投行), or most words of a long name."""
    if anchor in text:
        return True
    month = _CHINESE_MONTH.fullmatch(anchor)
    if month:  # 10月 is October in an English paragraph
        return 1 <= int(month.group(1)) <= 12 and _MONTHS[int(month.group(1)) - 1] in text
    if CJK.search(anchor):
        return is_abbreviation(anchor, text)
    if re.fullmatch(r"[a-z]{2,6}", anchor):
        spelled = r"\s+(?:of\s+|the\s+|and\s+)?".join(rf"{c}\w*" for c in anchor)
        if re.search(rf"\b{spelled}\b", text):
            return True
    words = [w for w in re.split(r"[\s-]+", anchor) if w and w not in _GENERIC]
    initials = "".join(w[0] for w in words)
    if len(words) >= 2 and len(initials) >= 3 and re.search(rf"\b{re.escape(initials)}\b", text):
        return True
    missing = [i for i, w in enumerate(words) if w not in text]
    all_but_last = len(words) >= 3 and missing in ([], [len(words) - 1])
    all_but_one_inner = len(words) >= 4 and len(missing) <= 1 and missing != [0]
    return all_but_last or all_but_one_inner


def _texts(evidence: Sequence[ScoredParagraph]) -> list[str]:
    return [_searchable(sp.paragraph.header, sp.paragraph.text, sp.paragraph.lang) for sp in evidence]


@lru_cache(maxsize=4_096)
def _searchable(header: str, text: str, lang: str) -> str:
    """A paragraph with its header; a Chinese one also with its words' English translations,
    so the names of an English question can be found in it (Shenzhen in 深圳). Cached: the
    same paragraphs come back question after question, and segmenting them is the cost."""
    searchable = normalise(f"{header} {text}").replace(",", "")
    if lang != "zh":
        return searchable
    translated = {form for word in tokenize(searchable) if CJK.search(word) for form in term_forms(word)}
    return f"{searchable} | {' '.join(sorted(f for f in translated if not CJK.search(f)))}"


_COMPARES = re.compile(r"\b(agree|disagree|differ|both|compare|same)\b|一致|相同|不同|都", re.I)


def missing_anchors(needed: Sequence[str], texts: Sequence[str], together: bool = True) -> tuple[str, ...]:
    """The anchors that no single evidence paragraph holds all of: () when one holds them all.

    With `together` False (a question comparing two sources) each anchor may stand in its own paragraph.
    """
    if not needed:
        return ()
    if not together:
        return tuple(a for a in needed if not any(_has(text, a) for text in texts))
    best: tuple[str, ...] = tuple(needed)
    for text in texts:
        missing = tuple(a for a in needed if not _has(text, a))
        if len(missing) < len(best):
            best = missing
    return best


def missing_answer_type(
    question: str,
    subject: Sequence[str],
    evidence: Sequence[ScoredParagraph],
    context: Sequence[ScoredParagraph] = (),
) -> str | None:
    """'figure' / 'date' / 'name' / 'place' when the question asks for one and no sentence about its subject has it.

    A byline is about its whole document, so it counts as about the subject when another
    paragraph of that document (in `context`) names the subject.
    """
    wanted = _wanted_type(question)
    if wanted is None:
        return None

    subject_names = [a for a in subject if not _FIGURE.fullmatch(a)]
    has_byline = any(sp.paragraph.role == Role.BYLINE for sp in evidence)
    about = _documents_about(subject_names, context) if has_byline else set()
    for sp in evidence:
        header = normalise(sp.paragraph.header)
        names = subject_names + aliases(normalise(sp.paragraph.text), subject_names)
        byline_about = sp.paragraph.role == Role.BYLINE and sp.paragraph.source in about
        sentences = split_sentences(_LIST_NUMBER.sub("", sp.paragraph.text))
        for i, sentence in enumerate(sentences):
            norm = normalise(sentence).replace(",", "")
            if names and not byline_about and not any(_mentions(f"{header} {norm}", n) for n in names):
                continue
            following = sentences[i + 1] if i + 1 < len(sentences) else ""
            if _CONTINUES.match(following):
                sentence = f"{sentence} {following}"
                norm = normalise(sentence).replace(",", "")
            if _satisfies(wanted, sentence, norm, names):
                return None
    return wanted


def _documents_about(names: Sequence[str], paragraphs: Sequence[ScoredParagraph]) -> set[str]:
    """Sources of the paragraphs that name all of `names`."""
    return {
        sp.paragraph.source
        for sp in paragraphs
        if all(_mentions(normalise(f"{sp.paragraph.header} {sp.paragraph.text}"), n) for n in names)
    }


def aliases(text: str, names: Sequence[str]) -> list[str]:
    """Short names a paragraph gives its subject: "… Investment Corporation Limited (HKIC) …" -> hkic."""
    found = []
    for name in names:
        match = re.search(rf"{re.escape(name)}\s*[(（]([a-z&]{{2,8}})[)）]", text)
        if match:
            found.append(match.group(1))
    return found


def _mentions(text: str, name: str) -> bool:
    """`_has`, or for a Chinese name in English text, one of its English translations."""
    if _has(text, name):
        return True
    return bool(CJK.search(name)) and not term_forms(name).isdisjoint(tokenize(text))


def _wanted_type(question: str) -> str | None:
    if _ASK_DATE.search(question):
        return "date"
    if _ASK_QUANTITY.search(question):
        return "figure"
    if _ASK_PERSON.search(question):
        return "name"
    if _ASK_PLACE.search(question):
        return "place"
    return None


def _satisfies(wanted: str, sentence: str, norm: str, names: Sequence[str]) -> bool:
    if wanted == "date":
        return bool(_DATE.search(norm))
    if wanted == "figure":
        return bool(re.search(r"\d", norm))
    if wanted == "place":  # a place named as where the subject is, not any capitalised word
        return bool(_LOCATED.search(norm))
    people = [p for p in _PERSON.findall(sentence) if normalise(p) not in names and not _ORGANISATION.search(p)]
    return bool(people) or bool(re.search(r"author|作者|高sir", norm))


def signals(
    question: str,
    evidence: Sequence[ScoredParagraph],
    is_common: Callable[[str], bool] = lambda _: False,
    knows: Callable[[str], bool] = lambda _: True,
) -> Signals:
    """`is_common(anchor)` says an anchor is in so much of the corpus (China) that it tells
    nothing; `knows(word)` says the corpus has a word at all."""
    top = list(evidence[:5])
    q_lang = language(question)
    crosslingual = bool(top) and all(sp.paragraph.lang != q_lang for sp in top[:3])
    texts = _texts(top)
    missing: tuple[str, ...] = ()
    for part in question_parts(question):
        part_anchors = [a for a in (_drop_common(a, is_common) for a in anchors(part, chinese=False)) if a]
        counted = _counted_noun(part)
        if counted and any(not _FIGURE.fullmatch(a) for a in part_anchors):
            part_anchors.append(counted)  # "sellers in Shanghai": the count must be Shanghai's
        missing += missing_anchors(part_anchors, texts, together=not _COMPARES.search(part))
    needed = [a for a in (_drop_common(a, is_common) for a in anchors(question, chinese=False)) if a]
    subject = needed if q_lang == "en" or crosslingual else anchors(question, chinese=True)
    missing_type = missing_answer_type(question, subject, top[:3], top)
    dense = max((sp.dense for sp in evidence), default=0.0)
    coverage = _coverage(question, top[:3])
    unrelated = off_topic(question, is_common, knows)
    unknown = tuple(w for w in asked_attribute(question) if not knows(w))
    return Signals(dense, missing, missing_type, crosslingual, coverage, unrelated, unknown)


_HOW_MANY = re.compile(r"\bhow many\s+((?:[a-z-]+\s+){0,4})", re.I)


def _counted_noun(question: str) -> str | None:
    """What a how-many question counts, singular: the last word of the noun phrase after
    "how many" ("how many cross-border e-commerce sellers are…" -> seller)."""
    match = _HOW_MANY.search(question)
    if not match:
        return None
    phrase = []
    for word in match.group(1).lower().split():
        if word in EN_STOPWORDS or word.endswith("ed"):
            break
        phrase.append(word)
    if not phrase:
        return None
    noun = phrase[-1]
    return noun[:-1] if noun.endswith("s") and len(noun) > 3 else noun


_WHAT_IS = re.compile(r"\bwhat (?:is|was|are|were) ([^?？]+)", re.I)
# Where the noun phrase after "what is" ends: a preposition, a verb, or a clause's own article.
_PHRASE_END = re.compile(r"\s(?:of|in|for|on|at|by|to|from|under|with|according|did|does|do|that|which|the|a|an)\b.*")
_ZH_ATTRIBUTE = re.compile(r"(?:的|^)([\u3400-\u9fff]{2,6}?)(?:是多少|有多大|有多少|是什么|是谁)")
# Attributes any figure, name or date answers (a length is "142 km"): the corpus need not use the word.
_GENERIC_ATTRIBUTES = frozenset(
    """name title number count amount share percentage proportion size value level total figure date
    year month day rate length area height width distance speed duration weight""".split()
)


def asked_attribute(question: str) -> list[str]:
    """The words naming what a "what is X's Y?" / "…的Y是多少?" question asks for ("annual
    budget" -> [budget]; "参数规模" -> [参数, 规模]); [] for other questions.

    The documents cannot state a budget if they never use the word, however well they cover
    the organisation.
    """
    match = _WHAT_IS.search(question)
    if match:
        phrase = re.split(r"['’]s\s", match.group(1).strip())[-1]
        phrase = _PHRASE_END.sub("", re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.I))
        words = tokenize(phrase)
        head = words[-1] if words else ""
        return [] if not head or head in _GENERIC_ATTRIBUTES or head in EN_STOPWORDS else [head]
    chinese = _ZH_ATTRIBUTE.search(normalise(question))
    if chinese:
        return [w for w in tokenize(chinese.group(1)) if w not in _QUESTION_WORDS]
    return []


def off_topic(question: str, is_common: Callable[[str], bool], knows: Callable[[str], bool]) -> bool:
    """The question shares at most one telling word with the whole corpus (words like Hong Kong
    that half of it uses tell nothing) and uses a word the corpus never does: "how do I bake
    Hong Kong-style egg tarts?" """
    words = [w for w in tokenize(question) if w not in _QUESTION_WORDS]
    unknown = [w for w in words if not knows(w)]
    # a lone Chinese character (人, 上) matches half the corpus in translation: it tells nothing
    telling = [
        w for w in words if knows(w) and not is_common(w) and not (len(w) == 1 and CJK.match(w))
    ]
    return bool(unknown) and len(telling) <= 1


def _coverage(question: str, evidence: Sequence[ScoredParagraph]) -> float:
    """Share of the question's words found in the evidence (script- and case-folded)."""
    words = set(tokenize(question))
    if not words:
        return 0.0
    found = set(tokenize(" ".join(f"{sp.paragraph.header} {sp.paragraph.text}" for sp in evidence)))
    return sum(1 for w in words if w in found or not term_forms(w).isdisjoint(found)) / len(words)


def should_refuse(s: Signals, policy: RefusalPolicy) -> bool:
    if s.missing_anchors or s.missing_type or s.off_topic or s.unknown_attribute:
        return True
    if not s.crosslingual and s.coverage < policy.min_coverage:
        return True
    floor = policy.min_dense_crosslingual if s.crosslingual else policy.min_dense
    return s.dense < floor
