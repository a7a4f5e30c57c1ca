"""Finds a page's main content and prunes what is not: navigation, site headers and footers, cookie banners, forms.

Rules, in order: drop non-content tags (script, nav, aside, form, …), ARIA landmarks that are not content
(navigation, banner, contentinfo, search, complementary, dialog), hidden elements, and elements whose class or id
has a word such as nav, menu, footer, breadcrumb, cookie, consent, sidebar, toc, share, related or comments. Page
headers go only outside <article>/<main>, where an article keeps its own title. The content root is <main> (or
role="main"), else the page's only <article>, else <body>; without such a landmark, link-dense containers (menus
nobody marked up) go too.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

DROP_TAGS = (
    "script style noscript template svg canvas iframe object embed nav aside form button select textarea input"
    " label dialog menu footer"
).split()
DROP_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alertdialog"})
BOILERPLATE_WORDS = frozenset(
    "nav navbar navigation navheader navfooter menu menubar footer breadcrumb breadcrumbs cookie cookies consent gdpr"
    " sidebar toc share sharing social skip advert advertisement ads ad promo newsletter subscribe popup modal"
    " related comments masthead".split()
)
PAGE_HEADER_WORDS = frozenset({"header", "site-header", "page-header", "topbar"})
MIN_LINKS = 3
MAX_LINK_SHARE = 0.6
_WORD = re.compile(r"[a-z0-9]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")


def main_content(root: HtmlElement) -> HtmlElement:
    """The pruned content root of a parsed page (the tree is changed in place)."""
    for element in root.xpath("|".join(f"//{tag}" for tag in DROP_TAGS)):
        _drop(element)
    for element in list(root.iter(etree.Element)):
        if element.getparent() is not None and _is_boilerplate(element):
            _drop(element)
    landmark = _landmark(root)
    if landmark is not None:
        return landmark
    body = root.find("body")
    content = body if body is not None else root
    for element in list(content.iter("ul", "ol", "div", "table", "section", "p")):
        if element.getparent() is not None and _link_dense(element):
            _drop(element)
    return content


def has_form_only_content(root: HtmlElement) -> bool:
    """True when the unpruned page holds a login-style form (a password field) or forms hold most of its text."""
    if root.xpath("//form//input[@type='password']"):
        return True
    form_text = sum(_visible_chars(form) for form in root.iter("form"))
    return form_text > 0 and form_text >= _visible_chars(root) / 2


def _landmark(root: HtmlElement) -> HtmlElement | None:
    found = root.xpath("//main|//*[@role='main']")
    if found:
        return found[0]
    articles = root.xpath("//article")
    return articles[0] if len(articles) == 1 else None


def _is_boilerplate(element: HtmlElement) -> bool:
    if not isinstance(element.tag, str) or element.tag in ("html", "body", "main", "article"):
        return False
    if element.get("role", "").lower() in DROP_ROLES or element.get("hidden") is not None:
        return True
    if element.get("aria-hidden") == "true" or _HIDDEN_STYLE.search(element.get("style", "").lower()):
        return True
    names = f"{element.get('class', '')} {element.get('id', '')}".lower()
    words = set(_WORD.findall(names)) | set(names.split())
    if words & BOILERPLATE_WORDS or any(word.startswith("nav") for word in words):
        return True
    page_level = not any(a.tag in ("article", "main") for a in element.iterancestors())
    return page_level and (element.tag == "header" or bool(set(names.split()) & PAGE_HEADER_WORDS))


def _link_dense(element: HtmlElement) -> bool:
    links = element.findall(".//a")
    if len(links) < MIN_LINKS:
        return False
    text = _visible_chars(element)
    linked = sum(_visible_chars(link) for link in links)
    return text > 0 and linked / text > MAX_LINK_SHARE


def _visible_chars(element: HtmlElement) -> int:
    """Characters other than whitespace: a fair size for text in any script, spaced or not."""
    return sum(len("".join(piece.split())) for piece in element.itertext())


def _drop(element: HtmlElement) -> None:
    """Remove an element but keep the text that follows it (its tail), which belongs to the parent."""
    if element.getparent() is not None:
        element.drop_tree()
