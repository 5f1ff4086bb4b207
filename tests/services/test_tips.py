"""Citizens' tips in the service layer: receipts that open only their own tip, refusals that save
nothing, routing to the unit of the area, scope, and the sender's contact for the handler only."""
from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from portal.db import utcnow
from portal.demo import ensure_unit
from portal.extensions import db
from portal.models import AuditEntry, Role, Tip, TipPhoto, TipStatus, UnitKind
from portal.services import registry, tips
from portal.services.errors import AccessDenied, ConflictingEdit, ValidationFailed
from tests.factories import LAO_CAI, THANH_HOA, make_user, ward_code
from tests.services.test_outreach import business

@pytest.fixture(autouse=True)
def in_english(app):
    """Messages read in English, inside a request from an address (which must not be kept)."""
    with app.test_request_context("/?lang=en", environ_base={"REMOTE_ADDR": "203.0.113.9"}):
        yield


WHAT = "Cửa hàng gần chợ bán sữa bột giả, hộp không có tem phụ tiếng Việt."


def data(**changes) -> tips.TipData:
    values = dict(what=WHAT, province_code=THANH_HOA, ward_code=ward_code(THANH_HOA, "Phường Hàm Rồng"))
    values.update(changes)
    return tips.TipData(**values)


def jpeg(size=(64, 48), gps=False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    exif = Image.Exif()
    if gps:
        exif[ExifTags.Base.Make] = "PhoneMaker"
        exif.get_ifd(ExifTags.IFD.GPSInfo).update({
            ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (19.0, 50.0, 12.0),
            ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (105.0, 47.0, 6.0)})
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(content: bytes, name="anh.jpg") -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=name, content_type="image/jpeg")


def stored_files(app) -> list[Path]:
    folder = Path(app.instance_path) / tips.PHOTO_FOLDER
    return sorted(folder.iterdir()) if folder.exists() else []


def tip_count() -> int:
    return db.session.scalar(select(func.count(Tip.id)))


# --- receipts ------------------------------------------------------------------------------------

def test_each_receipt_code_opens_only_its_own_tip(world):
    first, code1 = tips.submit(data(what="Tin báo thứ nhất về rượu giả ở chợ."))
    second, code2 = tips.submit(data(what="Tin báo thứ hai về thuốc lá lậu."))
    db.session.commit()
    tips.reply_to_sender(world.ward_official, second, "Đã chuyển công an phường.")
    db.session.commit()

    assert code1 != code2 and len(code1) == tips.CODE_LENGTH
    assert all(ch in tips.ALPHABET for ch in code1 + code2)
    one, two = tips.track(code1), tips.track(code2)
    assert one.replies == [] and [r.text for r in two.replies] == ["Đã chuyển công an phường."]
    assert one.received_at == first.received_at and two.received_at == second.received_at
    # what a person may type: lower case, spaces, dashes of the grouped form
    assert tips.track(" " + tips.grouped(code2).lower() + " ").replies[0].text == "Đã chuyển công an phường."
    assert tips.track(code1.lower().replace("", " ")).received_at == first.received_at


@pytest.mark.parametrize("forged", ["", "K7QF-2M9X", "A" * 20, "' OR 1=1 --", "<script>", "x" * 500])
def test_a_forged_code_finds_nothing(world, forged):
    tips.submit(data())
    db.session.commit()
    assert tips.track(forged) is None


def test_an_altered_code_finds_nothing(world):
    _tip, code = tips.submit(data())
    db.session.commit()
    for i in range(len(code)):  # every one-character change
        other = tips.ALPHABET[(tips.ALPHABET.index(code[i]) + 1) % len(tips.ALPHABET)]
        assert tips.track(code[:i] + other + code[i + 1:]) is None
    assert tips.track(code[:-1]) is None and tips.track(code + "A") is None


def test_only_the_hash_of_the_code_is_kept(world):
    tip, code = tips.submit(data())
    db.session.commit()
    assert tip.receipt_hash == hashlib.sha256(code.encode()).hexdigest()
    row = db.session.execute(select(Tip.__table__)).mappings().one()
    assert not any(code in str(value) for value in row.values())


def test_what_the_sender_sees_holds_no_note_and_no_name(world):
    tip, code = tips.submit(data())
    db.session.commit()
    tips.take(world.ward_official, tip)
    tips.add_note(world.ward_official, tip, "Ghi chú nội bộ bí mật")
    tips.reply_to_sender(world.ward_official, tip, "Cảm ơn bạn.")
    db.session.commit()
    seen = tips.track(code)
    assert set(vars(seen)) == {"status", "received_at", "updated_at", "closed_at", "replies"}
    assert set(vars(seen.replies[0])) == {"at", "text"}
    assert "Ghi chú" not in repr(seen) and world.ward_official.full_name not in repr(seen)


