"""A citizen sends a tip with a photo, anonymously, notes the receipt code and follows the tip with
it; a ward official takes the tip and replies; the citizen reads the reply with the code. And
axe-core finds nothing on the tip pages (empty, with errors, following a tip)."""
import pytest
from playwright.sync_api import expect

from tests.e2e.test_journeys import sign_in
from tests.e2e.test_public_accessibility import AXE, axe_page  # noqa: F401  (the fixture)
from tests.services.test_tips import jpeg

pytestmark = pytest.mark.e2e

WHAT = "Đại lý gần chợ Hàm Rồng bán sữa bột giả, hộp không có tem phụ tiếng Việt (thử nghiệm e2e)."
REPLY = "Cảm ơn bạn. UBND phường đã tiếp nhận và đang phối hợp xác minh."


def follow(page, base, code):
    page.goto(f"{base}/tips/track")
    page.get_by_label("Mã tra cứu").fill(code)
    page.get_by_role("button", name="Xem tin báo của tôi").click()


def test_a_citizen_sends_a_tip_and_follows_it_with_the_receipt_code(page, live_server, csp_violations):
    page.goto(f"{live_server}/?lang=vi")
    page.goto(f"{live_server}/tips/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi tin báo")
    page.get_by_label("Sự việc là gì?").fill(WHAT)
    page.get_by_label("Loại hàng hóa").select_option(label="Sữa và sản phẩm từ sữa")
    page.get_by_label("Tỉnh, thành phố").select_option(label="Thanh Hóa")
    # htmx swaps in the wards of the chosen province
    page.locator("#ward_code").select_option(label="Phường Hàm Rồng")
    page.get_by_label("Địa điểm cụ thể").fill("Cổng chợ Hàm Rồng")
    page.locator("#photos").set_input_files([{"name": "IMG_0001.jpg", "mimeType": "image/jpeg",
                                              "buffer": jpeg(size=(320, 240), gps=True)}])
    expect(page.get_by_label("Không, tôi giữ ẩn danh")).to_be_checked()
    page.get_by_role("button", name="Gửi tin báo").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn bạn: tin báo đã được gửi")
    code = page.locator("#receipt-code").inner_text().strip()
    assert len(code) == 24 and code not in page.url
    page.get_by_role("link", name="Theo dõi tin báo bằng mã tra cứu").click()
    page.get_by_label("Mã tra cứu").fill(code.lower())
    page.get_by_role("button", name="Xem tin báo của tôi").click()
    expect(page.locator("#tip-status")).to_contain_text("Đã tiếp nhận")
    expect(page.locator("#track-result")).to_contain_text("Chưa có trả lời")

    sign_in(page, live_server, "ward")
    page.goto(f"{live_server}/internal/tips/?lang=vi")
    row = page.locator("#tips tr", has_text="thử nghiệm e2e")
    expect(row).to_contain_text("Phường Hàm Rồng")
    row.get_by_role("link").click()
    expect(page.locator("#sender")).to_contain_text("Ẩn danh")
    expect(page.locator(".tip-photos img")).to_have_count(1)
    page.get_by_role("button", name="Nhận xử lý tin báo này").click()
    expect(page.get_by_role("status")).to_contain_text("Bạn đã nhận xử lý tin báo này")
    page.get_by_label("Trả lời người báo tin").fill(REPLY)
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi trả lời")
    page.get_by_role("button", name="Đăng xuất").click()

    follow(page, live_server, code)
    expect(page.locator("#tip-replies")).to_contain_text(REPLY)
    expect(page.locator("#track-result")).not_to_contain_text("Lê Văn Phường")  # no staff name
    follow(page, live_server, code[:-1] + ("A" if code[-1] != "A" else "B"))
    expect(page.locator("#code-error")).to_contain_text("Không có tin báo nào với mã này")
    expect(page.locator("#track-result")).to_have_count(0)
    assert not [e for e in csp_violations if "Content Security Policy" in e]


def _axe(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']}})")
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def test_the_tip_pages_pass_axe(axe_page, live_server):  # noqa: F811
    axe_page.goto(f"{live_server}/tips/new?lang=vi")
    assert _axe(axe_page) == []
    axe_page.get_by_role("button", name="Gửi tin báo").click()  # nothing typed: errors next to the fields
    expect(axe_page.locator("#what-error")).to_be_visible()
    assert _axe(axe_page) == []
    axe_page.goto(f"{live_server}/tips/track")
    assert _axe(axe_page) == []
    axe_page.get_by_role("button", name="Xem tin báo của tôi").click()
    expect(axe_page.locator("#code-error")).to_be_visible()
    assert _axe(axe_page) == []
