"""The public tip form and following a tip, through HTTP: refusals that keep what was typed,
receipts that open only their own tip, rate limits, the honeypot and the pre-filled form."""
from __future__ import annotations

import io
import re

import pytest
from PIL import ExifTags, Image
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Tip
from portal.services import registry, tips
from tests.factories import LAO_CAI, THANH_HOA, ward_code
from tests.helpers import Page
from tests.services.test_outreach import business
from tests.services.test_tips import jpeg, stored_files

SCRIPT = '<script>alert("x")</script>'


def form(**changes) -> dict:
    values = {"what": "Cửa hàng gần chợ bán sữa bột giả, không có tem phụ.", "province_code": str(THANH_HOA),
              "ward_code": str(ward_code(THANH_HOA, "Phường Hàm Rồng")), "place": "Chợ Hàm Rồng",
              "shop": "Đại lý sữa Minh Châu", "goods": "milk", "contact_choice": "anonymous"}
    values.update(changes)
    return values


def send(client, status=200, files=(), **changes) -> Page:
    data = form(**changes)
    if files:
        data["photos"] = [(io.BytesIO(content), name) for name, content in files]
    page = Page(client.post("/tips/new", data=data, content_type="multipart/form-data"))
    assert page.status == status, page.text()[:800]
    return page


def receipt(page: Page) -> str:
    return page.soup.find(id="receipt-code").get_text(strip=True)


def track(client, code: str, status=200) -> Page:
    page = Page(client.post("/tips/track", data={"code": code}))
    assert page.status == status, page.text()[:500]
    return page


def tip_count() -> int:
    return db.session.scalar(select(func.count(Tip.id)))


@pytest.fixture
def en(client):
    client.get("/?lang=en")
    return client


# --- the form and the receipt -------------------------------------------------------------------

def test_the_form_in_vietnamese_with_every_part(client, world):
    page = Page(client.get("/tips/new"))
    assert page.status == 200 and page.soup.html["lang"] == "vi"
    for field in ("what", "province_code", "ward_code", "place", "goods", "shop", "photos", "contact_name",
                  "contact_phone", "contact_email", "website"):
        assert page.soup.find(id=field) is not None, field
    assert page.soup.find("form")["enctype"] == "multipart/form-data"
    assert page.soup.find(id="photos").has_attr("multiple")
    anonymous = page.soup.find("input", attrs={"name": "contact_choice", "value": "anonymous"})
    assert anonymous.has_attr("checked")  # anonymous unless the sender chooses otherwise
    honeypot = page.soup.find(id="website")
    assert honeypot["autocomplete"] == "off" and honeypot["tabindex"] == "-1"
    assert "visually-hidden" in honeypot.parent["class"]
    assert page.soup.find("button", attrs={"name": "refresh"}) is not None  # wards without JavaScript
    assert page.response.headers["Cache-Control"] == "no-store"


def test_a_tip_gives_a_receipt_code_shown_once_and_not_in_any_url(client, world):
    page = send(client)
    code = receipt(page)
    assert re.fullmatch(r"([A-Z2-9]{4}-){4}[A-Z2-9]{4}", code)
    assert page.response.headers["Cache-Control"] == "no-store" and "Location" not in page.response.headers
    assert "Set-Cookie" not in page.response.headers or code not in page.response.headers["Set-Cookie"]
    assert page.soup.find("a", href="/tips/track") is not None
    tip = db.session.scalars(select(Tip)).one()
    assert tip.anonymous and tip.unit.name == "UBND phường Hàm Rồng" and tip.goods_category.code == "milk"
    assert tip.receipt_hash == tips.code_hash(code)


def test_receipts_open_only_their_own_tip(en, world):
    code1 = receipt(send(en, what="Tin báo thứ nhất: rượu giả ở chợ."))
    code2 = receipt(send(en, what="Tin báo thứ hai: thuốc lá lậu."))
    first, second = db.session.scalars(select(Tip).order_by(Tip.id)).all()
    tips.reply_to_sender(world.ward_official, first, "Trả lời cho tin thứ nhất")
    tips.reply_to_sender(world.ward_official, second, "Trả lời cho tin thứ hai")
    tips.set_status(world.ward_official, second, "verifying")
    db.session.commit()

    one = track(en, code1.lower().replace("-", " "))
    assert "Trả lời cho tin thứ nhất" in one.html and "thứ hai" not in one.html
    assert one.soup.find(id="tip-status").get_text(strip=True).startswith("Received")
    two = track(en, code2)
    assert "Trả lời cho tin thứ hai" in two.html and "thứ nhất" not in two.html
    assert two.soup.find(id="tip-status").get_text(strip=True) == "Being verified by the authorities"
    assert two.response.headers["Cache-Control"] == "no-store"
    for page in (one, two):  # nothing of the tip itself, no staff name
        assert "rượu giả" not in page.html and "thuốc lá" not in page.html
        assert world.ward_official.full_name not in page.html


