"""Reports as the documents agencies send: DOCX under Decree 30/2020/NĐ-CP, and XLSX."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("report_files", __name__)
