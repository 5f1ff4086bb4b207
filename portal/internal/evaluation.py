"""The yearly evaluation of teams and inspectors (letter 100/QLTTLCA-NVTH) and commendation proposals."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("evaluation", __name__)
