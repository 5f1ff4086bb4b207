"""The business registry: recording businesses once, finding duplicates, merging them, and
following their status over time. Businesses are kept by area: see scope.area_clause."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, delete, func, or_, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import selectinload

from portal.db import utcnow
from portal.extensions import db
from portal.models import (
    Business,
    BusinessChannel,
    BusinessStatus,
    BusinessStatusChange,
    ChannelKind,
    Commitment,
    GoodsCategory,
    OutreachSession,
    Role,
    User,
    Ward,
    outreach_businesses,
)
from portal.services import audit, coverage, kept, scope
from portal.services.deadlines import local_day
from portal.services.errors import AccessDenied, ConflictingEdit, ValidationFailed
from portal.text import fold, normalise_link

#: Who records businesses; viewers only read.
KEEPERS = (Role.ADMIN, Role.LEADER, Role.OFFICER, Role.WARD_OFFICIAL)
TAX_CODE = re.compile(r"^\d{10}(\d{3})?$")
NEEDS_PLACE = {ChannelKind.MARKET_STALL, ChannelKind.PLATFORM_SELLER, ChannelKind.SUPERMARKET,
               ChannelKind.CRAFT_VILLAGE}
NEEDS_LINK = {ChannelKind.PLATFORM_SELLER, ChannelKind.WEBSITE}
AUDITED = ("name", "owner_name", "tax_code", "household_reg_no", "address", "ward_code", "phone", "status",
           "recorded_on")


@dataclass
class ChannelData:
    kind: ChannelKind
    place_name: str | None = None
    stall: str | None = None
    link: str | None = None


@dataclass
class BusinessData:
    name: str
    address: str
    ward_code: int
    owner_name: str | None = None
    tax_code: str | None = None
    household_reg_no: str | None = None
    phone: str | None = None
    goods: list[str] = field(default_factory=list)
    channels: list[ChannelData] = field(default_factory=list)
    opened_on: date | None = None  # when it was first recorded (newly opened)


@dataclass
class Candidate:
    """A record the new one may duplicate; ``business`` is None when it lies outside the
    actor's area (the actor is told only that it exists)."""

    reason: str
    business: Business | None


class DuplicateSuspected(Exception):
    def __init__(self, candidates: list[Candidate]):
        super().__init__(candidates)
        self.candidates = candidates


def today() -> date:
    """Today in Vietnam, where the records are kept (UTC is still yesterday until 07:00)."""
    return local_day(utcnow())


def normalise_tax_code(value: str | None) -> str | None:
    """'0101234567-001' and '0101 234 567' become digits only."""
    if not value or not value.strip():
        return None
    return re.sub(r"[\s.\-]", "", value.strip())


# --- reading -----------------------------------------------------------------------------

def _in_area(user: User):
    return and_(scope.area_clause(user, Business.ward_code, Business.province_code), Business.merged_into_id.is_(None))


def visible(user: User) -> Select:
    return select(Business).where(_in_area(user))


def search(user: User, *, q: str | None = None, ward_code: int | None = None,
           status: BusinessStatus | None = None, channel: ChannelKind | None = None) -> Select:
    """The filtered registry of the user's area, diacritics ignored ('tap hoa' finds 'Tạp hóa')."""
    return (select(Business).where(*_filters(user, q, ward_code, status, channel))
            .options(selectinload(Business.channels), selectinload(Business.ward))
            .order_by(Business.name_folded, Business.id))


def search_page(user: User, page: int, per_page: int, *, q: str | None = None, ward_code: int | None = None,
                status: BusinessStatus | None = None, channel: ChannelKind | None = None
                ) -> tuple[list[Business], int]:
    """One page of ``search`` and the number of businesses found, in one query that finds them
    once (a search by words scans the trigram indexes: not twice, to count)."""
    found = select(Business.id).where(*_filters(user, q, ward_code, status, channel)).cte("found")
    total = select(func.count()).select_from(found).scalar_subquery()
    rows = db.session.execute(
        select(Business, total).where(Business.id.in_(select(found.c.id)))
        .options(selectinload(Business.channels), selectinload(Business.ward))
        .order_by(Business.name_folded, Business.id).limit(per_page).offset((page - 1) * per_page)).all()
    if not rows:  # a page past the last: the count alone
        return [], db.session.scalar(select(func.count()).select_from(found))
    return [business for business, _total in rows], rows[0][1]


