"""Report reminders by email, received by a real SMTP server (aiosmtpd) on a free local port."""
from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ReportingRule, ReportObligation, RuleKind
from portal.models.reports import ReminderKind, ReportReminder
from portal.services import reminders
from tests.factories import make_plan

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 on Monday 23/11/2026 in Vietnam


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        mail = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), mail))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [mail for rcpts, mail in self.messages if address in rcpts]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MailServer:
    def __init__(self, port: int):
        self.port, self.inbox, self.controller = port, Inbox(), None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def mail_server(app):
    server = MailServer(free_port())
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_SENDER="nhac-bao-cao@bcd389.gov.vn",
                      MAIL_TIMEOUT=5, INTERNAL_BASE_URL="https://noibo.bcd389.gov.vn")
    yield server
    server.stop()


@dataclass
class Calendar:
    rule: ReportingRule
    soon_a: ReportObligation  # Hàm Rồng, due in 28 hours
    soon_b: ReportObligation  # Hạc Thành, due in 28 hours
    later_a: ReportObligation  # Hàm Rồng, due in 10 days: nothing yet
    missed_a: ReportObligation  # Hàm Rồng, missed yesterday
    missed_b: ReportObligation  # Hạc Thành, missed yesterday
    done_a: ReportObligation  # Hàm Rồng, due a week later but submitted


def build_calendar(world) -> Calendar:
    """A weekly rule of the province's plan: its two wards report to the province's committee (the
    standing office). Hàm Rồng has its own address; Hạc Thành none, so its official is written to."""
    world.province.email = "vanphong.bcd389@thanhhoa.gov.vn"
    world.ward_a.email = "bcd389.hamrong@thanhhoa.gov.vn"
    world.sibling_official.email = "can.bo.hacthanh@thanhhoa.gov.vn"
    plan = make_plan(world.leader, number="15/KH-BCĐ389", title="Kế hoạch cao điểm cuối năm")
    rule = ReportingRule(plan=plan, name="Báo cáo tuần", kind=RuleKind.WEEKLY, weekday=2, hour=14, minute=0,
                         receiver_unit_id=world.province.id, reporters=[world.ward_a, world.ward_b])
    db.session.add(rule)

    def owe(unit, due_at, **extra):
        obligation = ReportObligation(rule=rule, unit_id=unit.id, due_at=due_at, **extra)
        db.session.add(obligation)
        return obligation

    soon, missed = NOW + timedelta(hours=28), NOW - timedelta(hours=20)
    calendar = Calendar(rule=rule, soon_a=owe(world.ward_a, soon), soon_b=owe(world.ward_b, soon),
                        later_a=owe(world.ward_a, NOW + timedelta(days=10)),
                        missed_a=owe(world.ward_a, missed), missed_b=owe(world.ward_b, missed),
                        done_a=owe(world.ward_a, soon + timedelta(days=7), submitted_at=NOW,
                                   submitted_by_id=world.ward_official.id))
    db.session.commit()
    return calendar


@pytest.fixture
def calendar(world):
    return build_calendar(world)


def rows(**where) -> list[ReportReminder]:
    stmt = select(ReportReminder).order_by(ReportReminder.id)
    for name, value in where.items():
        stmt = stmt.where(getattr(ReportReminder, name) == value)
    return list(db.session.scalars(stmt))


