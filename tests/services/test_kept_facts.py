"""What services/kept.py copies onto rows stays true whatever records, moves or removes the
records: each business's first outreach, first commitment and kinds of channels, and the area of
inspections, violations and commitments."""
from datetime import date

from sqlalchemy import select, text

from portal.extensions import db
from portal.models import Business, BusinessChannel, ChannelKind, Commitment, OutreachMethod, OutreachSession
from portal.models.registry import CHANNEL_BITS
from portal.services import enforcement, kept, outreach, registry
from tests.services.test_outreach import business, session_data


def firsts(shop: Business) -> tuple[date | None, date | None]:
    """As stored, read past the session's memory."""
    row = db.session.execute(select(Business.first_outreach_on, Business.first_signed_on)
                             .where(Business.id == shop.id).execution_options(populate_existing=True)).one()
    return row.first_outreach_on, row.first_signed_on


def sign(world, shop, on):
    return outreach.record_commitment(world.ward_official, outreach.CommitmentData(
        business_id=shop.id, signed_on=on, signatory="Chủ", received_by_id=world.ward_official.id))


def test_a_new_business_has_none(world):
    shop = business(world)
    db.session.commit()
    assert firsts(shop) == (None, None)
    assert (shop.first_outreach_on, shop.first_signed_on) == (None, None)


def test_a_meeting_sets_both_and_an_earlier_paper_moves_them_back(world):
    shop, other = business(world), business(world, name="Quầy Bà Hằng", address="Kiốt 3")
    outreach.record_batch(world.ward_official, session_data(held_on=date(2026, 3, 15)),
                          [outreach.BatchRow(business_id=shop.id, signed=True, signatory="Chủ"),
                           outreach.BatchRow(business_id=other.id)])
    db.session.commit()
    assert firsts(shop) == (date(2026, 3, 15), date(2026, 3, 15))
    assert firsts(other) == (date(2026, 3, 15), None)
    assert shop.first_signed_on == date(2026, 3, 15)  # the object in memory reads the new value
    sign(world, shop, date(2026, 2, 1))
    sign(world, other, date(2026, 4, 1))
    outreach.record_session(world.ward_official, session_data(held_on=date(2025, 12, 1), business_ids=[other.id]))
    db.session.commit()
    assert firsts(shop) == (date(2026, 3, 15), date(2026, 2, 1))
    assert firsts(other) == (date(2025, 12, 1), date(2026, 4, 1))


def test_a_changed_or_removed_paper_is_followed(world):
    shop = business(world)
    commitment = sign(world, shop, date(2026, 2, 1))
    session = outreach.record_session(world.ward_official, session_data(held_on=date(2026, 3, 1),
                                                                        business_ids=[shop.id]))
    db.session.commit()
    commitment.signed_on = date(2026, 1, 5)
    session.held_on = date(2026, 2, 20)
    db.session.commit()
    assert firsts(shop) == (date(2026, 2, 20), date(2026, 1, 5))
    db.session.delete(commitment)
    session.businesses = []
    db.session.commit()
    assert firsts(shop) == (None, None)
    session.businesses = [shop]
    db.session.commit()
    assert firsts(shop) == (date(2026, 2, 20), None)
    db.session.delete(session)
    db.session.commit()
    assert firsts(shop) == (None, None)


def test_records_written_directly_through_the_orm_are_followed(world):
    shop = business(world)
    db.session.add(Commitment(business_id=shop.id, signed_on=date(2026, 1, 9), signatory="Chủ",
                              unit_id=world.ward_a.id, received_by_id=world.ward_official.id,
                              created_by_id=world.ward_official.id))
    db.session.add(OutreachSession(held_on=date(2026, 1, 2), unit_id=world.ward_a.id, method=OutreachMethod.LEAFLET,
                                   created_by_id=world.ward_official.id, businesses=[shop]))
    db.session.commit()
    assert firsts(shop) == (date(2026, 1, 2), date(2026, 1, 9))


def test_a_merge_keeps_the_earliest_of_both(world):
    keep, other = business(world), business(world, name="Tạp hóa Minh Anh", address="12 Lê Lợi, Hàm Rồng")
    sign(world, keep, date(2026, 3, 1))
    sign(world, other, date(2026, 1, 1))
    outreach.record_session(world.ward_official, session_data(held_on=date(2025, 11, 1), business_ids=[other.id]))
    db.session.commit()
    registry.merge(world.ward_official, keep, other)
    db.session.commit()
    assert firsts(keep) == (date(2025, 11, 1), date(2026, 1, 1))
    assert firsts(other) == (None, None)


def test_a_bulk_load_sets_every_business(world):
    shop = business(world)
    sign(world, shop, date(2026, 2, 1))
    db.session.commit()
    db.session.execute(text("UPDATE businesses SET first_signed_on = NULL, channel_kinds = 0"))
    kept.refresh_business_facts(db.session.connection())
    db.session.commit()
    assert firsts(shop) == (None, date(2026, 2, 1)) and kinds(shop) == CHANNEL_BITS[ChannelKind.SHOP]


