"""Facts copied onto rows so that the staff pages read one table at national scale, and kept
true after every flush, whatever service or test wrote the records through the ORM:

- each business keeps the first day outreach reached it, the first day it signed a commitment
  and the kinds of its channels (coverage, targets, dashboards and reports count businesses
  from an index alone);
- inspections, violations and commitments keep their business's ward and province (the lists
  of an area filter and count them without a join).

Bulk writes that bypass the ORM call ``refresh_business_facts`` / ``refresh_areas`` themselves
(registry.merge, bulk loaders).
"""
from __future__ import annotations

from itertools import chain

from sqlalchemy import case, distinct, event, func, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from portal.models import (
    Business,
    BusinessChannel,
    Commitment,
    Inspection,
    OutreachSession,
    Violation,
    outreach_businesses,
)
from portal.models.registry import CHANNEL_BITS

#: What a business keeps, and the records that carry a copy of their business's area.
BUSINESS_FACTS = ("first_outreach_on", "first_signed_on", "channel_kinds")
AREA = ("ward_code", "province_code")
PAPERS = (Inspection, Violation, Commitment)

#: session.info keys: what to set again after this flush, and what to reload after it.
_PENDING, _RELOAD = "portal.kept.pending", "portal.kept.reload"
CHUNK = 500


def business_facts(business) -> dict:
    """The kept facts computed from the records, as SQL correlated to ``business`` (the table)."""
    kind_bit = case(*((BusinessChannel.kind == kind.value, bit) for kind, bit in CHANNEL_BITS.items()), else_=0)
    return {
        "first_outreach_on": select(func.min(OutreachSession.held_on))
        .join(outreach_businesses, outreach_businesses.c.session_id == OutreachSession.id)
        .where(outreach_businesses.c.business_id == business.c.id).scalar_subquery(),
        "first_signed_on": select(func.min(Commitment.signed_on))
        .where(Commitment.business_id == business.c.id).scalar_subquery(),
        "channel_kinds": func.coalesce(select(func.sum(distinct(kind_bit)))
                                       .where(BusinessChannel.business_id == business.c.id).scalar_subquery(), 0),
    }


def _chunked(connection, stmt, column, ids: set[int] | None) -> None:
    if ids is None:
        connection.execute(stmt)
        return
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        connection.execute(stmt.where(column.in_(ordered[start:start + CHUNK])))


def refresh_business_facts(connection, business_ids: set[int] | None = None) -> None:
    """Set the kept facts of these businesses from their records (of every business when
    ``business_ids`` is None: after a bulk load)."""
    table = Business.__table__
    _chunked(connection, update(table).values(**business_facts(table)), table.c.id, business_ids)


def refresh_areas(connection, model, *, ids: set[int] | None = None, business_ids: set[int] | None = None) -> None:
    """Copy the business's ward and province onto these records of ``model`` (by their own ids,
    or all those of these businesses; every one when both are None)."""
    table, business = model.__table__, Business.__table__
    values = {name: select(business.c[name]).where(business.c.id == table.c.business_id).scalar_subquery()
              for name in AREA}
    stmt = update(table).values(**values)
    if business_ids is not None:
        _chunked(connection, stmt, table.c.business_id, business_ids)
    else:
        _chunked(connection, stmt, table.c.id, ids)


# --- after every flush ------------------------------------------------------------------------

def _pending(session: Session) -> dict:
    return session.info.setdefault(_PENDING, {"facts": set(), "moved": set(), "papers": {}})


@event.listens_for(Session, "before_flush")
def _note_removed_sessions(session: Session, _context, _instances) -> None:
    """An outreach session about to be deleted: its businesses, while its links can be read."""
    for obj in session.deleted:
        if isinstance(obj, OutreachSession):
            _pending(session)["facts"].update(b.id for b in obj.businesses if b.id)


def _changed(obj, name: str) -> bool:
    return sa_inspect(obj).attrs[name].history.has_changes()


def _note(new: set, obj, pending: dict) -> None:
    if isinstance(obj, (Commitment, BusinessChannel)):
        old = sa_inspect(obj).attrs.business_id.history.deleted
        pending["facts"].update(i for i in (obj.business_id, *old) if i)
    if isinstance(obj, PAPERS) and obj.id and (obj in new or _changed(obj, "business_id")):
        pending["papers"].setdefault(type(obj), set()).add(obj.id)
    if isinstance(obj, OutreachSession):
        links = sa_inspect(obj).attrs.businesses.history
        pending["facts"].update(b.id for b in chain(links.added, links.deleted) if b.id)
        if obj in new or _changed(obj, "held_on"):
            pending["facts"].update(b.id for b in obj.businesses if b.id)
    if isinstance(obj, Business) and obj not in new and any(_changed(obj, name) for name in AREA):
        pending["moved"].add(obj.id)


@event.listens_for(Session, "after_flush")
def _follow_records(session: Session, _context) -> None:
    """The rows are written: set again what they change of the kept facts and areas."""
    pending, new = _pending(session), session.new  # (an IdentitySet built on each call: once)
    for obj in chain(new, session.dirty, session.deleted):
        _note(new, obj, pending)
    session.info.pop(_PENDING)
    connection, reload = None, session.info.setdefault(_RELOAD, [])
    if pending["facts"]:
        connection = session.connection()
        refresh_business_facts(connection, pending["facts"])
        reload += [(Business, i, BUSINESS_FACTS) for i in pending["facts"]]
    for model, ids in pending["papers"].items():
        refresh_areas(connection or session.connection(), model, ids=ids)
        reload += [(model, i, AREA) for i in ids]
    if pending["moved"]:
        for model in PAPERS:
            refresh_areas(connection or session.connection(), model, business_ids=pending["moved"])
        reload += [(model, None, AREA) for model in PAPERS]


@event.listens_for(Session, "after_flush_postexec")
def _reload(session: Session, _context) -> None:
    """Objects in memory read what was set again when next used."""
    for model, row_id, names in session.info.pop(_RELOAD, ()):
        targets = ([session.identity_map.get(identity_key(model, row_id))] if row_id is not None else
                   [obj for obj in session.identity_map.values() if isinstance(obj, model)])
        for obj in targets:
            if obj is not None:
                session.expire(obj, list(names))
