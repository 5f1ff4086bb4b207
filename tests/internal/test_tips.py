"""The tip inbox through HTTP: scope, triage, the waiting time, photos for those who may see the
tip, and the sender's contact, which no response shows to anyone but the tip's handler."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from portal.db import utcnow
from portal.demo import ensure_unit
from portal.extensions import db
from portal.models import AuditEntry, Role, Tip, TipStatus, UnitKind, UserRole
from portal.services import tips
from tests.factories import THANH_HOA, make_user, ward_code
from tests.helpers import Browser, Page
from tests.services.test_tips import jpeg

NAME, PHONE, EMAIL = "Nguyễn Thị Bí Mật", "0912345678", "bimat.nguoibao@example.com"
SECRETS = (NAME, PHONE, "0912 345 678", EMAIL, "Bí Mật", "bimat")


@pytest.fixture
def tip(app, world):
    with app.test_request_context("/"):
        found, _code = tips.submit(tips.TipData(
            what="Đại lý bán sữa bột giả gần chợ Hàm Rồng, hộp không có tem phụ.", province_code=THANH_HOA,
            ward_code=ward_code(THANH_HOA, "Phường Hàm Rồng"), wants_contact=True, contact_name=NAME,
            contact_phone=PHONE, contact_email=EMAIL),
            [FileStorage(stream=io.BytesIO(jpeg(gps=True)), filename="anh.jpg")])
    db.session.commit()
    return found


@pytest.fixture
def staff(world):
    """Everyone who is not the handler, and where they sit."""
    people = {
        "same unit officer": make_user("ward.officer", world.ward_a, Role.OFFICER),
        "ward leader": make_user("ward.leader", world.ward_a, Role.LEADER),
        "provincial leader": world.leader,
        "national admin": world.admin,
        "provincial admin": world.province_admin,
        "provincial viewer": make_user("tinh.viewer", world.province, Role.VIEWER),
        "sibling ward": world.sibling_official,
        "other province viewer": world.viewer,
    }
    db.session.commit()
    return people


def as_user(app, user) -> Browser:
    web = Browser(app.test_client())
    web.sign_in(user)
    return web


def assert_no_secret(page_or_response):
    body = (page_or_response.html.encode() if isinstance(page_or_response, Page)
            else page_or_response.get_data())  # bytes: the photo route too
    for secret in SECRETS:
        assert secret.encode() not in body, secret


def test_the_inbox_lists_tips_in_scope_with_how_long_they_waited(app, world, tip):
    tip.received_at = utcnow() - timedelta(days=3, hours=2)
    db.session.commit()
    web = as_user(app, world.ward_official)
    page = web.get("/internal/tips/?lang=vi")
    row = page.soup.find(id="tips").find("tbody").find("tr")
    assert "3 ngày" in row.get_text() and "row--overdue" in row["class"]
    assert row.find("a")["href"] == f"/internal/tips/{tip.id}"
    fragment = web.get("/internal/tips/?status=open", headers={"HX-Request": "true", "HX-Target": "div#tips"})
    assert fragment.soup.find("html") is None and fragment.soup.find(id="tips") is not None
    assert "Không có tin báo nào" in web.get("/internal/tips/?who=mine").text() or \
        web.get("/internal/tips/?who=mine").soup.find(id="tips").find("a") is None
    assert web.get("/internal/tips/?status=bogus&who=x&waiting=-4&page=1000000000").status == 200


def test_a_sibling_ward_gets_403_and_a_missing_tip_404(app, world, tip):
    web = as_user(app, world.sibling_official)
    assert web.get("/internal/tips/").soup.find(id="tips").find("a") is None
    web.get(f"/internal/tips/{tip.id}", status=403)
    web.get(f"/internal/tips/{tip.id}/photos/{tip.photos[0].id}", status=403)
    web.post(f"/internal/tips/{tip.id}/take", {"version": tip.version}, status=403)
    web.post(f"/internal/tips/{tip.id}/contact", status=403)
    web.get("/internal/tips/999999", status=404)
    assert db.session.get(Tip, tip.id).handler_id is None


def test_triage_take_assign_status_note_and_reply(app, world, tip):
    police = ensure_unit("Công an phường Hàm Rồng", UnitKind.POLICE, world.ward_a, province=THANH_HOA,
                         ward=world.ward_a.ward_code)
    officer = make_user("ca.phuong", police, Role.OFFICER, full_name="Cán bộ Công an")
    db.session.commit()
    web = as_user(app, world.ward_official)
    page = web.get(f"/internal/tips/{tip.id}")
    assert page.soup.find("img")["src"] == f"/internal/tips/{tip.id}/photos/{tip.photos[0].id}"
    web.post(f"/internal/tips/{tip.id}/take", {"version": tip.version}, status=303)
    db.session.refresh(tip)
    assert tip.handler_id == world.ward_official.id

    refused = web.post(f"/internal/tips/{tip.id}/status", {"status": "resolved", "version": tip.version},
                       status=422)
    assert refused.field_error("note")
    web.post(f"/internal/tips/{tip.id}/notes", {"text": "Đã gọi điện xác minh."}, status=303)
    web.post(f"/internal/tips/{tip.id}/reply", {"text": "Cảm ơn bạn, chúng tôi đang xác minh."}, status=303)
    web.post(f"/internal/tips/{tip.id}/status", {"status": "verifying", "version": tip.version}, status=303)
    db.session.refresh(tip)
    stale = web.post(f"/internal/tips/{tip.id}/status", {"status": "received", "version": tip.version - 1},
                     status=409)
    assert stale.soup.find(class_="error-summary") is not None
    web.post(f"/internal/tips/{tip.id}/assign", {"unit_id": police.id, "handler_id": officer.id,
                                                 "version": tip.version}, status=303)
    db.session.refresh(tip)
    assert (tip.unit_id, tip.handler_id, tip.status) == (police.id, officer.id, TipStatus.FORWARDED)
    assert [n.text for n in tip.notes] == ["Đã gọi điện xác minh."]
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == tip.id)))
    assert {"tip.received", "tip.taken", "tip.note_added", "tip.replied", "tip.status", "tip.assigned"} <= actions


def test_viewers_and_administrators_only_read(app, world, tip, staff):
    for who in ("provincial viewer", "national admin", "provincial admin"):
        web = as_user(app, staff[who])
        page = web.get(f"/internal/tips/{tip.id}")
        assert page.soup.find("form", action=f"/internal/tips/{tip.id}/status") is None
        for action, data in (("take", {"version": tip.version}), ("notes", {"text": "x"}),
                             ("reply", {"text": "x"}), ("status", {"status": "verifying", "version": tip.version}),
                             ("assign", {"unit_id": world.ward_a.id, "version": tip.version})):
            web.post(f"/internal/tips/{tip.id}/{action}", data, status=403)
    assert not db.session.get(Tip, tip.id).notes


def test_the_contact_is_in_no_response_to_anyone_but_the_handler(app, world, tip, staff):
    handler = as_user(app, world.ward_official)
    handler.post(f"/internal/tips/{tip.id}/take", {"version": tip.version}, status=303)
    photo = f"/internal/tips/{tip.id}/photos/{tip.photos[0].id}"
    for who, user in staff.items():
        web = as_user(app, user)
        pages = [web.client.get("/internal/tips/"), web.client.get("/internal/tips/?who=unassigned"),
                 web.client.get("/internal/tips/?status=open", headers={"HX-Request": "true", "HX-Target": "#tips"}),
                 web.client.get(f"/internal/tips/{tip.id}"), web.client.get(photo),
                 web.client.post(f"/internal/tips/{tip.id}/contact"),
                 web.client.post(f"/internal/tips/{tip.id}/contact",
                                 headers={"HX-Request": "true", "HX-Target": "section#sender"}),
                 web.client.get("/internal/audit/")]
        for response in pages:
            assert_no_secret(response)
        detail = Page(pages[3])
        if detail.status == 200:
            sender = detail.soup.find(id="sender").get_text(" ", strip=True)
            assert "only the handler can see them" in sender or "chỉ người xử lý" in sender, who
            assert detail.soup.find("form", action=f"/internal/tips/{tip.id}/contact") is None
        assert pages[5].status_code in (403, 404), who
    assert not db.session.scalars(select(AuditEntry).where(AuditEntry.action == "tip.contact_viewed")).all()

    # the handler sees the button, and each look is logged
    page = handler.get(f"/internal/tips/{tip.id}")
    assert_no_secret(page)  # not even the handler's page shows it before asking
    assert page.soup.find("form", action=f"/internal/tips/{tip.id}/contact") is not None
    shown = handler.post(f"/internal/tips/{tip.id}/contact")
    contact = shown.soup.find(id="sender-contact").get_text(" ", strip=True)
    assert NAME in contact and "0912 345 678" in contact and EMAIL in contact
    assert shown.response.headers["Cache-Control"] == "no-store"
    fragment = handler.post(f"/internal/tips/{tip.id}/contact",
                            headers={"HX-Request": "true", "HX-Target": "section#sender"})
    assert fragment.soup.find("html") is None and NAME in fragment.html
    views = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "tip.contact_viewed")).all()
    assert [(v.actor_id, v.object_id) for v in views] == [(world.ward_official.id, tip.id)] * 2


def test_an_anonymous_tip_says_so(app, world):
    with app.test_request_context("/"):
        anonymous, _ = tips.submit(tips.TipData(what="Bán thuốc lá lậu ở đầu ngõ.", province_code=THANH_HOA,
                                                ward_code=ward_code(THANH_HOA, "Phường Hàm Rồng")))
    db.session.commit()
    page = as_user(app, world.ward_official).get(f"/internal/tips/{anonymous.id}?lang=en")
    assert "Anonymous" in page.soup.find(id="sender").get_text()


def test_photos_are_served_as_safe_images_to_those_who_may_see_the_tip(app, world, tip):
    web = as_user(app, world.leader)
    response = web.client.get(f"/internal/tips/{tip.id}/photos/{tip.photos[0].id}")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert b"GPS" not in response.data and response.data.startswith(b"\xff\xd8\xff")
    web.get(f"/internal/tips/{tip.id}/photos/{tip.photos[0].id + 1000}", status=404)


def test_script_in_a_tip_is_escaped_on_every_staff_page(app, world):
    script = '<script>alert("x")</script>'
    with app.test_request_context("/"):
        bad, _ = tips.submit(tips.TipData(what=script + " hàng giả", province_code=THANH_HOA, place=script,
                                          shop=script, ward_code=ward_code(THANH_HOA, "Phường Hàm Rồng"),
                                          wants_contact=True, contact_name=script, contact_phone=PHONE))
        tips.take(world.ward_official, bad)
        tips.add_note(world.ward_official, bad, script)
        tips.reply_to_sender(world.ward_official, bad, script)
    db.session.commit()
    web = as_user(app, world.ward_official)
    for page in (web.get("/internal/tips/"), web.get(f"/internal/tips/{bad.id}"),
                 web.post(f"/internal/tips/{bad.id}/contact")):
        assert "<script>alert" not in page.html and "&lt;script&gt;" in page.html


def test_the_open_count_for_the_menu(app, world, tip):
    from flask_login import login_user

    with app.test_request_context("/internal/"):
        login_user(world.ward_official)
        from flask import render_template_string

        assert render_template_string("{{ open_tip_count() }}") == "1"
        login_user(world.sibling_official)
        assert render_template_string("{{ open_tip_count() }}") == "0"


# --- review: taking a tip someone handles, forged requests, a handler who lost the role ------------

def test_a_colleague_cannot_take_a_tip_someone_else_handles_and_so_see_the_contact(app, world, tip):
    handler = as_user(app, world.ward_official)
    handler.post(f"/internal/tips/{tip.id}/take", {"version": tip.version}, status=303)
    db.session.refresh(tip)
    colleague_user = make_user("ward.officer", world.ward_a, Role.OFFICER)
    db.session.commit()
    colleague = as_user(app, colleague_user)
    for data in ({"version": tip.version}, {}, {"version": "x"}, {"version": tip.version - 1}):
        colleague.post(f"/internal/tips/{tip.id}/take", data, status=303)
        db.session.expire_all()
        assert db.session.get(Tip, tip.id).handler_id == world.ward_official.id, data
    colleague.post(f"/internal/tips/{tip.id}/contact", status=403)


def test_taking_without_the_version_the_page_showed_is_refused(app, world, tip):
    web = as_user(app, world.ward_official)
    web.post(f"/internal/tips/{tip.id}/take", {}, status=303)
    db.session.expire_all()
    assert db.session.get(Tip, tip.id).handler_id is None


@pytest.mark.parametrize("action,data", [("notes", {"text": None}), ("reply", {"text": None}),
                                         ("status", {"status": "resolved", "note": None, "version": 1})])
def test_a_forged_multipart_in_a_staff_form_gets_a_clear_answer(app, world, tip, action, data):
    web = as_user(app, world.ward_official)
    data = {k: (v if v is not None else (io.BytesIO(b"not text"), "x.txt")) for k, v in data.items()}
    response = web.client.post(f"/internal/tips/{tip.id}/{action}", data=data, content_type="multipart/form-data")
    assert response.status_code == 422, response.status_code
    assert not db.session.get(Tip, tip.id).notes and not db.session.get(Tip, tip.id).messages


def test_a_handler_who_lost_the_handling_role_no_longer_sees_the_contact(app, world, tip):
    web = as_user(app, world.ward_official)
    web.post(f"/internal/tips/{tip.id}/take", {"version": tip.version}, status=303)
    user = db.session.get(type(world.ward_official), world.ward_official.id)
    user.role_rows = [UserRole(role=Role.VIEWER)]
    db.session.commit()
    response = web.client.post(f"/internal/tips/{tip.id}/contact")
    assert response.status_code == 403
    assert_no_secret(response)


def test_a_leader_can_take_the_handler_away(app, world, tip):
    """Choosing "No handler yet" removes the handler (and with it their sight of the contact)."""
    web = as_user(app, world.ward_official)
    web.post(f"/internal/tips/{tip.id}/take", {"version": tip.version}, status=303)
    db.session.refresh(tip)
    leader = as_user(app, world.leader)
    leader.post(f"/internal/tips/{tip.id}/assign", {"unit_id": tip.unit_id, "handler_id": "",
                                                    "version": tip.version}, status=303)
    db.session.expire_all()
    assert db.session.get(Tip, tip.id).handler_id is None
