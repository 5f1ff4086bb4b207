"""The business registry: duplicates, merge, status history and area scope."""
from datetime import date, timedelta

import pytest

from portal.extensions import db
from portal.models import BusinessStatus, ChannelKind
from portal.services import registry
from portal.services.errors import AccessDenied, ValidationFailed
from portal.text import fold, normalise_link
from tests.factories import make_user, ward_code


def data(world, **changes):
    values = dict(name="Tạp hóa Minh Ánh", address="12 Lê Lợi", ward_code=world.ward_a.ward_code,
                  owner_name="Nguyễn Minh Ánh", channels=[registry.ChannelData(ChannelKind.SHOP)],
                  goods=["milk", "food"])
    values.update(changes)
    return registry.BusinessData(**values)


def test_folding_ignores_diacritics_case_and_punctuation():
    assert fold("Tạp hóa Minh Ánh, 12 Lê Lợi") == fold("Tap hoa Minh Anh 12 Le Loi") == "tap hoa minh anh 12 le loi"
    assert fold("Đường Đê La Thành") == "duong de la thanh"
    assert normalise_link("https://www.shopee.vn/minhanh.store/?ref=1") == normalise_link("shopee.vn/minhanh.store")


def test_a_new_business_is_recorded_with_its_first_status(world):
    business = registry.create(world.ward_official, data(world, opened_on=date(2025, 3, 1)))
    db.session.commit()
    assert business.status == BusinessStatus.NEW and business.province_code == world.ward_a.province_code
    assert [(h.status, h.on) for h in business.history] == [(BusinessStatus.NEW, date(2025, 3, 1))]
    assert {g.code for g in business.goods} == {"milk", "food"}


@pytest.mark.parametrize("duplicate,reason", [
    (dict(name="Tap hoa Minh Anh", address="12 Le Loi"), "name_address"),
    (dict(name="TẠP HÓA MINH ÁNH", address="12, Lê Lợi"), "name_address"),
    (dict(name="Cửa hàng khác", address="99 Trần Phú", tax_code="0101234567"), "tax_code"),
    (dict(name="Shop khác", address="1 Nguyễn Du", channels=[registry.ChannelData(
        ChannelKind.PLATFORM_SELLER, place_name="Shopee", link="https://www.shopee.vn/minhanh.store/")]), "link"),
])
def test_duplicates_are_flagged_before_saving(world, duplicate, reason):
    registry.create(world.ward_official, data(world, tax_code="0101234567", channels=[
        registry.ChannelData(ChannelKind.SHOP),
        registry.ChannelData(ChannelKind.PLATFORM_SELLER, place_name="Shopee", link="shopee.vn/minhanh.store")]))
    db.session.commit()
    with pytest.raises(registry.DuplicateSuspected) as suspected:
        registry.create(world.ward_official, data(world, **duplicate))
    assert [c.reason for c in suspected.value.candidates] == [reason]
    assert suspected.value.candidates[0].business.name == "Tạp hóa Minh Ánh"
    other = registry.create(world.ward_official, data(world, **duplicate), not_a_duplicate=True)
    assert other.id


def test_the_same_name_in_another_ward_is_not_a_duplicate(world):
    registry.create(world.ward_official, data(world))
    db.session.commit()
    registry.create(world.sibling_official, data(world, ward_code=world.ward_b.ward_code))


def test_a_duplicate_outside_the_area_is_named_without_its_details(world):
    registry.create(world.sibling_official, data(world, ward_code=world.ward_b.ward_code, tax_code="0109999999"))
    db.session.commit()
    with pytest.raises(registry.DuplicateSuspected) as suspected:
        registry.create(world.ward_official, data(world, name="Khác", tax_code="0109999999"))
    assert suspected.value.candidates[0].business is None


