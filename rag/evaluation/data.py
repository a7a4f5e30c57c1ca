"""Loads and validates the eval question sets, the corpora they are written against, and the
judge pairs (JSON Lines).

Every problem names the file, the line and the field, says what was expected and what was
found, so a broken set fails in one clear line instead of deep inside a metric.

For colleagues who fit models on the dev halves::

    from rag.config import REPO_ROOT, RagConfig
    from rag.evaluation.data import corpus_config, load_corpus_sets, resolve_gold
    from rag.qa import get_pipeline

    for corpus in load_corpus_sets(REPO_ROOT).values():
        config = corpus_config(RagConfig.from_env(), corpus)  # RAG_HOME/eval/<name>/, docs=(folder,)
        by_key = get_pipeline(config).retriever.by_key  # builds the index when it is missing
        dev = [i for i in resolve_gold(corpus.items, by_key) if i.split == "dev"]
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rag.config import RagConfig
from rag.errors import EvalDataError
from rag.evaluation.jsonl import get_choice, get_field, read_records
from rag.evaluation.quotes import find_quote
from rag.types import Paragraph

LANGS = ("en", "hant", "hans")
KINDS = (
    "fact", "number", "list", "meta", "paraphrase", "crosslingual", "multi", "followup",
    "conflict", "unanswerable", "command", "howto", "false_premise",
)
PAIR_KINDS = (
    "positive", "paraphrase", "hard_negative_number", "hard_negative_entity", "hard_negative_polarity",
    "hard_negative_attribution", "unrelated",
)
SPLITS = ("dev", "test")
UNSPLIT = "all"  # an item of a set that was never split (eval/questions.jsonl)
CORPORA_FILE = Path("eval") / "sets" / "corpora.json"
# sets written before eval/sets/: used while eval/sets/<name>.jsonl does not exist
LEGACY_SETS = {"seeds": Path("eval") / "questions.jsonl"}
LEGACY_PAIRS = {"seeds": Path("eval") / "judge_pairs.jsonl"}


@dataclass(frozen=True)
class GoldRef:
    """A gold paragraph by number, or by a verbatim quote that `resolve_gold` turns into numbers."""

    source: str
    paragraph: int | None = None
    quote: str | None = None


@dataclass(frozen=True)
class EvalItem:
    """One question with its gold paragraphs and required facts (see eval/README.md)."""

    id: str
    question: str
    lang: str
    kind: str
    answerable: bool
    gold: tuple[GoldRef, ...] = ()
    facts: tuple[tuple[str, ...], ...] = ()
    history: tuple[tuple[str, str], ...] = ()
    split: str = UNSPLIT
    note: str = ""


@dataclass(frozen=True)
class CorpusSet:
    """A corpus (a folder of documents) and the question set written against it.

    `items` carry their `split` ("dev", "test", or "all" for an unsplit legacy set) and still
    hold quote gold; pass them through `resolve_gold` once the corpus is indexed.
    """

    name: str
    folder: Path
    items: tuple[EvalItem, ...]
    path: Path  # the question set's file
    pairs: Path | None = None  # judge pairs written against this corpus, if any

    def require_folder(self) -> Path:
        """The corpus folder. Raises EvalDataError when it does not exist."""
        if not self.folder.is_dir():
            raise EvalDataError(
                f"corpus {self.name}: folder {self.folder} does not exist; add the documents there "
                f"or fix its entry in {CORPORA_FILE}."
            )
        return self.folder


@dataclass(frozen=True)
class JudgePair:
    """A (sentence, paragraph) pair labelled supported or not, to measure the judge."""

    id: str
    sentence: str
    source: str
    paragraph: int
    supported: bool
    kind: str
    lang: str = field(default="en")


def load_questions(path: Path) -> list[EvalItem]:
    """The question set at `path`, validated. Raises EvalDataError."""
    return read_records(path, _item)


def load_judge_pairs(path: Path) -> list[JudgePair]:
    """The judge pairs at `path`, validated. Raises EvalDataError."""
    return read_records(path, _pair)


def load_corpus_sets(repo_root: Path) -> dict[str, CorpusSet]:
    """Every corpus named in eval/sets/corpora.json with its question set, in file order.

    The set is eval/sets/<name>.jsonl (for `seeds`, eval/questions.jsonl while that file is
    missing). A corpus whose folder is missing is still returned: check `require_folder()`.

    Raises:
        EvalDataError: corpora.json or a question set is missing or malformed.

    >>> sets = load_corpus_sets(REPO_ROOT)  # doctest: +SKIP
    >>> [i.id for i in sets["git-manual"].items if i.split == "dev"][:1]  # doctest: +SKIP
    ['git-en-001']
    """
    table = repo_root / CORPORA_FILE
    try:
        raw = json.loads(table.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvalDataError(f"no {table}; expected a JSON object mapping corpus name -> folder.") from None
    except json.JSONDecodeError as exc:
        raise EvalDataError(f"{table}: invalid JSON ({exc.msg}); expected {{name: folder}}.") from None
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise EvalDataError(f"{table}: expected a JSON object mapping corpus name -> folder, got {raw!r}.")
    return {name: _corpus_set(repo_root, name, folder) for name, folder in raw.items()}


def _corpus_set(repo_root: Path, name: str, folder: str) -> CorpusSet:
    path = repo_root / CORPORA_FILE.parent / f"{name}.jsonl"
    if not path.exists() and name in LEGACY_SETS:
        path = repo_root / LEGACY_SETS[name]
    pairs = repo_root / LEGACY_PAIRS[name] if name in LEGACY_PAIRS else None
    return CorpusSet(name, repo_root / folder, tuple(load_questions(path)), path,
                     pairs if pairs is not None and pairs.exists() else None)


def corpus_config(config: RagConfig, corpus: CorpusSet) -> RagConfig:
    """`config` pointed at the corpus's own index: home RAG_HOME/eval/<name>/, docs (folder,).

    Always the embedded store: on a Chroma server the corpora would share collections.
    """
    return dataclasses.replace(
        config, home=config.home / "eval" / corpus.name, docs=(corpus.folder,), chroma_url=None
    )


def resolve_gold(items: Sequence[EvalItem], by_key: Mapping[tuple[str, int], Paragraph]) -> list[EvalItem]:
    """The items with every quote turned into the indexed paragraphs that hold it.

    A quote resolves to every paragraph of its source whose text contains it (after NFKC and
    collapsing whitespace), else to the shortest runs of consecutive paragraphs whose joined
    text does. Paragraph refs are kept as they are, and checked.

    Raises:
        EvalDataError: a quote is found nowhere in its source, or a paragraph ref is not indexed;
            the message names the item, the file and the quote.
    """
    by_source: dict[str, list[Paragraph]] = {}
    for (source, _), p in sorted(by_key.items(), key=lambda kv: kv[0]):
        by_source.setdefault(source, []).append(p)
    resolved, problems = [], []
    for item in items:
        try:
            resolved.append(dataclasses.replace(item, gold=_resolved(item, by_source, by_key)))
        except EvalDataError as exc:
            problems.append((item.id, str(exc)))
    if problems:
        more = f" ({len(problems) - 1} more: {', '.join(i for i, _ in problems[1:])})" if len(problems) > 1 else ""
        raise EvalDataError(problems[0][1] + more)
    return resolved


def _resolved(
    item: EvalItem, by_source: Mapping[str, list[Paragraph]], by_key: Mapping[tuple[str, int], Paragraph]
) -> tuple[GoldRef, ...]:
    refs: dict[GoldRef, None] = {}
    for gold in item.gold:
        if gold.quote is None:
            if (gold.source, gold.paragraph) not in by_key:
                raise EvalDataError(
                    f"item {item.id}: paragraph {gold.paragraph} of {gold.source} is not an indexed "
                    "paragraph of the corpus; fix the reference or re-index."
                )
            refs[gold] = None
            continue
        numbers = find_quote(gold.quote, by_source.get(gold.source, []))
        if not numbers:
            known = "" if gold.source in by_source else f" ({gold.source} is not among the indexed files)"
            raise EvalDataError(
                f"item {item.id}: quote {gold.quote!r} is not in any indexed paragraph of "
                f"{gold.source}, nor in consecutive ones{known}; fix the quote or the reader."
            )
        refs.update((GoldRef(gold.source, n), None) for n in numbers)
    return tuple(refs)


def check_references(
    path: Path, items: list[EvalItem] | list[JudgePair], known: Collection[tuple[str, int]]
) -> None:
    """Every gold or judge paragraph must be an indexed paragraph of the corpus."""
    for item in items:
        refs = (
            [(g.source, g.paragraph) for g in item.gold if g.quote is None]
            if isinstance(item, EvalItem)
            else [(item.source, item.paragraph)]
        )
        for ref in refs:
            if ref not in known:
                raise EvalDataError(
                    f"{path}: item {item.id}: paragraph {ref[1]} of {ref[0]} is not an indexed "
                    "paragraph of the corpus; fix the reference or re-index (`rag index --rebuild`)."
                )


def _item(raw: dict, where: str) -> EvalItem:
    item = EvalItem(
        id=get_field(raw, "id", str, where),
        question=get_field(raw, "question", str, where),
        lang=get_choice(raw, "lang", LANGS, where),
        kind=get_choice(raw, "kind", KINDS, where),
        answerable=get_field(raw, "answerable", bool, where),
        gold=tuple(_gold(g, where) for g in get_field(raw, "gold", list, where, [])),
        facts=tuple(_fact(f, where) for f in get_field(raw, "facts", list, where, [])),
        history=tuple(_turn(t, where) for t in get_field(raw, "history", list, where, [])),
        split=get_choice(raw, "split", SPLITS, where) if "split" in raw else UNSPLIT,
        note=get_field(raw, "note", str, where, ""),
    )
    if item.answerable and not item.gold and item.kind != "false_premise":
        raise EvalDataError(f"{where}: answerable item {item.id} has no gold paragraphs; add them.")
    if not item.question.strip():
        raise EvalDataError(f"{where}: item {item.id} has an empty question.")
    return item


def _pair(raw: dict, where: str) -> JudgePair:
    return JudgePair(
        id=get_field(raw, "id", str, where),
        sentence=get_field(raw, "sentence", str, where),
        source=get_field(raw, "source", str, where),
        paragraph=get_field(raw, "paragraph", int, where),
        supported=get_field(raw, "supported", bool, where),
        kind=get_choice(raw, "kind", PAIR_KINDS, where),
        lang=get_choice(raw, "lang", LANGS, where),
    )


def _gold(raw: object, where: str) -> GoldRef:
    if not isinstance(raw, dict) or ("paragraph" in raw) == ("quote" in raw):
        raise EvalDataError(
            f"{where}: gold: expected {{source, paragraph}} or {{source, quote}} objects, got {raw!r}."
        )
    source = get_field(raw, "source", str, where)
    if "quote" in raw:
        quote = get_field(raw, "quote", str, where)
        if not quote.strip():
            raise EvalDataError(f"{where}: gold: the quote for {source} is empty; quote the paragraph.")
        return GoldRef(source, quote=quote)
    return GoldRef(source, get_field(raw, "paragraph", int, where))


def _fact(raw: object, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(v, str) and v for v in raw):
        raise EvalDataError(f"{where}: facts: expected lists of non-empty variant strings, got {raw!r}.")
    return tuple(raw)


def _turn(raw: object, where: str) -> tuple[str, str]:
    if not isinstance(raw, list) or len(raw) != 2 or not all(isinstance(v, str) for v in raw):
        raise EvalDataError(f"{where}: history: expected [question, answer] pairs, got {raw!r}.")
    return raw[0], raw[1]
