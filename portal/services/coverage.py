"""Coverage: of the businesses of an area and category trading on a day, how many had been given
outreach and how many had signed a commitment by then. These figures measure the plans'
targets (plan 125/KH-UBND's table) and the letter 100/QLTTLCA-NVTH count of businesses signed.

Every figure is one aggregate query, whatever the number of businesses.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select, true

from portal.extensions import db
from portal.models import (
    Agreement,
    Business,
    BusinessChannel,
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
    outreach_businesses,
    outreach_officers,
)
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
            clauses.append(Business.channels.any(BusinessChannel.kind.in_(self.channels)))
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



def trading_on(on: date) -> ColumnElement:
    """Businesses recorded by that day and not ceased by then; merged records are not counted."""
    return and_(Business.merged_into_id.is_(None), Business.recorded_on <= on,
                or_(Business.ceased_on.is_(None), Business.ceased_on > on))


def reached_by(on: date) -> ColumnElement:
    return exists().where(outreach_businesses.c.business_id == Business.id,
                          outreach_businesses.c.session_id == OutreachSession.id,
                          OutreachSession.held_on <= on)


def signed_by(on: date) -> ColumnElement:
    return exists().where(Commitment.business_id == Business.id, Commitment.signed_on <= on)


def _counts(on: date):
    reached, signed = reached_by(on), signed_by(on)
    return (func.count(Business.id),
            func.coalesce(func.sum(case((reached, 1), else_=0)), 0),
            func.coalesce(func.sum(case((signed, 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(reached, signed), 1), else_=0)), 0))


def figures(area: Area, category: Category, on: date) -> Figures:
    row = db.session.execute(
        select(*_counts(on)).where(trading_on(on), area.clause(), category.clause())).one()
    return Figures(on, *(int(value) for value in row))


def month_ends(until: date, months: int = 12) -> list[date]:
    """The last day of each of the ``months`` months up to ``until``; the last one is ``until``."""
    ends = []
    year, month = until.year, until.month
    for _ in range(months):
        ends.append(min(until, date(year, month, calendar.monthrange(year, month)[1])))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(ends))


def series(area: Area, category: Category, until: date, months: int = 12) -> list[Figures]:
    """Coverage at the end of each month: one query per month, however many businesses."""
    return [figures(area, category, on) for on in month_ends(until, months)]


def by_ward(area: Area, category: Category, on: date) -> list[tuple[Ward, Figures]]:
    """The same figures for each ward of the area, in one grouped query."""
    stmt = (select(Ward, *_counts(on)).join(Business, Business.ward_code == Ward.code)
            .where(trading_on(on), area.clause(), category.clause())
            .group_by(Ward.code).order_by(Ward.name))
    return [(ward, Figures(on, *(int(v) for v in values))) for ward, *values in db.session.execute(stmt)]


def by_channel(area: Area, on: date) -> list[tuple[ChannelKind, Figures]]:
    """Figures per channel; a business with two channels counts in both."""
    pairs = select(BusinessChannel.kind, BusinessChannel.business_id).distinct().subquery()  # two stalls count once
    stmt = (select(pairs.c.kind, *_counts(on)).join(Business, pairs.c.business_id == Business.id)
            .where(trading_on(on), area.clause()).group_by(pairs.c.kind))
    rows = {kind: Figures(on, *(int(v) for v in values)) for kind, *values in db.session.execute(stmt)}
    return [(kind, rows[kind]) for kind in ChannelKind if kind in rows]


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


def measure(target: Target, today: date) -> Measured:
    on = min(today, target.due_on)
    area = target_area(target)
    if target.measure == "coordination_agreement":
        clause = (Agreement.ward_code == area.ward_code if area.ward_code else
                  Agreement.province_code == area.province_code if area.province_code else true())
        count = db.session.scalar(select(func.count(Agreement.id)).where(clause, Agreement.signed_on <= on))
        return Measured(count=count, on=on)
    if target.measure not in {"commitment", "outreach_commitment"} or target.category not in TARGET_CHANNELS:
        return Measured(pending="enforcement", on=on)
    found = figures(area, Category(channels=TARGET_CHANNELS[target.category]), on)
    part = found.signed if target.measure == "commitment" else found.both
    return Measured(percent=Figures.share(part, found.businesses), part=part, whole=found.businesses, on=on,
                    target=target.percent)


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
