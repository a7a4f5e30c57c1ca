#!/usr/bin/env python3
"""Check the generalisation question sets in eval/sets/ against their corpora.

    python eval/check_sets.py                 # check every set, exit 1 on any problem
    python eval/check_sets.py debian-faq      # check one set
    python eval/check_sets.py --stats         # also print counts per set
    python eval/check_sets.py --assign-new S  # draw dev/test for items of set S that have no split yet

Standard library only, plus OpenCC (a dependency of the project) for the script checks. It does not
import `rag`: the paragraphs here are this checker's own reading of the files, independent of the
product's ingest, which is why gold evidence for the new corpora is a verbatim quote and not a number.

Paragraphs, for the fact check:
- HTML: the text between two block-level tags (p, li, dt, dd, pre, td, h1-h6, div, ...), tags
  stripped, script/style/head dropped, entities decoded, whitespace collapsed.
- seeds (.txt): one non-blank line, as in eval/README.md (legacy `paragraph` N is the N-th of them).
- other .txt: blank-line separated blocks, whitespace collapsed (hard-wrapped lines joined).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SETS_DIR = REPO / "eval" / "sets"
SPLIT_SEED = 20261201
BALANCE = 0.10  # |dev - test| may be at most this share of the items (overall and per stratum)
MIN_QUOTE = 25

KINDS = {
    "fact",
    "number",
    "list",
    "meta",
    "paraphrase",
    "crosslingual",
    "multi",
    "followup",
    "conflict",
    "unanswerable",
    "command",
    "howto",
    "false_premise",
}
UNANSWERABLE_KINDS = {"unanswerable", "false_premise"}
LANGS = {"en", "hans", "hant"}
REQUIRED = ("id", "question", "lang", "kind", "answerable", "gold", "facts", "split")
OPTIONAL = ("history", "note")


@dataclass(frozen=True)
class SetSpec:
    """Where a set's corpus lives and how its plain-text files split into paragraphs."""

    name: str
    corpus: Path
    txt_paragraphs: str  # "line" (one non-blank line) or "blank" (blank-line separated)
    min_items: int
    legacy: Path | None = None  # items copied unchanged from here; they may use {"source","paragraph"}
    min_fresh: int = 0


SETS = {
    "seeds": SetSpec("seeds", REPO / "seeds", "line", 233, REPO / "eval" / "questions.jsonl", 40),
    "debian-faq": SetSpec("debian-faq", REPO / "eval" / "corpora" / "debian-faq", "blank", 80),
    "git-manual": SetSpec("git-manual", REPO / "eval" / "corpora" / "git-manual", "blank", 80),
}

# ---------------------------------------------------------------------------------------------------
# Reading the corpora


BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
}
HIDDEN_TAGS = {"script", "style", "head"}


def collapse(text: str) -> str:
    """Whitespace runs (any Unicode space, newlines, NBSP) become one space; ends stripped."""
    return " ".join(text.split())


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._cur: list[str] = []
        self._hidden = 0

    def flush(self) -> None:
        text = collapse("".join(self._cur))
        if text:
            self.blocks.append(text)
        self._cur = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in HIDDEN_TAGS:
            self._hidden += 1
        if tag in BLOCK_TAGS:
            self.flush()

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in BLOCK_TAGS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        if tag in BLOCK_TAGS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._cur.append(data)


def html_paragraphs(raw: str) -> list[str]:
    parser = _Blocks()
    parser.feed(raw)
    parser.close()
    parser.flush()
    return parser.blocks


def is_fence(line: str) -> bool:
    """An AsciiDoc listing/literal delimiter line such as ------ or ......"""
    t = line.strip()
    return len(t) >= 4 and len(set(t)) == 1 and t[0] in "-.=+*_"


def text_blocks(raw: str, rule: str) -> list[list[str]]:
    if rule == "line":
        return [[line] for line in raw.splitlines() if line.strip()]
    out, cur = [], []
    for line in raw.splitlines():
        if line.strip():
            cur.append(line)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def text_paragraphs(raw: str, rule: str) -> list[str]:
    return [collapse(" ".join(block)) for block in text_blocks(raw, rule)]


def is_html(path: Path) -> bool:
    return path.suffix.lower() in (".html", ".htm", ".xhtml")


