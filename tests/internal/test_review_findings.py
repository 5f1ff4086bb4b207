"""Edge cases found in review: each would have been a 500, a leak or a silent overwrite."""
import pytest
from sqlalchemy import select

from portal.db import utcnow
from portal.extensions import db
from portal.models import UserSession
from tests.factories import PASSWORD


def test_reading_pages_keeps_the_session_alive(web, world):
    from datetime import timedelta

    web.sign_in(world.viewer)
    row = db.session.scalar(select(UserSession))
    row.last_seen_at = utcnow() - timedelta(minutes=25)
    db.session.commit()
    web.get("/internal/units/")
    db.session.refresh(row)
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)


@pytest.mark.csrf
def test_refused_password_change_never_echoes_any_password(web, world):
    token = web.get("/internal/login").csrf_token()
    web.post("/internal/login", {"username": "ward", "password": PASSWORD, "csrf_token": token}, status=303)
    secret = "Bi-mat-moi-2026-abc"
    page = web.post("/internal/account/password", {"current_password": PASSWORD, "new_password": secret,
                                                   "confirm": secret, "csrf_token": "stale"},
                    status=400, headers={"Origin": "http://localhost"})
    assert secret not in page.html and PASSWORD not in page.html


def test_an_administrator_edits_their_own_unit_but_cannot_move_it(web, world):
    web.sign_in(world.province_admin)
    form = web.get(f"/internal/units/{world.province.id}/edit")
    assert form.value("parent_id") == str(world.root.id)
    data = {"name": world.province.name, "kind": "peoples_committee", "parent_id": world.root.id,
            "province_code": world.province.province_code, "ward_code": "", "phone": "0237 3852 000",
            "version": world.province.version}
    web.post(f"/internal/units/{world.province.id}/edit", data, status=303)
    db.session.refresh(world.province)
    assert world.province.phone == "02373852000"
    data.update(parent_id=world.ward_a.id, version=world.province.version)
    web.post(f"/internal/units/{world.province.id}/edit", data, status=422)


@pytest.mark.parametrize("url", [
    "/internal/units/99999999999999999999999", "/internal/users/99999999999999999999999/edit",
    "/internal/units/2147483648"])
def test_ids_out_of_range_are_not_found(web, world, url):
    web.sign_in(world.admin)
    web.get(url, status=404)


def test_numbers_out_of_range_in_forms_and_queries_are_refused_cleanly(web, world):
    web.sign_in(world.admin)
    web.get("/internal/units/new?parent=99999999999999999999")
    web.get("/internal/units/ward-field?province_code=99999999999999999999")
    web.get("/internal/audit/?page=99999999999999999999")
    page = web.post("/internal/units/new", {"name": "X", "kind": "office", "parent_id": world.root.id,
                                            "province_code": "99999999999999999999", "version": 1}, status=422)
    assert page.field_error("province_code")


@pytest.mark.parametrize("url,data", [
    ("/internal/login", {"username": "adm\x00in", "password": "x"}),
    ("/internal/users/?q=a%00b", None),
])
def test_nul_bytes_are_a_bad_request(web, world, url, data):
    if data is None:
        web.sign_in(world.admin)
        web.get(url, status=400)
    else:
        web.post(url, data, status=400)


def test_user_names_are_plain_ascii(web, world):
    web.sign_in(world.admin)
    for bad in ("İ" * 60, "admin\u200b", "ab", "a b"):
        page = web.post("/internal/users/new", {
            "username": bad, "full_name": "X", "unit_id": world.root.id, "roles": ["viewer"],
            "password": "a long enough passphrase", "version": 1}, status=422)
        assert page.field_error("username"), bad


def test_administrators_cannot_reset_their_own_password(web, world):
    web.sign_in(world.admin)
    web.get(f"/internal/users/{world.admin.id}/password", status=403)
    web.post(f"/internal/users/{world.admin.id}/password", {"password": "a long enough passphrase"},
             status=403)


def test_a_change_of_roles_alone_moves_the_version(web, world):
    web.sign_in(world.admin)
    base = {"full_name": world.leader.full_name, "email": "", "unit_id": world.province.id, "active": "y",
            "version": world.leader.version}
    web.post(f"/internal/users/{world.leader.id}/edit", {**base, "roles": ["leader", "viewer"]}, status=303)
    page = web.post(f"/internal/users/{world.leader.id}/edit", {**base, "roles": ["officer"]}, status=409)
    assert page.value("full_name") == world.leader.full_name
    db.session.refresh(world.leader)
    assert {r.value for r in world.leader.roles} == {"leader", "viewer"}


def test_405_keeps_the_allow_header(web):
    response = web.client.put("/internal/login")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}
