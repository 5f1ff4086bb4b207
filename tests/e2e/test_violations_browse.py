"""A journalist narrows the list of named violators to one province and one goods category, opens
an entry at its permanent link and downloads the same list as CSV; axe-core finds no WCAG 2.2 AA
violation on the list, an entry and the open-data page (on a phone-sized screen)."""
import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LAO_CAI = 15


def listed(page, live_server, query: str) -> list[dict]:
    """The entries the open data lists for this query (to know what the demo holds)."""
    response = page.request.get(f"{live_server}/violations.json{query}")
    assert response.ok
    return response.json()["entries"]


def test_a_journalist_filters_opens_an_entry_and_downloads_the_csv(page, live_server, csp_violations):
    page.goto(f"{live_server}/violations?lang=vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vi phạm đã công khai")
    in_lao_cai = [e for e in listed(page, live_server, f"?province={LAO_CAI}") if e["goods_code"]]
    assert in_lao_cai, "the demo publishes violations in Lào Cai"
    goods = in_lao_cai[0]["goods_code"]
    wanted = [e for e in in_lao_cai if e["goods_code"] == goods]

    page.get_by_label("Tỉnh, thành phố").select_option(label="Lào Cai")
    page.get_by_label("Mặt hàng", exact=True).select_option(value=goods)
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(rf"/violations\?.*province={LAO_CAI}&.*goods={goods}&"))
    expect(page.get_by_label("Tỉnh, thành phố")).to_have_value(str(LAO_CAI))
    expect(page.get_by_label("Xã, phường")).not_to_be_empty()  # the wards of Lào Cai, to narrow further
    entries = page.locator("#entries > li")
    expect(entries).to_have_count(len(wanted))
    expect(page.locator("#entry-count")).to_contain_text(str(len(wanted)))
    for index, entry in enumerate(wanted):
        expect(entries.nth(index)).to_contain_text(entry["business_name"])
        expect(entries.nth(index)).to_contain_text("Lào Cai")
        expect(entries.nth(index)).to_contain_text(entry["goods_name_vi"])

    first = wanted[0]
    entries.first.get_by_role("link", name=first["business_name"]).click()
    expect(page).to_have_url(first["url"])
    expect(page.get_by_role("heading", level=1)).to_have_text(first["business_name"])
    expect(page.locator("#entry")).to_contain_text(first["decision_number"])
    expect(page.locator("link[rel=canonical]")).to_have_attribute("href", first["url"])
    page.go_back()

    with page.expect_download() as info:
        page.get_by_role("link", name="CSV (Excel)").click()
    download = info.value
    assert download.suggested_filename.startswith("violations-") and download.suggested_filename.endswith(".csv")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r["business_name"] for r in rows] == [e["business_name"] for e in wanted]
    assert {(r["province_name"], r["goods_code"]) for r in rows} == {("Lào Cai", goods)}
    assert [e for e in csp_violations if "Content Security Policy" in e] == []  # (the favicon's 404 aside)


@pytest.fixture
def axe_page(browser):
    # axe is injected as a script, which the portal's strict CSP would rightly refuse
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


def axe_violations(page) -> list:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']}})")
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


@pytest.mark.parametrize("url", ["/violations?lang=vi", f"/violations?province={LAO_CAI}&goods=nope&year=1800",
                                 "ENTRY", "/open-data", "/open-data?lang=en"])
def test_no_accessibility_violations(axe_page, live_server, url):
    if url == "ENTRY":
        url = "/violations/" + str(listed(axe_page, live_server, "")[0]["id"])
    axe_page.goto(live_server + url)
    assert axe_violations(axe_page) == []
