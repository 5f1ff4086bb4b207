"""The one place that decides what a staff member may see: their unit and the units below it.

A higher unit sees everything below it; no one sees into a sibling unit. Every service that
loads or lists records goes through these functions.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, select, true

from portal.models import Role, Unit, User
from portal.services.errors import AccessDenied


def unit_ids(user: User) -> Select:
    """A sub-select of the ids of every unit the user may see."""
    if not user.unit.path:  # a unit not yet placed in the tree sees nothing
        return select(Unit.id).where(false())
    return select(Unit.id).where(Unit.path.startswith(user.unit.path))


def covers(user: User, unit: Unit | None) -> bool:
    return unit is not None and bool(user.unit.path) and unit.path.startswith(user.unit.path)


def ensure_covers(user: User, unit: Unit | None) -> None:
    if not covers(user, unit):
        raise AccessDenied()


def ensure_role(user: User, *roles: Role) -> None:
    if not user.has_role(*roles):
        raise AccessDenied()


def visible(stmt: Select, user: User, unit_column: ColumnElement) -> Select:
    """Narrow any query to the records whose unit the user may see."""
    return stmt.where(unit_column.in_(unit_ids(user)))


def area_clause(user: User, ward_column, province_column) -> ColumnElement:
    """Records kept by area (businesses): a ward's unit sees its ward, a province's unit its
    province, a national unit everything."""
    unit = user.unit
    if unit.ward_code:
        return ward_column == unit.ward_code
    if unit.province_code:
        return province_column == unit.province_code
    return true()


def covers_area(user: User, ward_code: int | None, province_code: int | None) -> bool:
    unit = user.unit
    if unit.ward_code:
        return ward_code == unit.ward_code
    if unit.province_code:
        return province_code == unit.province_code
    return True
