import pytest

from rag.ingest.readers import BlockKind, UnreadableDocument, read_document

ARTICLE_PAGE = """<!DOCTYPE html>
<html><head><title>Backups - Example Docs</title><script>var tracking = 1;</script></head>
<body>
<header class="site-header"><a href="/">Example Docs</a>
  <nav><ul><li><a href="/a">Products</a></li><li><a href="/b">Pricing</a></li><li><a href="/c">Blog</a></li></ul></nav>
</header>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience. <button>Accept</button></div>
<div class="breadcrumbs"><a href="/">Home</a> / <a href="/docs">Docs</a> / Backups</div>
<main>
  <article>
    <h1>Backing up your server</h1>
    <p>Regular backups protect you
       against disk failure.</p>
    <h2>Tools</h2>
    <p>You need the following tools:</p>
    <ul>
      <li>rsync, for copying files
        <ul><li>with <code>--archive</code></li></ul>
      </li>
      <li><p>tar, for archives</p></li>
    </ul>
    <pre><code>rsync -a /srv/ backup:/srv/
tar czf srv.tgz /srv
</code></pre>
    <h2>Retention</h2>
    <table>
      <tr><th>Kind</th><th>Kept for</th></tr>
      <tr><td>Daily</td><td>7 days</td></tr>
      <tr><td>Weekly</td><td>4 weeks</td></tr>
    </table>
    <blockquote><p>Test your restores.</p></blockquote>
    <ol start="3"><li>Third step</li><li>Fourth step</li></ol>
  </article>
  <aside class="sidebar"><h3>Related articles</h3><p>How to monitor disks</p></aside>
</main>
<footer><p>© 2024 Example Corp. All rights reserved.</p></footer>
</body></html>
"""

BOILERPLATE = [
    "Example Docs",
    "Products",
    "Pricing",
    "cookies",
    "Accept",
    "Home",
    "Related",
    "monitor",
    "©",
    "tracking",
]


def test_read_html__only_the_main_content_becomes_blocks() -> None:
    result = read_document("backups.html", ARTICLE_PAGE.encode())
    assert result.format == "html"
    text = "\n".join(b.text for b in result.blocks)
    for word in BOILERPLATE:
        assert word not in text, word
    assert result.blocks[0].kind == BlockKind.HEADING and result.blocks[0].text == "Backing up your server"


def test_read_html__structure_is_kept() -> None:
    blocks = read_document("backups.html", ARTICLE_PAGE.encode()).blocks
    kinds = [(b.kind, b.text) for b in blocks]
    assert (BlockKind.PARAGRAPH, "Regular backups protect you against disk failure.") in kinds
    items = [b.text for b in blocks if b.kind == BlockKind.LIST_ITEM]
    assert items == [
        "rsync, for copying files",
        "with --archive",
        "tar, for archives",
        "3. Third step",
        "4. Fourth step",
    ]
    code = [b for b in blocks if b.kind == BlockKind.CODE]
    assert [b.text for b in code] == ["rsync -a /srv/ backup:/srv/\ntar czf srv.tgz /srv"]
    rows = [b.text for b in blocks if b.kind == BlockKind.TABLE_ROW]
    assert rows == ["Kind: Daily | Kept for: 7 days", "Kind: Weekly | Kept for: 4 weeks"]
    assert any(b.kind == BlockKind.QUOTE and b.text == "Test your restores." for b in blocks)


def test_read_html__location_is_the_nearest_heading_and_lead_ins_link() -> None:
    blocks = read_document("backups.html", ARTICLE_PAGE.encode()).blocks
    code = next(b for b in blocks if b.kind == BlockKind.CODE)
    assert code.location == "Tools"
    assert code.section == ("Backing up your server", "Tools")
    assert blocks[code.lead_in].text == "You need the following tools:"
    row = next(b for b in blocks if b.kind == BlockKind.TABLE_ROW)
    assert row.location == "Retention"


def test_read_html__unmarked_link_menus_go_when_there_is_no_main_element() -> None:
    page = """<html><body>
    <div><a href="/1">Start</a> <a href="/2">News</a> <a href="/3">Sport</a> <a href="/4">Weather</a></div>
    <h1>Report</h1><p>The council approved the new budget on Monday after a long debate.</p>
    </body></html>"""
    blocks = read_document("report.htm", page.encode()).blocks
    assert [b.text for b in blocks] == ["Report", "The council approved the new budget on Monday after a long debate."]


def test_read_html__login_form_page_is_unreadable() -> None:
    page = """<html><body><h1>Sign in</h1>
    <form action="/login"><label>User name <input name="u"></label>
    <label>Password <input type="password" name="p"></label><button>Sign in</button></form>
    <p><a href="/forgot">Forgot your password?</a></p></body></html>"""
    with pytest.raises(UnreadableDocument, match=r"^login\.html has no readable text \(only a form\)$"):
        read_document("login.html", page.encode())


def test_read_html__declared_gbk_page_and_wrapped_chinese_source() -> None:
    page = """<html><head><meta charset="gbk"></head><body><main><h1>软件包</h1>
    <p>软件包是一个包含程序以及
    安装所需信息的档案文件。</p></main></body></html>"""
    result = read_document("zh.html", page.encode("gbk"))
    assert [b.text for b in result.blocks] == ["软件包", "软件包是一个包含程序以及安装所需信息的档案文件。"]
    assert result.warnings == ["zh.html: decoded as GBK (declared)"]


def test_read_html__xhtml_with_xml_declaration() -> None:
    page = """<?xml version="1.0" encoding="UTF-8"?>
    <html xmlns="http://www.w3.org/1999/xhtml"><body><div class="chapter">
    <h2>Intro</h2><p>Text.</p></div></body></html>"""
    blocks = read_document("c.xhtml", page.encode()).blocks
    assert [(b.kind, b.text) for b in blocks] == [(BlockKind.HEADING, "Intro"), (BlockKind.PARAGRAPH, "Text.")]


def test_read_html__boilerplate_marked_by_class_or_role_goes_without_a_main_element() -> None:
    page = """<html><body>
    <div class="navheader"><table><tr><td>Chapter 7. Basics</td><td>Chapter 9. Updates</td></tr></table></div>
    <div id="cookie-banner">We use cookies so that the site works as you expect it to.</div>
    <div class="breadcrumb">Docs / Manual / Chapter 8</div>
    <div role="navigation">Jump to the index of all chapters in this manual.</div>
    <div class="chapter"><h2>Chapter 8. Tools</h2><p>dpkg installs packages.</p></div>
    <div style="display: none">Hidden upsell text that no reader sees.</div>
    <div class="site-footer-links">Terms and conditions of use for this website.</div>
    </body></html>"""
    blocks = read_document("chapter8.html", page.encode()).blocks
    assert [b.text for b in blocks] == ["Chapter 8. Tools", "dpkg installs packages."]


def test_read_html__a_page_of_only_comments_has_no_readable_text() -> None:
    with pytest.raises(UnreadableDocument, match=r"^empty\.html has no readable text$"):
        read_document("empty.html", b"<!-- generated, nothing here -->")