# --- what is refused ----------------------------------------------------------------------------

@pytest.mark.parametrize("what, message", [
    (None, "Say what happened."), ("", "Say what happened."), ("   ", "Say what happened."),
    ("ngắn", "at least 10"), ("x" * 5001, "at most 5000"),
])
def test_a_tip_needs_its_text(world, what, message):
    with pytest.raises(ValidationFailed) as refused:
        tips.submit(data(what=what))
    assert message in str(refused.value.errors["what"][0])
    assert tip_count() == 0


def test_province_ward_goods_and_business_are_checked(world):
    lao_cai_ward = ward_code(LAO_CAI, "Phường Lào Cai")
    with pytest.raises(ValidationFailed) as refused:
        tips.submit(data(province_code=99999, ward_code=None))
    assert set(refused.value.errors) == {"province_code"}
    with pytest.raises(ValidationFailed) as refused:
        tips.submit(data(ward_code=lao_cai_ward))  # a ward of another province
    assert set(refused.value.errors) == {"ward_code"}
    with pytest.raises(ValidationFailed) as refused:
        tips.submit(data(goods="no-such-goods", business_id=2_000_000))
    assert set(refused.value.errors) == {"goods", "shop"}
    assert tip_count() == 0


def test_a_merged_business_cannot_be_named(world):
    keep = business(world, name="Tạp hóa Minh Ánh")
    other = business(world, name="Tạp hóa Minh Anh", address="14 Lê Lợi")
    leader = make_user("ward.leader", world.ward_a, Role.LEADER)
    registry.merge(leader, keep, other)
    db.session.commit()
    assert tips.prefill_business(other.id) is None
    with pytest.raises(ValidationFailed):
        tips.submit(data(business_id=other.id))
    tip, _code = tips.submit(data(business_id=keep.id))
    assert tip.business_id == keep.id


def test_anonymous_by_default_and_contact_dropped_when_anonymous(world):
    tip, _code = tips.submit(data(contact_name="Nguyễn Văn A", contact_phone="0912345678",
                                  contact_email="a@example.com"))
    assert tip.anonymous and (tip.contact_name, tip.contact_phone, tip.contact_email) == (None, None, None)
    assert not tips.has_contact(tip)


def test_a_sender_who_wants_contact_gives_a_valid_phone_or_email(world):
    for given, field in [(dict(), "contact_phone"), (dict(contact_name="A"), "contact_phone"),
                         (dict(contact_phone="12345"), "contact_phone"),
                         (dict(contact_email="not-an-email"), "contact_email")]:
        with pytest.raises(ValidationFailed) as refused:
            tips.submit(data(wants_contact=True, **given))
        assert field in refused.value.errors
    tip, _code = tips.submit(data(wants_contact=True, contact_name=" Lan ", contact_phone="+84 912 345 678"))
    assert not tip.anonymous and tip.contact_name == "Lan" and tip.contact_phone == "0912345678"
    tip, _code = tips.submit(data(wants_contact=True, contact_email="lan@example.com"))
    assert tip.contact_email == "lan@example.com"


# --- photos --------------------------------------------------------------------------------------

def test_a_photo_is_stored_without_its_location(app, world):
    original = jpeg(gps=True)
    with Image.open(io.BytesIO(original)) as before:  # the test photo really carries a position
        assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    tip, _code = tips.submit(data(), [upload(original)])
    db.session.commit()
    [photo] = tip.photos
    [path] = stored_files(app)
    assert path.name == photo.stored_name and b"PhoneMaker" not in path.read_bytes()
    with Image.open(path) as after:
        assert after.format == "JPEG" and not after.getexif()
        assert not after.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_a_30_mb_photo_is_refused_by_name_and_nothing_is_kept(app, world):
    big = b"\xff\xd8\xff\xe0" + b"\0" * (30 * 1024 * 1024)
    with pytest.raises(ValidationFailed) as refused:
        tips.submit(data(), [upload(jpeg(), "tot.jpg"), upload(big, "qua-lon.jpg")])
    [message] = refused.value.errors["photos"]
    assert "qua-lon.jpg" in str(message) and "10 MB" in str(message)
    db.session.rollback()
    assert tip_count() == 0 and stored_files(app) == []  # the good photo was removed too


def test_a_file_that_is_not_an_image_is_refused(app, world):
    with pytest.raises(ValidationFailed) as refused:
        tips.submit(data(), [upload(b"%PDF-1.4 not a photo", "hoa-don.jpg")])
    assert "hoa-don.jpg" in str(refused.value.errors["photos"][0])
    assert stored_files(app) == []


