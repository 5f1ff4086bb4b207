"""Staff pages of the guides: writing, previewing, publishing, images; scope per guide."""
import io
import re

import pytest
from PIL import ExifTags, Image
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Guide, GuideImage, Role
from portal.services import audit, guides
from tests.factories import make_user


@pytest.fixture
def officer(world):
    return make_user("officer", world.province, Role.OFFICER)


@pytest.fixture
def sibling_leader(world):
    return make_user("laocai.leader", world.other_province, Role.LEADER)


def add(actor, unit, **extra):
    values = dict(unit_id=unit.id, title="Nhận biết sữa giả", body="Đoạn đầu", goods_code="milk", brand="Ông Thọ")
    values.update(extra)
    guide = guides.create(actor, guides.GuideData(**values))
    db.session.commit()
    return guide


def form(unit, **extra):
    values = {"title": "Nhận biết mỹ phẩm giả", "unit_id": str(unit.id), "goods_code": "cosmetics",
              "brand": "Thorakao", "rights_holder": "Công ty Lan Hảo", "summary": "Tóm tắt",
              "body": "## Bao bì\n\n- Nhãn phụ tiếng Việt\n- Số công bố", "version": "1"}
    values.update(extra)
    return values


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (10, 120, 200))
    exif = image.getexif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (21.0, 1.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (105.0, 50.0, 10.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(web, guide_id, data: bytes, name="anh.jpg", caption="Mặt trước hộp thật", status=303):
    return web.post(f"/internal/guides/{guide_id}/images", {"image": (io.BytesIO(data), name), "caption": caption},
                    content_type="multipart/form-data", status=status)


@pytest.mark.parametrize("who", ["leader", "officer", "province_admin"])
def test_writers_open_every_page(web, world, officer, who):
    guide = add(world.leader, world.province)
    web.sign_in(officer if who == "officer" else getattr(world, who))
    assert "Nhận biết sữa giả" in web.get("/internal/guides/").text()
    assert web.get("/internal/guides/new").soup.find(id="body") is not None
    assert web.get(f"/internal/guides/{guide.id}/edit").value("title") == "Nhận biết sữa giả"
    detail = web.get(f"/internal/guides/{guide.id}")
    assert detail.soup.find(id="image") is not None and detail.soup.find(id="caption") is not None


def test_anyone_signed_in_reads_but_only_writers_in_scope_change(web, world, sibling_leader):
    guide = add(world.leader, world.province)
    web.sign_in(world.viewer)
    assert "Nhận biết sữa giả" in web.get("/internal/guides/").text()
    web.get(f"/internal/guides/{guide.id}")
    web.get("/internal/guides/new", status=403)
    web.get(f"/internal/guides/{guide.id}/edit", status=403)
    web.sign_out()
    web.sign_in(sibling_leader)
    detail = web.get(f"/internal/guides/{guide.id}")
    assert detail.soup.find(id="image") is None  # no upload form for a guide out of scope
    web.get(f"/internal/guides/{guide.id}/edit", status=403)
    web.post(f"/internal/guides/{guide.id}/edit", form(world.province), status=403)
    web.post(f"/internal/guides/{guide.id}/publish", status=403)
    upload(web, guide.id, jpeg_with_gps(), status=403)
    for url in ("/internal/guides/99999", "/internal/guides/99999/edit"):
        web.get(url, status=404)
    web.post("/internal/guides/99999/publish", status=404)
    web.post(f"/internal/guides/{guide.id}/images/99999/delete", status=403)
    db.session.refresh(guide)
    assert guide.published_at is None


def test_a_leader_writes_previews_and_publishes(web, world):
    web.sign_in(world.leader)
    preview = web.post("/internal/guides/new", {**form(world.province), "preview": "1"})
    assert preview.soup.select_one("#guide-preview h2:not(#guide-preview-title)").get_text() == "Bao bì"
    assert [li.get_text() for li in preview.soup.select("#guide-preview li")] == ["Nhãn phụ tiếng Việt", "Số công bố"]
    assert preview.value("body") == form(world.province)["body"]
    assert db.session.scalar(select(Guide)) is None  # a preview saves nothing
    fragment = web.post("/internal/guides/new", {**form(world.province), "preview": "1"},
                        headers={"HX-Request": "true", "HX-Target": "guide-preview"})
    assert fragment.html.lstrip().startswith('<section id="guide-preview"') and "<html" not in fragment.html
    saved = web.post("/internal/guides/new", form(world.province), status=303)
    guide = db.session.scalar(select(Guide))
    assert saved.response.headers["Location"].endswith(f"/internal/guides/{guide.id}")
    assert guide.goods_category.code == "cosmetics" and "nhan phu tieng viet" in guide.search_folded
    web.post(f"/internal/guides/{guide.id}/publish", status=303)
    db.session.refresh(guide)
    assert guide.published_at is not None
    web.post(f"/internal/guides/{guide.id}/unpublish", status=303)
    db.session.refresh(guide)
    assert guide.published_at is None
    assert db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.not_in(audit.TRAIL_ACTIONS))
                              .order_by(AuditEntry.id)).all()[-3:] == [
        "guide.created", "guide.published", "guide.unpublished"]


