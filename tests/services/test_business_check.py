"""Check a business: the search, the two public facts, the merged records and the QR code."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import segno
from sqlalchemy import update

from portal.extensions import db
from portal.models import BusinessChannel, BusinessStatus, ChannelKind, PublicEntry, Role
from portal.services import business_check, enforcement, publication, registry
from portal.services.business_check import QueryRefused
from tests.factories import make_user
from tests.services.test_enforcement import sign, violate
from tests.services.test_outreach import business

#: Values no public response may ever contain (see the tests of the pages).
PRIVATE = {"owner_name": "Trịnh Văn Bímật", "phone": "0987654321", "tax_code": "2801234567",
           "household_reg_no": "38D8765432"}


@pytest.fixture
def inspector(world):
    return make_user("doi.qltt", world.province, Role.OFFICER)


def shop(world, name="Tạp hóa Minh Ánh", link=None, **extra):
    channels = [registry.ChannelData(ChannelKind.SHOP)]
    if link:
        channels.append(registry.ChannelData(ChannelKind.PLATFORM_SELLER, place_name="Shopee", link=link))
    return business(world, name=name, channels=channels, **extra)


def published(world, inspector, target, found=date(2026, 4, 1), decided=date(2026, 4, 5)) -> PublicEntry:
    """A sanctioned violation of ``target`` (which must have signed before), made public by a
    leader who did not propose it."""
    violation = violate(inspector, target, found, decided=decided)
    proposal = publication.propose(inspector, violation, None)
    entry = publication.approve(world.leader, proposal, version=proposal.version)
    db.session.commit()
    return entry


def modules(svg: str) -> str:
    """The dark modules of a QR code drawn by segno: the path of the SVG, which only the
    encoded text (and the drawing options) decide."""
    return re.search(r'<path[^>]*class="qrline"[^>]*\bd="([^"]+)"', svg).group(1)


def names(q, province=None):
    return [f.business.name for f in business_check.search(q, province)[0]]


def test_search_ignores_diacritics_and_case_in_name_and_address(world):
    shop(world, name="Tạp hóa Minh Ánh", address="12 Lê Lợi")
    shop(world, name="Cửa hàng Đồng hồ Hải", address="5 Trần Phú")
    db.session.commit()
    assert names("tap hoa minh anh") == ["Tạp hóa Minh Ánh"]
    assert names("TẠP HOÁ") == ["Tạp hóa Minh Ánh"]
    assert names("le loi") == ["Tạp hóa Minh Ánh"]  # the address
    assert names("dong ho hai") == ["Cửa hàng Đồng hồ Hải"]  # đ folds to d
    assert names("tran phu") == ["Cửa hàng Đồng hồ Hải"]
    assert names("khong co cua hang nay") == []


@pytest.mark.parametrize("typed", [
    "shopee.vn/suamebeo",
    "https://shopee.vn/suamebeo",
    "http://www.shopee.vn/suamebeo/",
    "https://m.shopee.vn/suamebeo?sp_atk=abc&xptdk=1",
    "HTTPS://WWW.SHOPEE.VN/SuaMeBeo",
    "shopee.vn/suamebe",  # part of the link
])
def test_search_finds_a_shop_by_its_link_however_it_is_typed(world, typed):
    shop(world, name="Sữa mẹ Béo", link="https://www.shopee.vn/suamebeo/")
    shop(world, name="Sữa bột Gầy", link="https://shopee.vn/suabotgay")
    db.session.commit()
    assert names(typed) == ["Sữa mẹ Béo"]


def test_merged_and_ceased_businesses_are_not_found_and_the_province_narrows(world):
    keep = shop(world, name="Tạp hóa Hương A")
    other = shop(world, name="Tạp hóa Hương B")
    closed = shop(world, name="Tạp hóa Hương C")
    theirs = shop(world, name="Tạp hóa Hương D", actor=world.sibling_official, ward=world.ward_b)
    registry.merge(world.ward_official, keep, other)
    registry.record_status(world.ward_official, closed, BusinessStatus.CEASED, date(2026, 6, 1), None)
    db.session.commit()
    assert names("tap hoa huong") == ["Tạp hóa Hương A", "Tạp hóa Hương D"]
    assert names("tap hoa huong", world.ward_a.province_code) == ["Tạp hóa Hương A", "Tạp hóa Hương D"]
    assert names("tap hoa huong", 15) == []  # Lào Cai
    assert theirs.province_code == world.ward_a.province_code


def test_at_most_twenty_results_and_whether_there_were_more(world):
    for i in range(22):
        shop(world, name=f"Kiốt {i:02d} chợ Hàm Rồng")
    db.session.commit()
    found, more = business_check.search("kiot")
    assert len(found) == 20 and more
    assert [f.business.name for f in found][:2] == ["Kiốt 00 chợ Hàm Rồng", "Kiốt 01 chợ Hàm Rồng"]
    found, more = business_check.search("kiot 2")
    assert [f.business.name for f in found] == ["Kiốt 20 chợ Hàm Rồng", "Kiốt 21 chợ Hàm Rồng"] and not more


@pytest.mark.parametrize("q", ["", "ab", "  a ", "!!!", "%%%"])
def test_a_search_needs_three_characters_of_words(app, q):
    with pytest.raises(QueryRefused):
        business_check.search(q)


def test_sql_and_like_wildcards_are_searched_as_text(world):
    shop(world, name="Tạp hóa Minh Ánh")
    db.session.commit()
    assert names("' OR 1=1 --") == []
    assert names("a_h") == []


def test_unknown_province_is_refused(app):
    for value in ("999", "abc", "-1", "1" * 30):
        with pytest.raises(QueryRefused):
            business_check.province_of(value)
    assert business_check.province_of("") is None
    assert business_check.province_of("38").code == 38


def test_the_latest_commitment_and_only_listed_violations_count(world, inspector):
    target = shop(world)
    sign(world, target, date(2025, 6, 1))
    sign(world, target, date(2026, 5, 20))  # signed again after its first violation
    listed = published(world, inspector, target, date(2026, 4, 1), date(2026, 4, 5))
    withdrawn = published(world, inspector, target, date(2026, 6, 1), date(2026, 6, 5))
    expired = published(world, inspector, target, date(2026, 7, 1), date(2026, 7, 5))
    enforcement.withdraw_entry(world.leader, withdrawn, "Quyết định bị hủy")
    db.session.execute(update(PublicEntry).where(PublicEntry.id == expired.id)
                       .values(ends_on=registry.today() - timedelta(days=1)))
    proposed = violate(inspector, target, date(2026, 8, 1), decided=date(2026, 8, 5))
    publication.propose(inspector, proposed, None)  # proposed, never approved
    violate(inspector, target, date(2026, 9, 1))  # found, no decision
    db.session.commit()

    [found], _ = business_check.search("minh anh")
    assert found.signed_on == date(2026, 5, 20)
    assert found.published == 1
    page = business_check.status_page(found.business)
    assert page.signed_on == date(2026, 5, 20)
    assert [e.id for e in page.entries] == [listed.id]


def test_no_commitment_and_no_violation(world):
    shop(world)
    db.session.commit()
    [found], _ = business_check.search("minh anh")
    assert found.signed_on is None and found.published == 0
    assert business_check.status_page(found.business).entries == []


def test_a_merged_record_points_to_the_record_kept_and_its_papers_follow(world, inspector):
    keep, other = shop(world, name="Tạp hóa An"), shop(world, name="Tạp hóa An (trùng)")
    sign(world, other, date(2026, 2, 1))
    entry = published(world, inspector, other)
    registry.merge(world.ward_official, keep, other)
    db.session.commit()
    assert business_check.resolve(other.id) == (None, keep.id)
    business_found, merged = business_check.resolve(keep.id)
    assert business_found.id == keep.id and merged is None
    page = business_check.status_page(business_found)
    assert page.signed_on == date(2026, 2, 1) and [e.id for e in page.entries] == [entry.id]
    assert business_check.resolve(10**9) == (None, None)


def test_a_chain_of_merges_is_followed_to_the_end(world):
    a, b, c = shop(world, name="A1 quầy"), shop(world, name="B1 quầy"), shop(world, name="C1 quầy")
    registry.merge(world.ward_official, b, a)  # a → b
    registry.merge(world.ward_official, c, b)  # b → c
    db.session.commit()
    assert business_check.resolve(a.id) == (None, c.id)


def test_shop_links_are_https_addresses_whatever_was_typed(world):
    target = shop(world, link="javascript:alert(1)")
    target.channels.append(BusinessChannel(kind=ChannelKind.WEBSITE, link="https://www.Sua.vn/",
                                                    link_normalised="sua.vn"))
    db.session.commit()
    links = business_check.public_links(target)
    assert all(href.startswith("https://") for _, href in links)
    assert ("https://www.Sua.vn/", "https://sua.vn") in links


@pytest.mark.config(PUBLIC_BASE_URL="https://chonghanggia.gov.vn/")
def test_the_qr_code_encodes_the_public_address_of_the_status_page(app):
    with app.test_request_context("/internal/anything"):
        url = business_check.public_url(42)
    assert url == "https://chonghanggia.gov.vn/check/42"
    svg = business_check.qr_svg(url).decode()
    assert modules(svg) == modules(segno.make("https://chonghanggia.gov.vn/check/42", error="m").svg_inline(
        scale=1, border=4, omitsize=True))
    assert modules(svg) != modules(segno.make("https://chonghanggia.gov.vn/check/43", error="m").svg_inline(
        scale=1, border=4, omitsize=True))
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox=')


def test_without_a_configured_address_the_request_address_is_used(app):
    with app.test_request_context("/", base_url="https://portal.example.vn"):
        assert business_check.public_url(7) == "https://portal.example.vn/check/7"