def test_at_most_five_photos_and_empty_inputs_ignored(app, world):
    with pytest.raises(ValidationFailed) as refused:
        tips.submit(data(), [upload(jpeg(), f"{i}.jpg") for i in range(6)])
    assert "photos" in refused.value.errors and stored_files(app) == []
    empty = FileStorage(stream=io.BytesIO(b""), filename="")
    tip, _code = tips.submit(data(), [empty] + [upload(jpeg(), f"{i}.jpg") for i in range(5)])
    assert len(tip.photos) == 5 and len(stored_files(app)) == 5


def test_a_refused_text_removes_the_photos_already_stored(app, world):
    with pytest.raises(ValidationFailed) as refused:
        tips.submit(data(what=""), [upload(jpeg())])
    assert set(refused.value.errors) == {"what"}
    assert stored_files(app) == [] and db.session.scalar(select(func.count(TipPhoto.id))) == 0


# --- routing -------------------------------------------------------------------------------------

def test_a_tip_goes_to_the_unit_of_its_area(world):
    hac_thanh = ward_code(THANH_HOA, "Phường Hạc Thành")
    other_ward = ward_code(THANH_HOA, "Phường Quảng Phú")
    assert tips.submit(data())[0].unit_id == world.ward_a.id
    assert tips.submit(data(ward_code=hac_thanh))[0].unit_id == world.ward_b.id
    # no committee for that ward, nor any provincial unit that receives tips: the national committee
    assert tips.submit(data(ward_code=other_ward))[0].unit_id == world.root.id
    market = ensure_unit("Chi cục QLTT tỉnh Thanh Hóa", UnitKind.MARKET_SURVEILLANCE, world.province,
                         province=THANH_HOA)
    assert tips.submit(data(ward_code=other_ward))[0].unit_id == market.id
    steering = ensure_unit("Ban Chỉ đạo 389 tỉnh Thanh Hóa", UnitKind.STEERING_COMMITTEE, world.province,
                           province=THANH_HOA)
    assert tips.submit(data(ward_code=None))[0].unit_id == steering.id
    assert tips.submit(data(ward_code=other_ward))[0].unit_id == steering.id
    assert tips.submit(data())[0].unit_id == world.ward_a.id  # the ward's own committee comes first


# --- the inbox -----------------------------------------------------------------------------------

def test_the_inbox_holds_the_tips_of_the_units_in_scope(world):
    ours, _ = tips.submit(data())
    theirs, _ = tips.submit(data(ward_code=ward_code(THANH_HOA, "Phường Hạc Thành")))
    db.session.commit()
    assert db.session.scalars(tips.inbox(world.ward_official)).all() == [ours]
    assert db.session.scalars(tips.inbox(world.sibling_official)).all() == [theirs]
    assert set(db.session.scalars(tips.inbox(world.leader)).all()) == {ours, theirs}
    assert db.session.scalars(tips.inbox(world.viewer)).all() == []  # Lào Cai
    with pytest.raises(AccessDenied):
        tips.get(world.sibling_official, ours.id)
    assert tips.get(world.ward_official, 999_999) is None
    assert tips.open_count(world.leader) == 2 and tips.open_count(world.ward_official) == 1


def test_the_inbox_filters_and_puts_the_longest_waiting_first(world):
    old, _ = tips.submit(data(what="Tin báo cũ nhất, đã chờ lâu."))
    new, _ = tips.submit(data(what="Tin báo mới nhận hôm nay."))
    done, _ = tips.submit(data(what="Tin báo đã xử lý xong."))
    old.received_at = utcnow() - timedelta(days=5)
    done.received_at = utcnow() - timedelta(days=9)
    db.session.commit()
    tips.take(world.ward_official, new)
    tips.set_status(world.ward_official, done, TipStatus.RESOLVED, note="Đã kiểm tra, xử phạt.")
    db.session.commit()
    inbox = lambda **kw: db.session.scalars(tips.inbox(world.ward_official, **kw)).all()  # noqa: E731
    assert inbox() == [old, new, done]  # open first, the longest waiting first
    assert inbox(status="open") == [old, new]
    assert inbox(status="resolved") == [done]
    assert inbox(who="mine") == [new] and inbox(who="unassigned") == [old, done]
    assert inbox(waiting=3) == [old]
    assert tips.waited(old) >= timedelta(days=5)
    assert tips.waited(done) < timedelta(days=9, minutes=1) and done.closed_at is not None


