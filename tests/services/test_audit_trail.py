"""The audit trail: every change to every record, with who, when, what, before and after;
secrets and a tip sender's identity never copied; one INSERT per flush; read-only pages."""
from __future__ import annotations

import io
import json
from datetime import date, timedelta

import click
from flask import current_app
import pytest
from sqlalchemy import event, select, update
from werkzeug.datastructures import FileStorage

from portal.db import utcnow
from portal.extensions import db
from portal.models import (
    AuditEntry,
    Hotline,
    RecoveryCode,
    Role,
    SignInAttempt,
    Target,
    Tip,
    UserSession,
)
from portal.services import audit, guides, hotlines, passwords, plans, tips
from portal.services.deadlines import VIETNAM
from tests.factories import THANH_HOA, make_plan, make_user, ward_code
from tests.helpers import Browser

NAME, PHONE, EMAIL = "Trần Văn Kín Đáo", "0987123456", "kindao.nguoibao@example.com"


def trail(object_type: str | None = None, object_id: int | None = None, action: str | None = None) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.action.in_(audit.TRAIL_ACTIONS)).order_by(AuditEntry.id)
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        stmt = stmt.where(AuditEntry.object_id == object_id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return list(db.session.scalars(stmt))


def hotline_form(unit, **extra) -> dict:
    values = {"unit_id": str(unit.id), "label": "QLTT Thanh Hóa", "phones": "0908538844", "email": "",
              "address": "", "hours": "", "province_code": str(unit.province_code or ""),
              "ward_code": str(unit.ward_code or ""), "published": "y", "position": "0", "version": "1"}
    values.update(extra)
    return values


def send_tip() -> Tip:
    with current_app.test_request_context("/"):
        tip, _code = tips.submit(tips.TipData(
            what="Cửa hàng bán rượu giả ở chợ Hàm Rồng.", province_code=THANH_HOA,
            ward_code=ward_code(THANH_HOA, "Phường Hàm Rồng"), wants_contact=True, contact_name=NAME,
            contact_phone=PHONE, contact_email=EMAIL))
    db.session.commit()
    return tip


def test_a_request_leaves_who_when_what_before_and_after(app, web, world):
    web.sign_in(world.leader)
    before_request = utcnow()
    web.post("/internal/hotlines/new", hotline_form(world.province), status=303)
    line = db.session.scalar(select(Hotline))
    [created] = trail("Hotline", line.id)
    assert created.action == "record.created"
    assert (created.actor_id, created.actor_name, created.unit_id) == (world.leader.id, "leader", world.province.id)
    assert created.ip == "127.0.0.1" and created.at >= before_request - timedelta(seconds=1)
    assert created.before is None
    assert created.after["label"] == "QLTT Thanh Hóa" and created.after["phones"] == "0908538844"
    assert created.after["published"] is True and "version" not in created.after  # bookkeeping left out

    web.post(f"/internal/hotlines/{line.id}/edit", hotline_form(world.province, label="QLTT tỉnh Thanh Hóa",
                                                                 version=str(line.version)), status=303)
    changed = trail("Hotline", line.id, "record.updated")
    assert [(e.before, e.after) for e in changed] == [({"label": "QLTT Thanh Hóa"}, {"label": "QLTT tỉnh Thanh Hóa"})]


def test_deleting_a_row_keeps_its_values_and_the_command_line_is_named(app, world):
    plan = make_plan(world.leader, unit=world.province)
    with click.Context(click.Command("tidy"), info_name="flask tidy"):
        target = Target(plan_id=plan.id, year=2027, due_on=date(2027, 12, 31), percent=80, category="shops",
                        measure="signed", text="80% cửa hàng ký cam kết")
        db.session.add(target)
        db.session.flush()
        db.session.delete(target)
        db.session.commit()
    created, deleted = trail("Target")
    assert (created.action, deleted.action) == ("record.created", "record.deleted")
    assert deleted.actor_id is None and deleted.actor_name == "cli:flask tidy"
    assert deleted.before["percent"] == 80 and deleted.before["due_on"] == "2027-12-31" and deleted.after is None
    assert deleted.unit_id == world.province.id  # no unit of its own: its plan's, found in memory


def test_the_unit_comes_from_the_parent_record_so_administrators_see_their_subtree(app, world, tmp_path):
    guide = guides.create(world.leader, guides.GuideData(unit_id=world.ward_a.id, title="Nhận biết", body="Nội dung"))
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 0, 0)).save(buffer, "PNG")
    guides.add_image(world.leader, guide, FileStorage(io.BytesIO(buffer.getvalue()), filename="a.png"), "Ảnh",
                     folder=tmp_path)
    db.session.commit()
    [image_entry] = trail("GuideImage")
    assert image_entry.unit_id == world.ward_a.id
    [role_entry] = [e for e in trail("UserRole") if e.after["user_id"] == world.sibling_official.id]
    assert role_entry.unit_id == world.ward_b.id and role_entry.object_id == world.sibling_official.id
    readable = {e.id for e in db.session.scalars(audit.entries_for(world.province_admin))}
    assert image_entry.id in readable and role_entry.id in readable
    other = make_user("laocai.admin", world.other_province, Role.ADMIN)
    assert not {image_entry.id, role_entry.id} & {e.id for e in db.session.scalars(audit.entries_for(other))}


