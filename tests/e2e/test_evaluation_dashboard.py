"""The leader's dashboard and the evaluation page in a real browser: signed in as the demo
`leader` through the sign-in form, on a phone, with no WCAG 2.2 AA violation (axe-core)."""
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_journeys import sign_in

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULES = "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']}}"


@pytest.fixture
def phone(browser):
    # axe is injected as a script, which the portal's strict CSP would rightly refuse
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


def violations(page) -> list:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(f"axe.run(document, {RULES})")
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def test_the_leader_reads_the_dashboard_and_the_evaluation(phone, live_server):
    page = phone
    page.goto(f"{live_server}/?lang=vi")
    sign_in(page, live_server, "leader")
    expect(page).to_have_url(f"{live_server}/internal/")

    page.goto(f"{live_server}/internal/overview")
    expect(page.get_by_role("heading", name="Mục tiêu và kết quả đo được")).to_be_visible()
    expect(page.get_by_role("table", name="Quá hạn mà chưa nộp")).to_be_attached()
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")  # no sideways page
    assert violations(page) == []

    page.goto(f"{live_server}/internal/overview?year=2024")  # the year of the Lào Cai letter's target
    expect(page.locator("#targets-table tbody tr")).to_have_count(1)
    expect(page.locator("svg rect.chart__bar")).to_have_count(1)
    assert violations(page) == []

    page.goto(f"{live_server}/internal/evaluation/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đánh giá các đội và kiểm soát viên")
    teams = page.locator("#teams tbody th")
    expect(teams).to_have_count(3)  # Đội QLTT số 1, 2 and 4 of Lào Cai
    expect(page.locator("#inspectors tbody")).to_contain_text("Trần Thị Kiểm")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")  # the tables scroll, not the page
    assert violations(page) == []

    page.locator("#inspectors").get_by_role("link", name=re.compile("Trần Thị Kiểm")).click()
    page.get_by_role("button", name="Gửi đề nghị khen thưởng").click()
    expect(page.locator("#reason-error")).to_be_visible()
    assert violations(page) == []
    page.get_by_label("Lý do đề nghị khen thưởng").fill("Hoàn thành tốt chỉ tiêu tuyên truyền và ký cam kết.")
    page.get_by_role("button", name="Gửi đề nghị khen thưởng").click()
    expect(page.locator("#commendations")).to_contain_text("Hoàn thành tốt chỉ tiêu tuyên truyền và ký cam kết.")


def test_the_evaluation_in_english(phone, live_server):
    page = phone
    page.goto(f"{live_server}/?lang=vi")
    sign_in(page, live_server, "leader")
    page.goto(f"{live_server}/internal/evaluation/?lang=en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Evaluation of teams and inspectors")
    assert violations(page) == []
