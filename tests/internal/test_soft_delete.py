"""Soft deletion with restore: a deleted hotline, reporting rule or guide image is hidden from every
list, relationship and the public site, is offered for restore to those who may delete it (and
no one else), and comes back as it was, with audit entries for both."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from portal.extensions import db
from portal.models import AuditEntry, GuideImage, Hotline, Plan, ReportingRule, ReportObligation, Role, RuleKind
from portal.services import guides, hotlines, plans, reports
from portal.services.errors import ValidationFailed
from tests.factories import THANH_HOA, make_plan, make_user
from tests.helpers import Browser


def semantic(object_type: str, object_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == object_type, AuditEntry.object_id == object_id,
        AuditEntry.action.not_like("record.%")).order_by(AuditEntry.id)))


def as_user(app, user) -> Browser:
    web = Browser(app.test_client())
    web.sign_in(user)
    return web


# --- hotlines ----------------------------------------------------------------------------------

@pytest.fixture
def line(world) -> Hotline:
    created = hotlines.create(world.leader, hotlines.HotlineData(
        unit_id=world.province.id, label="QLTT Thanh Hóa", phones=["0913983323"], province_code=THANH_HOA))
    db.session.commit()
    return created


def test_a_deleted_hotline_is_gone_from_every_page_until_restored(app, web, world, line):
    assert "0913 983 323" in web.get("/hotlines").text()
    leader = as_user(app, world.leader)
    leader.post(f"/internal/hotlines/{line.id}/delete", status=303)

    assert "0913 983 323" not in web.get("/hotlines").text()
    assert "0913 983 323" not in web.get(f"/hotlines?province={THANH_HOA}").text()
    assert "0913 983 323" not in web.get("/").text()
    listing = leader.get("/internal/hotlines/")
    assert not listing.soup.select("table.table tbody a[href$='/edit']")
    removed = listing.soup.find(id="removed-hotlines")
    assert "QLTT Thanh Hóa" in removed.get_text() and "Leader" in removed.get_text()
    leader.get(f"/internal/hotlines/{line.id}/edit", status=404)
    leader.post(f"/internal/hotlines/{line.id}/delete", status=404)
    assert db.session.scalar(select(func.count()).select_from(Hotline)) == 0
    assert db.session.scalar(select(func.count()).select_from(Hotline).execution_options(include_deleted=True)) == 1

    restore = removed.find("form")["action"]
    assert restore == f"/internal/hotlines/{line.id}/restore"
    leader.post(restore, status=303)
    assert "0913 983 323" in web.get("/hotlines").text()
    assert leader.get("/internal/hotlines/").soup.find(id="removed-hotlines") is None
    leader.post(restore, status=404)  # nothing left to restore
    assert semantic("Hotline", line.id) == ["hotline.created", "hotline.deleted", "hotline.restored"]


def test_only_those_who_may_delete_a_hotline_see_and_restore_it(app, world, line):
    hotlines.delete(world.leader, line)
    db.session.commit()
    other_admin = make_user("laocai.admin", world.other_province, Role.ADMIN)
    officer = make_user("tinh.officer", world.province, Role.OFFICER)
    db.session.commit()
    for user in (other_admin, officer, world.viewer):
        web = as_user(app, user)
        page = web.get("/internal/hotlines/")
        assert page.soup.find(id="removed-hotlines") is None and "QLTT Thanh Hóa" not in page.text()
        web.post(f"/internal/hotlines/{line.id}/restore", status=403)
    as_user(app, world.province_admin).post(f"/internal/hotlines/{line.id}/restore", status=303)
    db.session.expire_all()
    assert db.session.get(Hotline, line.id).deleted_at is None


@pytest.mark.csrf
def test_restoring_needs_the_csrf_token(app, web, world, line):
    hotlines.delete(world.leader, line)
    db.session.commit()
    web.sign_in(world.leader)
    page = web.get("/internal/hotlines/")
    web.post(f"/internal/hotlines/{line.id}/restore", status=400)
    web.post(f"/internal/hotlines/{line.id}/restore", {"csrf_token": page.csrf_token()}, status=303)


# --- reporting rules ---------------------------------------------------------------------------

@pytest.fixture
def plan_with_rule(world) -> tuple[Plan, ReportingRule]:
    plan = make_plan(world.leader, unit=world.province, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    rule = plans.add_rule(world.leader, plan, plans.RuleData(
        name="Báo cáo tháng", kind=RuleKind.MONTHLY, day=20, receiver_unit_id=world.province.id,
        reporter_ids=[world.ward_a.id]))
    db.session.commit()
    return plan, rule


def obligations() -> int:
    return db.session.scalar(select(func.count()).select_from(ReportObligation))


def test_a_deleted_rule_takes_its_deadlines_and_restoring_it_sets_them_again(app, world, plan_with_rule):
    plan, rule = plan_with_rule
    assert obligations() == 12
    ward = as_user(app, world.ward_official)
    assert ward.get("/internal/plans/").soup.find("a", href=f"/internal/plans/{plan.id}") is not None
    leader = as_user(app, world.leader)
    leader.post(f"/internal/plans/rules/{rule.id}/delete", status=303)

    assert obligations() == 0
    page = leader.get(f"/internal/plans/{plan.id}")
    assert page.soup.select("#rules .rule") == [] and "Báo cáo tháng" in page.soup.find(id="removed-rules").get_text()
    # the rule was the ward's only link to the plan: the plan leaves the ward's lists with it
    assert ward.get("/internal/plans/").soup.find("a", href=f"/internal/plans/{plan.id}") is None
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).rules == []
    leader.post(f"/internal/plans/rules/{rule.id}/delete", status=404)
    as_user(app, world.ward_official).post(f"/internal/plans/rules/{rule.id}/restore", status=403)

    leader.post(f"/internal/plans/rules/{rule.id}/restore", status=303)
    assert obligations() == 12
    page = leader.get(f"/internal/plans/{plan.id}")
    assert len(page.soup.select("#rules .rule")) == 1 and page.soup.find(id="removed-rules") is None
    assert ward.get("/internal/plans/").soup.find("a", href=f"/internal/plans/{plan.id}") is not None
    assert semantic("ReportingRule", rule.id) == ["rule.created", "rule.deleted", "rule.restored"]


def test_a_rule_with_a_report_started_is_kept(app, web, world, plan_with_rule):
    """Deleting the rule would take its deadlines and with them the draft: it is refused."""
    plan, rule = plan_with_rule
    reports.open_draft(world.ward_official, rule.obligations[0])
    db.session.commit()
    with pytest.raises(ValidationFailed):
        plans.delete_rule(world.leader, rule)
    db.session.rollback()
    web.sign_in(world.leader)
    web.post(f"/internal/plans/rules/{rule.id}/delete", status=303)
    assert obligations() == 12 and "hồ sơ" in web.get(f"/internal/plans/{plan.id}").text()


# --- guide images ------------------------------------------------------------------------------

def jpeg() -> FileStorage:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 90, 0)).save(out, format="JPEG")
    return FileStorage(io.BytesIO(out.getvalue()), filename="a.jpg")


def test_a_removed_image_leaves_the_public_guide_and_comes_back(app, web, world):
    guide = guides.create(world.leader, guides.GuideData(unit_id=world.province.id, title="Sữa giả", body="Xem ảnh"))
    guides.publish(world.leader, guide)
    folder = Path(app.instance_path) / "guide-images"
    image = guides.add_image(world.leader, guide, jpeg(), "Nắp hộp thật", folder=folder)
    db.session.commit()
    public_url = f"/guides/{guide.id}/images/{image.stored_name}"
    assert web.get(f"/guides/{guide.id}").soup.find("img", alt="Nắp hộp thật") is not None

    leader = as_user(app, world.leader)
    leader.post(f"/internal/guides/{guide.id}/images/{image.id}/delete", status=303)
    assert web.get(f"/guides/{guide.id}").soup.find("img", alt="Nắp hộp thật") is None
    assert web.client.get(public_url).status_code == 404
    assert leader.client.get(f"/internal/guides/{guide.id}/images/{image.stored_name}").status_code == 404
    detail = leader.get(f"/internal/guides/{guide.id}")
    assert detail.soup.select(".guide-images img") == []
    removed = detail.soup.find(id="removed-images")
    assert "Nắp hộp thật" in removed.get_text()
    officer_elsewhere = make_user("laocai.officer", world.other_province, Role.OFFICER)
    db.session.commit()
    elsewhere = as_user(app, officer_elsewhere)
    assert elsewhere.get(f"/internal/guides/{guide.id}").soup.find(id="removed-images") is None
    elsewhere.post(f"/internal/guides/{guide.id}/images/{image.id}/restore", status=403)

    leader.post(removed.find("form")["action"], status=303)
    assert web.get(f"/guides/{guide.id}").soup.find("img", alt="Nắp hộp thật") is not None
    assert web.client.get(public_url).status_code == 200  # the file was kept
    leader.post(f"/internal/guides/{guide.id}/images/{image.id}/restore", status=404)
    assert semantic("Guide", guide.id)[-2:] == ["guide.image_removed", "guide.image_restored"]


def test_an_image_is_not_restored_into_a_full_guide(app, world, tmp_path):
    guide = guides.create(world.leader, guides.GuideData(unit_id=world.province.id, title="Đầy", body="x"))
    first = guides.add_image(world.leader, guide, jpeg(), "Ảnh 0", folder=tmp_path)
    guides.remove_image(world.leader, guide, first)
    for n in range(guides.MAX_IMAGES):
        guides.add_image(world.leader, guide, jpeg(), f"Ảnh {n + 1}", folder=tmp_path)
    db.session.commit()
    with pytest.raises(ValidationFailed):
        guides.restore_image(world.leader, guide, first)
    db.session.rollback()
    assert db.session.scalar(select(GuideImage.deleted_at).where(GuideImage.id == first.id)
                             .execution_options(include_deleted=True)) is not None
    assert len(guide.images) == guides.MAX_IMAGES