def test_secrets_are_said_to_change_never_copied(app, world):
    user = make_user("moi", world.ward_a, Role.OFFICER, enrol=True)
    db.session.commit()
    [created] = trail("User", user.id)
    assert created.after["password_hash"] == audit.MASKED and created.after["totp_secret"] == audit.MASKED
    assert created.after["username"] == "moi" and created.after["must_change_password"] is False
    old_hash, old_secret = user.password_hash, user.totp_secret
    user.password_hash = passwords.hash_password("another long passphrase 42")
    user.totp_secret = None
    db.session.commit()
    [changed] = trail("User", user.id, "record.updated")
    assert changed.before == {"password_hash": audit.MASKED, "totp_secret": audit.MASKED}
    assert changed.after == {"password_hash": audit.MASKED, "totp_secret": None}
    written = json.dumps([(e.before, e.after) for e in trail()], ensure_ascii=False)
    assert old_hash not in written and old_secret not in written and user.password_hash not in written


def test_a_tip_senders_identity_and_receipt_are_never_in_the_trail(app, world):
    tip = send_tip()
    tips.add_note(world.ward_official, tip, "Đã xác minh sơ bộ.")
    db.session.commit()
    [created] = trail("Tip", tip.id)
    assert created.after["contact_name"] == created.after["contact_phone"] == audit.MASKED
    assert created.after["contact_email"] == created.after["receipt_hash"] == audit.MASKED
    assert created.actor_name == "public" and created.ip is None  # the sender's address is not kept
    assert created.after["what"] == "Cửa hàng bán rượu giả ở chợ Hàm Rồng."
    [note] = trail("TipNote")
    assert note.unit_id == tip.unit_id
    written = json.dumps([(e.before, e.after, e.ip) for e in db.session.scalars(select(AuditEntry))],
                         ensure_ascii=False)
    for secret in (NAME, PHONE, EMAIL, "Kín Đáo", "kindao", tip.receipt_hash):
        assert secret not in written


def test_tokens_sessions_and_counters_stay_out_of_the_trail(app, web, world):
    web.sign_in(world.leader)
    web.get("/internal/")
    assert db.session.scalar(select(UserSession.id)) and db.session.scalar(select(SignInAttempt.id))
    kinds = set(db.session.scalars(select(AuditEntry.object_type).where(AuditEntry.action.in_(audit.TRAIL_ACTIONS))))
    assert not kinds & {"UserSession", "SignInAttempt", "RecoveryCode", "CalendarFeed", "AuditEntry"}
    assert {RecoveryCode.__tablename__, UserSession.__tablename__} <= audit.UNTRACKED_TABLES.keys()
    # signing in touches the user's bookkeeping (last sign-in), which is no change worth an entry
    assert trail("User", world.leader.id, "record.updated") == []


def test_one_insert_per_flush_however_many_rows(app, world):
    plan = make_plan(world.leader, unit=world.province)
    inserts: list[str] = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_ENTRIES"):
            inserts.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for n in range(30):
            db.session.add(Target(plan_id=plan.id, year=2027, due_on=date(2027, 12, 31), percent=n,
                                  category="shops", measure="signed", text=f"Mục tiêu {n}"))
        db.session.flush()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    db.session.commit()
    assert len(inserts) == 1 and len(trail("Target")) == 30


def test_many_to_many_links_are_listed_before_and_after(app, world):
    plan = make_plan(world.leader, unit=world.province)
    task = plans.save_task(world.leader, plan, plans.TaskData(description="Kiểm tra chợ", lead_unit_id=world.ward_a.id,
                                                              coordinator_ids=[world.ward_b.id],
                                                              due_on=date(2026, 6, 30)))
    db.session.commit()
    task.coordinators = [world.ward_b, world.ward_a_office]
    db.session.commit()
    [changed] = trail("Task", task.id, "record.updated")
    assert changed.before == {"coordinators": [world.ward_b.id]}
    assert changed.after == {"coordinators": sorted([world.ward_b.id, world.ward_a_office.id])}


