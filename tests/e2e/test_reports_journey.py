"""A unit of the Cần Thơ campaign drafts, edits and submits its weekly report; the standing office
(Chi cục Quản lý thị trường) sees it in its roll-up. axe-core checks the report pages, signed in.

The demo's `cantho.police` leads a reporting unit of the campaign and `cantho.market` its standing
office. This file serves its own copy of the demo so it can pick the deadlines it works on."""
from __future__ import annotations

import re
from datetime import UTC
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import Plan, ReportingRule, ReportObligation, RuleKind, Unit
from tests.e2e.conftest import serve_demo
from tests.e2e.test_journeys import sign_in

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
POLICE = "Công an thành phố Cần Thơ"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The demo, and the ids of the police's last two weekly deadlines of the campaign."""
    def deadlines():
        police = db.session.scalar(select(Unit).where(Unit.name == POLICE))
        weekly = db.session.scalar(select(ReportingRule).join(ReportingRule.plan).where(
            Plan.number == "KH-TCT1253-2025", ReportingRule.kind == RuleKind.WEEKLY))
        obligation, earlier = db.session.scalars(select(ReportObligation).where(
            ReportObligation.rule_id == weekly.id, ReportObligation.unit_id == police.id)
            .order_by(ReportObligation.due_at.desc()).limit(2))
        return {"obligation": obligation.id, "earlier": earlier.id, "rule": weekly.id,
                "due": obligation.due_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")}

    with serve_demo(tmp_path_factory.mktemp("e2e-reports"), deadlines) as served:
        yield served


def test_a_weekly_report_is_drafted_edited_submitted_and_rolled_up(page, server, csp_violations):
    base, ids = server
    page.goto(f"{base}/?lang=vi")
    sign_in(page, base, "cantho.police")
    page.goto(f"{base}/internal/reports/obligations/{ids['obligation']}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Báo cáo định kỳ hằng tuần")
    expect(page.locator("#figure-inspections")).to_be_visible()
    page.get_by_label("Số, ký hiệu").fill("15/BC-CA")
    page.get_by_label("Tình hình thị trường").fill("Thị trường thuốc, sữa ổn định.")
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.locator(".flash, [role=status], .alert").first).to_be_visible()
    # edit: the draft keeps what was saved, and the rest is written
    expect(page.get_by_label("Tình hình thị trường")).to_have_value("Thị trường thuốc, sữa ổn định.")
    page.get_by_label("Số, ký hiệu").fill("15/BC-CATP")
    page.get_by_label("Kết quả tuyên truyền, ký cam kết và chuyển biến").fill("Tuyên truyền tại 3 chợ.")
    page.get_by_label("Kết quả kiểm tra, xử lý vi phạm và chuyển biến").fill("Kiểm tra 4 cơ sở thuốc tây.")
    page.get_by_label("Tiến độ thực hiện các chỉ tiêu").fill("Đạt tiến độ tuần.")
    page.get_by_role("button", name="Lưu và gửi…").click()
    expect(page).to_have_url(re.compile(r"/internal/reports/\d+/submit$"))
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page).to_have_url(re.compile(rf"/internal/reports/obligations/{ids['obligation']}$"))
    expect(page.locator("#report-form")).to_have_count(0)
    expect(page.locator("#section-enforcement_results")).to_have_text("Kiểm tra 4 cơ sở thuốc tây.")
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, base, "cantho.market")
    page.goto(f"{base}/internal/reports/")
    page.locator(f'a[href*="rules/{ids["rule"]}/rollup?due={ids["due"]}"]').click()
    row = page.locator("#rollup tbody tr", has_text=POLICE)
    expect(row.get_by_role("link")).to_have_text(re.compile("Lần 1|Bản 1|Phiên bản 1"))
    row.get_by_role("link").click()
    expect(page.locator("#section-progress")).to_have_text("Đạt tiến độ tuần.")
    page.go_back()
    expect(page.locator("#totals")).to_contain_text(POLICE)
    assert csp_violations == []


@pytest.fixture
def axe_page(browser):
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


def test_report_pages_have_no_accessibility_violations(axe_page, server):
    base, ids = server
    sign_in(axe_page, base, "cantho.market")
    for url in (f"/internal/reports/rules/{ids['rule']}/rollup?due={ids['due']}", "/internal/reports/"):
        axe_page.goto(base + url)
        axe_page.add_script_tag(path=str(AXE))
        result = axe_page.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']}})")
        violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
        assert violations == [], (url, violations)
    axe_page.get_by_role("button", name="Đăng xuất").click()
    sign_in(axe_page, base, "cantho.police")
    axe_page.goto(f"{base}/internal/reports/obligations/{ids['earlier']}")  # another week's draft
    axe_page.add_script_tag(path=str(AXE))
    result = axe_page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']}})")
    assert [v["id"] for v in result["violations"]] == []
