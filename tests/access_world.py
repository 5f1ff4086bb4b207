"""One of every kind of record the staff URLs name, all owned by one ward (Hàm Rồng) or its
area, and one user of every role in that ward and in its sibling ward (Hạc Thành): the world
tests/internal/test_access_table.py walks every staff route in."""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from portal.db import utcnow
from portal.extensions import db
from portal.models import (
    ChannelKind,
    Counterpart,
    EvidenceFile,
    InspectionKind,
    InspectionResult,
    OutreachMethod,
    ProgressStatus,
    Role,
    RuleKind,
    UserSession,
    ViolationState,
    ViolationType,
)
from portal.services import (
    calendar,
    enforcement,
    files,
    guides,
    hotlines,
    outreach,
    plans,
    publication,
    registry,
    reports,
    tips,
)
from tests.factories import THANH_HOA, build_world, make_plan, make_user
from tests.internal.test_reports import SECTIONS
from tests.services.test_outreach import PDF
from tests.services.test_tips import jpeg

#: Who walks the routes: a user of every role in the ward that owns the records, and the roles
#: that matter in the sibling ward. "anonymous" has not signed in.
UNIT_ROLES = {"admin": Role.ADMIN, "leader": Role.LEADER, "officer": Role.OFFICER, "ward": Role.WARD_OFFICIAL,
              "viewer": Role.VIEWER}
SIBLING_ROLES = {"sib_admin": Role.ADMIN, "sib_leader": Role.LEADER, "sib_officer": Role.OFFICER,
                 "sib_ward": Role.WARD_OFFICIAL}
ANONYMOUS = "anonymous"
STAFF = (*UNIT_ROLES, *SIBLING_ROLES)
ACTORS = (*STAFF, ANONYMOUS)

@dataclass
class AccessWorld:
    users: dict  # actor name -> User
    ids: dict[str, int | str] = field(default_factory=dict)  # what the URLs name -> its id
    #: records a request deletes or restores: kind -> actor name -> the id of that actor's own
    per_actor: dict[str, dict[str, int]] = field(default_factory=dict)


