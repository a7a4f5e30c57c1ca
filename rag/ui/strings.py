"""The page's own words in English, Traditional and Simplified Chinese (data/strings.json).

Each answer is labelled in the script its question was asked in; the page's chrome follows
the latest question.

>>> say(Script.HANT, "show_source", n=2)
'顯示來源 2'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

from rag.lang.text import script
from rag.types import Script
from rag.ui.resources import read_json

STRINGS_FILE = "data/strings.json"


def all_strings() -> dict[str, dict[str, str]]:
    """Every script's strings, keyed by `Script` value: what the page's scripts receive."""
    return read_json(STRINGS_FILE)


def strings_for(which: Script | str) -> Mapping[str, str]:
    return all_strings()[Script(which).value]


def say(which: Script | str, key: str, **values: object) -> str:
    """The string `key` in script `which`, with `{name}` placeholders filled from `values`."""
    text = strings_for(which)[key]
    return text.format(**values) if values else text


def say_html(which: Script | str, key: str, **html: str) -> str:
    """Like `say`, but the template's own words are escaped and `html` is put in as it is.

    >>> say_html(Script.LATIN, "disagree", thing="<b>X</b>", figures="1 & 2")
    'The sources disagree on <b>X</b>: 1 & 2.'
    """
    parts = re.split(r"\{(\w+)\}", strings_for(which)[key])
    return "".join(escape(part) if k % 2 == 0 else html[part] for k, part in enumerate(parts))


def script_of(question: str) -> Script:
    """The script a question is written in; an empty one counts as English."""
    return script(question) if question.strip() else Script.LATIN
