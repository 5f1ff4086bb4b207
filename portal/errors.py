"""Error pages in the user's language with the right status, never a bare 500."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.extensions import db, htmx
from portal.services.errors import AccessDenied

TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    409: _l("Someone else changed this record"),
    413: _l("The file is too large"),
    429: _l("Too many requests"),
    500: _l("Something went wrong on our side"),
}

EXPLANATIONS = {
    400: _l("Please go back, check what you entered and try again."),
    403: _l("This record belongs to a unit outside your area of responsibility, or your role does not allow this action."),
    404: _l("The address may be mistyped, or the page may have been moved or removed."),
    405: _l("Please use the buttons and forms on the page."),
    409: _l("Open the record again to see the latest version, then make your change."),
    413: _l("Please choose a smaller file."),
    429: _l("Please wait a moment before trying again."),
    500: _l("The error has been recorded. Please try again in a few minutes."),
}


def render_error(status: int, message=None, *, resubmit: dict | None = None, headers=None):
    template = "errors/_error.html" if htmx and not htmx.history_restore_request else "errors/error.html"
    fallback = 500 if status >= 500 else 400
    body = render_template(template, status=status, title=TITLES.get(status, TITLES[fallback]),
                           explanation=message or EXPLANATIONS.get(status, EXPLANATIONS[fallback]),
                           resubmit=resubmit)
    headers = dict(headers or {})
    if resubmit:  # what the user typed is on this page: no cache may keep it
        headers["Cache-Control"] = "no-store"
    if template == "errors/_error.html":
        headers.update({"HX-Retarget": "#messages", "HX-Reswap": "innerHTML"})
    return body, status, headers


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _l("The form had expired or did not come from this site, so it was not "
                                    "saved. What you typed is below: check it and send it again."),
                            resubmit=_resubmittable_form())

    @app.errorhandler(AccessDenied)
    def access_denied(error):
        return render_error(403)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # keep the exception's own headers (Allow on 405, Retry-After on 429), not its body
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        return render_error(error.code or 500, headers=headers)

    @app.errorhandler(StaleDataError)
    def stale_write(error):
        db.session.rollback()
        return render_error(409)

    @app.errorhandler(InternalServerError)
    def server_error(error):
        db.session.rollback()
        return render_error(500)

    @app.errorhandler(Exception)
    def unexpected(error):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_error(500)


def _resubmittable_form() -> dict | None:
    """The values of a refused same-site form, so the user can send them again with a fresh
    token. Passwords are never echoed, and a form posted from another site is not offered."""
    if request.method != "POST" or not request.form:
        return None
    origin = urlsplit(request.headers.get("Origin") or request.headers.get("Referer") or "")
    here = urlsplit(request.host_url)
    if (origin.scheme, origin.netloc) != (here.scheme, here.netloc):
        return None
    from portal.forms import SECRET_FIELD_NAMES

    fields = [(k, v) for k, values in request.form.lists() for v in values if k not in SECRET_FIELD_NAMES]
    return {"action": request.full_path.rstrip("?"), "fields": fields}
