"""The registry pages: recording with a duplicate check, editing, status, merge, scope."""
from sqlalchemy import func, select

from portal.db import utcnow
from portal.extensions import db
from portal.models import Business, ChannelKind
from portal.services import registry
from portal.services.deadlines import VIETNAM


def form(world, **changes):
    values = {"name": "Tạp hóa Minh Ánh", "owner_name": "Nguyễn Minh Ánh", "tax_code": "", "household_reg_no": "",
              "address": "12 Lê Lợi", "province_code": world.ward_a.province_code, "ward_code": world.ward_a.ward_code,
              "phone": "", "goods": ["milk"], "channels-0-kind": "shop", "version": 1}
    values.update(changes)
    return values


def test_record_then_find_it_without_diacritics(web, world):
    web.sign_in(world.ward_official)
    page = web.post("/internal/businesses/new", form(world), status=303)
    business = db.session.scalar(select(Business))
    assert page.response.headers["Location"] == f"/internal/businesses/{business.id}"
    text = web.get("/internal/businesses/?q=tap+hoa+minh+anh").text()
    assert "Tạp hóa Minh Ánh" in text and "1 cơ sở" in text


def test_a_possible_duplicate_is_shown_and_saved_only_when_confirmed(web, world):
    web.sign_in(world.ward_official)
    web.post("/internal/businesses/new", form(world), status=303)
    page = web.post("/internal/businesses/new", form(world, name="Tap hoa Minh Anh", address="12 Le Loi"), status=409)
    assert "Tạp hóa Minh Ánh" in page.soup.find(class_="duplicates").get_text()
    assert page.value("name") == "Tap hoa Minh Anh"  # what was typed stays
    assert db.session.scalar(select(func.count()).select_from(Business)) == 1
    web.post("/internal/businesses/new", form(world, name="Tap hoa Minh Anh", address="12 Le Loi", not_a_duplicate="y"),
             status=303)
    assert db.session.scalar(select(func.count()).select_from(Business)) == 2


def test_bad_input_is_refused_next_to_its_field(web, world):
    web.sign_in(world.ward_official)
    page = web.post("/internal/businesses/new", form(world, tax_code="12-34", **{
        "channels-0-kind": "platform_seller", "channels-0-place_name": "", "channels-0-link": ""}), status=422)
    assert page.field_error("tax_code")
    assert page.field_error("channels-0-place_name") and page.field_error("channels-0-link")
    page = web.post("/internal/businesses/new", form(world, ward_code=world.ward_b.ward_code), status=422)
    assert page.field_error("ward_code")
    page = web.post("/internal/businesses/new", form(world, **{"channels-0-kind": ""}), status=422)
    assert "ít nhất" in page.soup.find(class_="error-summary").get_text()


def test_a_ward_cannot_see_another_wards_businesses(web, world):
    theirs = registry.create(world.sibling_official, registry.BusinessData(
        name="Quầy Hạc Thành", address="Chợ", ward_code=world.ward_b.ward_code,
        channels=[registry.ChannelData(ChannelKind.MARKET_STALL, place_name="Chợ Hạc Thành")]))
    db.session.commit()
    web.sign_in(world.ward_official)
    assert "Quầy Hạc Thành" not in web.get("/internal/businesses/").text()
    web.get(f"/internal/businesses/{theirs.id}", status=403)
    web.get(f"/internal/businesses/{theirs.id}/edit", status=403)
    web.sign_out()
    web.sign_in(world.leader)
    assert "Quầy Hạc Thành" in web.get("/internal/businesses/").text()


def test_edit_status_and_merge_through_the_pages(web, world):
    web.sign_in(world.ward_official)
    web.post("/internal/businesses/new", form(world), status=303)
    web.post("/internal/businesses/new", form(world, name="Minh Ánh (quầy chợ)", address="Chợ Hàm Rồng",
                                              **{"channels-0-kind": "market_stall",
                                                 "channels-0-place_name": "Chợ Hàm Rồng"}), status=303)
    keep, other = db.session.scalars(select(Business).order_by(Business.id)).all()
    page = web.get(f"/internal/businesses/{keep.id}/edit")
    assert page.value("channels-0-kind") == "shop" and page.value("name") == "Tạp hóa Minh Ánh"
    today = utcnow().astimezone(VIETNAM).date().isoformat()
    web.post(f"/internal/businesses/{keep.id}/status", {"status": "ceased", "on": today, "note": ""}, status=303)
    page = web.post(f"/internal/businesses/{keep.id}/status", {"status": "active", "on": "2026-01-01"}, status=422)
    assert "trước" in page.field_error("on")  # before the business was first recorded
    assert web.post(f"/internal/businesses/{keep.id}/status", {"status": "ceased", "on": "2030-01-01"},
                    status=422).field_error("on")
    page = web.get(f"/internal/businesses/{keep.id}?merge_q=quay+cho")
    assert "Minh Ánh (quầy chợ)" in page.text()
    web.post(f"/internal/businesses/{keep.id}/merge/{other.id}", status=303)
    db.session.refresh(other)
    assert other.merged_into_id == keep.id
    assert "Minh Ánh (quầy chợ)" not in web.get("/internal/businesses/").text()


def test_viewers_read_but_do_not_record(web, world):
    web.sign_in(world.viewer)
    web.get("/internal/businesses/")
    web.post("/internal/businesses/new", form(world), status=403)


def test_the_list_makes_the_same_queries_for_3_or_30_businesses(web, world):
    from tests.internal.test_query_counts import counted

    def add(n, start):
        for i in range(start, start + n):
            registry.create(world.ward_official, registry.BusinessData(
                name=f"Cơ sở {i}", address=f"{i} Lê Lợi", ward_code=world.ward_a.ward_code,
                channels=[registry.ChannelData(ChannelKind.SHOP), registry.ChannelData(
                    ChannelKind.MARKET_STALL, place_name="Chợ")]))
        db.session.commit()

    web.sign_in(world.ward_official)
    add(3, 0)
    with counted() as few:
        web.get("/internal/businesses/")
    add(27, 3)
    with counted() as many:
        web.get("/internal/businesses/")
    assert len(many) == len(few)


def test_the_list_filters_by_status(web, world):
    for name in ("Cửa hàng Đang Bán", "Cửa hàng Đã Nghỉ"):
        registry.create(world.ward_official, registry.BusinessData(
            name=name, address="1 Lê Lợi", ward_code=world.ward_a.ward_code,
            channels=[registry.ChannelData(ChannelKind.SHOP)]))
    db.session.commit()
    closed = db.session.scalar(select(Business).where(Business.name == "Cửa hàng Đã Nghỉ"))
    registry.record_status(world.ward_official, closed, registry.BusinessStatus.CEASED, registry.today(), None)
    db.session.commit()
    web.sign_in(world.ward_official)
    page = web.get("/internal/businesses/?status=ceased")
    assert "Cửa hàng Đã Nghỉ" in page.text() and "Cửa hàng Đang Bán" not in page.text()
    assert page.value("status") == "ceased"
