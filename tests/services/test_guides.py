"""Guides: who writes them, validation, the audit, folding search, images and what the public reads."""
import io

import pytest
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from portal.demo_public import load_public_demo
from portal.extensions import db
from portal.models import AuditEntry, Guide, Hotline, Role
from portal.services import audit, guides
from portal.services.errors import AccessDenied, ConflictingEdit, ValidationFailed
from tests.factories import make_user


def data(unit, **extra):
    values = dict(unit_id=unit.id, title="Nhận biết sữa giả", body="## Bao bì\n\n- Hộp nguyên vẹn",
                  goods_code="milk", brand="Sữa Ông Thọ", rights_holder="Công ty Cổ phần Sữa Việt Nam",
                  summary="Cách phân biệt.")
    values.update(extra)
    return guides.GuideData(**values)


def semantic_actions() -> list[str]:
    """The services' own entries, in order (the trail's record.* entries left aside)."""
    return list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.not_in(audit.TRAIL_ACTIONS))
                                   .order_by(AuditEntry.id)))


def png_upload(name="anh.png", size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return FileStorage(io.BytesIO(out.getvalue()), filename=name, content_type="image/png")


@pytest.fixture
def officer(world):
    return make_user("officer", world.province, Role.OFFICER)


def test_an_officer_writes_a_guide_and_the_folded_text_is_kept(world, officer):
    guide = guides.create(officer, data(world.province))
    db.session.commit()
    assert guide.goods_category.code == "milk" and guide.published_at is None
    assert "nhan biet sua gia" in guide.search_folded and "sua ong tho" in guide.search_folded
    assert "cong ty co phan sua viet nam" in guide.search_folded and "hop nguyen ven" in guide.search_folded
    guides.update(officer, guide, data(world.province, body="Tem **chống giả** đặc biệt"), version=guide.version)
    assert "tem chong gia dac biet" in guide.search_folded and "hop nguyen ven" not in guide.search_folded
    db.session.commit()
    assert semantic_actions() == [
        "guide.created", "guide.changed"]


@pytest.mark.parametrize("who", ["ward_official", "viewer"])
def test_ward_officials_and_viewers_do_not_write_guides(world, who):
    with pytest.raises(AccessDenied):
        guides.create(getattr(world, who), data(getattr(world, who).unit))


def test_scope_limits_who_changes_a_guide(world, officer):
    theirs = guides.create(world.admin, data(world.other_province))
    db.session.commit()
    for change in (lambda: guides.update(officer, theirs, data(world.other_province), version=theirs.version),
                   lambda: guides.publish(officer, theirs), lambda: guides.unpublish(officer, theirs)):
        with pytest.raises(AccessDenied):
            change()
    with pytest.raises(ValidationFailed) as refused:
        guides.create(officer, data(world.other_province))
    assert "unit_id" in refused.value.errors
    assert guides.get(theirs.id) is theirs  # anyone signed in may read it


def test_validation_and_stale_edits(world, officer):
    with pytest.raises(ValidationFailed) as refused:
        guides.create(officer, data(world.province, goods_code="no-such-goods", body="   "))
    assert set(refused.value.errors) == {"goods_code", "body"}
    guide = guides.create(officer, data(world.province))
    db.session.commit()
    seen = guide.version
    guides.update(officer, guide, data(world.province, title="Mới"), version=seen)
    db.session.commit()
    with pytest.raises(ConflictingEdit):
        guides.update(officer, guide, data(world.province, title="Cũ"), version=seen)


def test_publish_unpublish_and_the_public_reads_only_published(world, officer):
    draft = guides.create(officer, data(world.province, title="Bản nháp sữa giả"))
    shown = guides.create(officer, data(world.province, title="Sữa giả Ông Thọ"))
    other = guides.create(officer, data(world.province, title="Mỹ phẩm giả", goods_code="cosmetics", brand="Pond's",
                                        body="Kem", summary=None, rights_holder=None))
    guides.publish(officer, shown)
    guides.publish(officer, other)
    db.session.commit()
    found = db.session.scalars(guides.published(q="sua gia")).all()
    assert found == [shown]
    assert db.session.scalars(guides.published(q="SỮA   GIẢ!")).all() == [shown]
    assert db.session.scalars(guides.published(goods="cosmetics")).all() == [other]
    assert db.session.scalars(guides.published(q="' OR 1=1 --")).all() == []
    assert len(db.session.scalars(guides.published(q="%")).all()) == 2  # punctuation alone narrows nothing
    assert guides.published_guide(draft.id) is None and guides.published_guide(shown.id) is shown
    assert {c.code for c in guides.published_categories()} == {"milk", "cosmetics"}
    guides.unpublish(officer, shown)
    db.session.commit()
    assert guides.published_guide(shown.id) is None
    actions = semantic_actions()
    assert actions.count("guide.published") == 2 and actions[-1] == "guide.unpublished"


def test_images_are_reencoded_captioned_and_removed(world, officer, tmp_path):
    guide = guides.create(officer, data(world.province))
    with pytest.raises(ValidationFailed) as refused:
        guides.add_image(officer, guide, png_upload(), "  ", folder=tmp_path)
    assert "caption" in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:
        guides.add_image(officer, guide, FileStorage(io.BytesIO(b"<svg onload=alert(1)>"), filename="x.png"),
                         "Ảnh", folder=tmp_path)
    assert "image" in refused.value.errors
    image = guides.add_image(officer, guide, png_upload(), "Mặt trước hộp sữa thật", folder=tmp_path)
    db.session.commit()
    stored = tmp_path / image.stored_name
    assert stored.is_file() and (image.width, image.height) == (40, 30) and image.mime_type == "image/jpeg"
    guides.remove_image(officer, guide, image)
    db.session.commit()
    assert guide.images == [] and image.deleted_at is not None
    assert stored.is_file()  # kept while the image can be restored
    guides.restore_image(officer, guide, image)
    db.session.commit()
    assert guide.images == [image] and image.deleted_at is None
    actions = semantic_actions()
    assert actions[-3:] == ["guide.image_added", "guide.image_removed", "guide.image_restored"]


def test_the_public_demo_is_idempotent_and_has_the_seed_hotlines(demo):
    counts = (db.session.query(Hotline).count(), db.session.query(Guide).count())
    load_public_demo()
    db.session.commit()
    assert (db.session.query(Hotline).count(), db.session.query(Guide).count()) == counts
    numbers = {n for h in db.session.scalars(select(Hotline)) for n in h.phone_list}
    assert {"0908538844", "0913983323", "02923810481"} <= numbers
    can_tho = {h.unit.name for h in db.session.scalars(select(Hotline).where(Hotline.province_code == 92))}
    assert can_tho == {"Sở Công Thương thành phố Cần Thơ", "Chi cục Quản lý thị trường thành phố Cần Thơ"}
    demo_guides = db.session.scalars(select(Guide)).all()
    assert 4 <= len(demo_guides) <= 6
    assert all(g.published_at and g.brand and g.rights_holder and g.goods_category for g in demo_guides)
    assert db.session.scalars(guides.published(q="sua bot")).all()