def test_merging_two_records_of_one_business(world):
    keep = registry.create(world.ward_official, data(world))
    other = registry.create(world.ward_official, data(world, name="Tap hoa Minh Anh (quay cho)", address="Chợ Hàm Rồng",
                                                       tax_code="0101234567", goods=["cosmetics"], channels=[
        registry.ChannelData(ChannelKind.MARKET_STALL, place_name="Chợ Hàm Rồng", stall="A12")]),
        not_a_duplicate=True)
    db.session.commit()
    registry.merge(world.ward_official, keep, other)
    db.session.commit()
    assert other.merged_into_id == keep.id and keep.tax_code == "0101234567"
    assert {c.kind for c in keep.channels} == {ChannelKind.SHOP, ChannelKind.MARKET_STALL}
    assert {g.code for g in keep.goods} == {"milk", "food", "cosmetics"}
    assert other.id not in {b.id for b in db.session.scalars(registry.visible(world.ward_official))}
    with pytest.raises(ValidationFailed):
        registry.merge(world.ward_official, keep, other)  # already merged


def test_status_history_and_its_dates(world):
    business = registry.create(world.ward_official, data(world, opened_on=date(2025, 1, 10)))
    registry.record_status(world.ward_official, business, BusinessStatus.CHANGED_LINE, date(2025, 6, 1), "Bán mỹ phẩm")
    assert business.status == BusinessStatus.CHANGED_LINE
    registry.record_status(world.ward_official, business, BusinessStatus.ACTIVE, date(2025, 2, 1), None)
    assert business.status == BusinessStatus.CHANGED_LINE  # the latest date decides, not the latest entry
    with pytest.raises(ValidationFailed):
        registry.record_status(world.ward_official, business, BusinessStatus.CEASED, date(2024, 12, 31), None)
    with pytest.raises(ValidationFailed):
        registry.record_status(world.ward_official, business, BusinessStatus.CEASED,
                               date.today() + timedelta(days=2), None)


def test_bad_records_are_refused_field_by_field(world):
    with pytest.raises(ValidationFailed) as refused:
        registry.create(world.ward_official, data(world, tax_code="12345", channels=[
            registry.ChannelData(ChannelKind.PLATFORM_SELLER)]))
    assert set(refused.value.errors) == {"tax_code", "channels-0-place_name", "channels-0-link"}
    with pytest.raises(ValidationFailed) as refused:
        registry.create(world.ward_official, data(world, ward_code=world.ward_b.ward_code))
    assert "ward_code" in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:
        registry.create(world.ward_official, data(world, ward_code=99999999))
    assert "ward_code" in refused.value.errors


def test_scope_a_ward_sees_its_ward_a_province_its_province(world):
    mine = registry.create(world.ward_official, data(world))
    theirs = registry.create(world.sibling_official, data(world, ward_code=world.ward_b.ward_code, name="Quầy B"))
    lao_cai_admin = make_user("lc", world.other_province, registry.KEEPERS[0])
    far = registry.create(lao_cai_admin, data(world, ward_code=ward_code(15, "Phường Lào Cai"), name="Xa"))
    db.session.commit()
    assert {b.id for b in db.session.scalars(registry.visible(world.ward_official))} == {mine.id}
    assert {b.id for b in db.session.scalars(registry.visible(world.leader))} == {mine.id, theirs.id}
    assert {b.id for b in db.session.scalars(registry.visible(world.admin))} == {mine.id, theirs.id, far.id}
    with pytest.raises(AccessDenied):
        registry.get(world.ward_official, theirs.id)
    with pytest.raises(AccessDenied):
        registry.create(world.viewer, data(world))


def test_search_ignores_diacritics(world):
    registry.create(world.ward_official, data(world, tax_code="0101234567"))
    db.session.commit()
    for q in ("tap hoa minh anh", "MINH ÁNH", "le loi", "01012345"):
        assert [b.name for b in db.session.scalars(registry.search(world.ward_official, q=q))] == ["Tạp hóa Minh Ánh"]
    assert list(db.session.scalars(registry.search(world.ward_official, q="sữa giả"))) == []