@pytest.mark.parametrize("forged", ["", "AAAA-BBBB-CCCC-DDDD-EEEE", "' OR 1=1 --", SCRIPT])
def test_a_forged_or_altered_code_gets_a_clear_no(en, world, forged):
    code = receipt(send(en))
    altered = code[:-1] + ("A" if code[-1] != "A" else "B")
    for attempt in (forged, altered):
        page = track(en, attempt, status=422)
        assert "There is no tip with this code" in page.field_error("code")
        assert page.soup.find(id="track-result") is None and "<script>alert" not in page.html


def test_following_a_tip_is_a_post_and_a_get_shows_only_the_form(client, world):
    code = receipt(send(client))
    page = Page(client.get(f"/tips/track?code={code}"))
    assert page.status == 200 and page.soup.find(id="track-result") is None


# --- refusals keep what was typed ---------------------------------------------------------------

def test_a_tip_with_no_text_is_refused_next_to_the_field_and_all_else_kept(client, world):
    page = send(client, status=422, what="", contact_choice="contact", contact_name="Lan",
                contact_phone="0912345678")
    assert page.field_error("what") == "Hãy cho biết sự việc."
    assert page.soup.find(id="what-field")["class"] == ["field", "field--error"]
    assert page.value("province_code") == str(THANH_HOA)
    assert page.value("ward_code") == str(ward_code(THANH_HOA, "Phường Hàm Rồng"))
    assert page.value("place") == "Chợ Hàm Rồng" and page.value("shop") == "Đại lý sữa Minh Châu"
    assert page.value("goods") == "milk"
    assert page.value("contact_name") == "Lan" and page.value("contact_phone") == "0912345678"
    assert page.soup.find("input", attrs={"name": "contact_choice", "value": "contact"}).has_attr("checked")
    assert tip_count() == 0


def test_a_30_mb_photo_is_refused_by_name_and_the_text_kept(app, en, world):
    big = b"\xff\xd8\xff\xe0" + b"\0" * (30 * 1024 * 1024)
    page = send(en, status=422, files=[("anh-to.jpg", big)])
    assert "anh-to.jpg" in page.field_error("photos") and "10 MB" in page.field_error("photos")
    assert page.value("what") == form()["what"]
    assert "choose your photos again" in page.soup.find(id="photos-again").get_text()
    assert tip_count() == 0 and stored_files(app) == []


def test_a_file_that_is_not_an_image_is_refused(app, en, world):
    page = send(en, status=422, files=[("hop-dong.jpg", b"MZ\x90\x00 this is a program")])
    assert "hop-dong.jpg" in page.field_error("photos") and "not a JPEG, PNG" in page.field_error("photos")
    assert tip_count() == 0 and stored_files(app) == []


def test_an_unknown_province_and_a_foreign_ward_are_refused(en, world):
    page = send(en, status=422, province_code="99999", ward_code="")
    assert page.field_error("province_code")
    page = send(en, status=422, ward_code=str(ward_code(LAO_CAI, "Phường Lào Cai")))
    assert "ward or commune of the chosen province" in page.field_error("ward_code")
    page = send(en, status=422, province_code="abc", ward_code="-1", goods="<b>")
    assert page.field_error("province_code") and tip_count() == 0


def test_a_contact_without_phone_or_email_is_refused(en, world):
    page = send(en, status=422, contact_choice="contact", contact_name="Lan")
    assert "phone number or an email address" in page.field_error("contact_phone")
    page = send(en, status=422, contact_choice="contact", contact_phone="123")
    assert "Vietnamese phone number" in page.field_error("contact_phone")
    assert tip_count() == 0


def test_contact_details_are_dropped_when_the_sender_stays_anonymous(client, world):
    send(client, contact_choice="anonymous", contact_name="Lan", contact_phone="0912345678")
    tip = db.session.scalars(select(Tip)).one()
    assert tip.anonymous and tip.contact_name is None and tip.contact_phone is None


