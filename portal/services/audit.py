"""Writing and reading the append-only audit log.

Two kinds of entries share the log:

- **semantic entries**, written by the services with :func:`record` ("plan.approved",
  "tip.contact_viewed", "auth.sign_in"…), saying what a person did in the portal's words;
- **the trail**: one entry for every row of every model inserted, updated or deleted through the
  ORM ("record.created", "record.updated", "record.deleted"), and one for every ORM bulk
  UPDATE or DELETE ("record.bulk_updated", "record.bulk_deleted"), with who, when, the model and
  id, and the values before and after. It is written by the session events at the end of this
  module, one multi-row INSERT per flush, so no page makes more queries for having more rows.

What the trail never copies: secrets and the identity of a tip's sender. A column whose name
says it holds a hash, a secret or a sender's contact (:func:`masked`) is written as
:data:`MASKED` ("changed", without the value). Tables left out of the trail, and why, are in
:data:`UNTRACKED_TABLES`. Bulk loaders may pause the trail with :func:`trail_paused`; nothing
else does.
"""
from __future__ import annotations

import contextlib
import contextvars
import enum
import functools
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import click
from flask import g, has_request_context, request
from sqlalchemy import Select, event, insert, inspect, or_, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.orm.attributes import NO_VALUE

from portal.db import Base, utcnow
from portal.extensions import db
from portal.models import AuditEntry, Unit, User
from portal.services import scope

CREATED, UPDATED, DELETED = "record.created", "record.updated", "record.deleted"
BULK_UPDATED, BULK_DELETED = "record.bulk_updated", "record.bulk_deleted"
TRAIL_ACTIONS = (CREATED, UPDATED, DELETED, BULK_UPDATED, BULK_DELETED)

#: Tables the trail leaves out. Each holds tokens, hashes or counters whose every change already
#: has a semantic entry, so a copy of its rows would add volume and nothing to read.
UNTRACKED_TABLES = {
    "audit_entries": "the log itself",
    "user_sessions": "a signed-in session's token hash, touched on every request; sign-in, sign-out and "
                     "ending sessions have their own entries (auth.sign_in, auth.sign_out, auth.session_ended)",
    "sign_in_attempts": "the sign-in throttle's counter, itself a log of attempts; each attempt has its own "
                        "entry (auth.sign_in, auth.sign_in_failed, auth.sign_in_throttled)",
    "recovery_codes": "nothing but hashes of one-time codes; issuing and using them have their own entries "
                      "(auth.recovery_codes_renewed, auth.recovery_code_used)",
    "calendar_feeds": "a calendar link's token hash; creating and revoking links have their own entries "
                      "(calendar.link_created, calendar.link_revoked)",
}

#: Columns that change as a side effect of every save or are copies of other columns; a change of
#: these alone is not a change worth an entry, and they are left out of the values written.
BOOKKEEPING_COLUMNS = frozenset({"updated_at", "version", "last_sign_in_at", "totp_last_step", "search_folded",
                                 "name_folded", "address_folded"})

MASKED = "***"


def masked(column: str) -> bool:
    """Password hashes, TOTP secrets, code and token hashes, and every contact field of a tip's
    sender: the trail says they changed, never what they hold."""
    return column.endswith(("_hash", "_secret", "_token")) or column.startswith("contact_")


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(value)} bytes>"
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


# --- reading ---------------------------------------------------------------------------------

def entries_for(actor: User, *, action: str | None = None, username: str | None = None,
                object_type: str | None = None, object_id: int | None = None,
                since: datetime | None = None, until: datetime | None = None) -> Select:
    """The audit entries an administrator may read: those of the units in their scope, narrowed
    to an action, an actor's user name, a kind of record (and one record of it) and ``since`` ≤
    time < ``until``."""
    in_scope = AuditEntry.unit_id.in_(scope.unit_ids(actor))
    if actor.unit.parent_id is None:  # the root also reads entries that belong to no unit
        in_scope = or_(in_scope, AuditEntry.unit_id.is_(None))
    stmt = select(AuditEntry).where(in_scope).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if username:
        stmt = stmt.where(AuditEntry.actor_name == username.strip().lower())
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        stmt = stmt.where(AuditEntry.object_id == object_id)
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    if until is not None:
        stmt = stmt.where(AuditEntry.at < until)
    return stmt


