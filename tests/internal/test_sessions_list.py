"""A staff member sees where their account is signed in and can end any other session."""
from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, UserSession
from tests.helpers import Browser


def second_device(app, user) -> Browser:
    other = Browser(app.test_client())
    other.client.environ_base["HTTP_USER_AGENT"] = "PhoneBrowser/1.0 (Android)"
    other.sign_in(user)
    return other


def test_lists_live_sessions_and_marks_this_one(app, web, world):
    web.sign_in(world.ward_official)
    second_device(app, world.ward_official)
    page = web.get("/internal/account/sessions")
    rows = page.soup.select("tbody tr")
    assert len(rows) == 2
    assert "PhoneBrowser/1.0" in page.text()
    assert sum("Phiên này" in row.get_text() for row in rows) == 1


def test_ending_another_session_signs_that_device_out(app, web, world):
    web.sign_in(world.ward_official)
    phone = second_device(app, world.ward_official)
    phone.get("/internal/account/")
    mine = {s.id for s in db.session.scalars(select(UserSession).where(UserSession.user_id == world.ward_official.id))}
    page = web.get("/internal/account/sessions")
    form = page.soup.select_one("tbody form")
    web.post(form["action"], status=303)
    response = phone.client.get("/internal/account/")
    assert response.status_code == 302 and "/internal/login" in response.headers["Location"]
    web.get("/internal/account/")  # this session goes on
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.session_ended"))
    assert len(mine) == 2


def test_cannot_end_someone_elses_session(app, web, world):
    victim = second_device(app, world.leader)
    theirs = db.session.scalar(select(UserSession).where(UserSession.user_id == world.leader.id))
    web.sign_in(world.ward_official)
    web.post(f"/internal/account/sessions/{theirs.id}/end", status=303)
    victim.get("/internal/account/")  # still signed in
    db.session.refresh(theirs)
    assert theirs.ended_at is None


def test_end_every_other_session(app, web, world):
    web.sign_in(world.ward_official)
    phones = [second_device(app, world.ward_official) for _ in range(2)]
    web.post("/internal/account/sessions/end-others", status=303)
    for phone in phones:
        assert phone.client.get("/internal/account/").status_code == 302
    assert len(web.get("/internal/account/sessions").soup.select("tbody tr")) == 1
