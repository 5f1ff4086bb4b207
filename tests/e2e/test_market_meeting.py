"""A ward official records a market meeting with htmx batch entry: search-as-you-type to pick
stalls, a row added from the keyboard, a new stall added inline, one save."""
import pytest
from playwright.sync_api import expect

from portal.text import fold
from tests.e2e.test_journeys import sign_in

pytestmark = pytest.mark.e2e


def test_ward_official_records_a_market_meeting(page, live_server, csp_violations):
    sign_in(page, live_server, "ward")
    page.goto(f"{live_server}/internal/businesses/?lang=vi")  # another journey leaves this user in English
    names = page.locator("table tbody tr td:first-child a").all_inner_texts()[:2]
    assert len(names) == 2, "the demo has businesses in Hàm Rồng"

    page.get_by_role("link", name="Tuyên truyền", exact=True).click()
    page.get_by_role("link", name="Ghi nhận buổi tuyên truyền").click()
    page.evaluate("window.__marker = 'same page'")
    page.get_by_label("Hình thức").select_option(value="conference")
    page.get_by_label("Địa điểm").fill("Chợ Hàm Rồng")
    page.get_by_label("Số người tham dự").fill("35")

    # Row 1: typed without diacritics, picked from the suggestions.
    first = page.locator("#rows-0")
    first.get_by_label("Cơ sở, dòng 1").fill(fold(names[0]))
    first.locator(".suggestion", has_text=names[0]).first.click()
    expect(page.locator("#rows-0 .picked")).to_contain_text(names[0])
    page.locator("#rows-0").get_by_label("Đã ký cam kết").check()
    page.locator("#rows-0").get_by_label("Người ký").fill("Nguyễn Văn Chủ")

    # Row 2: the second business, signed but with nobody named (an error to correct).
    second = page.locator("#rows-1")
    second.get_by_label("Cơ sở, dòng 2").fill(fold(names[1])[:12])
    second.locator(".suggestion", has_text=names[1]).first.click()
    expect(page.locator("#rows-1 .picked")).to_contain_text(names[1])
    page.locator("#rows-1").get_by_label("Đã ký cam kết").check()

    # A sixth row, added from the keyboard: focus the button, press Enter; the new row gets the focus.
    page.locator("#add-row").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#rows-5")).to_be_visible()
    expect(page.locator("#rows-5").get_by_label("Cơ sở, dòng 6")).to_be_focused()
    assert page.evaluate("window.__marker") == "same page"  # htmx swapped rows, no reload

    sixth = page.locator("#rows-5")
    sixth.get_by_text("Chưa có trong danh sách: thêm mới").click()
    sixth.get_by_label("Tên cơ sở mới").fill("Quầy rau sạch bà Tư")
    sixth.get_by_label("Số quầy/sạp").fill("R12")
    sixth.get_by_label("Đã ký cam kết").check()
    sixth.get_by_label("Người ký").fill("Trần Thị Tư")

    page.get_by_role("button", name="Lưu buổi tuyên truyền").click()
    expect(page.locator("#row-errors")).to_contain_text("2")
    expect(page.locator("#rows-1-signatory-error")).to_be_visible()
    expect(page.locator("#rows-0 .picked")).to_contain_text(names[0])  # nothing lost
    expect(page.locator("#rows-5-new_name")).to_have_value("Quầy rau sạch bà Tư")

    page.locator("#rows-1").get_by_label("Người ký").fill("Lê Thị Hai")
    page.get_by_role("button", name="Lưu buổi tuyên truyền").click()
    expect(page.get_by_role("status")).to_contain_text("3")
    table = page.locator("table")
    for name in (names[0], names[1], "Quầy rau sạch bà Tư"):
        expect(table).to_contain_text(name)
    expect(table).to_contain_text("Lê Thị Hai")
    assert not [e for e in csp_violations if "Content Security Policy" in e]