def test_assigning_to_a_competent_unit_forwards_the_tip(world):
    police = ensure_unit("Công an phường Hàm Rồng", UnitKind.POLICE, world.ward_a, province=THANH_HOA,
                         ward=world.ward_a.ward_code)
    residents = ensure_unit("Tổ dân phố số 1", UnitKind.RESIDENTIAL_GROUP, world.ward_a, province=THANH_HOA,
                            ward=world.ward_a.ward_code)
    officer = make_user("ca.phuong", police, Role.OFFICER)
    tip, _ = tips.submit(data())
    db.session.commit()
    units = tips.assignable_units(world.ward_official, tip)
    assert police in units and world.ward_a in units and residents not in units and world.ward_b not in units
    with pytest.raises(ValidationFailed) as refused:
        tips.assign(world.ward_official, tip, police, world.ward_official)  # not a member of the police unit
    assert "handler_id" in refused.value.errors
    with pytest.raises(ValidationFailed):
        tips.assign(world.ward_official, tip, world.ward_b)  # a sibling's unit
    tips.assign(world.ward_official, tip, police, officer, version=tip.version)
    db.session.commit()
    assert (tip.unit_id, tip.handler_id, tip.status) == (police.id, officer.id, TipStatus.FORWARDED)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "tip.assigned")).one()
    assert entry.after == {"unit_id": police.id, "handler_id": officer.id, "status": "forwarded"}


def test_who_may_act(world):
    tip, _ = tips.submit(data())
    db.session.commit()
    viewer = make_user("xem.tinh", world.province, Role.VIEWER)
    for user in (viewer, world.admin, world.province_admin, world.sibling_official):
        assert not tips.can_handle(user, tip)
        with pytest.raises(AccessDenied):
            tips.add_note(user, tip, "Không được phép")
        with pytest.raises(AccessDenied):
            tips.reply_to_sender(user, tip, "Không được phép")
    assert tips.can_handle(world.leader, tip) and tips.can_handle(world.ward_official, tip)
    with pytest.raises(ValidationFailed):  # a leader above takes a tip only once it is in their unit
        tips.take(world.leader, tip)


def test_closing_needs_a_note_and_stops_the_clock(world):
    tip, _ = tips.submit(data())
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        tips.set_status(world.ward_official, tip, TipStatus.UNFOUNDED)
    assert "note" in refused.value.errors
    tips.set_status(world.ward_official, tip, TipStatus.UNFOUNDED, note="Không phát hiện vi phạm.")
    db.session.commit()
    assert tip.closed and tip.closed_at is not None and [n.text for n in tip.notes] == ["Không phát hiện vi phạm."]
    tips.set_status(world.ward_official, tip, TipStatus.VERIFYING)
    assert tip.closed_at is None


def test_a_stale_version_is_refused(world):
    tip, _ = tips.submit(data())
    db.session.commit()
    seen = tip.version
    tips.set_status(world.ward_official, tip, TipStatus.VERIFYING, version=seen)
    db.session.commit()
    with pytest.raises(ConflictingEdit):
        tips.take(world.ward_official, tip, version=seen)


def test_the_contact_only_for_the_handler_and_every_view_logged(world):
    officer = make_user("ward.officer", world.ward_a, Role.OFFICER)
    tip, _ = tips.submit(data(wants_contact=True, contact_name="Người Báo Tin", contact_phone="0912345678",
                              contact_email="nguoibao@example.com"))
    db.session.commit()
    for user in (world.ward_official, officer, world.leader, world.admin, world.viewer, world.sibling_official):
        with pytest.raises(AccessDenied):  # nobody handles it yet
            tips.contact(user, tip)
    tips.take(world.ward_official, tip)
    db.session.commit()
    for user in (officer, world.leader, world.admin, world.province_admin, world.viewer, world.sibling_official):
        with pytest.raises(AccessDenied):
            tips.contact(user, tip)
    for _ in range(2):
        shown = tips.contact(world.ward_official, tip)
        assert (shown.name, shown.phone, shown.email) == ("Người Báo Tin", "0912345678", "nguoibao@example.com")
    db.session.commit()
    views = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "tip.contact_viewed")).all()
    assert [(v.actor_id, v.object_id) for v in views] == [(world.ward_official.id, tip.id)] * 2
    # no audit entry holds the contact itself, nor the sender's address
    for entry in db.session.scalars(select(AuditEntry)):
        assert "0912345678" not in repr((entry.before, entry.after)) and "Người Báo Tin" not in repr(entry.after)
    received = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "tip.received")).one()
    assert received.ip is None and received.actor_id is None


def test_a_handler_moved_to_another_unit_loses_the_contact(world):
    police = ensure_unit("Công an phường Hàm Rồng", UnitKind.POLICE, world.ward_a, province=THANH_HOA,
                         ward=world.ward_a.ward_code)
    tip, _ = tips.submit(data(wants_contact=True, contact_phone="0912345678"))
    db.session.commit()
    tips.take(world.ward_official, tip)
    tips.assign(world.ward_official, tip, police)  # forwarded without a handler
    db.session.commit()
    assert tip.handler_id is None
    with pytest.raises(AccessDenied):
        tips.contact(world.ward_official, tip)
