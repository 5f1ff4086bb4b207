"""Reports: drafts computed from the records, submission, revisions, the roll-up of a receiving unit."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__)