def object_types() -> list[str]:
    """The kinds of record the log can name: every model the trail follows."""
    return sorted(m.class_.__name__ for m in Base.registry.mappers
                  if m.local_table.name not in UNTRACKED_TABLES)


# --- the trail -------------------------------------------------------------------------------

_paused: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_trail_paused", default=None)


@contextlib.contextmanager
def trail_paused(reason: str) -> Iterator[None]:
    """Leave the changes made inside this block out of the trail. Only for bulk loaders that write
    millions of generated rows (``flask demo --scale national``); one semantic entry,
    "audit.trail_paused", says when, by what and why. Requests never pause the trail."""
    actor_id, actor_name, unit_id, _ip = _actor()
    db.session.add(AuditEntry(action="audit.trail_paused", actor_id=actor_id, actor_name=actor_name,
                              unit_id=unit_id, after={"reason": reason}))
    token = _paused.set(reason)
    try:
        yield
    finally:
        _paused.reset(token)


def _actor() -> tuple[int | None, str | None, int | None, str | None]:
    """Who is changing things: (user id, user name, unit id, address). The signed-in user of a
    request; "public" for a visitor of the public site (whose address is not kept: a tip's sender
    stays unknown); the command for the command line; otherwise "system"."""
    if has_request_context():
        user = g.get("_login_user")  # Flask-Login's current user, only if this request loaded it
        if user is not None and getattr(user, "is_authenticated", False):
            cached = g.get("_audit_actor")
            if cached is None or cached[0] != user.id:
                cached = g._audit_actor = (user.id, user.username, user.unit_id)
            return (*cached, request.remote_addr)
        return None, "public", None, None
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        return None, f"cli:{ctx.command_path}"[:60], None, None
    return None, "system", None, None


@functools.cache
def _mapper_for_table() -> dict:
    return {m.local_table: m for m in Base.registry.mappers}


def _unit_of(obj: Any, session: Session, pending: dict, depth: int = 0) -> int | None:
    """The unit an entry about this record belongs to, found without a query: its own unit_id,
    else the first unit reached through its foreign keys among the records already in memory
    (a rule's plan, an image's guide, a note's tip, a role's user), ``pending`` being those this
    flush inserted."""
    if depth > 3:
        return None
    state = inspect(obj)
    values = state.dict
    if values.get("unit_id") is not None:
        return values["unit_id"]
    mapper = state.mapper
    if mapper.local_table.name == "units":
        return values.get("id")
    by_column = {col: rel for rel in mapper.relationships if rel.direction.name == "MANYTOONE"
                 for col in rel.local_columns}
    for column in mapper.local_table.columns:
        for fk in column.foreign_keys:
            value = values.get(mapper.get_property_by_column(column).key)
            if value is None:
                continue
            if fk.column.table.name == "units":
                return value
            parent = None
            rel = by_column.get(column)
            if rel is not None:
                loaded = state.attrs[rel.key].loaded_value
                parent = loaded if loaded is not NO_VALUE else None
            target = _mapper_for_table().get(fk.column.table)
            if parent is None and target is not None:
                key = target.identity_key_from_primary_key([value])
                parent = session.identity_map.get(key) or pending.get(key)
            if parent is not None:
                found = _unit_of(parent, session, pending, depth + 1)
                if found is not None:
                    return found
    return None


def _value(column: str, value: Any) -> Any:
    if value is None:
        return None
    return MASKED if masked(column) else _plain(value)


def _identity(obj: Any) -> Any:
    state = inspect(obj)
    if state.identity:
        return state.identity[0]
    pk = state.mapper.primary_key[0]
    return state.dict.get(state.mapper.get_property_by_column(pk).key)


def _columns(state) -> list:
    return [(prop.key, prop.columns[0].name) for prop in state.mapper.column_attrs
            if prop.columns[0].name not in BOOKKEEPING_COLUMNS]


def _links(state) -> list:
    """Many-to-many collections (a task's coordinating units, a business's goods)."""
    return [rel for rel in state.mapper.relationships if rel.secondary is not None]


