"""The business registry in and out of spreadsheets: import with a preview, export filtered
lists to XLSX or CSV, and the template to fill in."""
from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from flask import Blueprint, Response, current_app, flash, request, session, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import RequestEntityTooLarge

from portal.errors import render_error
from portal.extensions import db
from portal.internal.forms.fields import optional_int
from portal.internal.forms.registry_io import ConfirmImportForm, ImportForm
from portal.models import Business, BusinessStatus, ChannelKind
from portal.services import registry, registry_import, scope, spreadsheets
from portal.services.files import FileRefused
from portal.web import done, render

bp = Blueprint("registry_io", __name__, url_prefix="/businesses")

PENDING = "registry_import"  # the session key of the import waiting for confirmation
PENDING_SECONDS = 3600
CSV_BATCH = 500
IMPORT_ENDPOINTS = {"internal.registry_io.import_form", "internal.registry_io.confirm"}


def import_folder() -> Path:
    return Path(current_app.instance_path) / "imports"


@bp.before_request
def keepers_only_for_imports():
    if request.endpoint in IMPORT_ENDPOINTS:
        scope.ensure_role(current_user, *registry.KEEPERS)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    """A file over the limit is refused next to the field, not with a bare error page."""
    if (request.endpoint == "internal.registry_io.import_form" and current_user.is_authenticated
            and current_user.has_role(*registry.KEEPERS) and not current_user.must_change_password):
        form = ImportForm(formdata=None)
        form.file.errors = [spreadsheets.too_large_message()]
        return render("internal/registry/import.html", form=form, status=413)
    return render_error(413)


@bp.route("/import", methods=["GET", "POST"])
def import_form():
    form = ImportForm()
    if not form.validate_on_submit():
        return render("internal/registry/import.html", form=form, status=422 if form.is_submitted() else 200)
    try:
        data, name = spreadsheets.read_upload(form.file.data)
        result = registry_import.preview(current_user, data, name)
    except FileRefused as refused:
        form.file.errors = [*form.file.errors, refused.message]
        return render("internal/registry/import.html", form=form, status=422)
    return _preview(result, _keep(data, name, result.fingerprint) if result.ok and result.to_change else None)


@bp.post("/import/confirm")
def confirm():
    form = ConfirmImportForm()
    pending = session.get(PENDING) or {}
    path = _pending_file(form, pending)
    if path is None:
        flash(_("This import is no longer waiting for confirmation. Upload the file again."), "error")
        return done(url_for("internal.registry_io.import_form"))
    try:
        result = registry_import.apply(current_user, path.read_bytes(), pending.get("name", ""),
                                       expected=pending.get("fingerprint", ""))
    except registry_import.PreviewOutdated as outdated:
        db.session.rollback()
        session[PENDING] = {**pending, "fingerprint": outdated.result.fingerprint}
        flash(_("The registry has changed since the file was checked. Check the rows again, then confirm."), "info")
        return _preview(outdated.result, pending["token"] if outdated.result.to_change else None)
    except registry_import.ImportRefused as refused:
        db.session.rollback()  # all or nothing
        _forget()
        return _preview(refused.result, None)
    except FileRefused as refused:
        db.session.rollback()
        _forget()
        flash(refused.message, "error")
        return done(url_for("internal.registry_io.import_form"))
    db.session.commit()
    _forget()
    flash(_("The import is done: %(created)d businesses recorded, %(updated)d changed, %(unchanged)d unchanged.",
            created=result.count(registry_import.CREATE), updated=result.count(registry_import.UPDATE),
            unchanged=result.count(registry_import.UNCHANGED)), "success")
    return done(url_for("internal.registry.index"))


def _preview(result: registry_import.ImportResult, token: str | None):
    return render("internal/registry/import_preview.html", result=result, token=token,
                  form=ConfirmImportForm(formdata=None, token=token), status=200 if result.ok else 422)


# --- the file waiting for confirmation ------------------------------------------------------

