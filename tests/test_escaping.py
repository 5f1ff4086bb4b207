"""What a visitor types never reaches a page as HTML, even inside a translated message; and input
found by the attack scanners (make security) stays fixed."""
from __future__ import annotations

from flask import render_template_string
from flask_babel import lazy_gettext as _l

from portal.text import normalise_link

PAYLOAD = '"></a><SvG/oNloAd=alert(1)>'


def test_a_lazy_message_with_typed_text_is_escaped_in_templates(app):
    message = _l("There is no goods category “%(value)s”, so this filter was not applied.", value=PAYLOAD)
    with app.test_request_context("/"):
        html = render_template_string("<p>{{ message }}</p>", message=message)
    assert "<SvG" not in html and "&lt;SvG" in html


def test_a_filter_value_set_aside_on_the_violator_list_is_shown_escaped(web):
    for name in ("goods", "type", "year", "sort", "province", "ward"):
        page = web.get(f"/violations?{name}=%22%3E%3C%2Fa%3E%3CSvG%2FoNloAd%3Dalert%281%29%3E")
        assert "<SvG" not in page.html, name


def test_a_search_that_looks_like_a_broken_link_is_an_answer_not_a_crash(web):
    assert normalise_link("https://[FF]/shop") is None
    page = web.get("/check?q=%22%3E0%5BFF%5D%3CsCripT%5BFF%5D%3Ealert%281%29%3C%2FsCripT%5BFF%5D%3E%5BFF%5D0")
    assert "<sCripT" not in page.html