def _filters(user: User, q, ward_code, status, channel) -> list[ColumnElement]:
    filters = [_in_area(user)]
    if q and fold(q):
        filters.append(_matching(q, _in_area(user)))
    if ward_code:
        filters.append(Business.ward_code == ward_code)
    if status:
        filters.append(Business.status == status)
    if channel:
        filters.append(coverage.has_channel(channel))
    return filters


def _matching(q: str, in_area) -> ColumnElement:
    """Businesses whose name or address holds the words, whose tax code starts with the digits,
    or with a stall of that number (as written or in capitals: "K12", "k12", "Kiốt 12"). Every
    part can be read from an index (trigrams on PostgreSQL), so the stalls are looked up first."""
    words, digits, typed = fold(q), re.sub(r"\D", "", q), q.strip()
    clauses = [Business.name_folded.contains(words, autoescape=True),
               Business.address_folded.contains(words, autoescape=True)]
    if len(digits) >= 4:
        clauses.append(Business.tax_code.startswith(digits, autoescape=True))
    if len(typed) <= 40:
        forms = sorted({typed, typed.upper(), typed.lower(), typed.capitalize()})
        stalls = list(db.session.scalars(select(Business.id).join(BusinessChannel.business)
                                          .where(in_area, BusinessChannel.stall.in_(forms)).distinct()))
        if stalls:
            clauses.append(Business.id.in_(stalls))
    return or_(*clauses)


def get(user: User, business_id: int) -> Business | None:
    business = db.session.get(Business, business_id)
    if business is None:
        return None
    if not scope.covers_area(user, business.ward_code, business.province_code):
        raise AccessDenied()
    return business


# --- checks --------------------------------------------------------------------------------

def _check(actor: User, data: BusinessData) -> Ward:
    errors: dict[str, list] = {}
    for key in ("name", "address"):
        if not (getattr(data, key) or "").strip():
            errors[key] = [_l("This field is required.")]
    ward = db.session.get(Ward, data.ward_code) if data.ward_code else None
    if ward is None:
        errors["ward_code"] = [_l("Choose a ward or commune from the official list.")]
    elif not scope.covers_area(actor, ward.code, ward.province_code):
        errors["ward_code"] = [_l("Choose a ward or commune in your area.")]
    if data.tax_code and not TAX_CODE.match(data.tax_code):
        errors["tax_code"] = [_l("A tax code has 10 digits, or 13 for a branch (e.g. 0101234567-001).")]
    if not data.channels:
        errors["channels"] = [_l("Give at least one place or way the business sells.")]
    for index, channel in enumerate(data.channels):
        if channel.kind in NEEDS_PLACE and not channel.place_name:
            errors[f"channels-{index}-place_name"] = [_l("Give the market, mall, village or platform.")]
        if channel.kind in NEEDS_LINK and not normalise_link(channel.link):
            errors[f"channels-{index}-link"] = [_l("Give the link of the shop or website.")]
    if data.opened_on and data.opened_on > today():
        errors["opened_on"] = [_l("This date is in the future.")]
    if errors:
        raise ValidationFailed(errors)
    return ward


def duplicates(actor: User, data: BusinessData, *, exclude_id: int | None = None) -> list[Candidate]:
    """Records that may be the same business: same tax code, same shop link, or the same name
    and address once diacritics, case and punctuation are ignored, in the same ward."""
    links = [normalise_link(c.link) for c in data.channels if normalise_link(c.link)]
    checks = []
    if data.tax_code:
        checks.append(("tax_code", Business.tax_code == data.tax_code))
    if links:
        checks.append(("link", Business.channels.any(BusinessChannel.link_normalised.in_(links))))
    checks.append(("name_address", and_(Business.ward_code == data.ward_code,
                                        Business.name_folded == fold(data.name),
                                        Business.address_folded == fold(data.address))))
    found: dict[int, Candidate] = {}
    for reason, clause in checks:
        stmt = select(Business).where(clause, Business.merged_into_id.is_(None))
        if exclude_id:
            stmt = stmt.where(Business.id != exclude_id)
        for business in db.session.scalars(stmt.limit(10)):
            if business.id not in found:
                seen = scope.covers_area(actor, business.ward_code, business.province_code)
                found[business.id] = Candidate(reason, business if seen else None)
    return list(found.values())


