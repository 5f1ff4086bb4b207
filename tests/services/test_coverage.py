"""Coverage figures match a count of the records, over time, by area and category, and they
measure the plans' targets."""
from datetime import date

from sqlalchemy import event

from portal.extensions import db
from portal.models import BusinessStatus, ChannelKind, Target
from portal.services import coverage, outreach, registry
from tests.factories import make_plan
from tests.services.test_outreach import business, session_data


def stall(world, i, ward=None, actor=None, opened_on=date(2025, 6, 1)):
    return business(world, actor=actor, ward=ward, name=f"Quầy {i}", address=f"Kiốt {i}", opened_on=opened_on,
                    channels=[registry.ChannelData(ChannelKind.MARKET_STALL, place_name="Chợ Hàm Rồng", stall=str(i))])


def sign(world, shop, on, actor=None):
    actor = actor or world.ward_official
    outreach.record_commitment(actor, outreach.CommitmentData(
        business_id=shop.id, signed_on=on, signatory="Chủ", received_by_id=actor.id))


def test_figures_match_a_count_of_the_records(world):
    stalls = [stall(world, i) for i in range(10)]
    shop = business(world, name="Nhà thuốc Bình An", address="3 Hàm Rồng")
    outreach.record_batch(world.ward_official, session_data(held_on=date(2026, 3, 1)),
                          [outreach.BatchRow(business_id=b.id) for b in stalls[:6]])
    for b in stalls[:4]:
        sign(world, b, date(2026, 3, 1))
    sign(world, shop, date(2026, 5, 1))
    registry.record_status(world.ward_official, stalls[9], BusinessStatus.CEASED, date(2026, 2, 1), None)
    db.session.commit()
    ward = coverage.Area(world.ward_a.ward_code, world.ward_a.province_code)
    everyone, stalls_only = coverage.Category(), coverage.Category(channels=(ChannelKind.MARKET_STALL,))

    now = coverage.figures(ward, everyone, date(2026, 6, 30))
    assert (now.businesses, now.outreach, now.signed, now.both) == (10, 6, 5, 4)  # the ceased stall is out
    assert now.signed_percent == 50.0
    assert coverage.figures(ward, stalls_only, date(2026, 6, 30)).signed == 4
    april = coverage.figures(ward, everyone, date(2026, 4, 30))
    assert (april.businesses, april.outreach, april.signed) == (10, 6, 4)
    january = coverage.figures(ward, everyone, date(2026, 1, 31))
    assert (january.businesses, january.outreach, january.signed) == (11, 0, 0)  # not ceased yet
    assert coverage.figures(coverage.Area(world.ward_b.ward_code, None), everyone, date(2026, 6, 30)).businesses == 0
    province = coverage.Area(None, world.ward_a.province_code)
    assert coverage.figures(province, everyone, date(2026, 6, 30)) == now
    [(ward_row, by_ward)] = coverage.by_ward(province, everyone, date(2026, 6, 30))
    assert ward_row.code == world.ward_a.ward_code and by_ward == now


def test_a_series_is_one_query_whatever_the_number_of_businesses_and_months(world):
    for i in range(3):
        stall(world, i)
    db.session.commit()
    area = coverage.Area(world.ward_a.ward_code, None)
    statements = []
    def listener(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        db.session.commit()
        statements.clear()
        few = coverage.series(area, coverage.Category(), date(2026, 6, 30))
        first = len(statements)
        for i in range(3, 30):
            stall(world, i)
        db.session.commit()
        statements.clear()
        many = coverage.series(area, coverage.Category(), date(2026, 6, 30))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert first == len(statements) == 1
    assert few[-1].businesses == 3 and many[-1].businesses == 30


def test_month_ends_run_to_today():
    assert coverage.month_ends(date(2026, 3, 10), 4) == [date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 28),
                                                          date(2026, 3, 10)]


def test_a_plan_target_is_measured_from_the_registry(world):
    plan = make_plan(world.leader, unit=world.ward_a)
    target = Target(plan=plan, year=2026, due_on=date(2026, 12, 31), percent=80, category="market_stall",
                    measure="commitment", text="80% quầy sạp ký cam kết")
    both = Target(plan=plan, year=2026, due_on=date(2026, 12, 31), percent=50, category="market_stall",
                  measure="outreach_commitment", text="50%")
    later = Target(plan=plan, year=2026, due_on=date(2026, 12, 31), percent=100, category="sanctioned",
                   measure="no_repeat", text="100%")
    db.session.add_all([target, both, later])
    stalls = [stall(world, i) for i in range(4)]
    outreach.record_batch(world.ward_official, session_data(held_on=date(2026, 3, 1)),
                          [outreach.BatchRow(business_id=stalls[0].id)])
    for b in stalls[:3]:
        sign(world, b, date(2026, 3, 1))
    db.session.commit()
    measured = coverage.measure(target, date(2026, 6, 30))
    assert (measured.percent, measured.part, measured.whole) == (75.0, 3, 4)
    assert coverage.measure(both, date(2026, 6, 30)).part == 1
    assert coverage.measure(later, date(2026, 6, 30)).pending


def test_two_stalls_of_one_business_count_once_under_their_channel(world):
    shop = business(world, name="Quầy hai chợ", address="Kiốt 1", channels=[
        registry.ChannelData(ChannelKind.MARKET_STALL, place_name="Chợ Hàm Rồng", stall="1"),
        registry.ChannelData(ChannelKind.MARKET_STALL, place_name="Chợ Đông Cương", stall="9")])
    sign(world, shop, date(2026, 3, 1))
    db.session.commit()
    [(kind, figures)] = coverage.by_channel(coverage.Area(world.ward_a.ward_code, None), date(2026, 6, 1))
    assert kind == ChannelKind.MARKET_STALL and (figures.businesses, figures.signed) == (1, 1)


def test_a_target_is_met_on_the_counts_not_the_rounded_percent():
    assert not coverage.Measured(percent=100.0, part=9_999, whole=10_000, target=100).met
    assert coverage.Measured(percent=80.0, part=8, whole=10, target=80).met
