"""The public site at the root: reads published data only, through services.disclosure."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from portal.public import views  # noqa: E402,F401
