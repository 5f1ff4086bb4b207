"""Writing and reading the append-only audit log."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy import Select, or_, select

from portal.extensions import db
from portal.models import AuditEntry, User
from portal.services import scope


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, list, tuple)):
        return sorted(_plain(v) for v in value)
    return value


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Keep only the fields that changed."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(action: str, *, actor: User | None, obj: Any = None, unit_id: int | None = None,
           before: dict | None = None, after: dict | None = None, actor_name: str | None = None) -> AuditEntry:
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if actor else None,
        actor_name=actor.username if actor else actor_name,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None) if obj is not None else None,
        unit_id=unit_id,
        before=before,
        after=after,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def entries_for(actor: User, *, action: str | None = None, username: str | None = None) -> Select:
    """The audit entries an administrator may read: those of the units in their scope."""
    in_scope = AuditEntry.unit_id.in_(scope.unit_ids(actor))
    if actor.unit.parent_id is None:  # the root also reads entries that belong to no unit
        in_scope = or_(in_scope, AuditEntry.unit_id.is_(None))
    stmt = select(AuditEntry).where(in_scope).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if username:
        stmt = stmt.where(AuditEntry.actor_name == username.strip().lower())
    return stmt


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))