@cache
def paragraphs(path: Path, rule: str) -> tuple[str, ...]:
    """The file's paragraphs, whitespace-collapsed, in order."""
    raw = path.read_text(encoding="utf-8")
    if is_html(path):
        return tuple(html_paragraphs(raw))
    return tuple(text_paragraphs(raw, rule))


@cache
def paragraph_cores(path: Path, rule: str) -> tuple[str, ...]:
    """Parallel to paragraphs(): a text paragraph without its AsciiDoc fence lines (a code listing's
    content). A quote shorter than MIN_QUOTE may be a whole paragraph or a whole core."""
    if is_html(path):
        return paragraphs(path, rule)
    raw = path.read_text(encoding="utf-8")
    return tuple(collapse(" ".join(ln for ln in block if not is_fence(ln))) for block in text_blocks(raw, rule))


@cache
def visible_text(path: Path, rule: str) -> str:
    return " ".join(paragraphs(path, rule))


# ---------------------------------------------------------------------------------------------------
# Text normalisation


@cache
def _t2s():  # noqa: ANN202 - opencc has no type hints
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def norm(text: str) -> str:
    """Fact matching form: NFKC, OpenCC t2s, lowercased, whitespace collapsed."""
    return collapse(to_simplified(unicodedata.normalize("NFKC", text)).lower())


def has_traditional(text: str) -> bool:
    return to_simplified(text) != text


def has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)


# ---------------------------------------------------------------------------------------------------
# Loading and checking


def load_jsonl(path: Path) -> tuple[list[dict], list[str]]:
    items, errors = [], []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            errors.append(f"{path.name}:{n}: blank line")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{path.name}:{n}: invalid JSON: {exc}")
            continue
        if not isinstance(obj, dict):
            errors.append(f"{path.name}:{n}: not a JSON object")
            continue
        items.append(obj)
    return items, errors


def _quote_hits(spec: SetSpec, path: Path, source: str, quote: object) -> tuple[list[str], list[str]]:
    if not isinstance(quote, str):
        return [], [f"quote in {source} is not a string"]
    rule = spec.txt_paragraphs
    q = collapse(quote)
    if q not in visible_text(path, rule):
        return [], [f"quote not found verbatim in {source}: {quote[:70]!r}"]
    paras = paragraphs(path, rule)
    hits = [p for p in paras if q in p]
    if not hits:
        return [], [f"quote spans two paragraphs of {source}: {quote[:70]!r}"]
    whole = any(q in (p, c) for p, c in zip(paras, paragraph_cores(path, rule), strict=True))
    if len(q) < MIN_QUOTE and not whole:
        return hits, [f"quote shorter than {MIN_QUOTE} characters and not a whole paragraph: {quote!r}"]
    return hits, []


def _numbered_paragraph(spec: SetSpec, path: Path, source: str, n: object) -> tuple[list[str], list[str]]:
    if spec.legacy is None:
        return [], ["paragraph-number gold is only allowed in the seeds set"]
    paras = paragraphs(path, spec.txt_paragraphs)
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= len(paras):
        return [], [f"paragraph {n!r} out of range 1..{len(paras)} in {source}"]
    return [paras[n - 1]], []


def gold_paragraphs(spec: SetSpec, gold: dict) -> tuple[list[str], list[str]]:
    """The paragraphs a gold entry points at, and any errors in the entry."""
    source = gold.get("source")
    if not isinstance(source, str) or not source or Path(source).is_absolute() or ".." in Path(source).parts:
        return [], [f"bad source {source!r}"]
    path = spec.corpus / source
    if not path.is_file():
        return [], [f"source {source!r} is not a file of {spec.corpus.relative_to(REPO)}"]
    if "quote" in gold:
        return _quote_hits(spec, path, source, gold["quote"])
    if "paragraph" in gold:
        return _numbered_paragraph(spec, path, source, gold["paragraph"])
    return [], [f"gold entry has neither quote nor paragraph: {gold!r}"]


