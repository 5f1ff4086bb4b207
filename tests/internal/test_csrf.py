"""CSRF protection switched on, for plain forms and for htmx requests."""
import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.csrf


def test_form_without_token_is_refused_and_keeps_what_was_typed(web, world):
    page = web.post("/internal/login", {"username": "ward", "password": PASSWORD}, status=400,
                        headers={"Origin": "http://localhost"})
    assert "Biểu mẫu đã hết hạn" in page.text()
    resend = page.soup.find("form", class_="resubmit")
    fields = {i["name"]: i.get("value") for i in resend.find_all("input")}
    assert fields["username"] == "ward"
    assert "password" not in fields  # never echoed
    assert fields["csrf_token"]  # a fresh token to send it again


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost.evil.example", "null"])
def test_form_from_another_site_is_refused_without_a_resend_button(web, world, origin):
    page = web.post("/internal/login", {"username": "ward", "password": PASSWORD}, status=400,
                    headers={"Origin": origin})
    assert page.soup.find("form", class_="resubmit") is None


def test_form_with_token_is_accepted(web, world):
    token = web.get("/internal/login").csrf_token()
    web.post("/internal/login", {"username": "ward", "password": PASSWORD, "csrf_token": token}, status=303)


def test_htmx_request_sends_the_token_in_a_header(web, world):
    web.sign_in(world.admin)  # with the token, and the second factor's code
    token = web.get("/internal/users/").csrf_token()
    url = f"/internal/users/{world.ward_official.id}/lock"
    web.post(url, status=400, headers={"HX-Request": "true"})
    page = web.post(url, status=200, headers={"HX-Request": "true", "X-CSRFToken": token,
                                                  "HX-Target": f"tr#user-{world.ward_official.id}"})
    assert page.soup.find("tr", id=f"user-{world.ward_official.id}")
    assert "Đã khóa" in page.text()


def test_sign_out_without_token_is_refused(web, world):
    token = web.get("/internal/login").csrf_token()
    web.post("/internal/login", {"username": "ward", "password": PASSWORD, "csrf_token": token}, status=303)
    web.post("/internal/logout", status=400)
    assert web.get("/internal/").status == 200


def test_an_expired_tip_form_keeps_the_text_but_never_echoes_the_senders_contact(web, world):
    page = web.post("/tips/new", {"what": "Bán sữa giả ở chợ Hàm Rồng", "province_code": "38", "wants_contact": "yes",
                                  "contact_name": "Nguyễn Văn Báo", "contact_phone": "0912345678"},
                    status=400, headers={"Origin": "http://localhost"})
    fields = {i["name"]: i.get("value") for i in page.soup.find("form", class_="resubmit").find_all("input")}
    assert fields["what"] == "Bán sữa giả ở chợ Hàm Rồng"
    assert "Nguyễn Văn Báo" not in page.html and "0912345678" not in page.html
    assert page.response.headers["Cache-Control"] == "no-store"
    track = web.post("/tips/track", {"code": "ABCD-EFGH-JKMN-PQRS-TWXY"}, status=400,
                     headers={"Origin": "http://localhost"})
    assert "ABCD-EFGH" not in track.html
