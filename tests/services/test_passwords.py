"""The list of common passwords refused at every password change (ASVS 6.2.4: at least the top 3,000)."""
from portal.services import passwords


def test_the_list_holds_the_most_common_passwords_and_no_comment_lines():
    common = passwords._common_passwords()
    assert len(common) >= 3000
    assert {"123456", "password", "qwerty", "matkhau123"} <= common
    assert not any(entry.startswith("#") for entry in common)


def test_a_long_but_common_password_is_refused(app):
    with app.test_request_context("/"):
        problems = [str(p) for p in passwords.password_problems("1qaz2wsx3edc", username="ward")]
        assert problems == ["Mật khẩu này quá phổ biến; vui lòng chọn mật khẩu khác."]
        assert passwords.password_problems("lúa chín vàng trên cánh đồng", username="ward") == []