def test_bulk_statements_are_recorded_too(app, world):
    for label in ("Một", "Hai"):
        hotlines.create(world.leader, hotlines.HotlineData(unit_id=world.province.id, label=label,
                                                           phones=["0908538844"], province_code=THANH_HOA))
    db.session.commit()
    db.session.execute(update(Hotline).where(Hotline.unit_id == world.province.id).values(published=False))
    db.session.commit()
    [bulk] = trail("Hotline", action="record.bulk_updated")
    assert bulk.after == {"rows": 2, "set": {"published": False}}


def test_a_bulk_loader_may_pause_the_trail_and_says_so(app, world):
    with audit.trail_paused("test of a bulk load"):
        db.session.add(Target(plan_id=make_plan(world.leader, unit=world.province).id, year=2027,
                              due_on=date(2027, 12, 31), percent=5, category="shops", measure="signed", text="x"))
        db.session.commit()
    assert trail("Target") == [] and trail("Plan") == []
    paused = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "audit.trail_paused"))
    assert paused.after == {"reason": "test of a bulk load"}
    hotlines.create(world.leader, hotlines.HotlineData(unit_id=world.province.id, label="Sau", phones=["0908538844"],
                                                       province_code=THANH_HOA))
    db.session.commit()
    assert len(trail("Hotline")) == 1  # on again after the block


# --- the page ----------------------------------------------------------------------------------

def test_no_route_can_change_or_delete_an_entry(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("internal.audit.")]
    assert rules
    for rule in rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
    web = Browser(app.test_client())
    for method in ("post", "put", "delete", "patch"):
        assert getattr(web.client, method)("/internal/audit/").status_code in (302, 303, 401, 403, 404, 405)


def test_the_page_filters_by_record_actor_event_and_period_and_shows_the_change(app, web, world):
    web.sign_in(world.leader)
    web.post("/internal/hotlines/new", hotline_form(world.province), status=303)
    line = db.session.scalar(select(Hotline))
    web.post(f"/internal/hotlines/{line.id}/edit", hotline_form(world.province, label="Số mới",
                                                                 version=str(line.version)), status=303)
    db.session.add(AuditEntry(action="record.updated", actor_name="leader", object_type="Hotline", object_id=line.id,
                              unit_id=world.province.id, at=utcnow() - timedelta(days=40),
                              before={"label": "Rất cũ"}, after={"label": "Cũ"}))
    db.session.commit()
    admin = Browser(app.test_client())
    admin.sign_in(world.province_admin)
    page = admin.get(f"/internal/audit/?object_type=Hotline&object_id={line.id}&action=record.updated&user=leader")
    rows = page.soup.select("tbody tr")
    assert len(rows) == 2
    newest = rows[0].get_text(" ", strip=True)
    assert "QLTT Thanh Hóa → Số mới" in newest and "Đường dây nóng" in newest and f"#{line.id}" in newest
    today = utcnow().astimezone(VIETNAM).date()
    recent = admin.get(f"/internal/audit/?object_type=Hotline&object_id={line.id}&action=record.updated"
                       f"&since={today - timedelta(days=1)}&until={today}")
    assert len(recent.soup.select("tbody tr")) == 1 and "Rất cũ" not in recent.text()
    assert len(admin.get("/internal/audit/?user=somebody.else").soup.select("tbody tr td.muted")) == 1
    link = rows[0].find("a", href=True)["href"]
    assert f"object_id={line.id}" in link and "object_type=Hotline" in link


def test_mistyped_filters_are_pointed_out_and_kept(app, web, world):
    web.sign_in(world.admin)
    page = web.get("/internal/audit/?object_id=abc&since=2026-05-10&until=2026-05-01&object_type=Nope", status=422)
    assert page.field_error("object_id") and page.field_error("until") and page.field_error("object_type")
    assert page.value("object_id") == "abc" and page.value("since") == "2026-05-10"


def test_masked_values_read_as_changed_not_shown(app, web, world):
    send_tip()
    web.sign_in(world.admin)
    page = web.get("/internal/audit/?object_type=Tip")
    assert "đã thay đổi, không hiển thị" in page.text()
    assert NAME not in page.html and PHONE not in page.html and EMAIL not in page.html


@pytest.mark.parametrize("who", ["leader", "ward_official"])
def test_only_administrators_read_the_log(app, web, world, who):
    web.sign_in(getattr(world, who))
    web.get("/internal/audit/", status=403)
