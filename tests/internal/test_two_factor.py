"""The second factor: TOTP codes per RFC 6238 from any authenticator app, recovery codes, and
the sign-in that asks for them."""
from __future__ import annotations

import base64
import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEntry, RecoveryCode, Role, User
from portal.services import two_factor
from portal.services.two_factor import code_at, current_step, matching_step
from tests.factories import PASSWORD, make_user
from tests.helpers import Browser, current_code

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize("at, code", [(59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924"),
                                      (2000000000, "69279037")])
def test_codes_match_the_rfc_6238_test_vectors(at, code):
    assert code_at(RFC_SECRET, at // 30, digits=8) == code


def test_one_step_of_drift_is_accepted_and_a_used_step_is_not():
    now = 1_700_000_000
    step = now // 30
    assert matching_step(RFC_SECRET, code_at(RFC_SECRET, step - 1), after=None, now=now) == step - 1
    assert matching_step(RFC_SECRET, code_at(RFC_SECRET, step + 1), after=None, now=now) == step + 1
    assert matching_step(RFC_SECRET, code_at(RFC_SECRET, step - 2), after=None, now=now) is None
    assert matching_step(RFC_SECRET, code_at(RFC_SECRET, step), after=step, now=now) is None
    assert matching_step(RFC_SECRET, "12 34", after=None, now=now) is None


def enrol(web, user) -> tuple[str, list[str]]:
    """Set up the second factor through the pages, as a user would; (secret, recovery codes)."""
    page = web.get("/internal/account/two-factor")
    secret = page.soup.select_one("code.secret").get_text(strip=True)
    assert page.soup.select_one("img.qr")["src"].startswith("data:image/svg+xml")
    done = web.post("/internal/account/two-factor", {"code": code_at(secret, current_step())})
    assert done.response.headers["Cache-Control"] == "no-store"
    codes = [c.get_text(strip=True) for c in done.soup.select(".recovery-codes code")]
    return secret, codes


def test_setting_up_refuses_a_wrong_code_then_turns_on_with_the_right_one(web, world):
    web.sign_in(world.ward_official)
    page = web.get("/internal/account/two-factor")
    secret = page.soup.select_one("code.secret").get_text(strip=True)
    wrong = str((int(code_at(secret, current_step())) + 1) % 1_000_000).zfill(6)
    refused = web.post("/internal/account/two-factor", {"code": wrong}, status=422)
    assert refused.field_error("code")
    assert refused.soup.select_one("code.secret").get_text(strip=True) == secret  # the same key while setting up
    db.session.refresh(world.ward_official)
    assert world.ward_official.totp_confirmed_at is None
    done = web.post("/internal/account/two-factor", {"code": code_at(secret, current_step())})
    codes = [c.get_text(strip=True) for c in done.soup.select(".recovery-codes code")]
    assert len(codes) == 10 and len(set(codes)) == 10
    db.session.refresh(world.ward_official)
    assert world.ward_official.totp_secret == secret and world.ward_official.totp_confirmed_at
    stored = set(db.session.scalars(select(RecoveryCode.code_hash).where(
        RecoveryCode.user_id == world.ward_official.id)))
    assert len(stored) == 10 and not set(codes) & stored  # only hashes are kept
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.two_factor_enabled"))


def sign_in_password(client, user, password=PASSWORD):
    """The first step only: the user name and password."""
    return client.post("/internal/login", data={"username": user.username, "password": password})


def test_sign_in_asks_for_the_code_and_accepts_each_code_once(app, web, world):
    web.sign_in(world.ward_official)
    secret, _ = enrol(web, world.ward_official)
    web.post("/internal/logout", status=303)

    response = sign_in_password(web.client, world.ward_official)
    assert response.status_code == 303 and response.headers["Location"].endswith("/internal/login/code")
    assert web.client.get("/internal/").status_code == 302  # not signed in before the code
    db.session.refresh(world.ward_official)
    used = world.ward_official.totp_last_step
    code = code_at(secret, used + 1)  # the next step's code (one step of drift is allowed)
    response = web.client.post("/internal/login/code", data={"code": code})
    assert response.status_code == 303
    assert web.client.get("/internal/").status_code == 200
    web.post("/internal/logout", status=303)

    sign_in_password(web.client, world.ward_official)
    replay = web.client.post("/internal/login/code", data={"code": code})
    assert replay.status_code == 422 and "không đúng" in replay.get_data(as_text=True)
    assert web.client.get("/internal/").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "auth.second_factor_failed")) == 1


def test_a_recovery_code_signs_in_once(web, world):
    web.sign_in(world.ward_official)
    _, codes = enrol(web, world.ward_official)
    web.post("/internal/logout", status=303)
    sign_in_password(web.client, world.ward_official)
    assert web.client.post("/internal/login/code", data={"code": codes[0].upper()}).status_code == 303
    web.post("/internal/logout", status=303)
    sign_in_password(web.client, world.ward_official)
    assert web.client.post("/internal/login/code", data={"code": codes[0]}).status_code == 422
    assert web.client.post("/internal/login/code", data={"code": codes[1]}).status_code == 303
    assert two_factor.recovery_codes_left(world.ward_official) == 8


