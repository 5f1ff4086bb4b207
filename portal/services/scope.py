"""The one place that decides what a staff member may see: their unit and the units below it.

A higher unit sees everything below it; no one sees into a sibling unit. Every service that
loads or lists records goes through these functions.
"""
from __future__ import annotations

from sqlalchemy import Boolean, ColumnElement, Select, false, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal

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


class _AmongUnits(ColumnElement):
    """``column IN (SELECT id FROM units ...)``, written ``column = ANY(ARRAY(SELECT ...))`` on
    PostgreSQL: the same rows, but the planner then reads the ids first and can look them up
    in an index, alone or combined with another condition (an area), where it would otherwise
    test every row of the table against the sub-select."""

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement),
                           ("ids", InternalTraversal.dp_clauseelement)]

    def __init__(self, column, ids: Select):
        self.column, self.ids = column, ids


@compiles(_AmongUnits)
def _among_units(element, compiler, **kw):
    return compiler.process(element.column.in_(element.ids), **kw)


@compiles(_AmongUnits, "postgresql")
def _among_units_postgresql(element, compiler, **kw):
    return f"{compiler.process(element.column, **kw)} = ANY(ARRAY({compiler.process(element.ids, **kw)}))"


def among_units(user: User, unit_column) -> ColumnElement:
    """The records whose unit the user may see."""
    return _AmongUnits(unit_column, unit_ids(user))


def visible(stmt: Select, user: User, unit_column: ColumnElement) -> Select:
    """Narrow any query to the records whose unit the user may see."""
    return stmt.where(among_units(user, unit_column))


def area_clause(user: User, ward_column, province_column) -> ColumnElement:
    """Records kept by area (businesses): a ward's unit sees its ward, a province's unit its
    province, a national unit everything."""
    return area_of(user.unit, ward_column, province_column)


def area_of(unit: Unit, ward_column, province_column) -> ColumnElement:
    """The records of a unit's area: its ward, its province, or everything."""
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
