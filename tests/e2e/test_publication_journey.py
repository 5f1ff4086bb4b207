"""An inspector records a violation by a business that had signed its commitment, proposes it
for publication; a leader approves it; the entry appears on the public list."""
import pytest
from playwright.sync_api import expect

from portal.services import registry
from tests.e2e.test_journeys import sign_in

pytestmark = pytest.mark.e2e


def test_a_violation_after_a_commitment_is_published(page, live_server, csp_violations):
    sign_in(page, live_server, "inspector")
    page.goto(f"{live_server}/internal/commitments/?lang=vi")
    row = page.locator("table tbody tr").last  # an older commitment: signed before today
    name = row.locator("td").nth(1).locator("a").inner_text()
    row.locator("td").nth(1).locator("a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)

    page.get_by_role("link", name="Ghi nhận kiểm tra").click()
    page.get_by_label("Hình thức kiểm tra").select_option(value="surprise")
    page.get_by_label("Kết quả").select_option(value="violation")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận cuộc kiểm tra")

    page.get_by_role("link", name="Ghi nhận vi phạm").click()
    page.get_by_label("Loại vi phạm").select_option(value="counterfeit")
    page.get_by_label("Nhãn hiệu").fill("Ensure")
    page.get_by_label("Số quyết định").fill("77/QĐ-XPHC")
    page.get_by_label("Ngày quyết định").fill(registry.today().isoformat())  # today in Vietnam
    page.get_by_label("Người/cơ quan ban hành").fill("Đội trưởng Đội QLTT số 1")
    page.get_by_label("Số tiền phạt (đồng)").fill("25000000")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".facts")).to_contain_text("Sau khi ký cam kết")
    page.get_by_role("button", name="Đề xuất công khai").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đề xuất công khai")
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, live_server, "leader")
    page.goto(f"{live_server}/internal/publications/?state=proposed&lang=vi")
    page.locator("#publications").get_by_role("link", name=name).first.click()
    page.get_by_role("button", name="Phê duyệt và công khai").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đăng trên trang công khai")

    page.goto(f"{live_server}/violations?lang=vi")
    entry = page.locator("#entries li", has_text=name).first
    expect(entry).to_contain_text("77/QĐ-XPHC")
    expect(entry).to_contain_text("Vi phạm sau khi đã ký cam kết")
    entry.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator("#entry")).to_contain_text("25.000.000")
    assert not [e for e in csp_violations if "Content Security Policy" in e]
