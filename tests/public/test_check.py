"""Check a business on the public site: search, the status page, the QR image, and that nothing
private or unpublished ever reaches a response."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import segno
from sqlalchemy import update

from portal.extensions import db
from portal.i18n import phone as formatted_phone
from portal.models import Business, InspectionResult, PublicEntry, Role
from portal.services import enforcement, registry
from tests.factories import make_user
from tests.internal.test_query_counts import counted
from tests.services.test_business_check import PRIVATE, modules, published, shop
from tests.services.test_enforcement import inspect, sign

STAFF_NOTES = ("Ghi chú nội bộ: chủ hay vắng mặt", "Đoàn kiểm tra ghi: kho phía sau chưa mở")
SECRET_DECISION = "77/QĐ-CHUACONGKHAI"


@dataclass
class Scene:
    target: Business
    entry: PublicEntry
    withdrawn: PublicEntry
    inspector: object


@pytest.fixture
def scene(world) -> Scene:
    """A signed business with one published violation, one withdrawn, one sanctioned but never
    published, an inspection with a staff note, a status note, and private details."""
    inspector = make_user("doi.qltt", world.province, Role.OFFICER)
    target = shop(world, name="Tạp hóa Minh Ánh", address="12 Lê Lợi", link="https://shopee.vn/taphoaminhanh",
                  **PRIVATE)
    registry.record_status(world.ward_official, target, registry.BusinessStatus.ACTIVE, date(2025, 2, 1),
                           STAFF_NOTES[0])
    sign(world, target, date(2026, 1, 10))
    entry = published(world, inspector, target, date(2026, 4, 1), date(2026, 4, 5))
    withdrawn = published(world, inspector, target, date(2026, 5, 1), date(2026, 5, 6))
    enforcement.withdraw_entry(world.leader, withdrawn, "Hủy quyết định")
    secret = enforcement.Decision(number=SECRET_DECISION, decided_on=date(2026, 6, 3), authority="Đội QLTT số 1",
                                  fine=4_000_000, state=enforcement.ViolationState.DECIDED)
    enforcement.record_violation(inspector, inspect(inspector, target, date(2026, 6, 1), note=STAFF_NOTES[1]),
                                 enforcement.ViolationData(type=enforcement.ViolationType.SMUGGLED, decision=secret))
    enforcement.record_inspection(inspector, enforcement.InspectionData(
        inspected_on=date(2026, 7, 1), kind=enforcement.InspectionKind.SCHEDULED, business_id=target.id,
        result=InspectionResult.NO_VIOLATION, goods=["milk"], note="Không phát hiện vi phạm — ghi chú riêng"))
    db.session.commit()
    return Scene(target, entry, withdrawn, inspector)


def assert_nothing_private(html: str) -> None:
    for value in PRIVATE.values():
        assert value not in html
    assert formatted_phone(PRIVATE["phone"]) not in html
    for note in (*STAFF_NOTES, "ghi chú riêng", SECRET_DECISION):
        assert note not in html


def test_search_without_diacritics_shows_the_two_facts(web, scene):
    page = web.get("/check?q=tap+hoa+minh+anh&lang=en")
    [result] = page.soup.select(".check-result")
    link = result.select_one("a")
    assert link["href"] == f"/check/{scene.target.id}" and link.get_text(strip=True) == "Tạp hóa Minh Ánh"
    text = re.sub(r"\s+", " ", result.get_text(" "))
    assert "12 Lê Lợi, Phường Hàm Rồng, Thanh Hóa" in text
    assert "Signed a commitment not to trade counterfeit goods on 10 January 2026" in text
    assert "1 published violation" in text  # the withdrawn and the unpublished ones do not count


def test_search_by_shop_link_and_by_address(web, scene):
    for q in ("https://www.shopee.vn/taphoaminhanh/?sp_atk=1", "shopee.vn/TAPHOAMINHANH", "le loi"):
        page = web.get("/check?" + f"q={q}".replace("&", "%26").replace("?", "%3F"))
        assert [a["href"] for a in page.soup.select(".check-result a")] == [f"/check/{scene.target.id}"], q


def test_a_business_without_commitment_or_violation_says_so(web, world):
    shop(world, name="Quầy hàng mới mở")
    db.session.commit()
    text = web.get("/check?q=quay+hang+moi&lang=en").text()
    assert "No commitment on record" in text and "No published violation" in text


def test_the_status_page_shows_only_public_facts(web, scene):
    page = web.get(f"/check/{scene.target.id}?lang=en")
    assert page.soup.h1.get_text(strip=True) == "Tạp hóa Minh Ánh"
    facts = page.soup.select_one("#business-facts").get_text(" ")
    for expected in ("12 Lê Lợi", "Phường Hàm Rồng", "Thanh Hóa", "https://shopee.vn/taphoaminhanh"):
        assert expected in facts
    assert "Signed a commitment not to trade counterfeit goods on 10 January 2026" in \
        page.soup.select_one("#business-commitment").get_text(" ")
    assert [a["href"] for a in page.soup.select("#business-violations a")] == [f"/violations/{scene.entry.id}"]
    assert page.soup.select_one("#report-shop")["href"] == f"/tips/new?business={scene.target.id}"
    assert_nothing_private(page.html)


@pytest.mark.parametrize("url", ["/check?q=minh+anh", "/check?q=minh+anh&lang=en", "/check?q=shopee.vn/taphoaminhanh",
                                 "/check/{id}", "/check/{id}?lang=en", "/check/{id}/qr.svg",
                                 "/statistics?year=2026", "/statistics?year=2026&lang=en", "/statistics.csv?year=2026"])
def test_no_response_carries_private_details_notes_or_unpublished_cases(web, scene, url):
    page = web.get(url.format(id=scene.target.id))
    assert_nothing_private(page.html)


def test_an_expired_entry_is_not_shown(web, scene):
    db.session.execute(update(PublicEntry).where(PublicEntry.id == scene.entry.id)
                       .values(ends_on=registry.today() - timedelta(days=1)))
    db.session.commit()
    page = web.get(f"/check/{scene.target.id}?lang=en")
    assert page.soup.select("#business-violations a") == []
    assert "No published violation" in web.get("/check?q=minh+anh&lang=en").text()


def test_a_merged_record_redirects_for_good_to_the_record_kept(web, world, scene):
    duplicate = shop(world, name="Tạp hóa Minh Ánh (trùng)")
    registry.merge(world.ward_official, scene.target, duplicate)
    db.session.commit()
    response = web.client.get(f"/check/{duplicate.id}")
    assert response.status_code == 301 and response.headers["Location"] == f"/check/{scene.target.id}"
    response = web.client.get(f"/check/{duplicate.id}/qr.svg")
    assert response.status_code == 301 and response.headers["Location"] == f"/check/{scene.target.id}/qr.svg"
    assert [a["href"] for a in web.get("/check?q=minh+anh").soup.select(".check-result a")] == \
        [f"/check/{scene.target.id}"]  # the merged record is not listed


def test_unknown_business_is_404(web, world):
    web.get("/check/999999", status=404)
    web.get("/check/999999/qr.svg", status=404)
    web.get("/check/99999999999999", status=404)
    web.get("/check/-1", status=404)


@pytest.mark.parametrize("q,message", [
    ("ab", "Type at least 3 letters"),
    ("%20%20a%20", "Type at least 3 letters"),
    ("!!!", "Type at least 3 letters"),
])
def test_a_short_search_is_explained(web, world, q, message):
    page = web.get(f"/check?q={q}&lang=en", status=400)
    assert message in page.soup.select_one("#check-error").get_text()
    assert page.value("q") == q.replace("%20", " ").strip()


@pytest.mark.parametrize("province", ["999", "abc", "-5", "1e3"])
def test_an_unknown_province_is_explained(web, world, province):
    page = web.get(f"/check?q=minh+anh&province={province}&lang=en", status=400)
    assert "Choose a province or city from the list" in page.text()
    assert page.value("q") == "minh anh"


def test_a_province_narrows_the_search(web, scene):
    assert len(web.get("/check?q=minh+anh&province=38").soup.select(".check-result")) == 1
    page = web.get("/check?q=minh+anh&province=15&lang=en")
    assert page.soup.select(".check-result") == [] and "No business in the registry matches" in page.text()
    assert page.value("province") == "15"


def test_hostile_searches_are_just_text(web, scene):
    for q in ("%27%20OR%201%3D1%20--", "%3Cscript%3Ealert(1)%3C/script%3E", "a" * 5000):
        page = web.get(f"/check?q={q}")
        assert page.soup.select(".check-result") == []
        assert "<script>alert(1)" not in page.html


@pytest.mark.config(RATE_LIMITS={"search": (3, 60)})
def test_searching_is_rate_limited_but_the_empty_form_is_not(web, world):
    for _ in range(5):
        web.get("/check")
    for _ in range(3):
        web.get("/check?q=minh+anh")
    web.get("/check?q=minh+anh", status=429)


@pytest.mark.config(PUBLIC_BASE_URL="https://chonghanggia.gov.vn")
def test_the_qr_image_encodes_the_configured_public_address(web, scene):
    response = web.client.get(f"/check/{scene.target.id}/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    expected = segno.make(f"https://chonghanggia.gov.vn/check/{scene.target.id}", error="m")
    assert modules(response.get_data(as_text=True)) == modules(expected.svg_inline(scale=1, border=4, omitsize=True))


def test_without_configuration_the_qr_image_encodes_the_address_it_was_asked_at(web, scene):
    svg = web.client.get(f"/check/{scene.target.id}/qr.svg",
                         base_url="https://portal.example.vn").get_data(as_text=True)
    expected = segno.make(f"https://portal.example.vn/check/{scene.target.id}", error="m")
    assert modules(svg) == modules(expected.svg_inline(scale=1, border=4, omitsize=True))


def statements(web, url: str) -> int:
    with counted() as seen:
        web.get(url)
    return len(seen)


def test_both_pages_are_a_fixed_number_of_queries(web, world, scene):
    search = "/check?q=tap+hoa"
    status = f"/check/{scene.target.id}"
    before = (statements(web, search), statements(web, status))
    for i in range(6):
        other = shop(world, name=f"Tạp hóa số {i}", link=f"https://shopee.vn/taphoa{i}")
        sign(world, other, date(2026, 2, 1))
        published(world, scene.inspector, other, date(2026, 3, 1 + i), date(2026, 3, 10 + i))
    for i in range(3):
        published(world, scene.inspector, scene.target, date(2026, 8, 1 + i), date(2026, 8, 10 + i))
    scene.target.channels.append(registry.BusinessChannel(kind=registry.ChannelKind.WEBSITE,
                                                          link="https://minhanh.vn", link_normalised="minhanh.vn"))
    db.session.commit()
    assert len(web.get(search).soup.select(".check-result")) == 7
    assert len(web.get(status).soup.select("#business-violations a")) == 4
    assert (statements(web, search), statements(web, status)) == before


def test_the_pages_carry_no_inline_code(web, scene):
    from tests.test_errors_and_headers import _inline_code

    for url in ("/check", "/check?q=minh+anh", "/check?q=ab", f"/check/{scene.target.id}",
                "/statistics?year=2026", "/statistics?year=1999"):
        assert _inline_code(web.client.get(url).get_data(as_text=True)) == [], url


def test_the_pages_keep_the_stylesheet_of_the_public_layout(web, scene):
    """The layout's head links public-content.css (the header hotline, the hotline lists); a page
    that overrides the head block without super() drops it and its header loses that style."""
    for url in ("/check", "/check?q=minh+anh", f"/check/{scene.target.id}"):
        links = [link["href"] for link in web.get(url).soup.select("head link[rel=stylesheet]")]
        assert any(href.endswith("css/public-content.css") for href in links), (url, links)
        assert any(href.endswith("css/check.css") for href in links), (url, links)
