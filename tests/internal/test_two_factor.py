"""The second factor: TOTP codes per RFC 6238 from any authenticator app, recovery codes, and
the sign-in that asks for them."""
from __future__ import annotations

import base64
import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEntry, RecoveryCode
from portal.services import two_factor
from portal.services.two_factor import code_at, current_step, matching_step

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


def sign_in_password(client, user, password="correct horse battery staple 1"):
    from tests.factories import PASSWORD

    return client.post("/internal/login", data={"username": user.username, "password": PASSWORD})


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
    from tests.factories import PASSWORD

    web.post("/internal/account/two-factor/off", {"off-password": PASSWORD}, status=303)
    db.session.refresh(world.ward_official)
    assert world.ward_official.totp_confirmed_at is None
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0


def test_an_administrator_clears_a_lost_second_factor(app, web, world):
    from tests.helpers import Browser

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
