"""A leader enters a small plan with a weekly rule and a task; the team posts progress with htmx."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portal.db import utcnow
from portal.services.deadlines import VIETNAM
from tests.e2e.test_journeys import sign_in

pytestmark = pytest.mark.e2e


def choose(select, text: str) -> None:
    """Pick the option whose text contains ``text`` (unit names are indented by tree depth)."""
    select.select_option(value=select.locator("option", has_text=text).first.get_attribute("value"))


def test_leader_enters_a_plan_and_a_team_posts_progress(page, live_server, csp_violations):
    today = utcnow().astimezone(VIETNAM).date()
    sign_in(page, live_server, "leader")
    page.get_by_role("link", name="Kế hoạch", exact=True).click()
    page.get_by_role("link", name="Thêm kế hoạch").click()
    page.get_by_label("Số, ký hiệu").fill("77/KH-QLTTLCA")
    page.get_by_label("Loại văn bản").select_option(label="Đợt cao điểm")
    page.get_by_label("Trích yếu").fill("Đợt cao điểm kiểm tra sữa giả dịp cuối năm")
    page.get_by_label("Ngày ban hành").fill(today.isoformat())
    page.get_by_label("Ngày bắt đầu").fill(today.isoformat())
    page.get_by_label("Ngày kết thúc").fill((today + timedelta(days=30)).isoformat())
    page.get_by_label("Trạng thái").select_option(label="Đang thực hiện")
    page.get_by_label("Sữa và sản phẩm từ sữa").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đợt cao điểm 77/KH-QLTTLCA")

    page.get_by_role("link", name="Thêm nhiệm vụ").click()
    page.get_by_label("Nhiệm vụ").fill("Kiểm tra các đại lý sữa trên địa bàn")
    choose(page.get_by_label("Đơn vị chủ trì"), "Đội Quản lý thị trường số 1")
    page.get_by_label("Thời hạn").fill((today + timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("cell", name="Kiểm tra các đại lý sữa trên địa bàn")).to_be_visible()

    page.get_by_role("link", name="Thêm quy định chế độ báo cáo").click()
    page.get_by_label("Tên báo cáo").fill("Báo cáo tuần")
    page.get_by_label("Thời hạn nộp").select_option(value="weekly")
    page.get_by_label("Thứ trong tuần").select_option(label="Thứ Tư")
    page.get_by_label("Giờ", exact=True).fill("14:00")
    choose(page.get_by_label("Đơn vị phải báo cáo"), "Đội Quản lý thị trường số 1")
    page.get_by_role("button", name="Thêm quy định").click()
    expect(page.get_by_role("status")).to_contain_text("hạn")
    expect(page.get_by_text("Báo cáo tuần", exact=True)).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, live_server, "inspector")
    expect(page.get_by_role("heading", level=1)).to_have_text("Công việc của tôi")
    expect(page.locator("#obligations")).to_contain_text("Báo cáo tuần")
    task = page.locator("article.task", has_text="Kiểm tra các đại lý sữa trên địa bàn")
    task.get_by_text("Cập nhật tiến độ").click()
    page.evaluate("window.__marker = 'same page'")
    task.get_by_label("Trạng thái").select_option(label="Đang triển khai")
    task.get_by_label("Kết quả thực hiện").fill("Đã kiểm tra 5 đại lý, chưa phát hiện vi phạm")
    task.get_by_role("button", name="Gửi").click()
    updated = page.locator("article.task", has_text="Kiểm tra các đại lý sữa trên địa bàn")
    expect(updated).to_contain_text("Đã kiểm tra 5 đại lý, chưa phát hiện vi phạm")
    expect(page.locator("#messages")).to_contain_text("tiến độ")
    assert page.evaluate("window.__marker") == "same page"  # swapped in place by htmx
    assert not [e for e in csp_violations if "Content Security Policy" in e], csp_violations