def test_reminders_arrive_once_and_only_once(app, world, calendar, mail_server):
    planned, sent = reminders.run(NOW)
    assert (planned.before_due, planned.missed, planned.late_list) == (2, 2, 1)
    assert (sent.sent, sent.failed) == (5, 0)
    inbox = mail_server.inbox
    assert len(inbox.messages) == 5

    # before the deadline: to the unit's own address, or its official's when it has none
    [before_a, missed_a] = sorted(inbox.to("bcd389.hamrong@thanhhoa.gov.vn"), key=lambda m: m["Subject"])
    assert before_a["Subject"] == "Nhắc hạn báo cáo: Báo cáo tuần - hạn 14:00 ngày 24/11/2026"
    body = before_a.get_content()
    assert "Kính gửi: UBND phường Hàm Rồng," in body
    assert "trước 14:00 ngày 24/11/2026 (giờ Việt Nam), còn 1 ngày" in body  # 07:00 UTC is 14:00 in Vietnam
    assert "15/KH-BCĐ389" in body and "UBND tỉnh Thanh Hóa" in body
    assert f"https://noibo.bcd389.gov.vn/internal/reports/obligations/{calendar.soon_a.id}\n" in body
    assert before_a["From"].addresses[0].addr_spec == "nhac-bao-cao@bcd389.gov.vn"
    assert before_a.get_content_type() == "text/plain"
    assert len(inbox.to("can.bo.hacthanh@thanhhoa.gov.vn")) == 2

    # after the deadline: missed, in Vietnam time (07:00 UTC on 22/11 is 14:00 in Vietnam)
    assert missed_a["Subject"] == "Quá hạn báo cáo: Báo cáo tuần - hạn 14:00 ngày 22/11/2026"
    assert "chưa gửi báo cáo" in missed_a.get_content() and "đã qua" in missed_a.get_content()

    # the standing office: one list for that deadline, naming both late units
    [late] = inbox.to("vanphong.bcd389@thanhhoa.gov.vn")
    assert late["Subject"] == "Danh sách đơn vị chậm báo cáo: Báo cáo tuần - hạn 14:00 ngày 22/11/2026"
    text = late.get_content()
    assert "2 đơn vị sau chưa gửi báo cáo" in text
    assert "1. UBND phường Hạc Thành" in text and "2. UBND phường Hàm Rồng" in text  # Vietnamese order
    assert f"https://noibo.bcd389.gov.vn/internal/reports/rules/{calendar.rule.id}/rollup?due=20261122T070000Z" in text

    # nothing about the submitted report, nor the one due in ten days
    assert not rows(obligation_id=calendar.done_a.id) and not rows(obligation_id=calendar.later_a.id)
    assert all(r.sent_at is not None and r.attempts == 1 and r.last_error is None for r in rows())

    # a second run (and a third, an hour later) plans nothing and sends nothing again
    for later in (NOW, NOW + timedelta(hours=1)):
        planned, sent = reminders.run(later)
        assert (planned.total, sent.sent, sent.failed) == (0, 0, 0)
    assert len(inbox.messages) == 5
    assert db.session.scalar(select(func.count(ReportReminder.id))) == 5


def test_missed_once_the_deadline_passes(app, world, calendar, mail_server):
    reminders.run(NOW)
    assert not rows(obligation_id=calendar.soon_a.id, kind=ReminderKind.MISSED)
    # 31 hours later the deadline of 14:00 on 24/11 has passed and nobody has submitted
    calendar.soon_b.submitted_at = NOW + timedelta(hours=29)
    db.session.commit()
    planned, sent = reminders.run(NOW + timedelta(hours=31))
    assert (planned.before_due, planned.missed, planned.late_list) == (0, 1, 1)
    assert sent.sent == 2
    [missed] = rows(obligation_id=calendar.soon_a.id, kind=ReminderKind.MISSED)
    assert missed.recipient == "bcd389.hamrong@thanhhoa.gov.vn" and missed.sent_at is not None
    late = [mail for mail in mail_server.inbox.to("vanphong.bcd389@thanhhoa.gov.vn")
            if "24/11/2026" in mail["Subject"]]
    assert len(late) == 1
    assert "1 đơn vị sau chưa gửi báo cáo" in late[0].get_content()
    assert "UBND phường Hàm Rồng" in late[0].get_content()
    assert "Hạc Thành" not in late[0].get_content()  # it submitted (late but before this run)


def test_server_down_keeps_the_messages_and_the_next_run_sends_them(app, world, calendar, mail_server):
    mail_server.stop()
    planned, sent = reminders.run(NOW)
    assert planned.total == 5 and (sent.sent, sent.failed) == (0, 5)
    assert "ConnectionRefusedError" in sent.errors[0]
    for row in rows():
        assert row.sent_at is None and row.attempts == 0 and "ConnectionRefusedError" in row.last_error

    planned, sent = reminders.run(NOW + timedelta(minutes=10))  # still down: tried again, no attempt used
    assert planned.total == 0 and sent.failed == 5
    assert {row.attempts for row in rows()} == {0}

    mail_server.start()  # back up on the same port
    planned, sent = reminders.run(NOW + timedelta(minutes=20))
    assert (planned.total, sent.sent, sent.failed) == (0, 5, 0)
    assert len(mail_server.inbox.messages) == 5
    for row in rows():
        assert row.sent_at is not None and row.attempts == 1 and row.last_error is None
    assert reminders.run(NOW + timedelta(minutes=30))[1].sent == 0
    assert len(mail_server.inbox.messages) == 5


