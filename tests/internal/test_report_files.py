"""Downloading a report as DOCX and XLSX through the staff routes (scope per report), and the
send-reminders command as an operator (or cron) runs it."""
from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from portal.db import utcnow
from portal.extensions import db
from portal.models.reports import ReportReminder
from tests.services.test_reminders import MailServer, build_calendar, free_port
from tests.services.test_report_documents import build_docs

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def docs(world):
    return build_docs(world)


def download(web, url: str, mimetype: str, filename: str):
    response = web.client.get(url)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == mimetype
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and filename in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    return response.data


def test_the_unit_downloads_its_report_as_docx_and_xlsx(web, docs):
    web.sign_in(docs.team1_user)
    report = docs.team_report
    data = download(web, f"/internal/reports/{report.id}.docx", DOCX,
                    "bao-cao-15-bc-qltt-doi-quan-ly-thi-truong-so-1-2026-11-22.docx")
    document = Document(BytesIO(data))
    text = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Số: 15/BC-QLTT" in text and "Cần Thơ, ngày 22 tháng 11 năm 2026" in text
    data = download(web, f"/internal/reports/{report.id}.xlsx", XLSX,
                    "bao-cao-15-bc-qltt-doi-quan-ly-thi-truong-so-1-2026-11-22.xlsx")
    assert load_workbook(BytesIO(data))["Số liệu"]["C2"].value == report.figures["counts"]["businesses_total"]


def test_the_document_stays_vietnamese_for_an_english_reader(web, docs):
    web.sign_in(docs.team1_user)
    data = download(web, f"/internal/reports/{docs.team_report.id}.docx?lang=en", DOCX, ".docx")
    assert "BÁO CÁO" in [p.text for p in Document(BytesIO(data)).paragraphs]


@pytest.mark.parametrize("who", ["department_user", "admin"])
def test_units_above_may_download(web, world, docs, who):
    user = getattr(docs, who, None) or getattr(world, who)
    web.sign_in(user)
    for ext, mimetype in (("docx", DOCX), ("xlsx", XLSX)):
        download(web, f"/internal/reports/{docs.team_report.id}.{ext}", mimetype, f".{ext}")
        download(web, f"/internal/reports/{docs.consolidated.id}.{ext}", mimetype, f".{ext}")


def test_a_sibling_or_another_province_gets_403(web, docs):
    for user in (docs.team2_user, docs.outsider):
        web.sign_in(user)
        for ext in ("docx", "xlsx"):
            assert web.client.get(f"/internal/reports/{docs.team_report.id}.{ext}").status_code == 403
        web.sign_out()
    web.sign_in(docs.team1_user)  # a team does not see the department's own report
    assert web.client.get(f"/internal/reports/{docs.consolidated.id}.docx").status_code == 403


def test_a_missing_report_is_404_and_a_visitor_is_sent_to_sign_in(web, docs):
    for ext in ("docx", "xlsx"):
        response = web.client.get(f"/internal/reports/{docs.team_report.id}.{ext}")
        assert response.status_code == 302 and "/internal/login" in response.headers["Location"]
    web.sign_in(docs.team1_user)
    for ext in ("docx", "xlsx"):
        assert web.client.get(f"/internal/reports/999999.{ext}").status_code == 404
    assert web.client.get(f"/internal/reports/{docs.team_report.id}.pdf").status_code == 404


# --- the command -----------------------------------------------------------------------------

def shift_to_now(calendar) -> None:
    """The command runs at the real time: move the deadlines so that they fall around it."""
    offset = utcnow() - (calendar.soon_a.due_at - timedelta(hours=28))
    for obligation in (calendar.soon_a, calendar.soon_b, calendar.later_a, calendar.missed_a, calendar.missed_b,
                       calendar.done_a):
        obligation.due_at += offset
    db.session.commit()


def test_the_command_without_a_mail_server_plans_and_says_so(app, world):
    shift_to_now(build_calendar(world))
    app.config["MAIL_SERVER"] = None
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Reminders planned: 5 (2 before the deadline, 2 missed, 1 late lists)." in result.output
    assert "Sending is not configured (set PORTAL_MAIL_SERVER): 5 reminders wait unsent." in result.output
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert "Reminders planned: 0" in result.output and "5 reminders wait unsent" in result.output


def test_the_command_sends_once_and_reports_failures(app, world):
    shift_to_now(build_calendar(world))
    server = MailServer(free_port())
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_TIMEOUT=5)
    runner = app.test_cli_runner()

    result = runner.invoke(args=["send-reminders"])  # nothing listens yet
    assert result.exit_code == 1
    assert "Sent: 0. Failed: 5 (kept, retried on the next run)." in result.output
    assert "ConnectionRefusedError" in result.output

    server.start()
    try:
        result = runner.invoke(args=["send-reminders"])
        assert result.exit_code == 0, result.output
        assert "Reminders planned: 0" in result.output and "Sent: 5. Failed: 0" in result.output
        result = runner.invoke(args=["send-reminders"])
        assert "Sent: 0. Failed: 0" in result.output
    finally:
        server.stop()
    assert len(server.inbox.messages) == 5
    db.session.expire_all()
    # the run with the server down used no attempt: only the successful send counts
    assert all(row.sent_at is not None and row.attempts == 1 for row in db.session.query(ReportReminder))
