"""Soft deletion: what staff delete (hotlines, reporting rules, guide images) is marked deleted,
hidden from every query (portal.db.SoftDeleteMixin), and listed on its area's page for those who
may delete it, who can restore it. The areas' services check who may do it and audit it."""
from __future__ import annotations

from typing import TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import joinedload

from portal.db import SoftDeleteMixin, utcnow
from portal.extensions import db
from portal.models import User

#: How many of the most recently deleted records an area's page offers to restore.
RECENT = 20

Record = TypeVar("Record", bound=SoftDeleteMixin)


def mark_deleted(record: SoftDeleteMixin, actor: User) -> None:
    record.deleted_at, record.deleted_by_id = utcnow(), actor.id


def unmark(record: SoftDeleteMixin) -> None:
    record.deleted_at = record.deleted_by_id = None


def recently_deleted(model: type[Record], *where: ColumnElement[bool], options: tuple = ()) -> list[Record]:
    """The deleted records of ``model`` that match ``where``, the most recently deleted first,
    with who deleted them."""
    return list(db.session.scalars(
        select(model).where(model.deleted_at.is_not(None), *where).execution_options(include_deleted=True)
        .options(joinedload(model.deleted_by), *options).order_by(model.deleted_at.desc()).limit(RECENT)))


def get_deleted(model: type[Record], record_id: int) -> Record | None:
    """A deleted record by its id; None when there is none or it is not deleted."""
    return db.session.scalar(select(model).where(model.id == record_id, model.deleted_at.is_not(None))
                             .execution_options(include_deleted=True))