def test_guessing_codes_is_throttled(web, world):
    web.sign_in(world.ward_official)
    enrol(web, world.ward_official)
    web.post("/internal/logout", status=303)
    sign_in_password(web.client, world.ward_official)
    statuses = [web.client.post("/internal/login/code", data={"code": "000000"}).status_code for _ in range(6)]
    assert statuses[:4] == [422] * 4 and 429 in statuses
    page = web.client.get("/internal/login/code")
    assert page.status_code == 303 or page.status_code == 302  # the pending sign-in is gone: start again


def test_leaders_cannot_turn_it_off_others_can_with_their_password(web, world):
    web.sign_in(world.ward_official)
    enrol(web, world.ward_official)
    web.post("/internal/account/two-factor/off", {"off-password": "wrong"}, status=303)
    db.session.refresh(world.ward_official)
    assert world.ward_official.totp_confirmed_at is not None
    web.post("/internal/account/two-factor/off", {"off-password": PASSWORD}, status=303)
    db.session.refresh(world.ward_official)
    assert world.ward_official.totp_confirmed_at is None
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0


def test_an_administrator_clears_a_lost_second_factor(app, web, world):
    official = Browser(app.test_client())
    official.sign_in(world.ward_official)
    enrol(official, world.ward_official)
    web.sign_in(world.province_admin)
    page = web.get(f"/internal/users/{world.ward_official.id}/password")
    form = page.soup.find("form", action=re.compile("two-factor/reset"))
    web.post(form["action"], status=303)
    db.session.refresh(world.ward_official)
    assert world.ward_official.totp_secret is None
    assert official.client.get("/internal/").status_code == 302  # their sessions ended
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.two_factor_reset"))


# --- required for administrators and leaders (setting TWO_FACTOR_REQUIRED_ROLES)

ENROL = "/internal/account/two-factor"


def staff_urls(app):
    """(method, url) of every staff route, with made-up ids: the gate answers before any view."""
    from portal.internal import ENROLMENT_ENDPOINTS, OPEN_ENDPOINTS

    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("internal.") or rule.endpoint in OPEN_ENDPOINTS | ENROLMENT_ENDPOINTS:
            continue
        values = {name: sorted(conv.items)[0] if hasattr(conv, "items") else
                  1 if type(conv).__name__ == "IntegerConverter" else "x"
                  for name, conv in rule._converters.items()}
        url = adapter.build(rule.endpoint, values)
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield method, url


@pytest.mark.parametrize("role", [Role.ADMIN, Role.LEADER])
def test_without_a_second_factor_an_administrator_or_leader_reaches_only_its_set_up(app, web, world, role):
    user = make_user("chua.dang.ky", world.province, role, enrol=False)
    db.session.commit()
    assert web.sign_in(user).response.headers["Location"] == "/internal/"  # the password was enough…
    urls = list(staff_urls(app))
    assert len(urls) > 100
    for method, url in urls:  # …for nothing but setting up the second factor
        response = web.client.open(url, method=method)
        assert (response.status_code, response.headers.get("Location")) == (302, ENROL), (method, url)
        response = web.client.open(url, method=method, headers={"HX-Request": "true"})
        assert (response.status_code, response.headers.get("HX-Redirect")) == (403, ENROL), (method, url)
    page = web.get(ENROL)
    assert "Vai trò của bạn bắt buộc dùng xác thực hai lớp" in page.text()
    enrol(web, user)
    web.get("/internal/")
    web.get("/internal/units/")
    web.sign_out()
    assert sign_in_password(web.client, user).headers["Location"].endswith("/internal/login/code")


def test_signing_out_is_allowed_before_setting_it_up(web, world):
    user = make_user("chua.dang.ky", world.province, Role.LEADER, enrol=False)
    db.session.commit()
    web.sign_in(user)
    web.sign_out()
    assert web.client.get(ENROL).headers["Location"].startswith("/internal/login")


@pytest.mark.parametrize("who", ["admin", "leader", "province_admin"])
def test_an_enrolled_administrator_or_leader_needs_the_code(web, world, who):
    user = getattr(world, who)
    response = sign_in_password(web.client, user)
    assert response.status_code == 303 and response.headers["Location"].endswith("/internal/login/code")
    assert web.client.get("/internal/").status_code == 302  # not signed in yet
    wrong = str((int(current_code(user)) + 1) % 1_000_000).zfill(6)
    web.post("/internal/login/code", {"code": wrong}, status=422)
    assert web.client.get("/internal/").status_code == 302
    web.post("/internal/login/code", {"code": current_code(user)}, status=303)
    web.get("/internal/")


def test_a_ward_official_is_not_forced(web, world):
    response = sign_in_password(web.client, world.ward_official)
    assert response.headers["Location"] == "/internal/"
    web.get("/internal/")
    web.get("/internal/units/")
    assert "Vai trò của bạn bắt buộc" not in web.get(ENROL).text()  # offered, not demanded


