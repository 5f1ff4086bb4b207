"""Statistics: every figure equals an independent count of the records, by month, province and
goods category; the page is a fixed number of queries."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from portal.demo import ensure_unit
from portal.extensions import db
from portal.models import (
    Commitment,
    Inspection,
    InspectionResult,
    Role,
    UnitKind,
    Violation,
    ViolationState,
)
from portal.services import enforcement, outreach, publication, registry, statistics
from tests.factories import LAO_CAI, THANH_HOA, make_user, ward_code
from tests.internal.test_query_counts import counted
from tests.services.test_enforcement import inspect
from tests.services.test_outreach import business

YEAR = 2026


@dataclass
class Data:
    ham_rong: object
    lao_cai: object
    inspector: object


def sign(actor, shop, on):
    return outreach.record_commitment(actor, outreach.CommitmentData(
        business_id=shop.id, signed_on=on, signatory="Chủ cơ sở", received_by_id=actor.id))


def decided(on, fine, state=ViolationState.DECIDED):
    return enforcement.Decision(number=f"{on.day:02d}{on.month:02d}/QĐ-XPHC", decided_on=on, authority="Đội QLTT",
                                fine=fine, state=state)


def case(actor, shop, found, goods="milk", decision=None, inspected_goods=None):
    inspection = inspect(actor, shop, found, goods=inspected_goods if inspected_goods is not None else [goods])
    return enforcement.record_violation(actor, inspection, enforcement.ViolationData(
        type=enforcement.ViolationType.COUNTERFEIT, goods=goods, brand="Ensure",
        decision=decision or enforcement.Decision()))


@pytest.fixture
def data(world):
    """Two provinces, commitments signed (one business twice), inspections with and without
    violations, decisions with fines (one overturned, one never published), and records of the
    year before that must not count."""
    inspector = make_user("doi.qltt", world.province, Role.OFFICER)
    lc_ward = ensure_unit("UBND phường Lào Cai", UnitKind.WARD_COMMITTEE, world.other_province, province=LAO_CAI,
                          ward=ward_code(LAO_CAI, "Phường Lào Cai"))
    lc_keeper = make_user("ward.lc", lc_ward, Role.WARD_OFFICIAL)
    lc_inspector = make_user("doi.lc", world.other_province, Role.OFFICER)
    milk = business(world, name="Đại lý sữa Hà", goods=["milk", "food"])
    cosmetics = business(world, name="Mỹ phẩm Lan", goods=["cosmetics"])
    bare = business(world, name="Quầy không ghi mặt hàng")
    lc = business(world, actor=lc_keeper, ward=lc_ward, name="Cửa hàng Sa Pa", goods=["medicines"])
    sign(world.ward_official, milk, date(2025, 12, 20))  # the year before
    sign(world.ward_official, milk, date(YEAR, 1, 10))
    sign(world.ward_official, milk, date(YEAR, 3, 5))  # signed again
    sign(world.ward_official, cosmetics, date(YEAR, 3, 20))
    sign(world.ward_official, bare, date(YEAR, 3, 21))
    sign(lc_keeper, lc, date(YEAR, 2, 2))
    published = case(inspector, milk, date(YEAR, 4, 1), decision=decided(date(YEAR, 4, 5), 15_000_000))
    case(inspector, milk, date(2025, 11, 3), decision=decided(date(2025, 11, 9), 7_000_000))  # the year before
    case(inspector, milk, date(YEAR, 7, 1), decision=decided(date(YEAR, 7, 8), 9_000_000, ViolationState.OVERTURNED))
    case(inspector, cosmetics, date(YEAR, 8, 12), goods="cosmetics")  # found, no decision yet
    case(lc_inspector, lc, date(YEAR, 5, 10), goods="medicines", decision=decided(date(YEAR, 6, 1), 20_000_000))
    case(lc_inspector, lc, date(YEAR, 5, 30), goods=None, inspected_goods=[],
         decision=decided(date(YEAR, 5, 31), 2_500_000))  # no goods recorded: counted under "not recorded"
    enforcement.record_inspection(inspector, enforcement.InspectionData(
        inspected_on=date(YEAR, 4, 15), kind=enforcement.InspectionKind.SCHEDULED, business_id=cosmetics.id,
        result=InspectionResult.NO_VIOLATION, goods=["cosmetics", "food"]))
    proposal = publication.propose(inspector, published, None)
    publication.approve(world.leader, proposal, version=proposal.version)
    db.session.commit()
    return Data(world.ward_a, lc_ward, inspector)


def sanctioned(v: Violation) -> bool:
    return bool(v.decision_number) and v.decision_on is not None and v.state != ViolationState.OVERTURNED


def independent(year: int, province: int | None = None) -> dict[str, Counter]:
    """The figures counted in Python from every record, without SQL grouping."""
    def here(business) -> bool:
        return province is None or business.province_code == province

    counts = {name: Counter() for name in ("commitments", "inspections", "violations", "sanctions", "fines")}
    by_province = {name: Counter() for name in counts}
    by_goods = {name: Counter() for name in counts}
    for c in db.session.scalars(select(Commitment)):
        if c.signed_on.year == year and here(c.business):
            counts["commitments"][c.signed_on.month] += 1
            by_province["commitments"][c.business.province_code] += 1
            for g in c.business.goods or [None]:
                by_goods["commitments"][g.code if g else None] += 1
    for i in db.session.scalars(select(Inspection)):
        if i.inspected_on.year == year and here(i.business):
            counts["inspections"][i.inspected_on.month] += 1
            by_province["inspections"][i.business.province_code] += 1
            for g in i.goods or [None]:
                by_goods["inspections"][g.code if g else None] += 1
    for v in db.session.scalars(select(Violation)):
        if not here(v.business):
            continue
        goods = v.goods_category.code if v.goods_category else None
        if v.found_on.year == year:
            counts["violations"][v.found_on.month] += 1
            by_province["violations"][v.business.province_code] += 1
            by_goods["violations"][goods] += 1
        if sanctioned(v) and v.decision_on.year == year:
            for target, key in ((counts, v.decision_on.month), (by_province, v.business.province_code),
                                (by_goods, goods)):
                target["sanctions"][key] += 1
                target["fines"][key] += v.fine or 0
    return {"month": counts, "province": by_province, "goods": by_goods}


def as_counters(rows) -> dict[str, Counter]:
    return {name: Counter({key: getattr(r, name) for key, r in rows if getattr(r, name)})
            for name in statistics.FIGURES}


def check_against_records(stats, year, province=None):
    expected = independent(year, province)
    assert as_counters([(r.key, r) for r in stats.by_month]) == expected["month"]
    assert as_counters([(p.code, r) for p, r in stats.by_province]) == expected["province"]
    assert as_counters([(g.code if g else None, r) for g, r in stats.by_goods]) == expected["goods"]
    for name in statistics.FIGURES:
        assert getattr(stats.totals, name) == sum(expected["month"][name].values())


def test_every_figure_equals_an_independent_count_of_the_records(data):
    stats = statistics.compute(YEAR)
    check_against_records(stats, YEAR)
    # and the crafted numbers, written out, so a wrong "independent" count cannot hide a bug
    t = stats.totals
    assert (t.commitments, t.inspections, t.violations, t.sanctions, t.fines) == (5, 6, 5, 3, 37_500_000)
    assert [r.commitments for r in stats.by_month] == [1, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert stats.by_month[3].inspections == 2 and stats.by_month[6].violations == 1 and stats.by_month[6].sanctions == 0
    assert [(p.code, r.commitments, r.fines) for p, r in stats.by_province] == [
        (LAO_CAI, 1, 22_500_000), (THANH_HOA, 4, 15_000_000)]
    goods = {g.code if g else None: r for g, r in stats.by_goods}
    assert goods["milk"].commitments == 2 and goods["food"].commitments == 2 and goods[None].commitments == 1
    assert goods["food"].inspections == 1 and goods[None].inspections == 1 and goods[None].fines == 2_500_000
    assert stats.by_goods[-1][0] is None  # "not recorded" comes last


def test_the_year_before_and_a_province_narrow_the_figures(data):
    before = statistics.compute(YEAR - 1)
    check_against_records(before, YEAR - 1)
    assert (before.totals.commitments, before.totals.violations, before.totals.fines) == (1, 1, 7_000_000)
    lao_cai = statistics.compute(YEAR, registry_province(LAO_CAI))
    check_against_records(lao_cai, YEAR, LAO_CAI)
    assert [p.code for p, _ in lao_cai.by_province] == [LAO_CAI]
    assert (lao_cai.totals.commitments, lao_cai.totals.inspections, lao_cai.totals.fines) == (1, 2, 22_500_000)


def registry_province(code):
    return statistics.parse_province(str(code))


def test_an_empty_year_is_twelve_empty_months(world):
    stats = statistics.compute(2021)
    assert [r.key for r in stats.by_month] == list(range(1, 13)) and all(r.empty() for r in stats.by_month)
    assert stats.by_province == [] and stats.by_goods == [] and stats.totals.empty()


@pytest.mark.parametrize("value", ["2019", "1999", "abc", "20261", str(registry.today().year + 1), "-2026",
                                   "1000000000", "२०२५"])
def test_a_bad_year_is_refused(app, value):
    with pytest.raises(statistics.BadFilter):
        statistics.parse_year(value)


def test_years_and_provinces_that_are_accepted(app):
    assert statistics.parse_year(None) == statistics.parse_year("") == registry.today().year
    assert statistics.parse_year(" 2020 ") == 2020
    assert statistics.parse_province(None) is None and statistics.parse_province("38").code == THANH_HOA
    for value in ("999", "x", "38.0"):
        with pytest.raises(statistics.BadFilter):
            statistics.parse_province(value)


def test_the_figures_are_a_fixed_number_of_queries(data, world):
    with counted() as small:
        statistics.compute(YEAR)
    more = business(world, name="Thêm một cơ sở", goods=["gold", "tobacco"], ward=world.ward_b,
                    actor=world.sibling_official)
    sign(world.sibling_official, more, date(YEAR, 9, 9))
    case(data.inspector, more, date(YEAR, 10, 1), goods="gold", decision=decided(date(YEAR, 10, 2), 1_000_000))
    db.session.commit()
    with counted() as grown:
        stats = statistics.compute(YEAR)
    selects = [s for s in grown if s.lstrip().upper().startswith("SELECT")]
    assert len(grown) == len(small) and len(selects) == 10  # 4 figures x 2 groupings, provinces, goods
    assert stats.totals.commitments == 6
