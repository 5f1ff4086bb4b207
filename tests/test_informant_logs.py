"""A tip sender's contact never reaches a log line or the audit log.

"A log line" here is every record any Python logger emits while the whole tip journey runs
through a real HTTP server on the loopback address: the portal's own logging, werkzeug's request
lines, Flask's error log with its tracebacks, and SQLAlchemy's engine log at INFO, which writes
every statement (no configuration of the portal turns that echo on; if an operator does, the
statements' values stay hidden: ``hide_parameters`` in config.py). The engine's DEBUG level
would print result rows, and so the contact the handler reads: it is a debugging tool, off
everywhere, and out of this test's reach by design.

The journey: the public form with name, phone and email; following the tip with its receipt;
the handler's inbox, the tip, taking it, a note, a reply, a status, the contact shown to the
handler; the administrator's audit log; and three failures on the way (an error in the service,
the database refusing the tip's row, an error while the contact is on screen) whose tracebacks
are logged. Responses to staff who do not handle the tip are checked page by page in
tests/internal/test_tips.py (test_the_contact_is_in_no_response_to_anyone_but_the_handler).
There is no export of tips.
"""
from __future__ import annotations

import http.cookiejar
import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Tip
from portal.services import tips
from tests.factories import PASSWORD, THANH_HOA, ward_code
from tests.helpers import current_code, served

NAME, PHONE, EMAIL = "Phạm Thị Người Báo Tin", "0934567812", "nguoibao.kin@example.org"
SECRETS = (NAME, "Người Báo Tin", PHONE, "0934 567 812", "934567812", EMAIL, "nguoibao.kin")


class Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record) + "\n" + repr(vars(record)))


@pytest.fixture
def logs():
    """Every logger at DEBUG into one list; the SQL echo at INFO (statements, never rows)."""
    handler = Collected()
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", "werkzeug", "portal", "sqlalchemy.engine")}
    root.addHandler(handler)
    for name in ("", "werkzeug", "portal"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    yield handler.lines
    root.removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


class Visitor:
    """A browser of its own (cookies) against the live server."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def open(self, path: str, data: dict | None = None) -> tuple[int, str]:
        db.session.commit()  # the test holds no transaction (nor SQLite's lock) while the server works
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


@pytest.fixture
def live(app):
    with served(app, threaded=False) as base:
        yield base


def tip_form(**extra) -> dict:
    return {"what": "Đại lý bán rượu ngoại giả ở chợ Hàm Rồng, tem nhập khẩu in mờ.",
            "province_code": str(THANH_HOA), "ward_code": str(ward_code(THANH_HOA, "Phường Hàm Rồng")),
            "place": "Chợ Hàm Rồng", "shop": "Cửa hàng Minh Phát", "goods": "", "contact_choice": "contact",
            "contact_name": NAME, "contact_phone": PHONE, "contact_email": EMAIL, **extra}


def assert_clean(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} in {where}"


def sign_in(visitor: Visitor, user) -> None:
    status, page = visitor.open("/internal/login", {"username": user.username, "password": PASSWORD})
    if "/login/code" in page or 'name="code"' in page:
        status, page = visitor.open("/internal/login/code", {"code": current_code(user)})
    assert status == 200 and "/internal/logout" in page, page[:500]


def test_the_whole_tip_journey_leaves_the_contact_in_no_log_line(app, world, live, logs, monkeypatch):
    sender = Visitor(live)
    assert sender.open("/tips/new")[0] == 200
    status, page = sender.open("/tips/new", tip_form())
    assert status == 200, page[:500]
    code = re.search(r'id="receipt-code"[^>]*>\s*([A-Z0-9-]+)', page).group(1)
    tip = db.session.scalar(select(Tip))
    assert (tip.contact_name, tip.contact_phone, tip.contact_email) == (NAME, PHONE, EMAIL)
    assert sender.open("/tips/track", {"code": code})[0] == 200

    handler = Visitor(live)
    sign_in(handler, world.ward_official)
    for path in ("/internal/tips/", "/internal/tips/?who=unassigned", f"/internal/tips/{tip.id}"):
        status, page = handler.open(path)
        assert status == 200
        assert_clean(page, path)  # not even the handler's pages, before asking for the contact
    assert handler.open(f"/internal/tips/{tip.id}/take", {"version": tip.version})[0] == 200
    assert handler.open(f"/internal/tips/{tip.id}/notes", {"text": "Đã xác minh tại chợ."})[0] == 200
    assert handler.open(f"/internal/tips/{tip.id}/reply", {"text": "Cảm ơn, chúng tôi đang xác minh."})[0] == 200
    db.session.refresh(tip)
    assert handler.open(f"/internal/tips/{tip.id}/status", {"status": "verifying", "version": tip.version})[0] == 200
    status, shown = handler.open(f"/internal/tips/{tip.id}/contact", {})
    assert status == 200 and NAME in shown and EMAIL in shown  # the handler, and only the handler, sees it

    # three failures, each logged with its traceback
    real_contact = tips.contact

    def contact_then_fail(actor, found):
        real_contact(actor, found)  # the contact is in memory (and in this frame's locals) when it fails
        raise RuntimeError("the page could not be drawn")

    monkeypatch.setattr(tips, "contact", contact_then_fail)
    assert handler.open(f"/internal/tips/{tip.id}/contact", {})[0] == 500
    monkeypatch.undo()

    def broken_route(province_code, ward_code):
        raise RuntimeError("routing failed")

    monkeypatch.setattr(tips, "route", broken_route)
    status, page = Visitor(live).open("/tips/new", tip_form())
    assert status == 500
    assert_clean(page, "the error page")

    class Nowhere:
        id = None  # the tip's row then breaks NOT NULL: the database refuses it, with the row's values

    monkeypatch.setattr(tips, "route", lambda province_code, ward_code: Nowhere())
    status, page = Visitor(live).open("/tips/new", tip_form())
    assert status == 500
    assert_clean(page, "the error page")
    monkeypatch.undo()

    admin = Visitor(live)
    sign_in(admin, world.admin)
    for path in ("/internal/audit/", "/internal/audit/?object_type=Tip", f"/internal/audit/?object_id={tip.id}",
                 "/internal/audit/?action=tip.contact_viewed"):
        status, page = admin.open(path)
        assert status == 200
        assert_clean(page, path)

    # what was captured: the request lines, the statements, the tracebacks…
    everything = "\n".join(logs)
    assert re.search(r'"POST /tips/new HTTP/1\.1" 200', everything)
    assert re.search(r"INSERT INTO tips", everything)
    assert "RuntimeError: the page could not be drawn" in everything and "RuntimeError: routing failed" in everything
    assert "IntegrityError" in everything and "unit_id" in everything
    # …and none of it carries the contact
    for line in logs:
        assert_clean(line, line[:300])
    # nor does any audit entry, the semantic ones and the trail of every row alike
    entries = db.session.scalars(select(AuditEntry)).all()
    assert {"tip.received", "tip.taken", "tip.contact_viewed", "record.created", "record.updated"} <= {
        e.action for e in entries}
    assert_clean(json.dumps([(e.actor_name, e.ip, e.before, e.after) for e in entries], ensure_ascii=False),
                 "the audit log")
