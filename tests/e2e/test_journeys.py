"""What staff do in a real browser: sign in, switch language, use the htmx forms."""
import re
import time

import pytest
from playwright.sync_api import expect

from portal.config import Defaults
from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, USERS
from portal.services.two_factor import STEP_SECONDS, code_at, current_step

pytestmark = pytest.mark.e2e

#: Demo accounts that sign in with a code from the demo key (administrators and leaders).
WITH_CODE = {user.username for user in USERS if user.role.value in Defaults.TWO_FACTOR_REQUIRED_ROLES}

#: The last time step whose code each (server, account) was given: a code is accepted only once.
_used_steps: dict[tuple[str, str], int] = {}


def sign_in(page, base, username, password=DEMO_PASSWORD):
    """Sign in through the form, choosing Vietnamese first: a demo user's language choice is kept
    in their profile and another journey may have switched it; the session's choice wins.
    Administrators and leaders then type the code their authenticator would show."""
    page.goto(f"{base}/internal/login?lang=vi")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    if username in WITH_CODE:
        expect(page).to_have_url(re.compile(r"/internal/login/code"))
        page.get_by_label("Mã", exact=True).fill(unused_code(base, username))
        page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator(".user-chip")).to_be_visible()


def unused_code(base: str, username: str) -> str:
    """The code of the current time step, or of the next one when this account already used it
    (one step of drift is accepted), waiting for the clock when both are used."""
    step = max(current_step(), _used_steps.get((base, username), -1) + 1)
    wait = (step - 1) * STEP_SECONDS - time.time()
    if wait > 0:
        time.sleep(wait + 0.5)
    _used_steps[(base, username)] = step
    return code_at(DEMO_TOTP_SECRET, step)


def test_sign_in_switch_language_and_sign_out(page, live_server, csp_violations):
    page.goto(f"{live_server}/internal/")
    expect(page).to_have_url(re.compile(r"/internal/login\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập vào khu vực cán bộ")

    page.get_by_label("Tên đăng nhập").fill("ward")
    page.get_by_label("Mật khẩu").fill("sai mật khẩu rồi")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("ward")

    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Công việc của tôi")
    expect(page.locator(".user-chip")).to_contain_text("Lê Văn Phường")
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    page.get_by_role("link", name="Units", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Units")  # the choice is kept
    expect(page.get_by_role("link", name="UBND phường Hàm Rồng", exact=True)).to_be_visible()
    expect(page.get_by_text("Phường Hạc Thành")).to_have_count(0)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_have_text("You have signed out.")
    page.goto(f"{live_server}/internal/units/")
    expect(page).to_have_url(re.compile(r"/internal/login"))
    assert not [e for e in csp_violations if "Content Security Policy" in e], csp_violations


def test_administrator_locks_an_account_with_htmx(page, live_server, csp_violations):
    sign_in(page, live_server, "admin")
    page.get_by_role("link", name="Người dùng").click()
    row = page.locator("tr", has_text="ward2")
    page.evaluate("window.__marker = 'same page'")  # survives only if htmx swapped in place
    row.get_by_role("button", name=re.compile("^Khóa")).click()
    expect(row.get_by_text("Đã khóa")).to_be_visible()
    expect(page.locator("#messages")).to_contain_text("Đã khóa tài khoản ward2")
    assert page.evaluate("window.__marker") == "same page"
    row.get_by_role("button", name=re.compile("^Mở khóa")).click()
    expect(row.get_by_text("Đang hoạt động")).to_be_visible()
    assert not [e for e in csp_violations if "Content Security Policy" in e], csp_violations


def test_ward_list_follows_the_province(page, live_server):
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server}/internal/units/new")
    page.get_by_label("Tỉnh, thành phố").select_option(label="Lào Cai")
    ward = page.get_by_label("Phường, xã")
    expect(ward.locator("option", has_text="Phường Lào Cai")).to_have_count(1)
    expect(ward.locator("option", has_text="Phường Hàm Rồng")).to_have_count(0)
