"""The public site at the root: reads published data only, through services.disclosure and the
public services of each area (guides, tips, business checks, statistics)."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from portal.public import check, guides, statistics, tips, views, violations  # noqa: E402,F401
