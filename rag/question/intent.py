"""What kind of paragraph a question asks for (a title, a byline) so retrieval can favour it. Pure.

Contextual headers copy a document's title and byline into every paragraph, which makes the
title or byline paragraph itself no more similar to "who wrote it?" than any other; a small
bonus for the paragraph whose role the question names restores the order.
"""

from __future__ import annotations

import re

_ROLE_CUES = {
    "byline": re.compile(
        r"\b(who (wrote|authored|is the author)|written by|authors?|writer|byline|"
        r"(which|what) (newspaper|paper|publication|outlet|website)|published|publication date|"
        r"what date|when was (it|the \w+) (published|posted|written)|dated?)\b"
        r"|作者|撰寫|撰写|寫的|写的|刊登|刊載|刊载|發表|发表|哪份報|哪份报|報章|报章|日期|哪一天",
        re.I,
    ),
    "title": re.compile(r"\b(title|headline|called|named)\b|標題|标题|題目|题目|題為|题为", re.I),
}


def wanted_roles(question: str) -> frozenset[str]:
    return frozenset(role for role, cue in _ROLE_CUES.items() if cue.search(question))
