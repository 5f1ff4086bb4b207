"""Organisation units: listing, reading and changing the tree, within the actor's scope."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, func, literal, select, update
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Role, Unit, UnitKind, User, Ward
from portal.services import audit, scope
from portal.services.errors import ConflictingEdit, ValidationFailed

AUDITED = ("name", "kind", "parent_id", "province_code", "ward_code", "email", "phone", "address")


@dataclass
class UnitData:
    name: str
    kind: UnitKind
    parent_id: int | None
    province_code: int | None = None
    ward_code: int | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None


def list_units(actor: User) -> list[Unit]:
    """Every unit the actor may see, in tree order, with its area loaded."""
    stmt = (scope.visible(select(Unit), actor, Unit.id)
            .options(joinedload(Unit.province), joinedload(Unit.ward)).order_by(Unit.path))
    return list(db.session.scalars(stmt))


def get_unit(actor: User, unit_id: int) -> Unit | None:
    """The unit, None when it does not exist; AccessDenied when it is outside the actor's scope."""
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        return None
    scope.ensure_covers(actor, unit)
    return unit


def member_counts(unit_ids: list[int]) -> dict[int, int]:
    if not unit_ids:
        return {}
    rows = db.session.execute(
        select(User.unit_id, func.count()).where(User.unit_id.in_(unit_ids)).group_by(User.unit_id))
    return dict(rows.all())


def _locked(unit_id: int) -> Unit | None:
    """The parent, re-read and locked until commit, so a concurrent move cannot leave a new
    child with a stale path (PostgreSQL; SQLite transactions already run one at a time)."""
    stmt = select(Unit).where(Unit.id == unit_id).with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(stmt)


def _check(actor: User, data: UnitData, unit: Unit | None) -> Unit | None:
    errors: dict[str, list] = {}
    parent = _locked(data.parent_id) if data.parent_id else None
    if parent is None:
        if unit is None or unit.parent_id is not None:
            errors["parent_id"] = [_l("Choose the unit this unit belongs to.")]
    elif not scope.covers(actor, parent) and not (unit is not None and parent.id == unit.parent_id):
        errors["parent_id"] = [_l("You can only place units under units in your scope.")]
    elif unit is not None and parent.path.startswith(unit.path):
        errors["parent_id"] = [_l("A unit cannot be placed under itself or one of its own units.")]
    if data.ward_code:
        ward = db.session.get(Ward, data.ward_code)
        if ward is None or ward.province_code != data.province_code:
            errors["ward_code"] = [_l("Choose a ward or commune of the chosen province.")]
    if parent is not None and "parent_id" not in errors:
        if parent.province_code and data.province_code != parent.province_code:
            errors["province_code"] = [_l("The unit must be in the province of the unit it belongs to.")]
        if parent.ward_code and data.ward_code != parent.ward_code:
            errors["ward_code"] = [_l("The unit must be in the ward of the unit it belongs to.")]
    if unit is not None and not errors and _descendants_outside(unit, data):
        errors["province_code"] = [_l("Units below this one are in another area. "
                                      "Move or change them first.")]
    if errors:
        raise ValidationFailed(errors)
    return parent


def _descendants_outside(unit: Unit, data: UnitData) -> bool:
    """Would a unit below this one end up outside the area this unit moves to?"""
    below = select(Unit.id).where(Unit.path.startswith(unit.path), Unit.id != unit.id)
    if data.province_code:
        outside = Unit.province_code.is_distinct_from(data.province_code)
        if data.ward_code:
            outside = outside | Unit.ward_code.is_distinct_from(data.ward_code)
        below = below.where(outside)
    else:
        return False
    return db.session.scalar(below.limit(1)) is not None


def create_unit(actor: User, data: UnitData) -> Unit:
    scope.ensure_role(actor, Role.ADMIN)
    parent = _check(actor, data, None)
    unit = Unit(**asdict(data))
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    audit.record("unit.created", actor=actor, obj=unit, unit_id=unit.id,
                 after=audit.snapshot(unit, AUDITED))
    return unit


def update_unit(actor: User, unit: Unit, data: UnitData, *, version: int) -> Unit:
    scope.ensure_role(actor, Role.ADMIN)
    scope.ensure_covers(actor, unit)
    if version != unit.version:
        raise ConflictingEdit()
    if unit.id == actor.unit_id and data.parent_id != unit.parent_id:
        raise ValidationFailed({"parent_id": [_l("You cannot move your own unit.")]})
    parent = _check(actor, data, unit)
    before = audit.snapshot(unit, AUDITED)
    for key, value in asdict(data).items():
        setattr(unit, key, value)
    if parent is not None and unit.path != f"{parent.path}{unit.id}/":
        old, new = unit.path, f"{parent.path}{unit.id}/"
        db.session.flush()
        db.session.execute(
            update(Unit).where(Unit.path.startswith(old))
            .values(path=literal(new, String).concat(func.substr(Unit.path, len(old) + 1)))
            .execution_options(synchronize_session=False))
        db.session.expire_all()
    db.session.flush()
    old_values, new_values = audit.changes(before, audit.snapshot(unit, AUDITED))
    audit.record("unit.updated", actor=actor, obj=unit, unit_id=unit.id, before=old_values, after=new_values)
    return unit


def members(unit: Unit) -> list[User]:
    """The staff of one unit (the caller has checked the unit is in scope)."""
    return list(db.session.scalars(select(User).where(User.unit_id == unit.id).order_by(User.full_name)))
