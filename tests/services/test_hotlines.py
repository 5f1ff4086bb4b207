"""Hotlines: who may manage them, which areas they may serve, the audit, and what the public reads."""
import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Hotline, Role
from portal.services import disclosure, hotlines
from portal.services.errors import AccessDenied, ConflictingEdit, ValidationFailed
from tests.factories import LAO_CAI, THANH_HOA, make_user


def data(unit, **extra):
    values = dict(unit_id=unit.id, label="Đường dây nóng", phones=["0908538844"],
                  province_code=unit.province_code, ward_code=unit.ward_code)
    values.update(extra)
    return hotlines.HotlineData(**values)


def actions():
    return [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_a_leader_adds_a_hotline_of_a_unit_in_scope_and_it_is_audited(world):
    line = hotlines.create(world.leader, data(world.ward_a, phones=["0908538844", "0913983323", "0908538844"],
                                              email="a@thanhhoa.gov.vn", hours="24/7"))
    db.session.commit()
    assert line.phones == "0908538844, 0913983323" and line.phone_list == ["0908538844", "0913983323"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "hotline.created"))
    assert entry.object_id == line.id and entry.unit_id == world.ward_a.id
    assert entry.after["phones"] == "0908538844, 0913983323"


@pytest.mark.parametrize("who", ["ward_official", "viewer"])
def test_only_administrators_and_leaders_manage_hotlines(world, who):
    with pytest.raises(AccessDenied):
        hotlines.create(getattr(world, who), data(getattr(world, who).unit))


def test_a_unit_outside_the_scope_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        hotlines.create(world.leader, data(world.other_province))
    assert "unit_id" in refused.value.errors
    theirs = hotlines.create(world.admin, data(world.other_province))
    db.session.commit()
    with pytest.raises(AccessDenied):
        hotlines.get(world.leader, theirs.id)
    with pytest.raises(AccessDenied):
        hotlines.update(world.leader, theirs, data(world.other_province), version=theirs.version)
    with pytest.raises(AccessDenied):
        hotlines.delete(world.leader, theirs)
    assert hotlines.get(world.leader, 999_999) is None
    assert theirs not in db.session.scalars(hotlines.in_scope(world.leader)).all()


def test_the_area_must_lie_inside_the_unit_area(world):
    ham_rong = world.ward_a.ward_code
    cases = [
        (world.province, dict(province_code=LAO_CAI, ward_code=None), "province_code"),
        (world.province, dict(province_code=None, ward_code=None), "province_code"),
        (world.ward_a, dict(province_code=THANH_HOA, ward_code=world.ward_b.ward_code), "ward_code"),
        (world.ward_a, dict(province_code=THANH_HOA, ward_code=None), "ward_code"),
        (world.root, dict(province_code=LAO_CAI, ward_code=ham_rong), "ward_code"),  # ward of another province
        (world.root, dict(province_code=None, ward_code=ham_rong), "ward_code"),
    ]
    for unit, area, field in cases:
        with pytest.raises(ValidationFailed) as refused:
            hotlines.create(world.admin, data(unit, **area))
        assert field in refused.value.errors, (unit.name, area)
    national = hotlines.create(world.admin, data(world.root))  # a national unit may leave the area empty
    in_ward = hotlines.create(world.leader, data(world.province, ward_code=ham_rong))
    assert (national.province_code, national.ward_code) == (None, None)
    assert (in_ward.province_code, in_ward.ward_code) == (THANH_HOA, ham_rong)


def test_the_numbers_are_required_and_bounded(world):
    with pytest.raises(ValidationFailed) as refused:
        hotlines.create(world.leader, data(world.province, phones=[]))
    assert "phones" in refused.value.errors
    with pytest.raises(ValidationFailed):
        hotlines.create(world.leader, data(world.province, phones=[f"09{n:08d}" for n in range(40)]))


def test_changes_are_audited_and_a_stale_edit_is_refused(world):
    line = hotlines.create(world.leader, data(world.province))
    db.session.commit()
    seen = line.version
    hotlines.update(world.leader, line, data(world.province, label="Đường dây nóng mới"), version=seen)
    db.session.commit()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "hotline.changed"))
    assert entry.before == {"label": "Đường dây nóng"} and entry.after == {"label": "Đường dây nóng mới"}
    with pytest.raises(ConflictingEdit):
        hotlines.update(world.leader, line, data(world.province, label="Cũ"), version=seen)
    hotlines.set_published(world.leader, line, False)
    hotlines.delete(world.province_admin, line)
    db.session.commit()
    assert line.deleted_at is not None and line.deleted_by_id == world.province_admin.id  # kept, to restore
    assert db.session.scalar(select(Hotline).where(Hotline.id == line.id)) is None
    assert [a for a in actions() if not a.startswith("record.")][-3:] == [
        "hotline.changed", "hotline.changed", "hotline.deleted"]


def test_the_public_reads_published_hotlines_by_province_then_ward(world):
    ham_rong = world.ward_a.ward_code
    hotlines.create(world.admin, data(world.root, label="Quốc gia", phones=["0243000000"]))
    hotlines.create(world.leader, data(world.ward_a, label="Phường Hàm Rồng"))
    hotlines.create(world.leader, data(world.province, label="Tỉnh Thanh Hóa"))
    hotlines.create(world.admin, data(world.other_province, label="Lào Cai"))
    hotlines.create(world.leader, data(world.province, label="Ẩn", published=False))
    db.session.commit()
    groups = disclosure.hotlines()
    assert [p.code if p else None for p, _w in groups] == [None, LAO_CAI, THANH_HOA]
    thanh_hoa = dict((w.code if w else None, [h.label for h in lines]) for w, lines in groups[2][1])
    assert thanh_hoa == {None: ["Tỉnh Thanh Hóa"], ham_rong: ["Phường Hàm Rồng"]}
    assert list(thanh_hoa) == [None, ham_rong]  # the province's own first
    assert "Ẩn" not in str([[h.label for _w, ls in w for h in ls] for _p, w in groups])
    only = disclosure.hotlines(LAO_CAI)
    assert [p.code if p else None for p, _w in only] == [None, LAO_CAI]
    assert hotlines.main_hotline().label == "Quốc gia"


def test_no_main_hotline_without_a_published_national_one(world):
    hotlines.create(world.admin, data(world.root, label="Quốc gia", published=False))
    hotlines.create(world.leader, data(world.province))
    db.session.commit()
    assert hotlines.main_hotline() is None


def test_a_leader_of_a_ward_manages_only_its_ward(world):
    ward_leader = make_user("ward.leader", world.ward_b, Role.LEADER)
    with pytest.raises(ValidationFailed):
        hotlines.create(ward_leader, data(world.ward_a))
    line = hotlines.create(ward_leader, data(world.ward_b))
    assert line.ward_code == world.ward_b.ward_code