def test_script_in_every_field_is_kept_as_text_and_escaped(client, world):
    fields = {k: SCRIPT for k in ("what", "place", "shop", "contact_name", "contact_phone", "contact_email")}
    page = send(client, status=422, contact_choice="contact", **fields)  # the phone and email are refused
    assert "<script>alert" not in page.html and page.value("place") == SCRIPT and page.value("what") == SCRIPT
    fields["contact_phone"], fields["contact_email"] = "0912345678", "a@example.com"
    code = receipt(send(client, contact_choice="contact", **{**fields, "what": SCRIPT + " rượu giả ở chợ"}))
    tip = db.session.scalars(select(Tip)).one()
    assert tip.what.startswith(SCRIPT) and tip.place == SCRIPT
    tips.reply_to_sender(world.ward_official, tip, SCRIPT)
    db.session.commit()
    page = track(client, code)
    assert "<script>alert" not in page.html and "&lt;script&gt;" in page.html


def test_the_photo_the_sender_sent_is_kept_without_its_gps_position(app, client, world):
    original = jpeg(size=(320, 240), gps=True)
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    send(client, files=[("IMG_0001.jpg", original)])
    [path] = stored_files(app)
    with Image.open(path) as after:
        assert after.size == (320, 240) and not after.getexif()
    assert db.session.scalars(select(Tip)).one().photos[0].stored_name == path.name


# --- abuse ---------------------------------------------------------------------------------------

