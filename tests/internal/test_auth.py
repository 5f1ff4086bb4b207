"""Signing in and out, throttling, sessions that really end, and password changes."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.db import utcnow
from portal.extensions import db
from portal.models import AuditEntry, SignInAttempt, UserSession
from tests.factories import PASSWORD, make_user


def test_every_staff_page_needs_a_signed_in_user(web, world):
    for url in ("/internal/", "/internal/overview", "/internal/units/", f"/internal/units/{world.root.id}", "/internal/users/",
                "/internal/audit/", "/internal/account/"):
        response = web.client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/internal/login?next=")


def test_sign_in_with_right_password_opens_my_work(web, world):
    response = web.sign_in(world.ward_official)
    assert response.response.headers["Location"] == "/internal/"
    page = web.get("/internal/")
    assert "Ward" in page.text() and "UBND phường Hàm Rồng" in page.text()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.sign_in"))
    assert entry.actor_id == world.ward_official.id


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(web, world):
    response = web.client.post("/internal/login", data={
        "username": "WARD ", "password": PASSWORD, "next": "/internal/units/"})
    assert response.headers["Location"] == "/internal/units/"
    web.sign_out()
    for evil in ("https://evil.example/", "//evil.example/internal/", "/\\evil.example", "/public-page"):
        response = web.client.post("/internal/login", data={
            "username": "ward", "password": PASSWORD, "next": evil})
        assert response.headers["Location"] == "/internal/", evil
        web.sign_out()


@pytest.mark.parametrize("username", ["ward", "nobody"])
def test_wrong_password_or_unknown_user_get_the_same_answer(web, world, username):
    page = web.post("/internal/login", {"username": username, "password": "wrong password!"}, status=422)
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page.text()
    assert page.value("username") == username  # what was typed is kept
    assert page.value("password") in (None, "")  # a password is never sent back
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "auth.sign_in_failed")) == 1


def test_empty_form_is_refused_next_to_the_fields(web, world):
    page = web.post("/internal/login", {"username": "  ", "password": ""}, status=422)
    assert page.field_error("username") == "Đây là trường bắt buộc."
    assert page.field_error("password") == "Đây là trường bắt buộc."


def test_locked_account_cannot_sign_in(web, world):
    make_user("locked", world.ward_a, active=False)
    db.session.commit()
    web.post("/internal/login", {"username": "locked", "password": PASSWORD}, status=422)


def test_repeated_failures_throttle_the_user_name(web, world, app):
    limit = app.config["SIGN_IN_MAX_FAILURES"]
    for _ in range(limit):
        web.post("/internal/login", {"username": "ward", "password": "wrong password!"}, status=422)
    page = web.post("/internal/login", {"username": "ward", "password": PASSWORD}, status=429)
    assert "thử lại sau" in page.text()
    assert page.value("username") == "ward"
    # another user is not affected
    web.sign_in(world.sibling_official)


def test_throttle_lifts_when_the_window_has_passed(web, world, app):
    old = utcnow() - timedelta(minutes=app.config["SIGN_IN_WINDOW_MINUTES"] + 1)
    for _ in range(app.config["SIGN_IN_MAX_FAILURES"]):
        db.session.add(SignInAttempt(username="ward", ip="127.0.0.1", at=old, succeeded=False))
    db.session.commit()
    web.sign_in(world.ward_official)


def test_sign_out_ends_the_session_on_the_server(app, world):
    client = app.test_client()
    client.post("/internal/login", data={"username": "ward", "password": PASSWORD})
    stolen = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    assert client.get("/internal/").status_code == 200
    assert client.post("/internal/logout").status_code == 303

    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], stolen)
    response = thief.get("/internal/")
    assert response.status_code == 302 and "/internal/login" in response.headers["Location"]
    assert db.session.scalar(select(UserSession.ended_at)) is not None


def test_sign_out_is_a_post(web, world):
    web.sign_in(world.ward_official)
    web.get("/internal/logout", status=405)
    assert web.get("/internal/").status == 200


def test_idle_session_expires(web, world, app):
    web.sign_in(world.ward_official)
    row = db.session.scalar(select(UserSession))
    row.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db.session.commit()
    response = web.client.get("/internal/")
    assert response.status_code == 302
    db.session.refresh(row)
    assert row.ended_at is not None  # over on the server too, not only for this request


def test_a_busy_session_still_ends_after_its_absolute_lifetime(web, world, app):
    web.sign_in(world.ward_official)
    row = db.session.scalar(select(UserSession))
    row.created_at = utcnow() - timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"], minutes=1)
    row.last_seen_at = utcnow()
    db.session.commit()
    assert web.client.get("/internal/").status_code == 302


def test_locking_an_account_ends_its_sessions(app, web, world):
    victim = app.test_client()
    victim.post("/internal/login", data={"username": "ward", "password": PASSWORD})
    assert victim.get("/internal/").status_code == 200
    web.sign_in(world.admin)
    web.post(f"/internal/users/{world.ward_official.id}/lock", status=303)
    assert victim.get("/internal/").status_code == 302  # at once, not at the next sign-in
    assert victim.post("/internal/login", data={"username": "ward", "password": PASSWORD}).status_code == 422


def test_password_change_checks_the_rules_and_keeps_what_was_typed(web, world):
    web.sign_in(world.ward_official)
    page = web.post("/internal/account/password", {
        "current_password": "not it", "new_password": "short", "confirm": "different"}, status=422)
    assert "Mật khẩu hiện tại không đúng" in page.field_error("current_password")
    assert "ít nhất 12 ký tự" in page.field_error("new_password")
    assert "không khớp" in page.field_error("confirm")
    page = web.post("/internal/account/password", {
        "current_password": PASSWORD, "new_password": "matkhau@123", "confirm": "matkhau@123"}, status=422)
    assert page.field_error("new_password")
    page = web.post("/internal/account/password", {  # long enough, but on the list of common passwords
        "current_password": PASSWORD, "new_password": "123456789012", "confirm": "123456789012"}, status=422)
    assert page.field_error("new_password") == "Mật khẩu này quá phổ biến; vui lòng chọn mật khẩu khác."
    too_long = "lúa " * 33
    page = web.post("/internal/account/password", {
        "current_password": PASSWORD, "new_password": too_long, "confirm": too_long}, status=422)
    assert "tối đa 128 ký tự" in page.field_error("new_password")
    page = web.post("/internal/account/password", {
        "current_password": PASSWORD, "new_password": "my ward is hàm rồng, ward", "confirm": "my ward is hàm rồng, ward"},
        status=422)
    assert "tên đăng nhập" in page.field_error("new_password")


def test_password_change_ends_the_other_sessions(app, world):
    other = app.test_client()
    other.post("/internal/login", data={"username": "ward", "password": PASSWORD})
    me = app.test_client()
    me.post("/internal/login", data={"username": "ward", "password": PASSWORD})
    new = "lúa chín vàng trên đồi"
    response = me.post("/internal/account/password", data={
        "current_password": PASSWORD, "new_password": new, "confirm": new})
    assert response.status_code == 303
    assert me.get("/internal/").status_code == 200
    assert other.get("/internal/").status_code == 302
    me.post("/internal/logout")
    assert me.post("/internal/login", data={"username": "ward", "password": new}).status_code == 303


def test_temporary_password_must_be_changed_first(web, world):
    world.ward_official.must_change_password = True
    db.session.commit()
    web.sign_in(world.ward_official)
    response = web.client.get("/internal/units/")
    assert response.status_code == 302 and response.headers["Location"] == "/internal/account/password"
