"""Email reminders about report deadlines, planned and then sent by ``flask --app portal send-reminders``.

Planning writes one ``ReportReminder`` row per message, whose ``key`` says what it is about and
to whom ("before:<obligation>:<address>"), so planning again adds nothing: a message exists once.
Sending goes through every unsent row. Each row is claimed (its attempts counted and committed)
before the SMTP conversation and marked sent, and committed, as soon as the server has accepted
it: a run that fails (the server down) keeps the row unsent with the error, and the next run
retries it. Only one run sends at a time (an advisory lock on PostgreSQL, a file lock on
SQLite), and each row is claimed before it is sent, so overlapping runs never send a row twice.

Three kinds of message, in Vietnamese (the units' language), plain text:

- BEFORE_DUE to the reporting unit, when its report is due within REMINDER_DAYS_BEFORE days;
- MISSED to the reporting unit, once the deadline has passed and nothing was submitted;
- LATE_LIST to the receiving unit (the rule's receiver, the standing office): for one rule and
  deadline, the units that have not submitted.

A unit is written to at its own address (Unit.email), or, without one, at the addresses of its
active users. Deadlines that passed more than REMINDER_LOOKBACK_DAYS ago are left alone, so a
first run on an old database does not send the history of every missed report.
"""
from __future__ import annotations

import fcntl
import re
import smtplib
import ssl
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formataddr, format_datetime, make_msgid
from pathlib import Path

from flask import current_app, url_for
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal.db import utcnow
from portal.extensions import db
from portal.models import Plan, PlanStatus, ReportingRule, ReportObligation, Unit, User
from portal.models.reports import ReminderKind, ReportReminder
from portal.services.deadlines import END_OF_DAY, VIETNAM
from portal.text import fold

#: Plans that still ask for their reports (a draft asks nothing; a replaced plan no more).
ACTIVE = (PlanStatus.IN_FORCE, PlanStatus.FINISHED)
SIGNATURE = ("Thư này do Cổng thông tin phòng, chống buôn lậu, gian lận thương mại và hàng giả gửi tự động; "
             "vui lòng không trả lời thư này.")
