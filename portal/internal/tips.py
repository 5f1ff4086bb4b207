"""The tip inbox: triage, assignment, status, notes and replies; the sender's identity only for the handler."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("tips", __name__)
