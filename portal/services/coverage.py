"""Coverage: of the businesses of an area and category trading on a day, how many had been given
outreach and how many had signed a commitment by then. These figures measure the plans'
targets (plan 125/KH-UBND's table) and the letter 100/QLTTLCA-NVTH count of businesses signed.

Every figure is one aggregate query, whatever the number of businesses. Each business keeps the
day outreach first reached it, the day it first signed and the kinds of its channels
(``first_outreach_on``, ``first_signed_on``, ``channel_kinds``: services/kept.py), so a figure
on any day is a scan of the area's businesses (of one index on PostgreSQL), with no look-up of
their papers or channels.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)

from portal.extensions import db
from portal.models import (
    Agreement,
    Business,
    ChannelKind,
    Commitment,
    GoodsCategory,
    Inspection,
    OutreachSession,
    Quota,
    QuotaMetric,
    Target,
    User,
    Ward,
    business_goods,
    outreach_officers,
)
from portal.models.registry import CHANNEL_BITS
from portal.services import scope

#: The categories of plan targets that are channels of the registry.
TARGET_CHANNELS: dict[str, tuple[ChannelKind, ...]] = {
    "importer": (ChannelKind.IMPORTER,),
    "supermarket": (ChannelKind.SUPERMARKET,),
    "ecommerce_seller": (ChannelKind.PLATFORM_SELLER, ChannelKind.WEBSITE),
    "digital_platform_seller": (ChannelKind.PLATFORM_SELLER,),
    "website": (ChannelKind.WEBSITE,),
    "market_stall": (ChannelKind.MARKET_STALL,),
    "craft_village": (ChannelKind.CRAFT_VILLAGE,),
    "tourist_area": (ChannelKind.TOURIST_STREET,),
    "general_store": (ChannelKind.SHOP,),
    "business": (),  # every business
}


@dataclass(frozen=True)
class Area:
    """A ward, a province, or the whole country (both None)."""

    ward_code: int | None = None
    province_code: int | None = None

    def clause(self) -> ColumnElement:
        if self.ward_code and self.province_code:  # the province too, so the coverage index serves
            return and_(Business.province_code == self.province_code, Business.ward_code == self.ward_code)
        if self.ward_code:
            return Business.ward_code == self.ward_code
        if self.province_code:
            return Business.province_code == self.province_code
        return true()

    @classmethod
    def of_user(cls, user: User) -> Area:
        return cls(user.unit.ward_code, user.unit.province_code)


@dataclass(frozen=True)
class Category:
    """Channels (any of them), or a goods category by code; empty means every business."""

    channels: tuple[ChannelKind, ...] = ()
    goods: str | None = None

    def clause(self) -> ColumnElement:
        clauses = []
        if self.channels:
            clauses.append(has_channel(*self.channels))
        if self.goods:
            clauses.append(exists().where(
                business_goods.c.business_id == Business.id,
                business_goods.c.goods_category_id == select(GoodsCategory.id).where(
                    GoodsCategory.code == self.goods).scalar_subquery()))
        return and_(true(), *clauses)


@dataclass(frozen=True)
class Figures:
    on: date
    businesses: int
    outreach: int
    signed: int
    both: int

    @staticmethod
    def share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def outreach_percent(self) -> float | None:
        return self.share(self.outreach, self.businesses)

    @property
    def signed_percent(self) -> float | None:
        return self.share(self.signed, self.businesses)



def has_channel(*kinds: ChannelKind) -> ColumnElement:
    """Businesses with a channel of one of these kinds."""
    return Business.channel_kinds.bitwise_and(sum(CHANNEL_BITS[kind] for kind in set(kinds))) != 0


def trading_on(on: date) -> ColumnElement:
    """Businesses recorded by that day and not ceased by then; merged records are not counted."""
    return and_(Business.merged_into_id.is_(None), _trading(on))


def _trading(on) -> ColumnElement:
    return and_(Business.recorded_on <= on, or_(Business.ceased_on.is_(None), Business.ceased_on > on))


def reached_by(on) -> ColumnElement:
    return Business.first_outreach_on <= on


def signed_by(on) -> ColumnElement:
    return Business.first_signed_on <= on


def count_where(*clauses: ColumnElement):
    """How many rows meet every clause: an aggregate column."""
    return func.coalesce(func.sum(case((and_(true(), *clauses), 1), else_=0)), 0)


def _counts(on: date, *trading: ColumnElement):
    """Businesses, given outreach, signed, and both by that day (of those trading then, when
    ``trading`` is given; else of every row selected)."""
    reached, signed = reached_by(on), signed_by(on)
    whole = count_where(*trading) if trading else func.count()
    return whole, count_where(*trading, reached), count_where(*trading, signed), count_where(*trading, reached, signed)


def figures(area: Area, category: Category, on: date) -> Figures:
    return at_days(area, category, [on])[0]


def at_days(area: Area, category: Category, days: list[date]) -> list[Figures]:
    """The figures on each of the days, in one query over the area's businesses."""
    columns = [column for on in days for column in _counts(on, _trading(on))]
    row = db.session.execute(select(*columns).where(
        Business.merged_into_id.is_(None), Business.recorded_on <= max(days), area.clause(), category.clause())).one()
    return [Figures(on, *(int(value) for value in row[4 * i:4 * i + 4])) for i, on in enumerate(days)]


