"""The figures a sentence states, and what each one counts. Pure; language facts in data/figures.json.

A figure is a number with what makes two of them comparable: its kind (a percentage, an
amount of one currency, a count in one measure) and what it counts:

- the counted phrase, whose last word is its head noun: in English the nouns right after the
  number ("22 pilot free trade zones") or "<amount noun> of X" before it ("the number of X will
  exceed 100,000"); in Chinese the words after the measure word ("25個國家");
- the subject: the first noun run of the figure's clause, else of its sentence ("X, a flagship
  project, has operated over 80,000 trips"); in Chinese the words of its clause, with the
  sentence's first clause when its own is too short. An owner ("Hong Kong's") is not the thing.

Years, dates, ordinals, ranges, fractions and the start of a "from A to B" change are not figures.

>>> [(f.text, f.kind, f.head) for f in figures_in("Hong Kong hosts 1,370 mainland firms.")]
[('1,370 mainland firms', 'count', 'firm')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rag.lang.text import CJK, language, normalise, tokenize
from rag.ui.resources import read_json

_EN_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\d+(?:,\d{3})*(?:\.\d+)?|[A-Za-z](?:[A-Za-z'’-]*[A-Za-z])?|\S")
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?$")
_ZH_FIGURE = re.compile(r"(百分之)?(\d+(?:,\d{3})*(?:\.\d+)?)\s*(萬億|万亿|萬|万|億|亿|千)?\s*([%％])?([余餘多])?")
_ZH_CLAUSE = re.compile(r"[,;:()，；：、（）。！？]")
_CLAUSE_END = frozenset(",;:()，；：、（）")
_YEAR = range(1900, 2100)


@dataclass(frozen=True)
class Figure:
    """A number as stated ("over 80,000 trips"): value, kind, and the terms naming what it counts."""

    text: str
    value: float
    kind: str
    head: str | None
    modifiers: frozenset[str]
    subject: frozenset[str]
    lang: str
    spelling: tuple[tuple[str, str], ...] = ()  # (term, as written), to name the thing
    names: frozenset[str] = frozenset()  # terms written as names (capitalised mid-sentence)
    phrase: str = ""  # the counted words right after the number, as written ("pilot zones")
    unit: str = ""  # the measure word as written ("個"), when the language has them

    @property
    def terms(self) -> frozenset[str]:
        return self.modifiers | self.subject | ({self.head} if self.head else set())

    def written(self, term: str) -> str:
        return dict(self.spelling).get(term, term)


@lru_cache(maxsize=2)
def facts(lang: str) -> dict:
    """The language facts for `lang` ("en" or "zh"), word lists as sets."""
    raw = read_json("data/figures.json")[lang]
    return {k: (frozenset(v) if isinstance(v, list) else v) for k, v in raw.items()}


def figures_in(sentence: str) -> list[Figure]:
    """The figures `sentence` states, in order; those naming nothing are left out."""
    found = _zh_figures(sentence) if language(sentence) == "zh" else _en_figures(sentence)
    return [f for f in found if f.terms]


# English --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Words:
    sentence: str
    tokens: list[tuple[str, int, int]]
    lower: list[str]


def _en_figures(sentence: str) -> list[Figure]:
    f = facts("en")
    tokens = [(m.group(), m.start(), m.end()) for m in _EN_TOKEN.finditer(sentence)]
    w = _Words(sentence, tokens, [t[0].lower() for t in tokens])
    found, boundary = [], 0
    for i, (tok, _, _) in enumerate(tokens):
        if tok in _CLAUSE_END:
            boundary = i + 1
        if _NUMBER.match(tok) and _is_quantity(w, i, f):
            found.append(_en_figure(w, i, boundary, f))
    return found


def _is_quantity(w: _Words, i: int, f: dict) -> bool:
    tok, start, end = w.tokens[i]
    glued = (start > 0 and w.sentence[start - 1].isalpha()) or w.sentence[end : end + 1].isalpha()
    joined = any(
        0 <= k < len(w.tokens) and w.tokens[k][0] in "-/–" and w.tokens[k][1] in (end, start - 1)
        for k in (i - 1, i + 1)
    )
    before = w.lower[i - 1] if i > 0 else ""
    year = tok.isdigit() and int(tok) in _YEAR
    named = i > 0 and w.tokens[i - 1][0][:1].isupper() and before not in f["stopwords"]  # "Industry 4.0"
    return not (glued or joined or year or named or before in f["months"] or _starts_change(w.lower, i, f))


def _starts_change(words: list[str], i: int, f: dict) -> bool:
    """The number is A in "from (about) A to B": a value left behind."""
    k = i - 1
    while k >= 0 and words[k] in f["hedges"]:
        k -= 1
    return k >= 0 and words[k] in f["change_starts"]


def _en_figure(w: _Words, i: int, boundary: int, f: dict) -> Figure:
    value, j = float(w.tokens[i][0].replace(",", "")), i + 1
    if j < len(w.lower) and w.lower[j] in f["scales"]:
        value, j = value * f["scales"][w.lower[j]], j + 1
    kind, j = _en_kind(w.lower, i, j, f)
    counted = _noun_run(w, j + (j < len(w.lower) and w.lower[j] == "of"), f)
    end = w.tokens[(counted[-1] if counted else j - 1)][2]
    text = _en_hedge(w.lower, i, f) + w.sentence[w.tokens[i][1] : end]
    phrase = w.sentence[w.tokens[counted[0]][1] : end] if counted else ""
    if not counted:
        counted = _amount_of(w, boundary, i, f)
    subject = [k for k in _en_subject(w, boundary, i, f) if k not in counted]
    fold = {k: _fold(w.tokens[k][0]) for k in counted + subject}
    named = [k for k in counted if fold[k] not in f["amount_nouns"]]
    return Figure(
        text=text, value=value, kind=kind,
        head=fold[named[-1]] if named else None,
        modifiers=frozenset(fold[k] for k in named[:-1]),
        subject=frozenset(fold[k] for k in subject if fold[k] not in f["amount_nouns"]),
        lang="en", spelling=tuple((fold[k], w.tokens[k][0]) for k in sorted(fold)),
        names=frozenset(fold[k] for k in fold if _is_name(w.tokens[k][0], k)),
        phrase=phrase,
    )


def _en_kind(words: list[str], i: int, j: int, f: dict) -> tuple[str, int]:
    for width in (2, 1):
        if " ".join(words[j : j + width]) in f["percent_words"] and j + width <= len(words):
            return "percent", j + width
    for width in (3, 2, 1):
        phrase = " ".join(words[j : j + width])
        if j + width <= len(words) and phrase in f["currency_words"]:
            return f"money:{phrase.replace('.', '')}", j + width
    if i > 0 and words[i - 1] in f["currency_symbols"]:
        return f"money:{words[i - 1]}", j
    if j < len(words) and words[j] in f["measure_nouns"]:
        return f"count:{_fold(words[j])}", j + 1
    return "count", j


def _en_hedge(words: list[str], i: int, f: dict) -> str:
    for width in (2, 1):
        phrase = " ".join(words[max(0, i - width) : i])
        if i - width >= 0 and phrase in f["hedges"]:
            return f["hedges"][phrase] + " "
    return ""


def _noun_run(w: _Words, j: int, f: dict, limit: int = 6) -> list[int]:
    """Indexes of the content words from `j` up to a stopword, a verb-like word or a mark."""
    run: list[int] = []
    while j < len(w.lower) and len(run) < limit and _is_noun_like(w.tokens[j][0], w.lower[j], f):
        run.append(j)
        j += 1
    owner = max((n for n, k in enumerate(run) if w.lower[k].endswith(("'s", "’s"))), default=-1)
    return run[owner + 1 :]


def _is_noun_like(token: str, word: str, f: dict) -> bool:
    if not token[0].isalpha() or word in f["stopwords"] or word in f["hedges"]:
        return False
    return not any(word.endswith(s) and len(word) > len(s) + 2 for s in f["verb_suffixes"])


def _amount_of(w: _Words, boundary: int, i: int, f: dict) -> list[int]:
    """X in "<amount noun> of X" before the figure, in its clause."""
    for k in range(boundary, i - 1):
        if w.lower[k] in f["amount_nouns"] and w.lower[k + 1] == "of":
            return _noun_run(w, k + 2, f)
    return []


def _en_subject(w: _Words, boundary: int, i: int, f: dict) -> list[int]:
    """The first noun run (other than amount nouns) of the figure's clause, else its sentence."""
    for start, stop in ((boundary, i), (0, boundary)):
        k = start
        while k < stop:
            run = _noun_run(w, k, f)
            if any(w.lower[t] not in f["amount_nouns"] for t in run):
                return run
            k = (run[-1] if run else k) + 1
    return []


