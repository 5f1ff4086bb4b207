"""Each unit's reporting calendar, and the private iCalendar feed that carries it."""
from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import joinedload

from portal.db import utcnow
from portal.extensions import db
from portal.models import CalendarFeed, Plan, PlanStatus, ReportingRule, ReportObligation, User
from portal.services import audit
from portal.services.errors import AccessDenied

DUE_SOON = timedelta(days=3)
LOOK_AHEAD = timedelta(days=400)
KEEP_SUBMITTED = timedelta(days=60)
#: A draft or replaced plan asks nothing of anyone; a finished one keeps its history.
SHOWN = (PlanStatus.IN_FORCE, PlanStatus.FINISHED)
#: UIDs must not change with the host name the feed was fetched under.
UID_DOMAIN = "portal.bcd389"


class State(enum.StrEnum):
    UPCOMING = "upcoming"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    SUBMITTED = "submitted"
    SUBMITTED_LATE = "submitted_late"


def state(obligation: ReportObligation, now: datetime) -> State:
    if obligation.submitted_at is not None:
        return State.SUBMITTED if obligation.submitted_at <= obligation.due_at else State.SUBMITTED_LATE
    if obligation.due_at < now:
        return State.OVERDUE
    return State.DUE_SOON if obligation.due_at - now <= DUE_SOON else State.UPCOMING


def entries(unit_id: int, now: datetime | None = None) -> list[ReportObligation]:
    """The obligations of one unit worth showing: everything unsubmitted up to 400 days ahead
    (overdue first), and what was submitted in the last 60 days. The page and the feed use this."""
    now = now or utcnow()
    stmt = (select(ReportObligation)
            .options(joinedload(ReportObligation.rule).joinedload(ReportingRule.plan),
                     joinedload(ReportObligation.rule).joinedload(ReportingRule.receiver))
            .join(ReportObligation.rule).join(ReportingRule.plan)
            .where(ReportObligation.unit_id == unit_id, Plan.status.in_(SHOWN),
                   or_(and_(ReportObligation.submitted_at.is_(None), ReportObligation.due_at <= now + LOOK_AHEAD),
                       ReportObligation.submitted_at >= now - KEEP_SUBMITTED))
            .order_by(ReportObligation.due_at))
    rows = list(db.session.scalars(stmt).unique())
    return sorted(rows, key=lambda o: (state(o, now) != State.OVERDUE, o.due_at))


def submit(actor: User, obligation: ReportObligation) -> None:
    """Mark a report as sent (the report itself is written elsewhere)."""
    if obligation.unit_id != actor.unit_id or actor.read_only:
        raise AccessDenied()
    if obligation.submitted_at is None:
        obligation.submitted_at = utcnow()
        obligation.submitted_by_id = actor.id
        audit.record("obligation.submitted", actor=actor, obj=obligation, unit_id=actor.unit_id,
                     after={"due_at": obligation.due_at.isoformat()})


# --- the private feed ------------------------------------------------------------------------

def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def current_feed(user: User) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id,
                                                        CalendarFeed.revoked_at.is_(None)))


def new_feed(user: User) -> str:
    """A new private link; any earlier one stops working."""
    revoke_feeds(user, record=False)
    token = secrets.token_urlsafe(24)
    db.session.add(CalendarFeed(user_id=user.id, token_hash=_hash(token)))
    audit.record("calendar.link_created", actor=user, obj=user, unit_id=user.unit_id)
    return token


def revoke_feeds(user: User, *, record: bool = True) -> None:
    db.session.execute(update(CalendarFeed).where(CalendarFeed.user_id == user.id,
                                                  CalendarFeed.revoked_at.is_(None)).values(revoked_at=utcnow()))
    if record:
        audit.record("calendar.link_revoked", actor=user, obj=user, unit_id=user.unit_id)


def user_for_feed(token: str) -> User | None:
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token),
                                                        CalendarFeed.revoked_at.is_(None)))
    return feed.user if feed is not None and feed.user.active else None


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """RFC 5545 3.1: lines of at most 75 octets, continued with a leading space."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ics(unit_name: str, obligations: list[ReportObligation], *, summary, describe) -> str:
    """The obligations as an iCalendar document; ``summary(o)`` gives each title and
    ``describe(o)`` its state and plan, as the calendar page shows them."""
    now = _stamp(utcnow())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Steering Committee 389//Portal//VI",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(unit_name)}",
             "X-WR-TIMEZONE:Asia/Ho_Chi_Minh"]
    for o in obligations:
        lines += ["BEGIN:VEVENT", f"UID:obligation-{o.id}@{UID_DOMAIN}", f"DTSTAMP:{now}",
                  f"DTSTART:{_stamp(o.due_at)}", f"SUMMARY:{_escape(summary(o))}",
                  f"DESCRIPTION:{_escape(describe(o))}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