# --- changes -------------------------------------------------------------------------------

def _apply(business: Business, data: BusinessData, ward: Ward,
           goods: dict[str, GoodsCategory] | None = None) -> None:
    """Set the fields of the form; ``goods`` (code -> category), when given, saves a query."""
    business.name, business.owner_name, business.address = data.name, data.owner_name, data.address
    business.tax_code, business.household_reg_no, business.phone = data.tax_code, data.household_reg_no, data.phone
    business.ward_code, business.province_code = ward.code, ward.province_code
    business.name_folded, business.address_folded = fold(data.name), fold(data.address)
    business.goods = ([goods[code] for code in dict.fromkeys(data.goods) if code in goods] if goods is not None
                      else list(db.session.scalars(select(GoodsCategory).where(GoodsCategory.code.in_(data.goods)))))
    business.channels = [BusinessChannel(kind=c.kind, place_name=c.place_name, stall=c.stall, link=c.link,
                                         link_normalised=normalise_link(c.link)) for c in data.channels]


def create(actor: User, data: BusinessData, *, not_a_duplicate: bool = False) -> Business:
    """Record a new business. Possible duplicates stop it unless the actor has looked at them
    and said it is another business."""
    scope.ensure_role(actor, *KEEPERS)
    ward = _check(actor, data)
    candidates = duplicates(actor, data)
    if candidates and not not_a_duplicate:
        raise DuplicateSuspected(candidates)
    opened_on = data.opened_on or today()
    business = Business(created_by_id=actor.id, status=BusinessStatus.NEW, recorded_on=opened_on)
    _apply(business, data, ward)
    business.history = [BusinessStatusChange(status=BusinessStatus.NEW, on=opened_on, recorded_by_id=actor.id)]
    db.session.add(business)
    db.session.flush()
    audit.record("business.created", actor=actor, obj=business, unit_id=actor.unit_id,
                 after=audit.snapshot(business, AUDITED))
    return business


def update(actor: User, business: Business, data: BusinessData, *, version: int,
           goods: dict[str, GoodsCategory] | None = None) -> Business:
    scope.ensure_role(actor, *KEEPERS)
    if get(actor, business.id) is None:
        raise AccessDenied()
    if version != business.version:
        raise ConflictingEdit()
    ward = _check(actor, data)
    if data.opened_on is not None and data.opened_on != business.recorded_on:
        _check_opened_on(business, data.opened_on)
    before = audit.snapshot(business, AUDITED)
    _apply(business, data, ward, goods)
    if data.opened_on is not None and data.opened_on != business.recorded_on:
        first = min(business.history, key=lambda h: (h.on, h.id or 0))
        first.on = data.opened_on
        business.recorded_on = data.opened_on
    business.updated_at = utcnow()  # channels and goods alone move the version too
    db.session.flush()
    old, new = audit.changes(before, audit.snapshot(business, AUDITED))
    audit.record("business.updated", actor=actor, obj=business, unit_id=actor.unit_id, before=old, after=new)
    return business


def _check_opened_on(business: Business, opened_on: date) -> None:
    """A corrected first-recorded date must still come before everything else recorded about
    the business: its later changes of status, its commitments and the outreach it was given."""
    later = sorted(h.on for h in business.history)[1:]
    papers = db.session.execute(select(
        select(func.min(Commitment.signed_on)).where(Commitment.business_id == business.id).scalar_subquery(),
        select(func.min(OutreachSession.held_on)).join(
            outreach_businesses, outreach_businesses.c.session_id == OutreachSession.id)
        .where(outreach_businesses.c.business_id == business.id).scalar_subquery())).one()
    earliest = min([d for d in [*later[:1], *papers] if d is not None], default=None)
    if earliest is not None and opened_on > earliest:
        raise ValidationFailed({"opened_on": [_l(
            "Something is recorded about this business on %(date)s, before this date.",
            date=earliest.strftime("%d/%m/%Y"))]})


