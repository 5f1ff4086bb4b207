"""Administrators manage accounts within their scope; the audit log records every change."""
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, User
from tests.factories import PASSWORD


def user_form(world, **changes):
    data = {"username": "Canbo.Moi", "full_name": "Cán bộ Mới", "email": "", "unit_id": world.ward_a.id,
            "roles": ["ward_official"], "active": "y", "password": "ruộng lúa bờ tre xanh", "version": 1}
    data.update(changes)
    return data


def test_create_an_account_that_must_change_its_password(web, world):
    web.sign_in(world.province_admin)
    web.post("/internal/users/new", user_form(world), status=303)
    user = db.session.scalar(select(User).where(User.username == "canbo.moi"))
    assert user.unit_id == world.ward_a.id and {r.value for r in user.roles} == {"ward_official"}
    assert user.must_change_password
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.created"))
    assert entry.after["roles"] == ["ward_official"] and "password" not in str(entry.after)


def test_refused_account_keeps_what_was_typed(web, world):
    web.sign_in(world.province_admin)
    page = web.post("/internal/users/new", user_form(
        world, username="ward", password="123456", roles=[], unit_id=world.other_province.id), status=422)
    assert page.field_error("unit_id")
    assert page.value("full_name") == "Cán bộ Mới"
    page = web.post("/internal/users/new", user_form(world, username="ward", password="123456", roles=[]),
                    status=422)
    assert page.field_error("username") == "Tên đăng nhập này đã được sử dụng."
    assert page.field_error("password")
    assert page.field_error("roles")
    assert page.value("username") == "ward"


def test_edit_changes_roles_and_records_before_and_after(web, world):
    web.sign_in(world.admin)
    data = user_form(world, roles=["ward_official", "viewer"], full_name="Lê Văn Phường",
                     version=world.ward_official.version)
    del data["username"], data["password"]
    web.post(f"/internal/users/{world.ward_official.id}/edit", data, status=303)
    db.session.refresh(world.ward_official)
    assert {r.value for r in world.ward_official.roles} == {"ward_official", "viewer"}
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.updated"))
    assert entry.before == {"full_name": "Ward", "roles": ["ward_official"]}
    assert entry.after == {"full_name": "Lê Văn Phường", "roles": ["viewer", "ward_official"]}


def test_administrator_cannot_lock_themselves_out(web, world):
    web.sign_in(world.admin)
    data = user_form(world, unit_id=world.root.id, roles=["viewer"], version=world.admin.version)
    del data["username"], data["password"]
    page = web.post(f"/internal/users/{world.admin.id}/edit", data, status=422)
    assert page.field_error("roles")
    web.post(f"/internal/users/{world.admin.id}/lock", status=403)


def test_reset_password_ends_sessions_and_forces_a_change(app, web, world):
    victim = app.test_client()
    victim.post("/internal/login", data={"username": "ward", "password": PASSWORD})
    web.sign_in(world.admin)
    web.post(f"/internal/users/{world.ward_official.id}/password", {"password": "tạm thời đổi ngay nhé"},
             status=303)
    assert victim.get("/internal/").status_code == 302
    db.session.refresh(world.ward_official)
    assert world.ward_official.must_change_password


def test_users_page_lists_the_scope_with_a_search(web, world):
    web.sign_in(world.province_admin)
    text = web.get("/internal/users/?q=WARD").text()
    assert "ward2" in text and "leader" not in text


def test_audit_log_filters_and_scope(web, world):
    web.sign_in(world.ward_official)
    web.sign_out()
    web.post("/internal/login", {"username": "viewer", "password": "wrong password!"}, status=422)
    web.sign_in(world.province_admin)
    page = web.get("/internal/audit/?action=auth.sign_in")
    rows = page.soup.select("tbody tr")
    assert {r.find_all("td")[1].get_text(strip=True) for r in rows} == {"ward", "tinh.admin"}
    assert "viewer" not in web.get("/internal/audit/").text()  # another province's events
    web.sign_out()
    web.sign_in(world.admin)
    assert "viewer" in web.get("/internal/audit/?user=viewer").text()
