"""The cache of public pages: a page asked for again is served without a query; what is
published, corrected or withdrawn, and a hotline or guide changed, shows on the very next
request; each language has its own copy; nothing of one visitor (cookie, CSRF token, flashed
message, signed-in page) reaches another; and two portals sharing a Redis share the pages."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import redis

from portal import create_app
from portal.db import utcnow
from portal.extensions import db
from portal.services import publication
from portal.services.deadlines import local_day
from tests.conftest import IsolatedClient, config_for
from tests.factories import THANH_HOA
from tests.helpers import Page
from tests.internal.test_query_counts import counted
from tests.public.conftest import publish
from tests.public.test_guides import write as write_guide
from tests.public.test_hotlines import add as add_hotline

REDIS_URL = "redis://127.0.0.1:6379/0"
NAMESPACE = f"portal-test-{uuid.uuid4().hex}"  # this test process's own Redis keys
CACHED = pytest.mark.config(PAGE_CACHE_ENABLED=True)


def fetch(client, url: str, status: int = 200):
    """(the response, the SQL statements it took); a download is read whole within the request."""
    with counted() as statements:
        response = client.get(url, buffered=True)
    assert response.status_code == status, url
    return response, statements


def test_the_cache_is_off_in_tests_unless_a_test_turns_it_on(app, client, world, cast):
    publish(world, cast.ham_rong, "Cơ sở Không Lưu")
    assert app.extensions["page_cache"].enabled is False
    fetch(client, "/violations")
    response, statements = fetch(client, "/violations")
    assert statements and "X-Page-Cache" not in response.headers


@CACHED
def test_every_public_page_is_served_again_without_a_query(client, world, cast):
    entry = publish(world, cast.ham_rong, "Cơ sở Lưu Sẵn")
    guide = write_guide(world.leader, world.province)
    add_hotline(world.admin, world.root, label="Đường dây nóng quốc gia", phones=["0243826666"])
    db.session.commit()
    business_id = entry.publication.violation.business_id
    urls = ["/", "/hotlines", f"/hotlines?province={THANH_HOA}", "/violations", "/violations?q=luu+san&sort=name",
            f"/violations/{entry.id}", "/violations.csv", "/violations.json", "/feeds/violations.atom", "/open-data",
            "/guides", f"/guides/{guide.id}", "/check?q=luu+san", f"/check/{business_id}",
            f"/check/{business_id}/qr.svg", "/statistics", f"/statistics.csv?province={THANH_HOA}"]
    for url in urls:
        first, _ = fetch(client, url)
        again, statements = fetch(client, url)
        assert first.headers["X-Page-Cache"] == "miss" and again.headers["X-Page-Cache"] == "hit", url
        assert statements == [], url
        assert again.get_data() == first.get_data(), url
        assert again.mimetype == first.mimetype and again.headers.get("Content-Disposition") == \
            first.headers.get("Content-Disposition"), url
        assert again.headers["Content-Security-Policy"] and again.headers["X-Content-Type-Options"] == "nosniff"


@CACHED
def test_publishing_correcting_and_withdrawing_show_on_the_next_request(client, world, cast):
    first = publish(world, cast.ham_rong, "Cơ sở Thứ Nhất")
    assert "Cơ sở Thứ Nhất" in fetch(client, "/violations")[0].get_data(as_text=True)
    entry_page, _ = fetch(client, f"/violations/{first.id}")
    fetch(client, "/violations.csv")

    publish(world, cast.hac_thanh, "Cơ sở Mới Công Khai")
    for url in ("/violations", "/violations.csv", "/feeds/violations.atom"):
        response, _ = fetch(client, url)
        assert response.headers["X-Page-Cache"] == "miss" and "Cơ sở Mới Công Khai" in response.get_data(as_text=True)

    publication.correct(world.leader, first, "Sửa địa chỉ theo biên bản")
    db.session.commit()
    corrected, _ = fetch(client, f"/violations/{first.id}")
    assert "Sửa địa chỉ theo biên bản" in corrected.get_data(as_text=True)
    assert "Sửa địa chỉ theo biên bản" not in entry_page.get_data(as_text=True)

    publication.withdraw(cast.ham_rong.leader, first, "Quyết định bị hủy")
    db.session.commit()
    assert "Cơ sở Thứ Nhất" not in fetch(client, "/violations")[0].get_data(as_text=True)
    assert "Quyết định bị hủy" in fetch(client, f"/violations/{first.id}", status=410)[0].get_data(as_text=True)


@CACHED
def test_a_change_refused_and_rolled_back_keeps_the_pages(client, world, cast):
    entry = publish(world, cast.ham_rong, "Cơ sở Giữ Nguyên")
    fetch(client, "/violations")
    entry.address = "Đổi rồi bỏ"
    db.session.flush()
    db.session.rollback()
    assert fetch(client, "/violations")[0].headers["X-Page-Cache"] == "hit"


@CACHED
def test_hotlines_and_guides_show_on_the_next_request(client, world):
    home, _ = fetch(client, "/")
    assert "0243 826 666" not in home.get_data(as_text=True)
    fetch(client, "/guides")
    add_hotline(world.admin, world.root, label="Đường dây nóng quốc gia", phones=["0243826666"])
    db.session.commit()
    home, _ = fetch(client, "/")
    assert home.headers["X-Page-Cache"] == "miss"
    assert "tel:0243826666" in home.get_data(as_text=True)  # the list and the header's national hotline
    hotlines, _ = fetch(client, "/hotlines")
    assert "Đường dây nóng quốc gia" in hotlines.get_data(as_text=True)

    write_guide(world.leader, world.province, title="Nhận biết rượu giả")
    assert "Nhận biết rượu giả" in fetch(client, "/guides")[0].get_data(as_text=True)


@CACHED
def test_an_entry_leaves_the_list_when_its_publication_ends_even_if_nothing_changed(app, client, world, cast,
                                                                                      monkeypatch):
    tomorrow = local_day(utcnow()) + timedelta(days=1)
    publish(world, cast.ham_rong, "Cơ sở Hết Hạn", ends_on=tomorrow)
    assert "Cơ sở Hết Hạn" in fetch(client, "/violations")[0].get_data(as_text=True)
    later = utcnow() + timedelta(days=2)
    for module in ("portal.cache", "portal.services.disclosure"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: later)
    response, _ = fetch(client, "/violations")
    assert response.headers["X-Page-Cache"] == "miss" and "Cơ sở Hết Hạn" not in response.get_data(as_text=True)


@CACHED
def test_each_language_has_its_own_copy(app, world, cast):
    publish(world, cast.ham_rong, "Cơ sở Hai Thứ Tiếng")
    english, vietnamese = app.test_client(), app.test_client()
    assert 'lang="en"' in fetch(english, "/violations?lang=en")[0].get_data(as_text=True)
    first_vi, _ = fetch(vietnamese, "/violations")
    assert 'lang="vi"' in first_vi.get_data(as_text=True) and first_vi.headers["X-Page-Cache"] == "miss"
    chosen, _ = fetch(english, "/violations")  # the language kept in the visitor's session
    assert 'lang="en"' in chosen.get_data(as_text=True) and chosen.headers["X-Page-Cache"] == "miss"
    again, statements = fetch(english, "/violations")
    assert 'lang="en"' in again.get_data(as_text=True) and statements == []
    newcomer, statements = fetch(app.test_client(), "/violations")
    assert 'lang="vi"' in newcomer.get_data(as_text=True) and statements == []


def _form_token(response) -> str:
    return Page(response).soup.find("input", attrs={"name": "csrf_token"})["value"]


@CACHED
@pytest.mark.csrf
def test_no_visitor_gets_another_visitors_cookie_or_token(app, world, cast):
    publish(world, cast.ham_rong, "Cơ sở Riêng Tư")
    first = app.test_client()
    form = fetch(first, "/tips/new")[0]  # a form: its own token, never from the cache
    token = Page(form).csrf_token()
    assert "X-Page-Cache" not in form.headers and "Set-Cookie" in form.headers and token
    page, _ = fetch(first, "/violations?lang=en")
    assert page.headers["X-Page-Cache"] == "miss"
    html = page.get_data(as_text=True)
    assert token not in html and 'name="csrf-token"' not in html and "X-CSRFToken" not in html

    second = app.test_client()
    served, statements = fetch(second, "/violations?lang=en")
    assert statements == [] and served.headers["X-Page-Cache"] == "hit"
    assert served.get_data() == page.get_data()
    cookie = served.headers["Set-Cookie"]  # the second visitor's own choice of language, nothing else
    session = app.session_interface.get_signing_serializer(app).loads(cookie.split(";")[0].split("=", 1)[1])
    assert session == {"lang": "en"}
    assert "Set-Cookie" not in fetch(app.test_client(), "/violations")[0].headers  # nothing to remember


@CACHED
def test_a_flashed_message_and_a_signed_in_user_bypass_the_cache(web, client, world, cast):
    publish(world, cast.ham_rong, "Cơ sở Cán Bộ Xem")
    fetch(client, "/violations")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Lời nhắn chỉ của người này")]
    flashed, _ = fetch(client, "/violations")
    assert "X-Page-Cache" not in flashed.headers and "Lời nhắn chỉ của người này" in flashed.get_data(as_text=True)
    after, _ = fetch(client, "/violations")
    assert after.headers["X-Page-Cache"] == "hit" and "Lời nhắn" not in after.get_data(as_text=True)

    web.sign_in(world.ward_official)
    response, statements = fetch(client, "/violations")
    assert "X-Page-Cache" not in response.headers and statements


@CACHED
@pytest.mark.csrf
def test_the_tip_forms_are_never_cached(app, world):
    pages = [fetch(app.test_client(), url)[0] for url in ("/tips/new", "/tips/new", "/tips/track", "/tips/track")]
    assert all("X-Page-Cache" not in page.headers for page in pages)
    assert len({_form_token(page) for page in pages}) == 4


@pytest.mark.config(PAGE_CACHE_ENABLED=True, PAGE_CACHE_MAX_BYTES=1000)
def test_a_download_larger_than_the_cache_keeps_is_sent_whole_and_not_kept(client, world, cast):
    for i in range(3):
        publish(world, cast.ham_rong, f"Cơ sở Tải Về {i}")
    first, _ = fetch(client, "/violations.csv")
    again, statements = fetch(client, "/violations.csv")
    assert len(first.get_data()) > 1000 and again.get_data() == first.get_data()
    assert again.headers["X-Page-Cache"] == "miss" and statements


@pytest.mark.config(PAGE_CACHE_ENABLED=True, REDIS_URL="redis://127.0.0.1:1/0")
def test_an_unreachable_redis_serves_pages_uncached(client, world, cast):
    publish(world, cast.ham_rong, "Cơ sở Không Redis")
    for _ in range(2):
        response, statements = fetch(client, "/violations")
        assert "Cơ sở Không Redis" in response.get_data(as_text=True) and statements
        assert "X-Page-Cache" not in response.headers


@pytest.mark.config(PAGE_CACHE_ENABLED=True, REDIS_URL=REDIS_URL, PAGE_CACHE_NAMESPACE=NAMESPACE)
def test_two_portals_share_the_pages_and_the_generation_through_redis(app, client, world, cast, tmp_path):
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running at 127.0.0.1:6379; start it as the README says")
    app.extensions["page_cache"].bump()  # a generation the other database's run did not use
    other = create_app(config_for(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, REDIS_URL=REDIS_URL,
                                  PAGE_CACHE_ENABLED=True, PAGE_CACHE_NAMESPACE=NAMESPACE))
    other.test_client_class = IsolatedClient
    publish(world, cast.ham_rong, "Cơ sở Dùng Chung")

    def from_other():
        with other.app_context():
            return fetch(other.test_client(), "/violations")

    first, _ = fetch(client, "/violations")
    shared, statements = from_other()
    assert first.headers["X-Page-Cache"] == "miss" and shared.headers["X-Page-Cache"] == "hit" and statements == []
    publish(world, cast.hac_thanh, "Cơ sở Công Khai Sau")  # published through one portal...
    fresh, _ = from_other()  # ...shows on the other at once
    assert fresh.headers["X-Page-Cache"] == "miss" and "Cơ sở Công Khai Sau" in fresh.get_data(as_text=True)
    with other.app_context():
        db.engine.dispose()
