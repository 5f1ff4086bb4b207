"""Staff pages of the hotlines: every route, for the roles allowed, a sibling unit and a missing one."""
import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Hotline, Role
from portal.services import hotlines
from tests.factories import THANH_HOA, make_user


def add(actor, unit, **extra):
    values = dict(unit_id=unit.id, label="Đường dây nóng Thanh Hóa", phones=["0908538844"],
                  province_code=unit.province_code, ward_code=unit.ward_code)
    values.update(extra)
    line = hotlines.create(actor, hotlines.HotlineData(**values))
    db.session.commit()
    return line


def form(unit, **extra):
    values = {"unit_id": str(unit.id), "label": "Đường dây nóng", "phones": "0908 538 844\n+84913983323, 0908.538.844",
              "email": "qltt@thanhhoa.gov.vn", "address": "Số 1 Lê Lợi", "hours": "24/7",
              "province_code": str(unit.province_code or ""), "ward_code": str(unit.ward_code or ""),
              "published": "y", "position": "1", "version": "1"}
    values.update(extra)
    return values


@pytest.fixture
def sibling_leader(world):
    """A leader of another province: a sibling of Thanh Hóa under the national committee."""
    return make_user("laocai.leader", world.other_province, Role.LEADER)


@pytest.mark.parametrize("who", ["leader", "province_admin", "admin"])
def test_managers_open_every_page(web, world, who):
    line = add(world.leader, world.ward_a)
    web.sign_in(getattr(world, who))
    assert "0908 538 844" in web.get("/internal/hotlines/").text()
    assert web.get("/internal/hotlines/new").soup.find(id="phones") is not None
    assert web.get(f"/internal/hotlines/{line.id}/edit").value("label") == "Đường dây nóng Thanh Hóa"
    assert "Đường dây nóng Thanh Hóa" in web.get(f"/internal/hotlines/{line.id}/delete").text()
    assert web.get(f"/internal/hotlines/ward-field?province_code={THANH_HOA}").soup.find(id="ward_code")


def test_a_leader_adds_a_hotline_with_several_numbers(web, world):
    web.sign_in(world.leader)
    web.post("/internal/hotlines/new", form(world.province), status=303)
    line = db.session.scalar(select(Hotline))
    assert line.phones == "0908538844, 0913983323"
    assert (line.email, line.hours, line.province_code, line.ward_code) == (
        "qltt@thanhhoa.gov.vn", "24/7", THANH_HOA, None)
    assert set(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "Hotline", AuditEntry.object_id == line.id))) == {"hotline.created", "record.created"}


def test_a_wrong_number_is_named_next_to_the_field_and_everything_is_kept(web, world):
    web.sign_in(world.leader)
    typed = "0908538844\n12345"
    page = web.post("/internal/hotlines/new", form(world.province, phones=typed, email="not-an-email"), status=422)
    assert "12345" in page.field_error("phones")
    assert "0908538844" not in page.field_error("phones")
    assert page.field_error("email")
    assert page.value("phones") == typed and page.value("label") == "Đường dây nóng"
    assert page.value("hours") == "24/7" and page.value("address") == "Số 1 Lê Lợi"
    assert page.soup.select_one(".error-summary") is not None
    assert db.session.scalar(select(Hotline)) is None


def test_an_area_outside_the_unit_is_refused_next_to_the_field(web, world):
    web.sign_in(world.leader)
    page = web.post("/internal/hotlines/new", form(world.ward_a, ward_code=str(world.ward_b.ward_code)), status=422)
    assert page.field_error("ward_code")
    assert db.session.scalar(select(Hotline)) is None


@pytest.mark.parametrize("who", ["ward_official", "viewer"])
def test_other_roles_may_not_manage(web, world, who):
    line = add(world.leader, world.ward_a)
    web.sign_in(getattr(world, who))
    web.get("/internal/hotlines/new", status=403)
    web.post("/internal/hotlines/new", form(world.province), status=403)
    if who == "ward_official":
        web.get(f"/internal/hotlines/{line.id}/edit", status=403)
        web.post(f"/internal/hotlines/{line.id}/unpublish", status=403)


def test_a_sibling_unit_gets_403_and_a_missing_hotline_404(web, world, sibling_leader):
    line = add(world.leader, world.ward_a)
    web.sign_in(sibling_leader)
    assert "Đường dây nóng Thanh Hóa" not in web.get("/internal/hotlines/").text()
    web.get(f"/internal/hotlines/{line.id}/edit", status=403)
    web.post(f"/internal/hotlines/{line.id}/edit", form(world.ward_a), status=403)
    web.post(f"/internal/hotlines/{line.id}/unpublish", status=403)
    web.get(f"/internal/hotlines/{line.id}/delete", status=403)
    web.post(f"/internal/hotlines/{line.id}/delete", status=403)
    for url in ("/internal/hotlines/99999/edit", "/internal/hotlines/99999/delete"):
        web.get(url, status=404)
    web.post("/internal/hotlines/99999/publish", status=404)
    assert db.session.get(Hotline, line.id).published is True


def test_edit_publish_and_a_conflicting_edit(web, world):
    line = add(world.leader, world.province)
    web.sign_in(world.leader)
    web.post(f"/internal/hotlines/{line.id}/edit", form(world.province, label="Mới", version=str(line.version)),
             status=303)
    db.session.refresh(line)
    assert line.label == "Mới" and line.version == 2
    stale = web.post(f"/internal/hotlines/{line.id}/edit", form(world.province, label="Cũ", version="1"), status=409)
    assert stale.value("label") == "Cũ"
    web.post(f"/internal/hotlines/{line.id}/unpublish", status=303)
    db.session.refresh(line)
    assert line.published is False and line.label == "Mới"
    web.post(f"/internal/hotlines/{line.id}/publish", status=303)
    db.session.refresh(line)
    assert line.published is True


def test_delete_asks_first_then_removes(web, world):
    line = add(world.leader, world.province)
    web.sign_in(world.leader)
    confirm = web.get(f"/internal/hotlines/{line.id}/delete")
    assert confirm.soup.find("form", attrs={"method": "post"}) is not None
    assert db.session.get(Hotline, line.id) is not None
    line_id = line.id
    web.post(f"/internal/hotlines/{line_id}/delete", status=303)
    db.session.expire_all()
    assert db.session.scalar(select(Hotline.id).where(Hotline.id == line_id)) is None
    assert "hotline.deleted" in db.session.scalars(select(AuditEntry.action)).all()


@pytest.mark.csrf
def test_changes_need_the_csrf_token(web, world):
    line = add(world.leader, world.province)
    web.sign_in(world.leader)  # with the token, and the second factor's code
    page = web.get(f"/internal/hotlines/{line.id}/delete")
    web.post(f"/internal/hotlines/{line.id}/delete", status=400)
    web.post(f"/internal/hotlines/{line.id}/delete", {"csrf_token": page.csrf_token()}, status=303)
