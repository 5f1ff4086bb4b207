"""A consumer checks a shop before buying: searches it without diacritics, opens its status
page, sees its commitment and finds how to report it. axe-core finds no WCAG 2.2 AA violation on
the search, a status page or the statistics."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = "['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']"


def test_a_consumer_checks_a_shop_and_finds_how_to_report_it(page, live_server, csp_violations):
    page.goto(live_server + "/?lang=vi")
    page.goto(live_server + "/check")
    page.get_by_label("Tên, địa chỉ hoặc đường dẫn gian hàng").fill("tap hoa")  # typed without diacritics
    page.get_by_role("button", name="Tra cứu").click()
    expect(page).to_have_url(re.compile(r"/check\?q=tap\+hoa"))
    results = page.locator(".check-result")
    expect(results.first).to_be_visible()
    names = results.locator(".check-result__name").all_inner_texts()
    assert names and all("tạp hóa" in name.lower() for name in names), names
    signed = results.filter(has=page.locator(".check-fact--signed")).first
    name = signed.locator(".check-result__name").inner_text()
    signed.get_by_role("link", name=name).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    business_id = re.search(r"/check/(\d+)$", page.url).group(1)
    expect(page.locator("#business-commitment")).to_contain_text("Đã ký cam kết không kinh doanh hàng giả ngày")
    report = page.get_by_role("link", name="Phản ánh cơ sở này")
    expect(report).to_have_attribute("href", f"/tips/new?business={business_id}")
    for private in ("Mã số thuế", "Chủ cơ sở", "Điện thoại"):
        expect(page.locator("main")).not_to_contain_text(private)
    assert not [e for e in csp_violations if "Content Security Policy" in e], csp_violations


def test_a_business_with_published_violations_links_to_them(page, live_server):
    page.goto(live_server + "/check?q=quay+dong+ho&lang=vi")  # a few shops, one named in public
    flagged = page.locator(".check-result").filter(has=page.locator(".check-fact--violations")).first
    flagged.locator(".check-result__name a").click()
    links = page.locator("#business-violations a")
    expect(links.first).to_be_visible()
    href = links.first.get_attribute("href")
    assert re.fullmatch(r"/violations/\d+", href)
    links.first.click()
    expect(page).to_have_url(live_server + href)


@pytest.fixture
def axe_page(browser):
    # axe is injected as a script, which the portal's strict CSP would rightly refuse
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


def first_signed_business(page, live_server) -> str:
    page.goto(live_server + "/check?q=tap+hoa")
    return page.locator(".check-result").filter(has=page.locator(".check-fact--signed")).first \
        .locator(".check-result__name a").get_attribute("href")


@pytest.mark.parametrize("url", ["/check?q=tap+hoa", "/check?q=ab", "/check?q=tap+hoa&lang=en", "{status}",
                                 "{status}?lang=en", "/statistics", "/statistics?lang=en", "/statistics?year=1999"])
def test_no_accessibility_violations(axe_page, live_server, url):
    if "{status}" in url:
        url = url.format(status=first_signed_business(axe_page, live_server))
    axe_page.goto(live_server + url)
    axe_page.add_script_tag(path=str(AXE))
    result = axe_page.evaluate(f"axe.run(document, {{runOnly: {{type: 'tag', values: {AXE_TAGS}}}}})")
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == [], violations