def _whole(state) -> dict:
    """Every column of a new or deleted record, and its many-to-many links that are loaded."""
    values = {name: _value(name, state.dict.get(key)) for key, name in _columns(state)}
    for rel in _links(state):
        history = state.attrs[rel.key].history
        linked = [*history.unchanged, *history.added, *history.deleted]
        if linked:
            values[rel.key] = sorted(_identity(o) for o in linked)
    return values


def _changed(state) -> tuple[dict, dict]:
    before, after = {}, {}
    for key, name in _columns(state):
        history = state.attrs[key].history
        if not history.added and not history.deleted:
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if history.deleted:
            before[name] = _value(name, old)
        after[name] = _value(name, new)
        if masked(name) and old is not None and new is not None:
            before[name] = after[name] = MASKED  # changed, and nothing more said
    for rel in _links(state):
        history = state.attrs[rel.key].history
        if history.added or history.deleted:
            before[rel.key] = sorted(_identity(o) for o in [*history.unchanged, *history.deleted])
            after[rel.key] = sorted(_identity(o) for o in [*history.unchanged, *history.added])
    return before, after


def _object_id(state) -> int | None:
    value = _identity(state.obj())
    return value if isinstance(value, int) else None


def _tracked(obj: Any) -> bool:
    return isinstance(obj, Base) and inspect(obj).mapper.local_table.name not in UNTRACKED_TABLES


@event.listens_for(Session, "after_flush")
def _write_trail(session: Session, _flush: UOWTransaction) -> None:
    """After the flush has written the rows (so new ones have ids) and before their history is
    cleared: one INSERT of every entry."""
    if _paused.get() is not None:
        return
    found = [(CREATED, o) for o in session.new if _tracked(o)]
    found += [(UPDATED, o) for o in session.dirty if _tracked(o) and session.is_modified(o)]
    found += [(DELETED, o) for o in session.deleted if _tracked(o)]
    if not found:
        return
    actor_id, actor_name, actor_unit, ip = _actor()
    deleted_units = {o.id for action, o in found if action == DELETED and isinstance(o, Unit)}
    pending = {inspect(o).mapper.identity_key_from_instance(o): o for o in session.new}
    now, rows = utcnow(), []
    for action, obj in found:
        state = inspect(obj)
        if action == UPDATED:
            before, after = _changed(state)
            if not after:
                continue  # only bookkeeping changed
        else:
            values = _whole(state)
            before, after = (values, None) if action == DELETED else (None, values)
        unit_id = _unit_of(obj, session, pending)
        if unit_id is None or unit_id in deleted_units:
            unit_id = actor_unit
        rows.append({"at": now, "actor_id": actor_id, "actor_name": actor_name, "action": action,
                     "object_type": type(obj).__name__, "object_id": _object_id(state), "unit_id": unit_id,
                     "before": before, "after": after, "ip": ip})
    if rows:
        session.connection().execute(insert(AuditEntry.__table__), rows)


@event.listens_for(Session, "do_orm_execute")
def _trail_bulk_changes(state: ORMExecuteState):
    """An ORM bulk UPDATE or DELETE (``session.execute(update(Model)...)``) changes rows the
    flush never sees: one entry says which model, how many rows and the values set."""
    if not (state.is_update or state.is_delete) or _paused.get() is not None:
        return None
    mapper = state.bind_mapper
    if mapper is None or mapper.local_table.name in UNTRACKED_TABLES:
        return None
    result = state.invoke_statement()
    values = {}
    if state.is_update:
        for key, value in (getattr(state.statement, "_values", None) or {}).items():
            name = getattr(key, "name", None) or getattr(key, "key", None) or str(key)
            plain = getattr(value, "value", value)  # a bound parameter's value; an expression stays unsaid
            values[name] = _value(name, plain) if isinstance(plain, (str, int, float, bool, date, enum.Enum,
                                                                                type(None))) else "(computed)"
    actor_id, actor_name, actor_unit, ip = _actor()
    state.session.connection().execute(insert(AuditEntry.__table__), [{
        "at": utcnow(), "actor_id": actor_id, "actor_name": actor_name,
        "action": BULK_UPDATED if state.is_update else BULK_DELETED, "object_type": mapper.class_.__name__,
        "object_id": None, "unit_id": actor_unit, "before": None,
        "after": {"rows": result.rowcount, **({"set": values} if values else {})}, "ip": ip}])
    return result
