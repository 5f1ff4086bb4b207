"""Administrators manage the units of their scope; every change is audited."""
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Unit


def unit_form(world, **changes):
    data = {"name": "Tổ dân phố số 9", "kind": "residential_group", "parent_id": world.ward_a.id,
            "province_code": world.ward_a.province_code, "ward_code": world.ward_a.ward_code,
            "address": "", "email": "", "phone": "", "version": 1}
    data.update(changes)
    return data


def test_create_a_unit_below_a_ward(web, world):
    web.sign_in(world.province_admin)
    page = web.post("/internal/units/new", unit_form(world, phone="0237 3852 123"), status=303)
    unit = db.session.scalar(select(Unit).where(Unit.name == "Tổ dân phố số 9"))
    assert unit.path == f"{world.ward_a.path}{unit.id}/"
    assert unit.phone == "02373852123"
    assert page.response.headers["Location"] == f"/internal/units/{unit.id}"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.created"))
    assert entry.actor_id == world.province_admin.id and entry.after["name"] == "Tổ dân phố số 9"


def test_bad_input_is_shown_next_to_each_field_and_kept(web, world):
    web.sign_in(world.province_admin)
    other_ward = world.ward_b.ward_code
    page = web.post("/internal/units/new", unit_form(
        world, name="Tổ mới", phone="12345", email="not-an-email"), status=422)
    assert "số điện thoại" in page.field_error("phone")
    assert page.field_error("email")
    assert page.value("name") == "Tổ mới"
    assert page.value("email") == "not-an-email"
    assert page.soup.find(class_="error-summary")
    page = web.post("/internal/units/new", unit_form(world, name="Tổ mới", ward_code=other_ward), status=422)
    assert page.field_error("ward_code")  # a ward of the province, but not the parent's ward
    assert page.value("ward_code") == str(other_ward)
    assert db.session.scalar(select(Unit).where(Unit.name == "Tổ mới")) is None


def test_cannot_place_a_unit_outside_the_scope(web, world):
    web.sign_in(world.province_admin)
    page = web.post("/internal/units/new", unit_form(world, parent_id=world.other_province.id,
                                                         province_code=world.other_province.province_code,
                                                         ward_code=""), status=422)
    assert page.field_error("parent_id")


def test_edit_with_a_stale_version_is_refused(web, world):
    web.sign_in(world.province_admin)
    stale = unit_form(world, name="UBND phường Hàm Rồng (mới)", kind="ward_committee",
                      parent_id=world.province.id, version=world.ward_a.version)
    world.ward_a.address = "changed by someone else"
    db.session.commit()
    page = web.post(f"/internal/units/{world.ward_a.id}/edit", stale, status=409)
    assert page.value("name") == "UBND phường Hàm Rồng (mới)"
    db.session.refresh(world.ward_a)
    assert world.ward_a.name == "UBND phường Hàm Rồng"


def test_moving_a_unit_moves_its_subtree(web, world):
    web.sign_in(world.province_admin)
    data = unit_form(world, name=world.ward_a_office.name, kind="office", parent_id=world.ward_b.id,
                     ward_code=world.ward_b.ward_code, version=world.ward_a_office.version)
    web.post(f"/internal/units/{world.ward_a_office.id}/edit", data, status=303)
    db.session.refresh(world.ward_a_office)
    assert world.ward_a_office.path == f"{world.ward_b.path}{world.ward_a_office.id}/"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.updated"))
    assert entry.before["parent_id"] == world.ward_a.id and entry.after["parent_id"] == world.ward_b.id


def test_a_unit_cannot_go_under_its_own_child(web, world):
    web.sign_in(world.admin)
    data = unit_form(world, name=world.ward_a.name, kind="ward_committee", parent_id=world.ward_a_office.id,
                     version=world.ward_a.version)
    page = web.post(f"/internal/units/{world.ward_a.id}/edit", data, status=422)
    assert page.field_error("parent_id")


def test_ward_field_follows_the_province(web, world):
    web.sign_in(world.admin)
    page = web.get(f"/internal/units/ward-field?province_code={world.other_province.province_code}",
                       headers={"HX-Request": "true"})
    options = [o.get_text() for o in page.soup.find_all("option")]
    assert "Phường Lào Cai" in options and "Phường Hàm Rồng" not in options
    assert page.soup.find("html") is None


def test_a_tampered_choice_is_refused_in_the_users_language(web, world):
    web.sign_in(world.admin)
    page = web.post("/internal/units/new", unit_form(world, kind="spaceship", province_code="99999"), status=422)
    assert page.field_error("kind") == "Lựa chọn không hợp lệ."
    assert page.field_error("province_code") == "Lựa chọn không hợp lệ."


def test_a_unit_with_units_below_cannot_leave_their_area(web, world):
    web.sign_in(world.admin)
    data = unit_form(world, name=world.ward_a.name, kind="ward_committee", parent_id=world.province.id,
                     ward_code=world.ward_b.ward_code, version=world.ward_a.version)
    page = web.post(f"/internal/units/{world.ward_a.id}/edit", data, status=422)
    assert "Hãy chuyển hoặc sửa các đơn vị đó trước" in page.field_error("province_code")
    db.session.refresh(world.ward_a)
    assert world.ward_a.ward_code != world.ward_b.ward_code


def test_a_tampered_version_is_refused_next_to_nothing_untranslated(web, world):
    web.sign_in(world.admin)
    data = unit_form(world, name=world.ward_a.name, kind="ward_committee", parent_id=world.province.id,
                     version="abc")
    page = web.post(f"/internal/units/{world.ward_a.id}/edit", data, status=422)
    summary = page.soup.find(class_="error-summary").get_text(" ", strip=True)
    assert "Phiên bản bản ghi" in summary and "Version" not in summary