def month_ends(until: date, months: int = 12) -> list[date]:
    """The last day of each of the ``months`` months up to ``until``; the last one is ``until``."""
    ends = []
    year, month = until.year, until.month
    for _ in range(months):
        ends.append(min(until, date(year, month, calendar.monthrange(year, month)[1])))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(ends))


def series(area: Area, category: Category, until: date, months: int = 12) -> list[Figures]:
    """Coverage at the end of each month: one query, however many businesses and months."""
    return at_days(area, category, month_ends(until, months))


def by_ward(area: Area, category: Category, on: date) -> list[tuple[Ward, Figures]]:
    """The same figures for each ward of the area, in one grouped query."""
    stmt = (select(Ward, *_counts(on)).join(Business, Business.ward_code == Ward.code)
            .where(trading_on(on), area.clause(), category.clause())
            .group_by(Ward.code).order_by(Ward.name))
    return [(ward, Figures(on, *(int(v) for v in values))) for ward, *values in db.session.execute(stmt)]


def by_channel(area: Area, on: date) -> list[tuple[ChannelKind, Figures]]:
    """Figures per channel, in one query; a business with two channels counts in both (and
    once under a kind it has twice)."""
    columns = [column for kind in ChannelKind for column in _counts(on, has_channel(kind))]
    row = db.session.execute(select(*columns).where(trading_on(on), area.clause())).one()
    found = [(kind, Figures(on, *(int(v) for v in row[4 * i:4 * i + 4]))) for i, kind in enumerate(ChannelKind)]
    return [(kind, figures) for kind, figures in found if figures.businesses]


# --- plan targets ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Measured:
    """A target's measured value: a percent of businesses, or (for coordination agreements) a
    count of agreements; ``pending`` names what the measurement waits for."""

    percent: float | None = None
    part: int = 0
    whole: int = 0
    count: int | None = None
    pending: str | None = None
    on: date | None = None
    target: int | None = None  # the percent asked for

    @property
    def met(self) -> bool:
        """Compared on the counts, not the rounded percent (9,999 of 10,000 is not 100%)."""
        return self.target is not None and self.whole > 0 and 100 * self.part >= self.target * self.whole


def target_area(target: Target) -> Area:
    if target.ward_code or target.province_code:
        return Area(target.ward_code, target.province_code)
    unit = target.plan.unit
    return Area(unit.ward_code, unit.province_code)


MEASURED = frozenset({"commitment", "outreach_commitment"})


def measure(target: Target, today: date) -> Measured:
    return measure_many([target], today)[target.id]