def test_a_button_made_reminder_is_sent_the_same_way(app, world, calendar, mail_server):
    """A MISSED row added by hand (the roll-up's "send a reminder" button) goes out on the next run."""
    db.session.add(ReportReminder(key=f"manual:{calendar.later_a.id}:1", kind=ReminderKind.MISSED,
                                  obligation_id=calendar.later_a.id, unit_id=world.ward_a.id,
                                  recipient="bcd389.hamrong@thanhhoa.gov.vn", subject="Đề nghị gửi báo cáo tuần",
                                  body="Đề nghị đơn vị gửi báo cáo."))
    db.session.commit()
    planned, sent = reminders.run(NOW)
    assert sent.sent == planned.total + 1
    subjects = [mail["Subject"] for mail in mail_server.inbox.to("bcd389.hamrong@thanhhoa.gov.vn")]
    assert subjects.count("Đề nghị gửi báo cáo tuần") == 1


def test_reminders_about_a_report_submitted_meanwhile_are_withdrawn(app, world, calendar):
    app.config["MAIL_SERVER"] = None
    planned, sent = reminders.run(NOW)
    assert sent is None and planned.total == 5 and reminders.pending_count() == 5
    calendar.soon_a.submitted_at = NOW + timedelta(hours=1)
    db.session.commit()
    planned, _ = reminders.run(NOW + timedelta(hours=2))
    assert planned.withdrawn == 1 and not rows(obligation_id=calendar.soon_a.id)
    assert reminders.pending_count() == 4


def test_hostile_names_cannot_add_mail_headers(app, world, calendar, mail_server):
    calendar.rule.name = "Báo cáo tuần\r\nBcc: attacker@example.com"
    db.session.commit()
    reminders.run(NOW)
    for rcpts, mail in mail_server.inbox.messages:
        assert "attacker@example.com" not in rcpts
        assert mail["Bcc"] is None
    assert any("Báo cáo tuần Bcc: attacker@example.com" in mail["Subject"]
               for _, mail in mail_server.inbox.messages)


def test_a_unit_without_any_address_is_reported(app, world, calendar):
    world.ward_a.email = None
    db.session.commit()
    planned = reminders.plan(NOW)
    assert "UBND phường Hàm Rồng" in planned.without_address
    assert not rows(unit_id=world.ward_a.id)


def test_a_run_that_overlaps_a_sending_run_sends_nothing(app, world, calendar, mail_server):
    reminders.plan(NOW)
    db.session.commit()
    with reminders._only_sender() as alone:
        assert alone
        db.session.commit()
        overlapping = reminders.send_pending()
        assert overlapping.busy and overlapping.sent == 0
    assert mail_server.inbox.messages == []
    assert reminders.send_pending().sent == 5
    assert len(mail_server.inbox.messages) == 5


def test_a_reminder_from_the_rollup_button_reaches_a_unit_with_two_addresses(app, world, calendar, mail_server):
    """reports.remind (the roll-up's button) writes to each address of the unit, as planned
    reminders do; the raw "a, b" field as one recipient was refused by every run, forever."""
    from portal.services import reports

    world.ward_a.email = "bcd389.hamrong@thanhhoa.gov.vn; vanthu.hamrong@thanhhoa.gov.vn"
    db.session.commit()
    reports.remind(world.leader, calendar.later_a)
    db.session.commit()
    manual = [r for r in rows() if r.obligation_id == calendar.later_a.id]
    assert sorted(r.recipient for r in manual) == ["bcd389.hamrong@thanhhoa.gov.vn", "vanthu.hamrong@thanhhoa.gov.vn"]
    sent = reminders.send_pending()
    assert sent.failed == 0
    for address in ("bcd389.hamrong@thanhhoa.gov.vn", "vanthu.hamrong@thanhhoa.gov.vn"):
        assert len(mail_server.inbox.to(address)) == 1
    assert all(r.sent_at is not None for r in rows() if r.obligation_id == calendar.later_a.id)


def test_a_long_outage_does_not_use_up_the_attempts(app, world, calendar, mail_server):
    """The server down for longer than REMINDER_MAX_ATTEMPTS runs loses nothing: attempts count
    conversations with the server, not runs that could not reach it."""
    app.config["REMINDER_MAX_ATTEMPTS"] = 2
    mail_server.stop()
    for minutes in range(0, 50, 10):
        _planned, sent = reminders.run(NOW + timedelta(minutes=minutes))
        assert sent.sent == 0 and sent.given_up == 0
    mail_server.start()
    _planned, sent = reminders.run(NOW + timedelta(minutes=60))
    assert (sent.sent, sent.given_up) == (5, 0)
    assert len(mail_server.inbox.messages) == 5