def _is_name(token: str, k: int) -> bool:
    """Capitalised mid-sentence, or capitals inside the word ("China-Europe", "HKIC") anywhere."""
    return (k > 0 and token[:1].isupper()) or any(c.isupper() for c in token[1:])


def _fold(word: str) -> str:
    """Lower case, no possessive, singular: "Trains" -> "train", "cities" -> "city"."""
    word = re.sub(r"['’]s$", "", word.lower())
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


# Chinese --------------------------------------------------------------------------------------


def _zh_figures(sentence: str) -> list[Figure]:
    f = facts("zh")
    clauses = [c for c in _ZH_CLAUSE.split(sentence) if c.strip()]
    found = []
    for m in _ZH_FIGURE.finditer(sentence):
        before, after = sentence[: m.start()], sentence[m.end() :]
        if _zh_skipped(m, before, after, f):
            continue
        value = float(m.group(2).replace(",", "")) * f["scales"].get(m.group(3) or "", 1)
        kind, unit = _zh_kind(m, after, f)
        run = _zh_run(after[len(unit) :])
        counted = [t for t in _zh_terms(run, f) if t not in f["amount_nouns"]][: f["counted_words"]]
        hedge = next((h for h in sorted(f["hedges"], key=len, reverse=True) if before.endswith(h)), "")
        subject = _zh_subject(before, clauses, f)
        head = counted[-1] if counted else None
        found.append(Figure(
            text=f"{hedge}{m.group().strip()}{unit}", value=value, kind=kind, head=head,
            modifiers=frozenset(counted[:-1]), subject=frozenset(subject) - {head}, lang="zh",
            spelling=tuple((t, t) for t in dict.fromkeys([*subject, *counted])),
            phrase=run[: len("".join(counted))] if counted and normalise(run).startswith("".join(counted)) else "",
            unit=unit,
        ))
    return found