def test_a_thousand_tips_from_one_address_in_a_minute(client, world):
    statuses = [client.post("/tips/new", data=form(), content_type="multipart/form-data").status_code
                for _ in range(1000)]
    assert statuses[:5] == [200] * 5 and set(statuses[5:]) == {429}
    refused = Page(client.post("/tips/new", data=form()))
    assert refused.status == 429 and "Có quá nhiều tin báo" in refused.text()
    assert refused.value("what") == form()["what"]  # nothing typed is lost
    assert refused.response.headers["Retry-After"]
    assert tip_count() == 5
    # another address is not held back by the first one's
    other = client.post("/tips/new", data=form(), environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert other.status_code == 200 and tip_count() == 6


def test_guessing_receipt_codes_is_limited(client, world):
    statuses = [track_status for track_status in
                (client.post("/tips/track", data={"code": f"AAAA-AAAA-AAAA-AAAA-AA{i:02d}"}).status_code
                 for i in range(40))]
    assert statuses[:30] == [422] * 30 and set(statuses[30:]) == {429}


def test_updating_the_wards_is_not_a_tip_and_not_counted(client, world):
    for _ in range(8):
        page = send(client, refresh="1", province_code=str(LAO_CAI), ward_code="")
        assert page.value("what") == form()["what"] and page.value("province_code") == str(LAO_CAI)
    options = [o.get_text() for o in page.soup.find(id="ward_code").find_all("option")]
    assert "Phường Lào Cai" in options and "Phường Hàm Rồng" not in options
    assert tip_count() == 0
    send(client)  # the limit was not used up
    assert tip_count() == 1


def test_the_ward_select_fragment_for_htmx(client, world):
    page = Page(client.get(f"/tips/wards?province_code={THANH_HOA}", headers={"HX-Request": "true"}))
    options = [o.get_text() for o in page.soup.find(id="ward_code").find_all("option")]
    assert "Phường Hàm Rồng" in options and "Phường Lào Cai" not in options
    assert page.soup.find("html") is None
    assert Page(client.get("/tips/wards?province_code=nonsense")).status == 200


def test_a_filled_honeypot_answers_as_accepted_but_keeps_nothing(client, world):
    page = send(client, website="http://spam.example", files=[("a.jpg", jpeg())])
    assert re.fullmatch(r"([A-Z2-9]{4}-){4}[A-Z2-9]{4}", receipt(page))
    assert tip_count() == 0
    assert track(client, receipt(page), status=422).soup.find(id="track-result") is None


@pytest.mark.csrf
def test_the_form_needs_its_csrf_token(client, world):
    page = Page(client.get("/tips/new"))
    assert Page(client.post("/tips/new", data=form())).status == 400
    token = page.soup.find("input", attrs={"name": "csrf_token"})["value"]
    assert Page(client.post("/tips/new", data=form(csrf_token=token))).status == 200
    assert tip_count() == 1


# --- the form opened for a business, a goods category, a province --------------------------------

def test_the_form_prefilled_for_a_business_shows_only_its_public_name_and_address(client, world):
    shop = business(world, name="Tạp hóa Minh Ánh", address="12 Lê Lợi", owner_name="Phạm Chủ Quán",
                    phone="0909111222", tax_code="2801234567")
    db.session.commit()
    page = Page(client.get(f"/tips/new?business={shop.id}"))
    assert page.status == 200
    assert page.value("business_id") == str(shop.id) and page.value("shop") == "Tạp hóa Minh Ánh"
    assert page.value("place") == "12 Lê Lợi" and page.value("province_code") == str(THANH_HOA)
    assert page.value("ward_code") == str(shop.ward_code)
    for private in ("Phạm Chủ Quán", "0909111222", "0909 111 222", "2801234567"):
        assert private not in page.html
    send(client, business_id=str(shop.id))
    assert db.session.scalars(select(Tip)).one().business_id == shop.id


def test_prefill_from_goods_and_province_and_bad_parameters(client, world):
    page = Page(client.get(f"/tips/new?goods=cosmetics&province={LAO_CAI}"))
    assert page.value("goods") == "cosmetics" and page.value("province_code") == str(LAO_CAI)
    options = [o.get_text() for o in page.soup.find(id="ward_code").find_all("option")]
    assert "Phường Lào Cai" in options
    for query in ("business=999999", "business=-1", "business=abc", "province=99999", "province=1e9",
                  "goods=%3Cscript%3E", "business=99999999999999999999"):
        page = Page(client.get(f"/tips/new?{query}"))
        assert page.status == 200 and page.soup.find(id="tip-business") is None and "<script>" not in page.html


def test_a_merged_business_is_not_prefilled(client, world):
    keep = business(world, name="Tạp hóa Minh Ánh")
    other = business(world, name="Tạp hóa Minh Anh", address="14 Lê Lợi")
    from portal.models import Role
    from tests.factories import make_user

    registry.merge(make_user("ward.leader", world.ward_a, Role.LEADER), keep, other)
    db.session.commit()
    page = Page(client.get(f"/tips/new?business={other.id}"))
    assert page.soup.find(id="tip-business") is None and page.value("business_id") in (None, "")


# --- review: forged requests, limits that keep what was typed --------------------------------------

@pytest.mark.parametrize("name", ["what", "place", "shop", "goods", "province_code", "ward_code", "business_id",
                                  "contact_choice", "contact_name", "contact_phone", "contact_email"])
def test_a_forged_multipart_with_a_file_in_a_text_field_gets_a_clear_answer(en, world, name):
    data = form(contact_choice="contact", contact_phone="0912345678")
    data[name] = (io.BytesIO(b"not text"), "x.txt")
    response = en.post("/tips/new", data=data, content_type="multipart/form-data")
    assert response.status_code in (200, 422), response.status_code


def test_a_forged_track_request_with_a_file_gets_a_clear_answer(en, world):
    response = en.post("/tips/track", data={"code": (io.BytesIO(b"AAAA"), "code.txt")},
                       content_type="multipart/form-data")
    assert response.status_code == 422


def test_a_sender_held_back_by_the_limit_keeps_everything_typed(en, world):
    for _ in range(5):
        send(en)
    held = send(en, status=429, what="Tin báo thứ sáu: cửa hàng bán rượu giả.", contact_choice="contact",
                contact_phone="0912345678")
    assert held.response.headers["Retry-After"]
    assert held.value("what") == "Tin báo thứ sáu: cửa hàng bán rượu giả."
    assert held.value("contact_phone") == "0912345678"
    assert "Too many tips" in held.text() and held.response.headers["Cache-Control"] == "no-store"
    assert tip_count() == 5


def test_a_code_held_back_by_the_limit_is_kept(en, world):
    for i in range(30):
        track(en, f"AAAA-AAAA-AAAA-AAAA-AA{i:02d}", status=422)
    held = track(en, "BBBB-BBBB-BBBB-BBBB-BBBB", status=429)
    assert held.value("code") == "BBBB-BBBB-BBBB-BBBB-BBBB" and held.response.headers["Retry-After"]
    assert held.response.headers["Cache-Control"] == "no-store"
