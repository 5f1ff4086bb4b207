"""Third-party front-end files, served from where npm installed them (never copied into the repo)."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory

bp = Blueprint("assets", __name__)

#: URL name -> (npm package, file inside it)
VENDOR_FILES = {
    "htmx.min.js": ("htmx.org", "dist/htmx.min.js"),
}


def node_modules() -> Path:
    configured = current_app.config.get("NODE_MODULES")
    return Path(configured) if configured else Path(current_app.root_path).parent / "node_modules"


@bp.get("/vendor/<name>")
def vendor(name: str):
    if name not in VENDOR_FILES:
        abort(404)
    package, inner = VENDOR_FILES[name]
    path = node_modules() / package / inner
    return send_from_directory(path.parent, path.name, max_age=86400, mimetype="text/javascript")
