"""A leader writes a guide with a heading and a list, previews it with htmx, publishes it; the public
finds it by a search without diacritics and reads the formatted page. axe-core checks the guides
and hotlines pages, on a phone."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_journeys import sign_in

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


BODY = """Nước mắm thật có màu cánh gián, mùi thơm đặc trưng.

## Cách kiểm tra nhãn

- Có chỉ dẫn địa lý **Phú Quốc**
- Ghi rõ độ đạm

1. Lắc chai
2. Quan sát bọt"""


def test_a_leader_writes_previews_and_publishes_a_guide_the_public_finds(page, live_server, csp_violations):
    page.goto(f"{live_server}/?lang=vi")
    sign_in(page, live_server, "leader")
    page.goto(f"{live_server}/internal/guides/")
    page.get_by_role("link", name="Cẩm nang mới").click()
    page.get_by_label("Tiêu đề cẩm nang").fill("Nhận biết nước mắm giả mạo chỉ dẫn địa lý")
    page.get_by_label("Mặt hàng").select_option(value="food")
    page.get_by_label("Nhãn hiệu").fill("Nước mắm Phú Quốc")
    page.get_by_label("Chủ thể quyền (nguồn)").fill("Hội Sản xuất nước mắm Phú Quốc")
    page.get_by_label("Nội dung cẩm nang").fill(BODY)

    with page.expect_response(lambda r: r.request.method == "POST"
                              and r.request.headers.get("hx-request") == "true") as preview:
        page.get_by_role("button", name="Xem trước").click()
    assert preview.value.status == 200
    shown = page.locator("#guide-preview")
    expect(shown.get_by_role("heading", name="Cách kiểm tra nhãn")).to_be_visible()
    expect(shown.locator("ul li")).to_have_count(2)
    expect(shown.locator("ol li")).to_have_count(2)
    expect(shown.locator("strong")).to_have_text("Phú Quốc")
    expect(page.get_by_label("Nội dung cẩm nang")).to_have_value(BODY)  # the form stayed as typed

    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhận biết nước mắm giả mạo chỉ dẫn địa lý")
    page.get_by_role("button", name="Đăng công khai").click()
    expect(page.get_by_text("Đã công khai", exact=True)).to_be_visible()

    page.goto(f"{live_server}/guides")
    page.get_by_label("Tìm trong cẩm nang").fill("nuoc mam gia mao")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_role("status")).to_contain_text("1")
    page.get_by_role("link", name="Nhận biết nước mắm giả mạo chỉ dẫn địa lý").click()
    body = page.locator(".guide-body")
    expect(body.get_by_role("heading", level=2, name="Cách kiểm tra nhãn")).to_be_visible()
    expect(body.locator("ul li").first).to_contain_text("Phú Quốc")
    expect(body.locator("ol li")).to_have_count(2)
    expect(page.locator("#main").get_by_role("link", name="Gửi tin báo")).to_have_attribute("href", "/tips/new?goods=food")
    assert not [e for e in csp_violations if "Content Security Policy" in e], csp_violations  # (favicon 404 aside)


@pytest.fixture
def axe_page(browser):
    # axe is injected as a script, which the portal's strict CSP would rightly refuse
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


def first_guide(base: str, page) -> str:
    page.goto(f"{base}/guides")
    return page.locator(".guide-card a").first.get_attribute("href")


@pytest.mark.parametrize("url", ["/guides", "/guides?q=sua", "GUIDE", "/hotlines", "/hotlines?province=92",
                                 "/?province=92", "/guides?lang=en"])
def test_no_accessibility_violations(axe_page, live_server, url):
    if url == "GUIDE":
        url = first_guide(live_server, axe_page)
    axe_page.goto(live_server + url)
    axe_page.add_script_tag(path=str(AXE))
    result = axe_page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']}})")
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == [], violations