def test_gaining_a_required_role_sends_to_the_set_up_at_the_next_request(app, web, world):
    official = Browser(app.test_client())
    official.sign_in(world.ward_official)
    official.get("/internal/units/")
    web.sign_in(world.admin)
    web.post(f"/internal/users/{world.ward_official.id}/edit", {
        "full_name": "Ward", "email": "", "unit_id": world.ward_a.id, "roles": ["ward_official", "leader"],
        "active": "y", "version": world.ward_official.version}, status=303)
    response = official.client.get("/internal/units/")
    assert (response.status_code, response.headers["Location"]) == (302, ENROL)
    enrol(official, world.ward_official)
    official.get("/internal/units/")


def test_an_administrators_reset_sends_a_leader_back_to_the_set_up(app, web, world):
    leader = Browser(app.test_client())
    leader.sign_in(world.leader)
    web.sign_in(world.admin)
    web.post(f"/internal/users/{world.leader.id}/two-factor/reset", status=303)
    assert leader.client.get("/internal/").status_code == 302  # their sessions ended
    response = sign_in_password(leader.client, world.leader)
    assert response.headers["Location"] == "/internal/"  # no code to ask for any more…
    assert leader.client.get("/internal/").headers["Location"] == ENROL  # …so it is set up again first
    secret, _ = enrol(leader, world.leader)
    db.session.refresh(world.leader)
    assert world.leader.totp_secret == secret
    leader.get("/internal/")


def test_leaders_cannot_turn_it_off_even_with_their_password(web, world):
    web.sign_in(world.leader)
    page = web.post("/internal/account/two-factor/off", {"off-password": PASSWORD}, status=303)
    db.session.refresh(world.leader)
    assert two_factor.enabled(world.leader)
    assert "Vai trò của bạn bắt buộc" in web.get(page.response.headers["Location"]).text()


def test_a_temporary_password_does_not_bypass_the_second_factor(web, world):
    """ASVS 6.4.3: an administrator's password reset leaves the second factor in place."""
    web.sign_in(world.admin)
    temporary = "tạm thời đổi ngay nhé"
    web.post(f"/internal/users/{world.leader.id}/password", {"password": temporary}, status=303)
    web.sign_out()
    response = sign_in_password(web.client, world.leader, temporary)
    assert response.headers["Location"].endswith("/internal/login/code")
    assert web.client.get("/internal/account/password").status_code == 302  # not in without the code
    web.post("/internal/login/code", {"code": current_code(world.leader)}, status=303)
    assert web.client.get("/internal/").headers["Location"] == "/internal/account/password"


def test_a_new_leader_changes_the_temporary_password_then_sets_up_the_second_factor(web, world):
    web.sign_in(world.admin)
    web.post("/internal/users/new", {
        "username": "lanh.dao.moi", "full_name": "Lãnh đạo Mới", "email": "", "unit_id": world.province.id,
        "roles": ["leader"], "active": "y", "password": "ruộng lúa bờ tre xanh", "version": 1}, status=303)
    web.sign_out()
    user = db.session.scalar(select(User).where(User.username == "lanh.dao.moi"))
    assert sign_in_password(web.client, user, "ruộng lúa bờ tre xanh").headers["Location"] == "/internal/"
    assert web.client.get("/internal/").headers["Location"] == "/internal/account/password"
    new = "cánh đồng lúa chín vàng"
    web.post("/internal/account/password", {
        "current_password": "ruộng lúa bờ tre xanh", "new_password": new, "confirm": new}, status=303)
    assert web.client.get("/internal/").headers["Location"] == ENROL
    enrol(web, user)
    web.get("/internal/")


def test_demo_accounts_get_the_published_key_and_only_their_codes_are_printed(app, web, world):
    from portal.demo import DEMO_TOTP_SECRET, enrol_with_demo_key

    demo_leader = make_user("demo.leader", world.province, Role.LEADER, enrol=False)
    db.session.commit()
    # the leader without a key gets the demo key; a ward official needs none; a leader's own key stays
    assert enrol_with_demo_key(["demo.leader", "ward", "leader"]) == 1
    db.session.commit()
    assert (demo_leader.totp_secret, world.ward_official.totp_secret) == (DEMO_TOTP_SECRET, None)
    assert world.leader.totp_secret not in (None, DEMO_TOTP_SECRET)
    assert enrol_with_demo_key(["demo.leader"]) == 0

    cli = app.test_cli_runner()
    before = current_step()
    printed = cli.invoke(args=["demo-code", "Demo.Leader"])
    assert printed.exit_code == 0, printed.output
    assert printed.output.strip() in {code_at(DEMO_TOTP_SECRET, step) for step in (before, current_step())}
    for other in ("leader", "ward", "nobody"):  # a real key's codes are never printed
        refused = cli.invoke(args=["demo-code", other])
        assert refused.exit_code != 0 and not re.search(r"\d{6}", refused.output), other

    sign_in_password(web.client, demo_leader)
    web.post("/internal/login/code", {"code": printed.output.strip()}, status=303)
    web.get("/internal/")