def _keep(data: bytes, name: str, fingerprint: str) -> str:
    """Keep the previewed file under a random name, tied to this session and user."""
    folder = import_folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    _sweep(folder)
    _forget()
    token = secrets.token_hex(16)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(folder / token, flags, 0o600), "wb") as out:
        out.write(data)
    session[PENDING] = {"token": token, "name": name, "user": current_user.id, "fingerprint": fingerprint}
    return token


def _pending_file(form: ConfirmImportForm, pending: dict) -> Path | None:
    if not form.validate() or pending.get("token") != form.token.data or pending.get("user") != current_user.id:
        return None
    path = import_folder() / form.token.data
    if path.is_symlink() or not path.is_file():
        return None
    if time.time() - path.stat().st_mtime > PENDING_SECONDS:
        _forget()
        return None
    return path


def _forget() -> None:
    pending = session.pop(PENDING, None) or {}
    token = pending.get("token")
    if isinstance(token, str) and len(token) == 32 and token.isalnum():
        (import_folder() / token).unlink(missing_ok=True)


def _sweep(folder: Path) -> None:
    """Files of previews never confirmed go after an hour."""
    limit = time.time() - PENDING_SECONDS
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue


# --- export and template --------------------------------------------------------------------

def _enum(cls, value):
    try:
        return cls(value) if value else None
    except ValueError:
        return None


def _filters() -> dict:
    """The registry index's filters, read the same way."""
    return {"q": request.args.get("q", "").strip()[:100], "ward_code": optional_int(request.args.get("ward")),
            "status": _enum(BusinessStatus, request.args.get("status")),
            "channel": _enum(ChannelKind, request.args.get("channel"))}


@bp.get("/export.<any(xlsx, csv):kind>")
def export(kind: str):
    """Every business that the registry's filters find in the user's area (not one page)."""
    stmt = registry.search(current_user, **_filters())
    locale, header = str(get_locale()), registry_import.export_header()
    name = f"businesses-{registry.today().isoformat()}.{kind}"
    if kind == "csv":
        ids = list(db.session.scalars(stmt.with_only_columns(Business.id)))
        response = Response(_csv_lines(header, ids, locale), mimetype=spreadsheets.CSV_MIME)
    else:
        businesses = db.session.scalars(stmt.options(selectinload(Business.goods)).execution_options(yield_per=500))
        response = Response(spreadsheets.write_xlsx(header, registry_import.export_rows(businesses, locale),
                                                    title=_("Business registry"), widths=_WIDTHS),
                            mimetype=spreadsheets.XLSX_MIME)
    return _download(response, name)


def _csv_lines(header: list[str], ids: list[int], locale: str):
    """The CSV file, streamed in batches while the server sends it. The request has ended by
    then, so each batch is read in an application context of its own, opened and closed
    within the step that yields it."""
    app = current_app._get_current_object()

    def lines():
        yield "".join(spreadsheets.csv_lines(header, [])).encode("utf-8")
        for start in range(0, len(ids), CSV_BATCH):
            batch = ids[start:start + CSV_BATCH]
            with app.app_context(), force_locale(locale):
                found = {b.id: b for b in db.session.scalars(select(Business).where(Business.id.in_(batch)).options(
                    selectinload(Business.channels), selectinload(Business.goods), selectinload(Business.ward)))}
                rows = registry_import.export_rows([found[i] for i in batch if i in found], locale)
                text = "".join(spreadsheets.csv_body(rows))
            yield text.encode("utf-8")

    return lines()


_WIDTHS = (32, 24, 14, 18, 32, 20, 10, 22, 24, 10, 30, 30, 13, 14, 16)


@bp.get("/import/template.xlsx")
def template():
    header = registry_import.export_header()[:-1]  # all but the status, which is not imported
    lists_header, lists = registry_import.template_lists(current_user, str(get_locale()))
    data = spreadsheets.write_xlsx(header, [], title=_("Business registry"), widths=_WIDTHS,
                                   extra=[(_("Accepted values"), lists_header, lists)])
    return _download(Response(data, mimetype=spreadsheets.XLSX_MIME), "businesses-template.xlsx")


def _download(response: Response, name: str) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