def check_fields(item: dict) -> list[str]:
    """Required and known fields, and the values of the scalar ones."""
    errs = [f"missing field {key!r}" for key in REQUIRED if key not in item]
    extra = set(item) - set(REQUIRED) - set(OPTIONAL)
    if extra:
        errs.append(f"unknown fields {sorted(extra)}")
    if errs:
        return errs
    if not isinstance(item["id"], str) or not item["id"]:
        errs.append("id must be a non-empty string")
    if not isinstance(item["question"], str) or len(item["question"].strip()) < 3:
        errs.append("question must be a non-empty string")
    if item["lang"] not in LANGS:
        errs.append(f"lang {item['lang']!r} not in {sorted(LANGS)}")
    if item["kind"] not in KINDS:
        errs.append(f"kind {item['kind']!r} not in {sorted(KINDS)}")
    if item["split"] not in ("dev", "test"):
        errs.append(f"split {item['split']!r} must be dev or test")
    if not isinstance(item["answerable"], bool):
        errs.append("answerable must be true or false")
    elif item["answerable"] == (item["kind"] in UNANSWERABLE_KINDS):
        errs.append(f"answerable={item['answerable']} does not fit kind {item['kind']!r}")
    return errs


def _is_history(history: object) -> bool:
    return (
        isinstance(history, list)
        and bool(history)
        and all(isinstance(t, list) and len(t) == 2 and all(isinstance(s, str) and s for s in t) for t in history)
    )


def check_shapes(item: dict) -> list[str]:
    """gold, facts and history have the right structure."""
    errs = []
    if not isinstance(item["gold"], list) or not all(isinstance(g, dict) for g in item["gold"]):
        errs.append("gold must be a list of objects")
    facts = item["facts"]
    if not isinstance(facts, list) or not all(
        isinstance(f, list) and f and all(isinstance(v, str) and v.strip() for v in f) for f in facts
    ):
        errs.append("facts must be a list of non-empty lists of non-empty strings")
    if "history" in item and not _is_history(item["history"]):
        errs.append("history must be a non-empty list of [question, answer] pairs")
    if item["kind"] == "followup" and "history" not in item:
        errs.append("a followup needs history")
    return errs


def check_evidence(spec: SetSpec, item: dict) -> list[str]:
    """Gold quotes are verbatim in their sources and every fact is in a gold paragraph."""
    gold, facts = item["gold"], item["facts"]
    if item["answerable"] is False:
        return ["an unanswerable item has empty gold and facts"] if gold or facts else []
    errs = []
    if not gold:
        errs.append("an answerable item needs gold")
    if not 1 <= len(facts) <= 3:
        errs.append(f"an answerable item needs 1-3 facts, has {len(facts)}")
    texts: list[str] = []
    for g in gold:
        paras, gerrs = gold_paragraphs(spec, g)
        errs += gerrs
        texts += paras
    if texts:
        normed = [norm(t) for t in texts]
        for fact in facts:
            if not any(norm(v) in t for v in fact for t in normed):
                errs.append(f"no variant of fact {fact[:3]} in the paragraphs of its gold")
    return errs


def check_item(spec: SetSpec, item: dict) -> list[str]:
    """Every problem with one item, as messages (empty when the item is fine)."""
    errs = check_fields(item)
    if errs:
        return errs
    errs = check_shapes(item)
    if errs:
        return errs
    return check_script(item) + check_evidence(spec, item)


def _traditional_in(text: str) -> str:
    return "".join(sorted({c for c in text if to_simplified(c) != c}))


def check_script(item: dict) -> list[str]:
    """hans text is Simplified; hant questions are written in Traditional; en questions have no Han."""
    lang, question = item.get("lang"), item.get("question", "")
    if lang == "hans":
        texts = [question] + [s for turn in item.get("history") or [] for s in turn]
        texts += [v for fact in item.get("facts") or [] for v in fact]
        return [
            f"hans text has Traditional characters {_traditional_in(t)!r}: {t[:50]!r}"
            for t in texts
            if has_traditional(t)
        ]
    if lang == "hant" and not has_traditional(question):
        return [f"hant question has no Traditional-only character: {question[:50]!r}"]
    if lang == "en" and has_han(question):
        return ["en question contains Chinese characters"]
    return []


def check_split(items: list[dict]) -> list[str]:
    """Both halves exist and are balanced within BALANCE overall and per answerable stratum."""
    errs = []
    groups = {"all": items}
    for flag in (True, False):
        groups[f"answerable={str(flag).lower()}"] = [i for i in items if i.get("answerable") is flag]
    for name, group in groups.items():
        c = Counter(i.get("split") for i in group)
        dev, test = c.get("dev", 0), c.get("test", 0)
        if name == "all" and (dev == 0 or test == 0):
            errs.append(f"split: dev={dev} test={test}, both halves must exist")
        if group and abs(dev - test) > max(1, BALANCE * len(group)):
            errs.append(f"split {name}: dev={dev} test={test} differ by more than {BALANCE:.0%}")
    return errs