def record_status(actor: User, business: Business, status: BusinessStatus, on: date, note: str | None) -> None:
    """Newly opened, active, changed line of business or ceased trading, with its date."""
    scope.ensure_role(actor, *KEEPERS)
    get(actor, business.id)
    first = min((h.on for h in business.history), default=on)
    if on > today():
        raise ValidationFailed({"on": [_l("This date is in the future.")]})
    if on < first:
        raise ValidationFailed({"on": [_l("This date is before the business was first recorded.")]})
    business.history.append(BusinessStatusChange(status=status, on=on, note=note, recorded_by_id=actor.id))
    latest = max(business.history, key=lambda h: (h.on, h.id or 10**12))
    before = business.status.value
    _follow_history(business, latest)
    db.session.flush()
    audit.record("business.status", actor=actor, obj=business, unit_id=actor.unit_id,
                 before={"status": before}, after={"status": business.status.value, "on": on.isoformat()})


def _move_papers(other: Business, keep: Business) -> None:
    """The merged record's commitments, the outreach it was given, its inspections and violations
    now belong to the kept one."""
    for model in kept.PAPERS:
        db.session.execute(sql_update(model).where(model.business_id == other.id).values(
            business_id=keep.id, ward_code=keep.ward_code, province_code=keep.province_code))
    reached_both = select(outreach_businesses.c.session_id).where(outreach_businesses.c.business_id == keep.id)
    db.session.execute(delete(outreach_businesses).where(outreach_businesses.c.business_id == other.id,
                                                         outreach_businesses.c.session_id.in_(reached_both)))
    db.session.execute(sql_update(outreach_businesses).where(outreach_businesses.c.business_id == other.id)
                       .values(business_id=keep.id))
    kept.refresh_business_facts(db.session.connection(), {keep.id, other.id})
    db.session.expire_all()  # the kept record's lists are read again with what moved


def _follow_history(business: Business, latest: BusinessStatusChange) -> None:
    business.status = latest.status
    business.recorded_on = min(h.on for h in business.history)
    business.ceased_on = latest.on if latest.status == BusinessStatus.CEASED else None


def merge(actor: User, keep: Business, other: Business) -> Business:
    """Two records of one business become one: the other's channels, goods and history move to
    the kept record, and the other stays only as a pointer to it."""
    scope.ensure_role(actor, *KEEPERS)
    for business in (keep, other):
        get(actor, business.id)
    if keep.id == other.id or other.merged_into_id or keep.merged_into_id:
        raise ValidationFailed({"": [_l("Choose two different records that are still in the registry.")]})
    have = {(c.kind, c.place_name, c.stall, c.link_normalised) for c in keep.channels}
    for channel in list(other.channels):
        if (channel.kind, channel.place_name, channel.stall, channel.link_normalised) not in have:
            keep.channels.append(BusinessChannel(kind=channel.kind, place_name=channel.place_name,
                                                 stall=channel.stall, link=channel.link,
                                                 link_normalised=channel.link_normalised))
    keep.goods = list({g.id: g for g in [*keep.goods, *other.goods]}.values())
    for change in list(other.history):
        keep.history.append(BusinessStatusChange(status=change.status, on=change.on, note=change.note,
                                                 recorded_by_id=change.recorded_by_id))
    _follow_history(keep, max(keep.history, key=lambda h: (h.on, h.id or 10**12)))
    keep.tax_code = keep.tax_code or other.tax_code
    keep.household_reg_no = keep.household_reg_no or other.household_reg_no
    keep.owner_name = keep.owner_name or other.owner_name
    keep.updated_at = utcnow()
    other.merged_into_id = keep.id
    db.session.flush()
    _move_papers(other, keep)
    audit.record("business.merged", actor=actor, obj=keep, unit_id=actor.unit_id,
                 before={"merged": other.id, "name": other.name}, after={"into": keep.id})
    return keep
