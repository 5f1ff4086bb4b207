"""Hotlines: the numbers, email and address each unit publishes for citizens' tips.

Administrators and leaders manage the hotlines of the units in their scope. A hotline serves an
area inside its unit's area: a ward unit its ward, a province unit its province or one of its
wards, a national unit the whole country (no area) or any province or ward.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Hotline, Province, Role, Unit, User, Ward
from portal.services import audit, deletion, scope
from portal.services.errors import AccessDenied, ConflictingEdit, ValidationFailed

MANAGERS = (Role.ADMIN, Role.LEADER)
AUDITED = ("unit_id", "label", "phones", "email", "address", "hours", "province_code", "ward_code",
           "published", "position")
MAX_PHONES_LENGTH = 200  # the column holds the numbers joined by ", "


@dataclass
class HotlineData:
    unit_id: int
    label: str
    phones: list[str] = field(default_factory=list)
    email: str | None = None
    address: str | None = None
    hours: str | None = None
    province_code: int | None = None
    ward_code: int | None = None
    published: bool = True
    position: int = 0


# --- who may see and change what -----------------------------------------------------------

def can_manage(user: User, hotline: Hotline | None = None) -> bool:
    if not user.has_role(*MANAGERS):
        return False
    return hotline is None or scope.covers(user, hotline.unit)


def ensure_can_manage(user: User, hotline: Hotline | None = None) -> None:
    if not can_manage(user, hotline):
        raise AccessDenied()


def in_scope(user: User) -> Select:
    """The hotlines of the units the user may see, ordered as the public sees them."""
    return (scope.visible(select(Hotline), user, Hotline.unit_id)
            .outerjoin(Hotline.province).outerjoin(Hotline.ward)
            .options(joinedload(Hotline.unit), joinedload(Hotline.province), joinedload(Hotline.ward))
            .order_by(Province.name.nulls_first(), Ward.name.nulls_first(), Hotline.position, Hotline.id))


def get(user: User, hotline_id: int) -> Hotline | None:
    """The hotline, None when it does not exist; AccessDenied when its unit is out of scope."""
    hotline = db.session.get(Hotline, hotline_id)
    if hotline is None:
        return None
    if not scope.covers(user, hotline.unit):
        raise AccessDenied()
    return hotline


def units_for(user: User) -> list[Unit]:
    """The units whose hotlines the user may manage."""
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(scope.unit_ids(user))).order_by(Unit.path)))


# --- checks --------------------------------------------------------------------------------

def area_errors(actor: User, unit: Unit, province_code: int | None, ward_code: int | None) -> dict[str, list]:
    """Refusals of an area that is not inside the unit's area (and so the actor's)."""
    ward = db.session.get(Ward, ward_code) if ward_code else None
    if ward_code and (ward is None or ward.province_code != province_code):
        return {"ward_code": [_l("Choose a ward of the chosen province.")]}
    if province_code and db.session.get(Province, province_code) is None:
        return {"province_code": [_l("Choose a province from the list.")]}
    if unit.ward_code and (province_code, ward_code) != (unit.province_code, unit.ward_code):
        return {"ward_code": [_l("A ward's hotline serves that ward: choose it.")]}
    if unit.province_code and province_code != unit.province_code:
        return {"province_code": [_l("Choose the province of the unit.")]}
    if not scope.covers_area(actor, ward_code, province_code):
        return {"province_code": [_l("Choose an area inside your unit's area.")]}
    return {}


def _check(actor: User, data: HotlineData) -> Unit:
    errors: dict[str, list] = {}
    unit = db.session.get(Unit, data.unit_id) if data.unit_id else None
    if unit is None or not scope.covers(actor, unit):
        errors["unit_id"] = [_l("Choose a unit in your scope.")]
    if not data.phones:
        errors["phones"] = [_l("Give at least one phone number.")]
    elif len(", ".join(data.phones)) > MAX_PHONES_LENGTH:
        errors["phones"] = [_l("Too many numbers: keep the main ones.")]
    if unit is not None and "unit_id" not in errors:
        errors.update(area_errors(actor, unit, data.province_code, data.ward_code))
    if errors:
        raise ValidationFailed(errors)
    return unit


def _apply(hotline: Hotline, data: HotlineData) -> None:
    hotline.unit_id, hotline.label = data.unit_id, data.label.strip()
    hotline.phones = ", ".join(dict.fromkeys(data.phones))
    hotline.email, hotline.address, hotline.hours = data.email, data.address, data.hours
    hotline.province_code, hotline.ward_code = data.province_code, data.ward_code
    hotline.published, hotline.position = bool(data.published), data.position or 0


# --- changes -------------------------------------------------------------------------------

def create(actor: User, data: HotlineData) -> Hotline:
    ensure_can_manage(actor)
    _check(actor, data)
    hotline = Hotline()
    _apply(hotline, data)
    db.session.add(hotline)
    db.session.flush()
    audit.record("hotline.created", actor=actor, obj=hotline, unit_id=hotline.unit_id,
                 after=audit.snapshot(hotline, AUDITED))
    return hotline


def update(actor: User, hotline: Hotline, data: HotlineData, *, version: int | None) -> Hotline:
    ensure_can_manage(actor, hotline)
    if version != hotline.version:
        raise ConflictingEdit()
    _check(actor, data)
    before = audit.snapshot(hotline, AUDITED)
    _apply(hotline, data)
    db.session.flush()
    old, new = audit.changes(before, audit.snapshot(hotline, AUDITED))
    audit.record("hotline.changed", actor=actor, obj=hotline, unit_id=hotline.unit_id, before=old, after=new)
    return hotline


def set_published(actor: User, hotline: Hotline, published: bool) -> Hotline:
    ensure_can_manage(actor, hotline)
    if hotline.published == published:
        return hotline
    hotline.published = published
    db.session.flush()
    audit.record("hotline.changed", actor=actor, obj=hotline, unit_id=hotline.unit_id,
                 before={"published": not published}, after={"published": published})
    return hotline


def delete(actor: User, hotline: Hotline) -> None:
    """Take the hotline off every list and the public site; it can be restored."""
    ensure_can_manage(actor, hotline)
    deletion.mark_deleted(hotline, actor)
    db.session.flush()
    audit.record("hotline.deleted", actor=actor, obj=hotline, unit_id=hotline.unit_id,
                 before=audit.snapshot(hotline, AUDITED))


def recently_deleted(user: User) -> list[Hotline]:
    """The deleted hotlines the user may restore, most recently deleted first."""
    if not can_manage(user):
        return []
    return deletion.recently_deleted(Hotline, Hotline.unit_id.in_(scope.unit_ids(user)),
                                     options=(joinedload(Hotline.unit),))


def get_deleted(user: User, hotline_id: int) -> Hotline | None:
    """A deleted hotline, None when there is none; AccessDenied when the user may not restore it."""
    hotline = deletion.get_deleted(Hotline, hotline_id)
    if hotline is not None:
        ensure_can_manage(user, hotline)
    return hotline


def restore(actor: User, hotline: Hotline) -> Hotline:
    """Bring a deleted hotline back as it was (published again if it was)."""
    ensure_can_manage(actor, hotline)
    if hotline.deleted:
        deletion.unmark(hotline)
        db.session.flush()
        audit.record("hotline.restored", actor=actor, obj=hotline, unit_id=hotline.unit_id,
                     after=audit.snapshot(hotline, AUDITED))
    return hotline


# --- public --------------------------------------------------------------------------------

def main_hotline() -> Hotline | None:
    """The first published national hotline (no area), for the header of the public site.
    A database that cannot answer gives None: the header must not turn an error page into a crash."""
    try:
        return db.session.scalar(select(Hotline).where(
            Hotline.published.is_(True), Hotline.province_code.is_(None))
            .order_by(Hotline.position, Hotline.id).limit(1))
    except SQLAlchemyError:
        db.session.rollback()
        return None
