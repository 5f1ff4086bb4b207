"""The QR sticker staff print for a business that signed a commitment: its content, the address
its QR code opens, the refusal without a commitment, and the area rule."""
from __future__ import annotations

import base64
from datetime import date
from pathlib import Path

import pytest
import segno

from portal.extensions import db
from portal.services import registry
from tests.services.test_business_check import PRIVATE, modules, shop
from tests.services.test_enforcement import sign

CSS = Path(__file__).resolve().parents[2] / "portal" / "static" / "css" / "check.css"


@pytest.fixture
def signed(world):
    target = shop(world, name="Tạp hóa Minh Ánh", address="12 Lê Lợi", **PRIVATE)
    sign(world, target, date(2025, 6, 1))
    sign(world, target, date(2026, 3, 15))  # signed again: the sticker gives the latest
    db.session.commit()
    return target


def qr_of(page) -> str:
    src = page.soup.select_one("#sticker-qr")["src"]
    assert src.startswith("data:image/svg+xml;base64,")
    return base64.b64decode(src.split(",", 1)[1]).decode()


@pytest.mark.config(PUBLIC_BASE_URL="https://chonghanggia.gov.vn/")
def test_the_sticker_names_the_business_its_commitment_and_a_qr_code_to_its_page(web, world, signed):
    web.sign_in(world.ward_official)
    page = web.get(f"/internal/businesses/{signed.id}/sticker")
    sticker = page.soup.select_one("#sticker")
    text = " ".join(sticker.get_text(" ").split())
    assert "Cơ sở này đã ký cam kết không kinh doanh hàng giả" in text
    assert "This business has signed a commitment not to trade counterfeit goods" in text
    assert text.index("Cơ sở này đã ký cam kết") < text.index("This business has signed")  # Vietnamese first
    assert "Cổng thông tin chống hàng giả" in text
    assert "Tạp hóa Minh Ánh" in text and "12 Lê Lợi, Phường Hàm Rồng, Thanh Hóa" in text
    assert "ngày 15 tháng 3 năm 2026" in text and "15 March 2026" in text
    assert "Quét mã để tra cứu hoặc phản ánh cơ sở này" in text
    assert "Scan to check this business or to report it" in text
    url = f"https://chonghanggia.gov.vn/check/{signed.id}"
    assert url in text
    expected = segno.make(url, error="m").svg_inline(scale=1, border=4, omitsize=True)
    assert modules(qr_of(page)) == modules(expected)
    for value in PRIVATE.values():
        assert value not in page.html


def test_without_configuration_the_qr_code_uses_the_address_the_page_was_asked_at(web, world, signed):
    web.sign_in(world.ward_official)
    page = web.get(f"/internal/businesses/{signed.id}/sticker")
    expected = segno.make(f"http://localhost/check/{signed.id}", error="m")  # the test client's address
    assert modules(qr_of(page)) == modules(expected.svg_inline(scale=1, border=4, omitsize=True))


def test_the_sticker_prints_alone(web, world, signed):
    web.sign_in(world.ward_official)
    page = web.get(f"/internal/businesses/{signed.id}/sticker")
    assert "/static/css/check.css" in [link["href"] for link in page.soup.select('link[rel="stylesheet"]')]
    assert page.soup.select_one(".sticker-tools") is not None and page.soup.select_one(".topbar") is not None
    css = CSS.read_text()
    printed = css[css.index("@media print"):]
    for chrome in (".topbar", ".breadcrumbs", ".sticker-tools", ".footer"):
        assert chrome in printed.split("display: none")[0]
    assert "@page sticker { size: A6" in css
    assert 'style="' not in page.html and "<style" not in page.html  # strict CSP: no inline styles


def test_no_sticker_without_a_signed_commitment(web, world):
    target = shop(world, name="Quầy chưa ký")
    db.session.commit()
    web.sign_in(world.ward_official)
    page = web.get(f"/internal/businesses/{target.id}/sticker?lang=en", status=409)
    assert "no signed commitment of this business is recorded" in page.soup.select_one("#sticker-refused").get_text()
    assert page.soup.select_one("#sticker") is None


def test_only_businesses_of_ones_area(web, world, signed):
    web.sign_in(world.sibling_official)  # Hạc Thành, the neighbouring ward
    web.get(f"/internal/businesses/{signed.id}/sticker", status=403)
    web.get("/internal/businesses/999999/sticker", status=404)
    web.sign_out()
    web.sign_in(world.leader)  # the province above both wards
    web.get(f"/internal/businesses/{signed.id}/sticker")


def test_a_visitor_must_sign_in(client, signed):
    response = client.get(f"/internal/businesses/{signed.id}/sticker")
    assert response.status_code == 302 and "/internal/login" in response.headers["Location"]


def test_a_merged_record_sends_to_the_sticker_of_the_record_kept(web, world, signed):
    duplicate = shop(world, name="Tạp hóa Minh Ánh (trùng)")
    registry.merge(world.ward_official, signed, duplicate)
    db.session.commit()
    web.sign_in(world.ward_official)
    response = web.client.get(f"/internal/businesses/{duplicate.id}/sticker")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/internal/businesses/{signed.id}/sticker"