def test_the_national_data_set_keeps_them_as_the_services_do(app):
    from portal.demo_national import load_national

    load_national(0.001)
    db.session.commit()
    query = select(Business.id, Business.first_outreach_on, Business.first_signed_on,
                   Business.channel_kinds).order_by(Business.id)
    loaded = db.session.execute(query).all()
    assert sum(1 for row in loaded if row.first_signed_on) > len(loaded) // 2
    assert all(row.channel_kinds for row in loaded)
    kept.refresh_business_facts(db.session.connection())
    assert db.session.execute(query).all() == loaded
    for model in kept.PAPERS:
        papers = select(model.id, model.ward_code, model.province_code).order_by(model.id)
        copied = db.session.execute(papers).all()
        assert copied and all(row.ward_code and row.province_code for row in copied)
        kept.refresh_areas(db.session.connection(), model)
        assert db.session.execute(papers).all() == copied, model.__name__


def kinds(shop: Business) -> int:
    return db.session.scalar(select(Business.channel_kinds).where(Business.id == shop.id)
                             .execution_options(populate_existing=True))


def test_the_kinds_of_channels_follow_every_change(world):
    shop = business(world, channels=[registry.ChannelData(ChannelKind.MARKET_STALL, place_name="Chợ", stall="1"),
                                     registry.ChannelData(ChannelKind.MARKET_STALL, place_name="Chợ", stall="2")])
    db.session.commit()
    assert kinds(shop) == CHANNEL_BITS[ChannelKind.MARKET_STALL] == shop.channel_kinds
    registry.update(world.ward_official, shop, registry.BusinessData(
        name=shop.name, address=shop.address, ward_code=shop.ward_code, channels=[
            registry.ChannelData(ChannelKind.SHOP),
            registry.ChannelData(ChannelKind.WEBSITE, link="https://minhanh.vn")]), version=shop.version)
    db.session.commit()
    assert kinds(shop) == CHANNEL_BITS[ChannelKind.SHOP] | CHANNEL_BITS[ChannelKind.WEBSITE]
    db.session.add(BusinessChannel(business_id=shop.id, kind=ChannelKind.COURIER))
    db.session.commit()
    assert kinds(shop) & CHANNEL_BITS[ChannelKind.COURIER]
    other = business(world, name="Quầy Bà Hằng", address="Kiốt 3", channels=[
        registry.ChannelData(ChannelKind.IMPORTER)])
    db.session.commit()
    registry.merge(world.ward_official, shop, other)
    db.session.commit()
    assert kinds(shop) & CHANNEL_BITS[ChannelKind.IMPORTER] and kinds(other) == CHANNEL_BITS[ChannelKind.IMPORTER]


def areas(model, row_id) -> tuple[int | None, int | None]:
    return db.session.execute(select(model.ward_code, model.province_code).where(model.id == row_id)).one()


def test_papers_carry_their_business_area_when_recorded_moved_or_merged(world):
    from tests.services.test_enforcement import inspect, violate
    from tests.factories import make_user
    from portal.models import Inspection, Role, Violation

    inspector = make_user("doi.qltt", world.province, Role.OFFICER)
    shop = business(world)
    signed = sign(world, shop, date(2026, 1, 5))
    inspection = inspect(inspector, shop, date(2026, 2, 1))
    violation = violate(inspector, shop, date(2026, 2, 2))
    db.session.commit()
    here = (world.ward_a.ward_code, world.ward_a.province_code)
    assert areas(Commitment, signed.id) == areas(Inspection, inspection.id) == areas(Violation, violation.id) == here
    assert signed.ward_code == world.ward_a.ward_code  # read again in memory
    other = business(world, actor=world.leader, ward=world.ward_b, name="Tạp hóa Hạc Thành", address="5 Trần Phú")
    db.session.commit()
    registry.merge(world.leader, other, shop)  # the papers move to the business of the other ward
    db.session.commit()
    there = (world.ward_b.ward_code, world.ward_b.province_code)
    assert areas(Commitment, signed.id) == areas(Inspection, inspection.id) == areas(Violation, violation.id) == there
    assert {i.id for i in db.session.scalars(enforcement.inspections(world.sibling_official))} == {
        inspection.id, violation.inspection_id}
    assert not list(db.session.scalars(enforcement.inspections(world.ward_official)))


def test_a_business_that_moves_ward_takes_its_papers_along(world):
    from portal.models import Business as B
    shop = business(world)
    signed = sign(world, shop, date(2026, 1, 5))
    db.session.commit()
    db.session.get(B, shop.id).ward_code = world.ward_b.ward_code  # corrected to the other ward
    db.session.commit()
    assert areas(Commitment, signed.id) == (world.ward_b.ward_code, world.ward_b.province_code)