def measure_many(targets: list[Target], today: date) -> dict[int, Measured]:
    """Each target measured on its day (its due day, or today before then): two queries (one
    for the agreements, one for the businesses), whatever the number of targets."""
    result: dict[int, Measured] = {}
    agreements, percents = [], []
    for target in targets:
        on = min(today, target.due_on)
        if target.measure == "coordination_agreement":
            agreements.append((target, on, target_area(target)))
        elif target.measure in MEASURED and target.category in TARGET_CHANNELS:
            percents.append((target, on, target_area(target)))
        else:
            result[target.id] = Measured(pending="enforcement", on=on)
    if agreements:
        result.update(_measure_agreements(agreements))
    if percents:
        result.update(_measure_percents(percents))
    return result


def _key(area: Area) -> tuple[str, int]:
    """Which row of the grouped figures holds an area: a ward's, a province's or the country's."""
    if area.ward_code:
        return "ward", area.ward_code
    if area.province_code:
        return "province", area.province_code
    return "country", 0


def _narrowed(areas: list[Area], ward_column, province_column) -> ColumnElement:
    """Only the rows inside one of the areas (all of them when one is the whole country)."""
    keys = {_key(area) for area in areas}
    if ("country", 0) in keys:
        return true()
    return or_(ward_column.in_(sorted(code for level, code in keys if level == "ward")),
               province_column.in_(sorted(code for level, code in keys if level == "province")))


def _measure_agreements(items: list[tuple[Target, date, Area]]) -> dict[int, Measured]:
    """Agreements signed by each target's day in its area, from their count per ward and day."""
    rows = db.session.execute(
        select(Agreement.province_code, Agreement.ward_code, Agreement.signed_on, func.count(Agreement.id))
        .where(_narrowed([area for *_, area in items], Agreement.ward_code, Agreement.province_code),
               Agreement.signed_on <= max(on for _, on, _ in items))
        .group_by(Agreement.province_code, Agreement.ward_code, Agreement.signed_on)).all()
    result = {}
    for target, on, area in items:
        level, code = _key(area)
        inside = [number for province, ward, signed_on, number in rows if signed_on <= on and (
            level == "country" or code == (ward if level == "ward" else province))]
        result[target.id] = Measured(count=sum(inside), on=on)
    return result


def _literal_rows(names: tuple[str, ...], rows: list[tuple]):
    """A few constant rows as a table (VALUES, written so that SQLite reads it too)."""
    selects = [select(*(literal(value).label(name) for name, value in zip(names, row, strict=True))) for row in rows]
    return (union_all(*selects) if len(selects) > 1 else selects[0]).subquery()


def _measure_percents(items: list[tuple[Target, date, Area]]) -> dict[int, Measured]:
    """The businesses trading on each target's day in its area and category, and those of them
    that had signed (and been given outreach) by then: one query, counting them by area (the
    targets' wards, provinces, the country) and day, with three columns for each category."""
    days = _literal_rows(("on",), [(on,) for on in sorted({on for _, on, _ in items})])
    categories = sorted({target.category for target, *_ in items})
    trading = and_(Business.recorded_on <= days.c.on,
                   or_(Business.ceased_on.is_(None), Business.ceased_on > days.c.on))
    signed = Business.first_signed_on <= days.c.on
    reached = Business.first_outreach_on <= days.c.on
    columns = []
    for category in categories:
        kinds = TARGET_CHANNELS[category]
        inside = has_channel(*kinds) if kinds else true()
        columns += [count_where(inside).label(f"{category}_whole"),
                    count_where(inside, signed).label(f"{category}_signed"),
                    count_where(inside, signed, reached).label(f"{category}_both")]
    codes: dict[str, set[int]] = {}
    for *_, area in items:
        level, code = _key(area)
        codes.setdefault(level, set()).add(code)
    keys = {"ward": Business.ward_code, "province": Business.province_code, "country": None}
    chosen = []
    ward_provinces = {area.province_code for *_, area in items if area.ward_code}
    for level, wanted in sorted(codes.items()):
        key = keys[level]
        stmt = (select(literal(level).label("level"), (literal(0) if key is None else key).label("code"), days.c.on,
                       *columns).select_from(Business).join(days, trading).where(Business.merged_into_id.is_(None)))
        if key is not None:
            stmt = stmt.where(key.in_(sorted(wanted)))
        if level == "ward" and None not in ward_provinces:  # their provinces too, for the coverage index
            stmt = stmt.where(Business.province_code.in_(sorted(ward_provinces)))
        chosen.append(stmt.group_by(*([] if key is None else [key]), days.c.on))
    found = {(level, code, on): [int(value or 0) for value in values]
             for level, code, on, *values in db.session.execute(union_all(*chosen) if len(chosen) > 1 else chosen[0])}
    result = {}
    for target, on, area in items:
        values = found.get((*_key(area), on))
        position = 3 * categories.index(target.category)
        whole, signed_, both = values[position:position + 3] if values else (0, 0, 0)
        part = signed_ if target.measure == "commitment" else both
        result[target.id] = Measured(percent=Figures.share(part, whole), part=part, whole=whole, on=on,
                                     target=target.percent)
    return result