def test_bad_input_is_refused_next_to_the_field_and_kept(web, world):
    web.sign_in(world.leader)
    typed = form(world.province, title="", goods_code="plutonium", body="<script>x</script>")
    page = web.post("/internal/guides/new", typed, status=422)
    assert page.field_error("title") and page.field_error("goods_code")
    assert page.value("body") == "<script>x</script>" and page.value("brand") == "Thorakao"
    assert page.value("rights_holder") == "Công ty Lan Hảo"
    assert page.soup.find("script", string="x") is None
    assert db.session.scalar(select(Guide)) is None


def test_a_conflicting_edit_is_refused_with_409(web, world):
    guide = add(world.leader, world.province)
    web.sign_in(world.leader)
    web.post(f"/internal/guides/{guide.id}/edit", form(world.province, version=str(guide.version)), status=303)
    page = web.post(f"/internal/guides/{guide.id}/edit", form(world.province, title="Cũ", version="1"), status=409)
    assert page.value("title") == "Cũ"
    db.session.refresh(guide)
    assert guide.title == "Nhận biết mỹ phẩm giả"


def test_images_lose_their_gps_position(web, world, app):
    guide = add(world.leader, world.province)
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo has a position
    web.sign_in(world.leader)
    upload(web, guide.id, original)
    image = db.session.scalar(select(GuideImage))
    stored = (app.instance_path + "/guide-images/" + image.stored_name)
    with open(stored, "rb") as handle:
        data = handle.read()
    assert b"Exif" not in data and b"PhoneMaker" not in data
    reopened = Image.open(io.BytesIO(data))
    assert not reopened.getexif() and not reopened.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    served = web.client.get(f"/internal/guides/{guide.id}/images/{image.stored_name}")
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg" and served.data == data
    detail = web.get(f"/internal/guides/{guide.id}")
    assert detail.soup.find("img", alt="Mặt trước hộp thật") is not None
    web.post(f"/internal/guides/{guide.id}/images/{image.id}/delete", status=303)
    assert db.session.scalar(select(GuideImage)) is None


def test_a_30_mb_image_and_a_file_that_is_not_an_image_are_refused(web, world):
    guide = add(world.leader, world.province)
    web.sign_in(world.leader)
    big = upload(web, guide.id, b"\xff\xd8\xff" + b"\0" * (30 * 1024 * 1024), caption="Ảnh lớn", status=422)
    assert re.search(r"10\s*MB", big.field_error("image"))
    assert big.value("caption") == "Ảnh lớn"
    fake = upload(web, guide.id, b"%PDF-1.7 not an image", name="anh.jpg", caption="Ảnh giả", status=422)
    assert fake.field_error("image") and fake.value("caption") == "Ảnh giả"
    no_caption = upload(web, guide.id, jpeg_with_gps(), caption="", status=422)
    assert no_caption.field_error("caption")
    assert db.session.scalar(select(GuideImage)) is None


def test_the_staff_list_filters_by_state_and_goods(web, world):
    add(world.leader, world.province, title="Sữa nháp")
    shown = add(world.leader, world.province, title="Mỹ phẩm đã đăng", goods_code="cosmetics")
    guides.publish(world.leader, shown)
    db.session.commit()
    web.sign_in(world.ward_official)
    published = web.get("/internal/guides/?state=published").text()
    assert "Mỹ phẩm đã đăng" in published and "Sữa nháp" not in published
    drafts = web.get("/internal/guides/?state=draft&goods=milk").text()
    assert "Sữa nháp" in drafts and "Mỹ phẩm đã đăng" not in drafts
    assert "Sữa nháp" in web.get("/internal/guides/?state=nonsense&goods=nonsense&page=-1").text()
