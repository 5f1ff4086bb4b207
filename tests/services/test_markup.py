"""The guides' markup: escapes everything first, then adds only its own few tags."""
import re
import time

from bs4 import BeautifulSoup
from markupsafe import Markup

from portal.markup import render

ALLOWED_TAGS = {"p", "br", "h2", "ul", "ol", "li", "strong", "a"}


def tags(html: str) -> set[str]:
    return {t.name for t in BeautifulSoup(html, "html.parser").find_all(True)}


def attributes(html: str) -> set[str]:
    return {attr for t in BeautifulSoup(html, "html.parser").find_all(True) for attr in t.attrs}


def test_formats_paragraphs_headings_lists_bold_and_links():
    html = render("## Bao bì\n\nDòng một\ndòng hai\n\n- một\n- **hai**\n\n3. ba\n4. bốn\n\nXem https://vfa.gov.vn.")
    soup = BeautifulSoup(html, "html.parser")
    assert isinstance(html, Markup)
    assert soup.h2.get_text() == "Bao bì"
    assert [p.get_text() for p in soup.find_all("p")][0] == "Dòng một\ndòng hai"
    assert soup.find("p").find("br") is not None
    assert [li.get_text() for li in soup.ul.find_all("li")] == ["một", "hai"]
    assert soup.ul.strong.get_text() == "hai"
    assert soup.ol["start"] == "3" and [li.get_text() for li in soup.ol.find_all("li")] == ["ba", "bốn"]
    link = soup.a
    assert link["href"] == "https://vfa.gov.vn" and link["rel"] == ["nofollow", "noopener"]
    assert soup.find_all("p")[-1].get_text() == "Xem https://vfa.gov.vn."  # the full stop stays outside


def test_script_tags_and_event_handlers_stay_text():
    hostile = ('<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n'
               '## <iframe src="https://evil.example"></iframe>\n- <b onclick="x()">b</b>')
    html = render(hostile)
    assert tags(html) <= ALLOWED_TAGS
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert attributes(html) <= {"href", "rel"}  # the iframe's address is shown as a plain link, nothing more
    assert [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a")] == ["https://evil.example"]
    assert "onerror=alert(1)" in BeautifulSoup(html, "html.parser").get_text()  # shown, never an attribute


def test_only_https_addresses_become_links():
    html = render("javascript:alert(1) http://plain.example data:text/html,<script>x</script> "
                  "https://ok.example/a?b=1&c=2")
    links = BeautifulSoup(html, "html.parser").find_all("a")
    assert [a["href"] for a in links] == ["https://ok.example/a?b=1&c=2"]
    assert "javascript:" not in "".join(a["href"] for a in links)


def test_a_quote_cannot_break_out_of_the_link():
    html = render('https://x.example/"onmouseover="alert(1) and https://y.example/\'><script>z</script>')
    soup = BeautifulSoup(html, "html.parser")
    assert [sorted(a.attrs) for a in soup.find_all("a")] == [["href", "rel"], ["href", "rel"]]
    assert soup.find_all("a")[0]["href"] == "https://x.example/"
    assert soup.find("script") is None and "onmouseover" not in attributes(html)


def test_nested_unclosed_and_empty_markers():
    nested = BeautifulSoup(render("**a **b** c**"), "html.parser")
    assert [s.get_text() for s in nested.find_all("strong")] == ["a ", " c"]
    assert render("**never closed") == Markup("<p>**never closed</p>")
    assert render("** **") == Markup("<p>** **</p>")
    assert render("****") == Markup("<p>****</p>")
    one_open = render("**bold** and **open")
    assert one_open.count("<strong>") == 1 and "**open" in one_open
    bold_link = BeautifulSoup(render("**https://b.example**"), "html.parser")
    assert bold_link.strong.a["href"] == "https://b.example"


def test_markup_in_the_input_is_never_trusted():
    assert render(Markup("<script>x</script>")) == Markup("<p>&lt;script&gt;x&lt;/script&gt;</p>")
    assert render("") == Markup("") and render(None) == Markup("")


def test_huge_hostile_input_is_fast_and_escaped():
    body = ("**a <script> " * 40_000) + "\n" + ("- https://x.example/" + "a" * 1000 + "\n") * 200
    started = time.perf_counter()
    html = render(body)
    assert time.perf_counter() - started < 3
    assert "<script" not in html
    assert tags(html) <= ALLOWED_TAGS
    assert len(re.findall("<li>", html)) == 200