def check_legacy(spec: SetSpec, items: list[dict]) -> list[str]:
    """The legacy items are present and unchanged apart from the added split."""
    if spec.legacy is None:
        return []
    legacy, errs = load_jsonl(spec.legacy)
    by_id = {i.get("id"): i for i in items}
    for old in legacy:
        new = by_id.get(old.get("id"))
        if new is None:
            errs.append(f"legacy item {old.get('id')} missing")
        elif {k: v for k, v in new.items() if k != "split"} != old:
            errs.append(f"legacy item {old.get('id')} changed")
    fresh = len(items) - len(legacy)
    if fresh < spec.min_fresh:
        errs.append(f"{fresh} fresh items, at least {spec.min_fresh} required")
    return errs


def check_set(name: str, path: Path | None = None) -> list[str]:
    """Every problem in one set, each message prefixed with the set and the item id."""
    spec = SETS[name]
    path = path or SETS_DIR / f"{name}.jsonl"
    if not path.is_file():
        return [f"{name}: {path} missing"]
    items, errors = load_jsonl(path)
    errors = [f"{name}: {e}" for e in errors]
    ids = Counter(i.get("id") for i in items)
    errors += [f"{name}: duplicate id {k!r}" for k, n in ids.items() if n > 1]
    for item in items:
        errors += [f"{name}/{item.get('id')}: {e}" for e in check_item(spec, item)]
    errors += [f"{name}: {e}" for e in check_split(items)]
    errors += [f"{name}: {e}" for e in check_legacy(spec, items)]
    if len(items) < spec.min_items:
        errors.append(f"{name}: {len(items)} items, at least {spec.min_items} required")
    return errors


# ---------------------------------------------------------------------------------------------------
# The split


def draw_split(items: list[dict], seed: int = SPLIT_SEED) -> dict[str, str]:
    """id -> "dev"/"test": one random.Random(seed) over the items sorted by id, stratified by answerable.

    The answerable stratum is drawn first, then the unanswerable one, each sorted by id, shuffled with
    the same generator, its first half (rounded down) dev and the rest test.
    """
    rng = random.Random(seed)
    out = {}
    ordered = sorted(items, key=lambda i: i["id"])
    for flag in (True, False):
        ids = [i["id"] for i in ordered if i["answerable"] is flag]
        rng.shuffle(ids)
        half = len(ids) // 2
        out.update({i: "dev" for i in ids[:half]})
        out.update({i: "test" for i in ids[half:]})
    return out


def assign_new(name: str) -> int:
    """Give a split to the items of a set that have none; existing splits are never re-drawn."""
    path = SETS_DIR / f"{name}.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines]
    new = [i for i in items if "split" not in i]
    drawn = draw_split(new)
    for i in new:
        i["split"] = drawn[i["id"]]
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return len(new)


def stats(name: str) -> str:
    items, _ = load_jsonl(SETS_DIR / f"{name}.jsonl")
    c = Counter((i.get("answerable"), i.get("split")) for i in items)
    kinds = Counter(i.get("kind") for i in items)
    langs = Counter(i.get("lang") for i in items)
    ans = sum(1 for i in items if i.get("answerable"))
    return (
        f"{name}: {len(items)} items, {ans} answerable / {len(items) - ans} unanswerable; "
        f"dev {c[(True, 'dev')]}+{c[(False, 'dev')]}, test {c[(True, 'test')]}+{c[(False, 'test')]}; "
        f"langs {dict(langs)}; kinds {dict(sorted(kinds.items()))}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sets", nargs="*", help=f"sets to check, of {', '.join(SETS)} (default: all)")
    ap.add_argument("--stats", action="store_true", help="print counts per set")
    ap.add_argument("--assign-new", metavar="SET", choices=list(SETS), help="draw splits for items without one")
    args = ap.parse_args(argv)
    if args.assign_new:
        print(f"assigned a split to {assign_new(args.assign_new)} items of {args.assign_new}")
        return 0
    names = args.sets or list(SETS)
    unknown = [n for n in names if n not in SETS]
    if unknown:
        ap.error(f"unknown set(s) {unknown}; known: {list(SETS)}")
    errors = []
    for name in names:
        errors += check_set(name)
        if args.stats:
            print(stats(name))
    for e in errors:
        print(e)
    print(f"{len(errors)} problems in {', '.join(names)}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