def _pdf(name: str = "van-ban.pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(PDF), filename=name, content_type="application/pdf")


def _image() -> FileStorage:
    return FileStorage(stream=io.BytesIO(jpeg()), filename="anh.jpg", content_type="image/jpeg")


def _folder(name: str) -> Path:
    return Path(current_app.instance_path) / name


def build_access_world() -> AccessWorld:
    base = build_world()
    unit, sibling = base.ward_a, base.ward_b
    users = {name: make_user(f"u.{name}", unit, role) for name, role in UNIT_ROLES.items()}
    users.update({name: make_user(f"s.{name[4:]}", sibling, role) for name, role in SIBLING_ROLES.items()})
    admin, leader, officer, ward = (users[n] for n in ("admin", "leader", "officer", "ward"))
    target = make_user("u.target", unit, Role.OFFICER)
    world = AccessWorld(users=users)
    ids = world.ids
    ids.update(unit=unit.id, office=base.ward_a_office.id, user=target.id, year=registry.today().year,
               ward_code=unit.ward_code)

    # the registry, outreach and signed papers of the ward's area
    def business(name: str):
        return registry.create(ward, registry.BusinessData(
            name=name, address="12 Lê Lợi", ward_code=unit.ward_code, owner_name="Nguyễn Văn Chủ",
            channels=[registry.ChannelData(ChannelKind.SHOP)], opened_on=date(2025, 1, 10)), not_a_duplicate=True)

    shop, keep, other = business("Tạp hóa Minh Ánh"), business("Cửa hàng Giữ"), business("Cửa hàng Gộp")
    commitment = outreach.record_commitment(ward, outreach.CommitmentData(
        business_id=shop.id, signed_on=date(2026, 1, 10), signatory="Chủ", received_by_id=ward.id), scan=_pdf())
    session = outreach.record_session(ward, outreach.SessionData(
        held_on=date(2026, 3, 15), method=OutreachMethod.CONFERENCE, people_reached=40, place="Chợ Hàm Rồng",
        business_ids=[shop.id]))
    agreement = outreach.record_agreement(ward, outreach.AgreementData(
        counterpart=Counterpart.MARKET_BOARD, counterpart_name="Ban quản lý chợ Cột Cờ", ward_code=unit.ward_code,
        signed_on=date(2026, 2, 1), signatory="Trưởng ban", received_by_id=ward.id), scan=_pdf("quy-che.pdf"))
    ids.update(business=shop.id, keep=keep.id, other=other.id, commitment=commitment.id, outreach=session.id,
               agreement=agreement.id)

    # enforcement and publication: two sanctioned violations after the commitment, one proposed,
    # one published with a business's reply
    def violation(on: date):
        inspection = enforcement.record_inspection(officer, enforcement.InspectionData(
            inspected_on=on, kind=InspectionKind.SURPRISE, business_id=shop.id, result=InspectionResult.VIOLATION,
            goods=["milk"]))
        decision = enforcement.Decision(number=f"{on.day:02d}/QĐ-XPHC", decided_on=on, authority="Đội QLTT số 1",
                                        fine=15_000_000, state=ViolationState.DECIDED)
        return enforcement.record_violation(officer, inspection, enforcement.ViolationData(
            type=ViolationType.COUNTERFEIT, goods="milk", brand="Ensure", decision=decision))

    proposed = publication.propose(officer, violation(date(2026, 4, 1)), None)
    published = publication.propose(officer, violation(date(2026, 5, 4)), None)
    entry = publication.approve(leader, published, version=published.version)
    reply = publication.record_reply(officer, entry, "Chúng tôi đã khắc phục.", registry.today())
    ids.update(inspection=proposed.violation.inspection_id, violation=proposed.violation_id,
               publication=proposed.id, published=published.id, reply=reply.id)

    # a plan of the ward with its signed document, a task with evidence, reporting rules
    plan = make_plan(leader, unit=unit, number="01/KH-UBND")
    stored = files.store(_pdf(), kinds={"pdf"}, max_bytes=1_000_000, folder=_folder("uploads"))
    plan.document_name, plan.document_original_name = stored.stored_name, stored.original_name
    plan.document_mime_type, plan.document_size = stored.mime_type, stored.size
    task = plans.save_task(leader, plan, plans.TaskData(description="Tuyên truyền tại chợ", lead_unit_id=unit.id,
                                                        due_on=date(2026, 12, 31)))
    proof = files.store(_pdf("bien-ban.pdf"), kinds={"pdf"}, max_bytes=1_000_000, folder=_folder("evidence"))
    update = plans.post_progress(ward, task, ProgressStatus.IN_PROGRESS, "Đã họp chợ", [EvidenceFile(
        stored_name=proof.stored_name, original_name=proof.original_name, mime_type=proof.mime_type,
        size=proof.size)])
    monthly = plans.add_rule(leader, plan, plans.RuleData(
        name="Báo cáo tháng", kind=RuleKind.MONTHLY, receiver_unit_id=unit.id, reporter_ids=[unit.id], day=20))
    quick = plans.add_rule(leader, plan, plans.RuleData(
        name="Báo cáo nhanh", kind=RuleKind.AFTER_INCIDENT, receiver_unit_id=unit.id, reporter_ids=[unit.id],
        hours_after=24))
    ids.update(plan=plan.id, task=task.id, evidence=update.files[0].id, rule=monthly.id, quick_rule=quick.id)

    # reports: a draft, two submitted (one to correct), one to mark as sent from the calendar
    due = {o.due_at.month: o for o in monthly.obligations if o.due_at.year == 2026}
    draft = reports.open_draft(ward, due[2])
    for month in (3, 4):
        report = reports.open_draft(ward, due[month])
        reports.save(ward, report, reports.ReportData(**SECTIONS), version=report.version)
        db.session.flush()
        reports.submit(leader, report, version=report.version)
        ids["submitted" if month == 3 else "to_correct"] = report.id
    ids.update(draft=draft.id, obligation=due[2].id, to_mark=due[5].id)

    # a tip for the ward, with a photo, handled by the officer
    with current_app.test_request_context("/"):
        tip, _code = tips.submit(tips.TipData(
            what="Đại lý bán sữa bột giả gần chợ Hàm Rồng, hộp không có tem phụ.", province_code=THANH_HOA,
            ward_code=unit.ward_code, wants_contact=True, contact_name="Người Báo Tin", contact_phone="0912345678"),
            [_image()])
    assert tip.unit_id == unit.id
    tips.take(officer, tip)
    ids.update(tip=tip.id, photo=tip.photos[0].id)

    # public content of the ward: a guide with an image, a hotline
    guide = guides.create(leader, guides.GuideData(unit_id=unit.id, title="Nhận biết sữa giả", body="Đoạn đầu",
                                                   goods_code="milk"))
    image = guides.add_image(leader, guide, _image(), "Hộp sữa thật", folder=_folder("guide-images"))
    hotline = _hotline(leader, unit, "Đường dây nóng Hàm Rồng")
    ids.update(guide=guide.id, stored_name=image.stored_name, hotline=hotline.id)

    # what one request deletes or restores: a record of its own for every actor, so that each
    # finds it as the request expects (there, or deleted)
    album = guides.create(leader, guides.GuideData(unit_id=unit.id, title="Ảnh", body="Ảnh", goods_code="milk"))
    removed = guides.create(leader, guides.GuideData(unit_id=unit.id, title="Đã gỡ", body="Ảnh", goods_code="milk"))
    ids.update(album=album.id, removed_guide=removed.id)
    mine = world.per_actor = {name: {} for name in ("guide_image", "removed_image", "hotline", "deleted_hotline",
                                                    "rule", "deleted_rule")}
    for actor in ACTORS:
        mine["guide_image"][actor] = guides.add_image(leader, album, _image(), actor,
                                                      folder=_folder("guide-images")).id
        mine["hotline"][actor] = _hotline(leader, unit, f"Đường dây {actor}").id
        mine["rule"][actor] = _rule(leader, plan, actor).id
        image = guides.add_image(leader, removed, _image(), actor, folder=_folder("guide-images"))
        guides.remove_image(leader, removed, image)
        line = _hotline(leader, unit, f"Đường dây đã xóa {actor}")
        hotlines.delete(leader, line)
        rule = _rule(leader, plan, f"đã xóa {actor}")
        plans.delete_rule(leader, rule)
        mine["removed_image"][actor], mine["deleted_hotline"][actor], mine["deleted_rule"][actor] = (
            image.id, line.id, rule.id)

    # a user no request touches: their private calendar link, and a session no one else may end
    bystander = make_user("u.bystander", unit, Role.OFFICER)
    ids["token"] = calendar.new_feed(bystander)
    theirs = UserSession(user_id=bystander.id, token_hash=hashlib.sha256(b"not-yours").hexdigest(),
                         created_at=utcnow(), last_seen_at=utcnow())
    db.session.add(theirs)
    db.session.flush()
    ids["session"] = theirs.id
    db.session.commit()
    return world


def _hotline(actor, unit, label: str):
    return hotlines.create(actor, hotlines.HotlineData(unit_id=unit.id, label=label, phones=["0908538844"],
                                                       province_code=unit.province_code, ward_code=unit.ward_code))


def _rule(actor, plan, name: str):
    return plans.add_rule(actor, plan, plans.RuleData(name=f"Báo cáo một lần {name}", kind=RuleKind.ONCE,
                                                      receiver_unit_id=plan.unit_id, reporter_ids=[plan.unit_id],
                                                      once_on=date(2027, 6, 30)))