def _zh_skipped(m: re.Match, before: str, after: str, f: dict) -> bool:
    number = m.group(2)
    glued = bool(re.match(r"[A-Za-z]", after[:1])) or bool(re.search(r"[A-Za-z.]$", before))
    ordinal = any(before.endswith(p) for p in f["ordinal_prefixes"])
    year = number.isdigit() and int(number) in _YEAR and not m.group(3) and not m.group(4)
    date = not m.group(4) and any(after.startswith(d) for d in f["date_words"] - {"年"})
    starts_change = any(before.rstrip().endswith(w) for w in f["change_starts"])
    return glued or ordinal or year or date or starts_change


def _zh_kind(m: re.Match, after: str, f: dict) -> tuple[str, str]:
    if m.group(1) or m.group(4):
        return "percent", ""
    for words, label in ((f["currency_words"], "money"), (f["measure_words"], "count")):
        unit = next((w for w in sorted(words, key=len, reverse=True) if after.startswith(w)), "")
        if unit:
            return f"{label}:{normalise(unit)}", unit
    return "count", ""


def _zh_run(text: str) -> str:
    """The Chinese characters right after a figure, up to the next mark or Latin letter."""
    end = 0
    while end < len(text) and CJK.match(text[end]):
        end += 1
    return text[:end]


def _zh_subject(before: str, clauses: list[str], f: dict) -> list[str]:
    """The words of the figure's clause, with the sentence's first clause when it has too few."""
    own = [t for t in _zh_terms(_ZH_CLAUSE.split(before)[-1], f) if t not in f["amount_nouns"]]
    if len(own) >= f["min_shared"] or not clauses:
        return own
    return _zh_terms(clauses[0], f) + own


def _zh_terms(text: str, f: dict) -> list[str]:
    stop = {normalise(w) for w in f["stopwords"] | frozenset(f["hedges"])}
    kept = (t for t in tokenize(text) if t not in stop and not t[0].isdigit() and len(t) >= f["min_term_chars"])
    return list(dict.fromkeys(kept))
