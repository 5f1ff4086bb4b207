"""Small helpers every view uses: fragments for htmx, redirects after POST, form errors."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from urllib.parse import urlsplit

from flask import flash, make_response, redirect, render_template, request
from flask_babel import gettext as _
from sqlalchemy import Date
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal.extensions import db, htmx
from portal.services.errors import ConflictingEdit, ValidationFailed


def wants_fragment(target_id: str) -> bool:
    """True when htmx asked to swap just the element with this id (not a boosted or
    history-restore request, which need the whole page)."""
    if not htmx or htmx.boosted or htmx.history_restore_request:
        return False
    target = request.headers.get("HX-Target", "")
    return target == target_id or target.endswith("#" + target_id)


def render(template: str, *, status: int = 200, **context):
    """A page or fragment; responses vary on the htmx headers that choose between them."""
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    response.vary.add("HX-Target")
    return response


def done(url: str):
    """After a successful POST: HX-Location for htmx, 303 See Other otherwise."""
    if htmx:
        response = make_response("", 204)
        response.headers["HX-Location"] = url
        return response
    return redirect(url, code=303)


def apply_errors(form, errors: dict) -> None:
    """Put a service's refusal next to the fields it names: "" is the whole form, and
    "channels-0-link" is the field link of row 0 of the list channels."""
    for name, messages in errors.items():
        field = _field(form, name)
        if field is None:
            form.form_errors.extend(messages)
        else:
            field.errors = list(field.errors) + list(messages)


def _field(form, name: str):
    """The plain field a refusal names, or None (the whole form, or a list as such)."""
    field = getattr(form, name, None) if name else None
    if field is None and "-" in name:
        list_name, index, sub = name.split("-", 2)
        rows = getattr(form, list_name, None)
        if rows is not None and index.isdigit() and int(index) < len(rows.entries):
            field = rows.entries[int(index)].form._fields.get(sub)
    return None if field is None or hasattr(field, "entries") else field


def safe_next(target: str | None, default: str) -> str:
    """Only a path inside the staff area; never another host (ASVS 3.7.2)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/internal/") or target.startswith("//"):
        return default
    if "\\" in target:
        return default
    return target


@dataclass
class Outcome:
    """What became of a submitted form: a response to send, or the status to re-render it with."""

    response: object = None
    status: int = 200
    refusal: Exception | None = None  # one of the ``also`` refusals, for the page to explain


def submit(form, change: Callable[[], object], *, message: Callable[[object], str],
           next_url: Callable[[object], str], also: tuple[type[Exception], ...] = ()) -> Outcome:
    """The one shape of every staff form view: validate, call the service, commit, flash and
    redirect. A refusal goes next to its fields (422); an edit that lost the race to another
    person's save keeps what was typed and says so (409); a refusal of a kind in ``also``
    (such as a suspected duplicate) is handed back to the page with 409."""
    if not form.is_submitted():
        return Outcome()
    if not form.validate():
        return Outcome(status=422)
    try:
        saved = change()
    except ValidationFailed as refused:
        db.session.rollback()  # the page shows what was typed, never a half-applied record
        apply_errors(form, refused.errors)
        return Outcome(status=422)
    except (ConflictingEdit, StaleDataError):  # StaleDataError: the other save was committed first
        db.session.rollback()
        form.form_errors.append(_("Someone else changed this record while you were editing it. "
                                  "Open it again to see their changes, then make yours."))
        return Outcome(status=409)
    except also as refusal:
        db.session.rollback()
        return Outcome(status=409, refusal=refusal)
    db.session.commit()
    flash(message(saved), "success")
    return Outcome(response=done(next_url(saved)))


def act(change: Callable[[], object], *, message: str, next_url: str):
    """A one-click POST (a button, no form to show again): do it and go back, with the
    refusal, if any, as a flashed message."""
    try:
        change()
    except ValidationFailed as refused:
        db.session.rollback()
        for messages in refused.errors.values():
            for text in messages:
                flash(text, "error")
    except (ConflictingEdit, StaleDataError, IntegrityError):  # another person's click came first
        db.session.rollback()
        flash(_("Someone else changed this record at the same moment. Look at it again."), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return done(next_url)


PER_PAGE = 50
MAX_PAGE = 100_000


def page_number(last: int = MAX_PAGE) -> int:
    """The ``page`` query parameter, brought within 1..last (-1 is the first page, 10^9 the last)."""
    return min(max(request.args.get("page", 1, type=int), 1), last)


def filtered_page(stmt, *, column=None, enum=None, arg: str | None = None, per_page: int = PER_PAGE):
    """A staff list narrowed by one enum query parameter (ignored unless it names a member),
    one page of it: returns (page, the value kept for the filter form)."""
    value = request.args.get(arg) if arg else None
    if enum is not None and value in {member.value for member in enum}:
        stmt = stmt.where(column == enum(value))
    else:
        value = None
    return db.paginate(stmt, page=page_number(), per_page=per_page, max_per_page=per_page, error_out=False), value


@dataclass
class Period:
    """A date range and a unit taken from a staff list's query string (``from``, ``to``, ``unit``),
    as the figures of a report link to the records behind them. Values that are not dates, or a
    unit outside the user's scope, are ignored."""

    start: date | None = None
    end: date | None = None
    unit: object | None = None

    @property
    def args(self) -> dict:
        """The parameters to keep in the pager's links."""
        return {k: v for k, v in (("from", self.start and self.start.isoformat()),
                                  ("to", self.end and self.end.isoformat()),
                                  ("unit", self.unit.id if self.unit else None)) if v}

    def __bool__(self) -> bool:
        return bool(self.start or self.end or self.unit)


def _day_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, "")[:10])
    except ValueError:
        return None


def period_filter(stmt, actor, *, day_column, unit_column) -> tuple:
    """Narrow a staff list to ``from``–``to`` (both days included, on ``day_column``: a date, or a
    UTC instant read in Vietnam time) and to ``unit`` and the units below it."""
    from sqlalchemy import select

    from portal.models import Unit
    from portal.services import scope
    from portal.services.deadlines import local_instant

    period = Period(start=_day_arg("from"), end=_day_arg("to"))
    unit_id = request.args.get("unit", type=int)
    if unit_id and 0 < unit_id <= 2**31 - 1:
        unit = db.session.get(Unit, unit_id)
        if unit is not None and scope.covers(actor, unit):
            period.unit = unit
            stmt = stmt.where(unit_column.in_(select(Unit.id).where(Unit.path.startswith(unit.path))))
    instants = not isinstance(day_column.type, Date)
    midnight = time(0, 0)
    if period.start:
        stmt = stmt.where(day_column >= (local_instant(period.start, midnight) if instants else period.start))
    if period.end:
        stmt = stmt.where(day_column < local_instant(period.end + timedelta(days=1), midnight) if instants
                          else day_column <= period.end)
    return stmt, period
