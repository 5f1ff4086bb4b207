"""The tip inbox: triage, assignment, status, notes and replies; the sender's identity only for the handler."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.db import utcnow
from portal.extensions import db
from portal.i18n import span_label
from portal.internal.forms.tips import AssignForm, NoteForm, ReplyForm, StatusForm, VersionForm
from portal.models import TipStatus, User
from portal.services import files, tips
from portal.services.errors import AccessDenied
from portal.web import act, done, filtered_page, render, submit, wants_fragment

bp = Blueprint("tips", __name__)

ID = "<int(max=2147483647):{}>"
#: An open tip that has waited this long is shown as overdue.
LONG_WAIT = timedelta(days=3)


@bp.app_context_processor
def open_tips_badge():
    """``open_tip_count()`` for the staff menu: the open tips the user's units hold."""
    def open_tip_count() -> int:
        if not current_user.is_authenticated:
            return 0
        return tips.open_count(current_user)
    return {"open_tip_count": open_tip_count}


def waited_label(tip, now=None) -> str:
    return span_label(tips.waited(tip, now))


def _context(**extra):
    return dict(STATUS_LABELS=tips.STATUS_LABELS, waited_label=waited_label, now=utcnow(), long_wait=LONG_WAIT,
                **extra)


@bp.get("/tips/")
def index():
    status = request.args.get("status")
    status = status if status in {s.value for s in TipStatus} | {tips.OPEN_FILTER} else None
    who = request.args.get("who")
    who = who if who in tips.WHO else None
    waiting = request.args.get("waiting", type=int)
    waiting = waiting if waiting and 0 < waiting <= 3650 else None
    page, _unused = filtered_page(tips.inbox(current_user, status=status, who=who, waiting=waiting))
    template = "internal/tips/_list.html" if wants_fragment("tips") else "internal/tips/index.html"
    return render(template, **_context(page=page, status_filter=status, who=who, waiting=waiting))


def _tip(tip_id: int):
    return tips.get(current_user, tip_id) or abort(404)


def _forms(tip, **given):
    can = tips.can_handle(current_user, tip)
    forms = {}
    if can:
        units = tips.assignable_units(current_user, tip)
        assign = given.get("assign_form") or AssignForm(formdata=None, version=tip.version)
        assign.fill_choices(units, tips.members_by_unit(units))
        if assign.unit_id.data is None and "assign_form" not in given:
            assign.unit_id.data = tip.unit_id
            assign.handler_id.data = tip.handler_id
        status = given.get("status_form") or StatusForm(formdata=None, version=tip.version)
        if "status_form" not in given:
            status.status.data = tip.status.value if tip.status != TipStatus.FORWARDED else TipStatus.VERIFYING.value
        forms = dict(assign_form=assign, status_form=status,
                     note_form=given.get("note_form") or NoteForm(formdata=None),
                     reply_form=given.get("reply_form") or ReplyForm(formdata=None),
                     take_form=VersionForm(formdata=None, version=tip.version))
    return can, forms


def _detail(tip, *, status: int = 200, contact=None, **given):
    can, forms = _forms(tip, **given)
    return render("internal/tips/detail.html", **_context(
        tip=tip, can_handle=can, is_handler=tip.handler_id == current_user.id, contact=contact,
        has_contact=tips.has_contact(tip), status=status, **forms))


@bp.get(f"/tips/{ID.format('tip_id')}")
def detail(tip_id: int):
    return _detail(_tip(tip_id))


def _here(tip) -> str:
    return url_for("internal.tips.detail", tip_id=tip.id)


@bp.post(f"/tips/{ID.format('tip_id')}/take")
def take(tip_id: int):
    tip = _tip(tip_id)
    if not tips.can_handle(current_user, tip):
        raise AccessDenied()
    form = VersionForm()
    if not form.validate():  # no version, no check against another person's change: refuse
        flash(_("Someone else changed this record at the same moment. Look at it again."), "error")
        return done(_here(tip))
    return act(lambda: tips.take(current_user, tip, version=form.version.data),
               message=_("You are now handling this tip."), next_url=_here(tip))


@bp.post(f"/tips/{ID.format('tip_id')}/assign")
def assign(tip_id: int):
    tip = _tip(tip_id)
    if not tips.can_handle(current_user, tip):
        raise AccessDenied()
    form = AssignForm()
    units = tips.assignable_units(current_user, tip)
    form.fill_choices(units, tips.members_by_unit(units))

    def change():
        unit = next((u for u in units if u.id == form.unit_id.data), None)
        handler = db.session.get(User, form.handler_id.data) if form.handler_id.data else None
        return tips.assign(current_user, tip, unit, handler, version=form.version.data)

    outcome = submit(form, change, message=lambda t: _("The tip has been assigned."), next_url=lambda t: _here(t))
    return outcome.response or _detail(_tip(tip_id), status=outcome.status, assign_form=form)


@bp.post(f"/tips/{ID.format('tip_id')}/status")
def status(tip_id: int):
    tip = _tip(tip_id)
    if not tips.can_handle(current_user, tip):
        raise AccessDenied()
    form = StatusForm()
    outcome = submit(form, lambda: tips.set_status(current_user, tip, TipStatus(form.status.data),
                                                   note=form.note.data, version=form.version.data),
                     message=lambda t: _("The status has been changed."), next_url=lambda t: _here(t))
    return outcome.response or _detail(_tip(tip_id), status=outcome.status, status_form=form)


@bp.post(f"/tips/{ID.format('tip_id')}/notes")
def note(tip_id: int):
    tip = _tip(tip_id)
    if not tips.can_handle(current_user, tip):
        raise AccessDenied()
    form = NoteForm()
    outcome = submit(form, lambda: tips.add_note(current_user, tip, form.text.data),
                     message=lambda n: _("The note has been added."), next_url=lambda n: _here(tip))
    return outcome.response or _detail(_tip(tip_id), status=outcome.status, note_form=form)


@bp.post(f"/tips/{ID.format('tip_id')}/reply")
def reply(tip_id: int):
    tip = _tip(tip_id)
    if not tips.can_handle(current_user, tip):
        raise AccessDenied()
    form = ReplyForm()
    outcome = submit(form, lambda: tips.reply_to_sender(current_user, tip, form.text.data),
                     message=lambda m: _("The reply has been sent: the sender reads it with the receipt code."),
                     next_url=lambda m: _here(tip))
    return outcome.response or _detail(_tip(tip_id), status=outcome.status, reply_form=form)


@bp.post(f"/tips/{ID.format('tip_id')}/contact")
def contact(tip_id: int):
    """The handler asks to see the sender's identity: shown on this answer only, and logged."""
    tip = _tip(tip_id)
    VersionForm()  # CSRF is checked by the extension; the form carries the token
    shown = tips.contact(current_user, tip)  # AccessDenied unless the user handles the tip
    db.session.commit()
    if wants_fragment("sender"):
        return render("internal/tips/_sender.html", **_context(tip=tip, contact=shown, is_handler=True,
                                                                has_contact=tips.has_contact(tip)))
    return _detail(tip, contact=shown)


@bp.get(f"/tips/{ID.format('tip_id')}/photos/{ID.format('photo_id')}")
def photo(tip_id: int, photo_id: int):
    found = tips.photo(current_user, tip_id, photo_id) or abort(404)
    stored, folder = found
    try:
        path = files.open_stored(folder, stored.stored_name)
    except FileNotFoundError:
        abort(404)
    ext = "png" if stored.mime_type == "image/png" else "jpg"
    return files.download_response(path, original_name=f"tip-{tip_id}-photo-{stored.id}.{ext}",
                                   mime_type=stored.mime_type)