# --- quotas ----------------------------------------------------------------------------------

def _quota_counts(quotas: list[Quota], metric: QuotaMetric, stmt_for) -> dict[int, int]:
    ids = [q.id for q in quotas if q.metric == metric]
    if not ids:
        return {}
    return dict(db.session.execute(stmt_for(ids)).all())


def quota_done(quotas: list[Quota]) -> dict[int, int]:
    """For each quota, the count of the inspector's own records in its period: one grouped
    query per metric, however many quotas."""
    done: dict[int, int] = {}
    done.update(_quota_counts(quotas, QuotaMetric.OUTREACH_SESSIONS, lambda ids: (
        select(Quota.id, func.count(OutreachSession.id))
        .join(outreach_officers, outreach_officers.c.user_id == Quota.user_id)
        .join(OutreachSession, and_(OutreachSession.id == outreach_officers.c.session_id,
                                    OutreachSession.held_on.between(Quota.starts_on, Quota.ends_on)))
        .where(Quota.id.in_(ids)).group_by(Quota.id))))
    done.update(_quota_counts(quotas, QuotaMetric.BUSINESSES_SIGNED, lambda ids: (
        select(Quota.id, func.count(func.distinct(Commitment.business_id)))
        .join(Commitment, and_(Commitment.received_by_id == Quota.user_id,
                               Commitment.signed_on.between(Quota.starts_on, Quota.ends_on)))
        .where(Quota.id.in_(ids)).group_by(Quota.id))))
    done.update(_quota_counts(quotas, QuotaMetric.AGREEMENTS_SIGNED, lambda ids: (
        select(Quota.id, func.count(Agreement.id))
        .join(Agreement, and_(Agreement.received_by_id == Quota.user_id,
                              Agreement.signed_on.between(Quota.starts_on, Quota.ends_on)))
        .where(Quota.id.in_(ids)).group_by(Quota.id))))
    done.update(_quota_counts(quotas, QuotaMetric.INSPECTIONS, lambda ids: (
        select(Quota.id, func.count(Inspection.id))
        .join(Inspection, and_(Inspection.created_by_id == Quota.user_id,
                               Inspection.inspected_on.between(Quota.starts_on, Quota.ends_on)))
        .where(Quota.id.in_(ids)).group_by(Quota.id))))
    return done


def visible_area(user: User, ward_code: int | None, province_code: int | None) -> Area:
    """The area a coverage page asks for, narrowed to what the user may see."""
    own = Area.of_user(user)
    if own.ward_code:
        return own
    if ward_code:
        ward = db.session.get(Ward, ward_code)
        if ward is not None and scope.covers_area(user, ward.code, ward.province_code):
            return Area(ward.code, ward.province_code)
    if province_code and not own.province_code:
        return Area(None, province_code)
    return own