_ADDRESS = re.compile(r"^[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"']+$")
_SPLIT = re.compile(r"[,;\s]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class Planned:
    before_due: int = 0
    missed: int = 0
    late_list: int = 0
    withdrawn: int = 0  # unsent reminders about reports submitted meanwhile
    without_address: set[str] = field(default_factory=set)  # units nobody can be written to

    @property
    def total(self) -> int:
        return self.before_due + self.missed + self.late_list


@dataclass
class Sent:
    sent: int = 0
    failed: int = 0
    given_up: int = 0  # rows left after REMINDER_MAX_ATTEMPTS attempts
    busy: bool = False  # another run was sending: this one sent nothing
    errors: list[str] = field(default_factory=list)


# --- addresses and words -----------------------------------------------------------------------

def addresses(unit: Unit) -> list[str]:
    """Where a unit's mail goes: its own address(es), else its active users' addresses."""
    own = [a for a in _SPLIT.split(unit.email or "") if _ADDRESS.match(a)]
    if own:
        return _unique(own)
    users = db.session.scalars(select(User.email).where(User.unit_id == unit.id, User.active.is_(True),
                                                        User.email.is_not(None)).order_by(User.id))
    return _unique([a for email in users for a in _SPLIT.split(email or "") if _ADDRESS.match(a)])


def _unique(found: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for address in found:
        seen.setdefault(address.lower(), address)
    return list(seen.values())


def one_line(text: str | None) -> str:
    """Text fit for a subject or a line of the message: no control characters, one line."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


def deadline_words(instant: datetime) -> str:
    """'14:00 ngày 26/11/2026', or 'hết ngày 26/11/2026' for a deadline at the end of the day."""
    local = instant.astimezone(VIETNAM)
    day = local.strftime("%d/%m/%Y")
    if local.time().replace(microsecond=0) == END_OF_DAY:
        return f"hết ngày {day}"
    return f"{local:%H:%M} ngày {day}"


def _link(*candidates: tuple[str, dict]) -> str:
    """The first of these staff pages that exists, as an absolute address under INTERNAL_BASE_URL
    (the command runs outside any request)."""
    app = current_app._get_current_object()
    base = (app.config.get("INTERNAL_BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    for endpoint, values in candidates:
        if endpoint in app.view_functions:
            with app.test_request_context("/", base_url=base + "/"):
                return url_for(endpoint, _external=True, **values)
    return f"{base}/internal/"


def report_link(obligation: ReportObligation) -> str:
    """The page where the unit drafts and submits this report."""
    return _link(("internal.reports.obligation", {"obligation_id": obligation.id}), ("internal.calendar.index", {}))


def rollup_link(obligation: ReportObligation) -> str:
    """The receiving unit's page of who has submitted for this deadline."""
    return _link(("internal.reports.rollup", {"rule_id": obligation.rule_id, "due": _stamp(obligation.due_at)}),
                 ("internal.reports.index", {}))


def _stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _what(obligation: ReportObligation) -> str:
    rule, plan = obligation.rule, obligation.rule.plan
    return f"báo cáo “{one_line(rule.name)}” theo văn bản số {one_line(plan.number)} ({one_line(plan.title)})"


def _subject(prefix: str, obligation: ReportObligation) -> str:
    return one_line(f"{prefix}: {obligation.rule.name} - hạn {deadline_words(obligation.due_at)}")[:300]


def _before_due(obligation: ReportObligation, now: datetime) -> tuple[str, str]:
    days = (obligation.due_at.astimezone(VIETNAM).date() - now.astimezone(VIETNAM).date()).days
    when = "hôm nay" if days <= 0 else f"còn {days} ngày"
    body = "\n".join([
        f"Kính gửi: {one_line(obligation.unit.name)},",
        "",
        f"Đơn vị có {_what(obligation)} phải gửi {one_line(obligation.rule.receiver.name)} "
        f"trước {deadline_words(obligation.due_at)} (giờ Việt Nam), {when}.",
        "",
        "Số liệu của báo cáo đã được tổng hợp sẵn từ dữ liệu trên Cổng; đề nghị đơn vị kiểm tra, hoàn thiện "
        "phần nội dung và gửi báo cáo đúng hạn tại:",
        report_link(obligation),
        "",
        SIGNATURE,
    ])
    return _subject("Nhắc hạn báo cáo", obligation), body


def _missed(obligation: ReportObligation) -> tuple[str, str]:
    body = "\n".join([
        f"Kính gửi: {one_line(obligation.unit.name)},",
        "",
        f"Đến nay đơn vị chưa gửi {_what(obligation)}; hạn gửi {one_line(obligation.rule.receiver.name)} "
        f"là {deadline_words(obligation.due_at)} (giờ Việt Nam) đã qua.",
        "",
        "Đề nghị đơn vị khẩn trương hoàn thiện và gửi báo cáo tại:",
        report_link(obligation),
        "",
        SIGNATURE,
    ])
    return _subject("Quá hạn báo cáo", obligation), body


def _late_list(receiver: Unit, late: list[ReportObligation]) -> tuple[str, str]:
    first = late[0]
    lines = [f"{index}. {one_line(o.unit.name)}" for index, o in enumerate(late, start=1)]
    body = "\n".join([
        f"Kính gửi: {one_line(receiver.name)},",
        "",
        f"Đã quá hạn {deadline_words(first.due_at)} (giờ Việt Nam) gửi {_what(first)}, "
        f"{len(late)} đơn vị sau chưa gửi báo cáo:",
        "",
        *lines,
        "",
        "Xem tình hình tiếp nhận báo cáo và nhắc các đơn vị tại:",
        rollup_link(first),
        "",
        SIGNATURE,
    ])
    subject = one_line(f"Danh sách đơn vị chậm báo cáo: {first.rule.name} - hạn {deadline_words(first.due_at)}")
    return subject[:300], body


# --- planning --------------------------------------------------------------------------------

def _open_obligations(since: datetime, until: datetime) -> list[ReportObligation]:
    stmt = (select(ReportObligation)
            .join(ReportObligation.rule).join(ReportingRule.plan)
            .options(joinedload(ReportObligation.unit),
                     joinedload(ReportObligation.rule).joinedload(ReportingRule.plan),
                     joinedload(ReportObligation.rule).joinedload(ReportingRule.receiver))
            .where(ReportObligation.submitted_at.is_(None), Plan.status.in_(ACTIVE),
                   ReportObligation.due_at > since, ReportObligation.due_at <= until)
            .order_by(ReportObligation.due_at, ReportObligation.id))
    return list(db.session.scalars(stmt).unique())


def _add(kind: ReminderKind, key: str, *, obligation_id: int | None, unit_id: int, recipient: str,
         subject: str, body: str) -> bool:
    """One row, unless a row with that key exists (also when another run adds it meanwhile)."""
    key = key[:250]
    if db.session.scalar(select(ReportReminder.id).where(ReportReminder.key == key)) is not None:
        return False
    row = ReportReminder(key=key, kind=kind, obligation_id=obligation_id, unit_id=unit_id, recipient=recipient,
                         subject=subject, body=body)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # a concurrent run planned it first
        return False
    return True


def plan(now: datetime | None = None) -> Planned:
    """Add the reminders that are due now and not planned yet; flushes, never commits."""
    now = now or utcnow()
    conf = current_app.config
    days_before = int(conf.get("REMINDER_DAYS_BEFORE", 2))
    lookback = timedelta(days=int(conf.get("REMINDER_LOOKBACK_DAYS", 30)))
    result = Planned()
    result.withdrawn = _withdraw_stale()
    late_by_receiver: dict[tuple[int, int, datetime], list[ReportObligation]] = defaultdict(list)
    for obligation in _open_obligations(now - lookback, now + timedelta(days=days_before)):
        overdue = obligation.due_at <= now
        to = addresses(obligation.unit)
        if not to:
            result.without_address.add(obligation.unit.name)
        if overdue:
            late_by_receiver[(obligation.rule.receiver_unit_id, obligation.rule_id, obligation.due_at)].append(
                obligation)
            subject, body = _missed(obligation)
            kind, prefix = ReminderKind.MISSED, "missed"
        else:
            subject, body = _before_due(obligation, now)
            kind, prefix = ReminderKind.BEFORE_DUE, "before"
        for address in to:
            if _add(kind, f"{prefix}:{obligation.id}:{address.lower()}", obligation_id=obligation.id,
                    unit_id=obligation.unit_id, recipient=address, subject=subject, body=body):
                if overdue:
                    result.missed += 1
                else:
                    result.before_due += 1
    for (receiver_id, rule_id, due_at), late in late_by_receiver.items():
        receiver = late[0].rule.receiver
        late.sort(key=lambda o: (fold(o.unit.name), o.unit.name))  # Vietnamese order
        to = addresses(receiver)
        if not to:
            result.without_address.add(receiver.name)
            continue
        subject, body = _late_list(receiver, late)
        for address in to:
            if _add(ReminderKind.LATE_LIST, f"late:{receiver_id}:{rule_id}:{_stamp(due_at)}:{address.lower()}",
                    obligation_id=None,
                    unit_id=receiver_id, recipient=address, subject=subject, body=body):
                result.late_list += 1
    db.session.flush()
    return result


def _withdraw_stale() -> int:
    """Unsent reminders to a unit about a report it has submitted meanwhile are dropped."""
    submitted = select(ReportObligation.id).where(ReportObligation.submitted_at.is_not(None))
    outcome = db.session.execute(
        delete(ReportReminder)
        .where(ReportReminder.sent_at.is_(None),
               ReportReminder.kind.in_((ReminderKind.BEFORE_DUE, ReminderKind.MISSED)),
               ReportReminder.obligation_id.in_(submitted))
        .execution_options(synchronize_session=False))
    return outcome.rowcount or 0


# --- sending ---------------------------------------------------------------------------------

def configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _connect() -> smtplib.SMTP:
    conf = current_app.config
    host, timeout = conf["MAIL_SERVER"], float(conf.get("MAIL_TIMEOUT", 30))
    context = ssl.create_default_context()
    if conf.get("MAIL_USE_SSL"):
        server: smtplib.SMTP = smtplib.SMTP_SSL(host, int(conf.get("MAIL_PORT") or 465), timeout=timeout,
                                               context=context)
    else:
        server = smtplib.SMTP(host, int(conf.get("MAIL_PORT") or 25), timeout=timeout)
        if conf.get("MAIL_USE_TLS"):
            server.starttls(context=context)
    if conf.get("MAIL_USERNAME"):
        server.login(conf["MAIL_USERNAME"], conf.get("MAIL_PASSWORD") or "")
    return server


def message(row: ReportReminder) -> MIMEText:
    """A plain-text message in UTF-8. (Built with email.header rather than EmailMessage, whose
    folding of long Vietnamese subjects loses the space between two encoded words.)"""
    conf = current_app.config
    sender = conf.get("MAIL_SENDER") or "no-reply@localhost"
    mail = MIMEText(row.body.replace("\r\n", "\n"), "plain", "utf-8")
    mail["From"] = formataddr(("Cổng thông tin 389", sender), charset="utf-8")
    mail["To"] = one_line(row.recipient)
    mail["Subject"] = Header(one_line(row.subject), "utf-8")
    mail["Date"] = format_datetime(utcnow())
    mail["Message-ID"] = make_msgid(idstring=f"reminder-{row.id}", domain=sender.rpartition("@")[2] or None)
    mail["Auto-Submitted"] = "auto-generated"
    mail["X-Portal-Reminder"] = Header(one_line(row.key), "utf-8")
    return mail


def _claim(row_id: int, attempts: int) -> bool:
    """Count an attempt, unless another run took the row first; committed before sending."""
    claimed = db.session.execute(
        update(ReportReminder)
        .where(ReportReminder.id == row_id, ReportReminder.sent_at.is_(None), ReportReminder.attempts == attempts)
        .values(attempts=attempts + 1)
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return claimed


def _finish(row_id: int, *, error: str | None, attempts: int | None = None) -> None:
    values: dict = {"last_error": error[:2000]} if error else {"sent_at": utcnow(), "last_error": None}
    if attempts is not None:
        values["attempts"] = attempts
    db.session.execute(update(ReportReminder).where(ReportReminder.id == row_id).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.commit()


#: The PostgreSQL advisory lock held while a run sends ("389R" as a number).
SENDER_LOCK = 0x33383952


@contextmanager
def _only_sender():
    """True when this process is the only one sending: an advisory lock on PostgreSQL (any
    host), a file lock in the instance folder on SQLite (one host). Runs that overlap (a slow
    server and a frequent cron) then never send the same message twice."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": SENDER_LOCK}).scalar())
            try:
                yield got
            finally:
                if got:
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SENDER_LOCK})
        return
    path = Path(current_app.instance_path)
    path.mkdir(parents=True, exist_ok=True)
    with open(path / "send-reminders.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def send_pending() -> Sent:
    """Send every unsent reminder; commits after each one. Not for a request: for the command."""
    with _only_sender() as alone:
        if not alone:
            return Sent(busy=True)
        return _send_all()


def _send_all() -> Sent:
    result = Sent()
    max_attempts = int(current_app.config.get("REMINDER_MAX_ATTEMPTS", 20))
    db.session.commit()
    pending = db.session.execute(
        select(ReportReminder.id, ReportReminder.attempts)
        .where(ReportReminder.sent_at.is_(None))
        .order_by(ReportReminder.id)).all()
    server: smtplib.SMTP | None = None
    down: str | None = None  # the server could not be reached: every row of this run fails with that
    try:
        for row_id, attempts in pending:
            if attempts >= max_attempts:
                result.given_up += 1
                continue
            if not _claim(row_id, attempts):
                continue
            row = db.session.get(ReportReminder, row_id)
            error = down
            if error is None:
                try:
                    if server is None:
                        try:
                            server = _connect()
                        except OSError as exc:
                            down = error = f"{type(exc).__name__}: {exc}"
                            raise
                    if not _ADDRESS.match(row.recipient):
                        raise smtplib.SMTPRecipientsRefused({row.recipient: (0, b"not an email address")})
                    server.send_message(message(row), to_addrs=[row.recipient])
                except smtplib.SMTPRecipientsRefused as exc:
                    error = f"SMTPRecipientsRefused: {exc.recipients}"
                except OSError as exc:  # smtplib.SMTPException is an OSError too
                    error = error or f"{type(exc).__name__}: {exc}"
                    _quit(server)  # start again with a fresh connection for the next row
                    server = None
            # The server never answered: no conversation took place, so the attempt is not counted
            # (a long outage must not use up REMINDER_MAX_ATTEMPTS and lose the message).
            _finish(row_id, error=error, attempts=attempts if down else None)
            if error:
                result.failed += 1
                if error not in result.errors:
                    result.errors.append(error)
            else:
                result.sent += 1
    finally:
        _quit(server)
    return result


def _quit(server: smtplib.SMTP | None) -> None:
    if server is None:
        return
    try:
        server.quit()
    except OSError:
        server.close()


def pending_count() -> int:
    return db.session.scalar(select(func.count(ReportReminder.id)).where(ReportReminder.sent_at.is_(None))) or 0


def run(now: datetime | None = None) -> tuple[Planned, Sent | None]:
    """Plan, commit, then send when a mail server is configured (None otherwise)."""
    planned = plan(now)
    db.session.commit()
    return planned, (send_pending() if configured() else None)

