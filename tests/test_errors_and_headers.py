"""Error pages in the user's language with the right status, and the headers every page carries."""
import re

import pytest

from portal.extensions import db
from tests.factories import PASSWORD


def test_404_in_both_languages(web):
    page = web.get("/no-such-page", status=404)
    assert "Không tìm thấy trang" in page.text()
    page = web.get("/no-such-page?lang=en", status=404)
    assert "Page not found" in page.text()


def test_405_for_the_wrong_method(web):
    page = web.post("/hotlines", status=405)
    assert page.soup.html["lang"] == "vi"


def test_400_page(app, web):
    @app.get("/_bad")
    def bad():
        from flask import abort

        abort(400)

    page = web.get("/_bad", status=400)
    assert "Yêu cầu không hợp lệ" in page.text()


def test_500_page_rolls_back_and_never_leaks_the_error(app, web, world):
    @app.get("/_boom")
    def boom():
        world.admin.full_name = "Changed before the crash"
        raise RuntimeError("secret internal detail")

    page = web.get("/_boom", status=500)
    assert "secret internal detail" not in page.html
    assert "Hệ thống đang gặp sự cố" in page.text()
    db.session.expire_all()
    assert world.admin.full_name != "Changed before the crash"


def test_htmx_errors_come_back_as_a_message_fragment(web, world):
    web.sign_in(world.ward_official)
    page = web.get(f"/internal/units/{world.ward_b.id}", status=403, headers={"HX-Request": "true"})
    assert page.response.headers["HX-Retarget"] == "#messages"
    assert page.soup.find("html") is None and page.soup.find(class_="alert--error")


PAGES = ["/", "/hotlines", "/internal/login", "/no-such-page", "/violations", "/open-data", "/guides", "/check",
         "/check?q=tap+hoa", "/statistics", "/tips/new", "/tips/track"]


@pytest.mark.parametrize("url", PAGES)
def test_security_headers_and_a_strict_csp(client, url):
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                      "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # the tip pages send no referrer at all off the site (an informant's page stays private)
    assert response.headers["Referrer-Policy"] in {"strict-origin-when-cross-origin", "same-origin"}


def _inline_code(html: str) -> list[str]:
    found = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    found += re.findall(r"<style\b", html)
    found += re.findall(r"\sstyle=", html)
    found += re.findall(r"\son[a-z]+=", html)
    found += re.findall(r'[a-z-]+="None"', html)  # a Python None leaked into an attribute
    return found


def test_no_inline_script_or_style_on_any_page(web, world):
    for url in PAGES:
        assert _inline_code(web.client.get(url).get_data(as_text=True)) == [], url
    web.sign_in(world.admin)
    for url in ("/internal/", "/internal/units/", f"/internal/units/{world.ward_a.id}",
                f"/internal/units/{world.ward_a.id}/edit", "/internal/units/new", "/internal/users/",
                "/internal/users/new", f"/internal/users/{world.leader.id}/edit", "/internal/audit/",
                "/internal/account/", "/internal/account/password", "/internal/overview", "/internal/plans/",
                "/internal/plans/new", "/internal/calendar/", "/internal/quotas/", "/internal/account/sessions",
                "/internal/account/two-factor", "/internal/tips/", "/internal/guides/", "/internal/guides/new",
                "/internal/hotlines/", "/internal/hotlines/new", "/internal/evaluation/", "/internal/reports/"):
        page = web.get(url)
        assert _inline_code(page.html) == [], url


def test_staff_pages_are_not_cached(web, world):
    web.sign_in(world.admin)
    assert web.get("/internal/").response.headers["Cache-Control"] == "no-store"


def test_session_cookie_flags(client, world):
    response = client.post("/internal/login", data={"username": "ward", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.config(SECURE_COOKIES=True)
def test_secure_cookies_use_the_host_prefix(app, world):
    client = app.test_client()
    response = client.post("/internal/login", data={"username": "ward", "password": PASSWORD},
                           base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-portal=") and "Secure" in cookie
    assert "Strict-Transport-Security" in response.headers
