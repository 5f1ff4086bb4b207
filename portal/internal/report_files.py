"""Reports as the documents agencies send: DOCX under Decree 30/2020/NĐ-CP, and XLSX."""
from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, send_file
from flask_login import current_user

from portal.services import report_documents, reports

bp = Blueprint("report_files", __name__, url_prefix="/reports")

ID = "<int(max=2147483647):report_id>"


def _report(report_id: int):
    """The report, if the user may see it (AccessDenied, a 403, otherwise); 404 when missing."""
    return reports.get_report(current_user, report_id) or abort(404)


def _download(content: bytes, mimetype: str, name: str):
    response = send_file(BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get(f"/{ID}.docx")
def docx(report_id: int):
    report = _report(report_id)
    return _download(report_documents.report_docx(report), report_documents.DOCX_MIME,
                     report_documents.filename(report, "docx"))


@bp.get(f"/{ID}.xlsx")
def xlsx(report_id: int):
    report = _report(report_id)
    return _download(report_documents.report_xlsx(report), report_documents.XLSX_MIME,
                     report_documents.filename(report, "xlsx"))
