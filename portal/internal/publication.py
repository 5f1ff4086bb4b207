"""The publication workflow: propose a violation, approve or reject it (four eyes), correct or
withdraw a published entry, record and vet the business's reply."""
from __future__ import annotations

from flask import Blueprint, abort, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.extensions import db
from portal.internal.forms.enforcement import (
    ApproveForm,
    CorrectForm,
    ProposeForm,
    RejectForm,
    ReplyForm,
    WithdrawForm,
)
from portal.internal.forms.fields import EmptyForm
from portal.models import BusinessReply, Publication, PublicationState
from portal.services import enforcement, publication, registry
from portal.services.errors import AccessDenied
from portal.web import act, filtered_page, render, submit

bp = Blueprint("publication", __name__)

ID = "<int(max=2147483647):{}>"


def _load(publication_id: int):
    return publication.get(current_user, publication_id) or abort(404)


def _detail(found, status: int = 200, **forms):
    """The page of one publication, with every form it offers (a refused one keeps its input)."""
    defaults = {"approve": ApproveForm(formdata=None, obj=found, seen=found.violation.version),
                "reject": RejectForm(formdata=None, obj=found),
                "correct": CorrectForm(formdata=None), "withdraw": WithdrawForm(formdata=None),
                "reply": ReplyForm(formdata=None, received_on=registry.today()), "vet": EmptyForm()}
    defaults.update(forms)
    check = publication.eligibility(found.violation)
    return render("internal/publication/detail.html", publication=found, eligibility=check,
                  preview=publication.public_fields(found.violation, check.facts),
                  can_decide=publication.can_decide(current_user, found),
                  is_leader=current_user.has_role(*publication.APPROVERS),
                  can_record=enforcement.can_record(current_user, found.violation.inspection),
                  forms=defaults, status=status)


@bp.get("/publications/")
def index():
    page, state = filtered_page(publication.in_scope(current_user), column=Publication.state,
                                enum=PublicationState, arg="state")
    return render("internal/publication/index.html", page=page, state=state)


@bp.post(f"/violations/{ID.format('violation_id')}/publication")
def propose(violation_id: int):
    violation = enforcement.get_violation(current_user, violation_id) or abort(404)
    form = ProposeForm()
    if not form.validate():  # only a note, at most 2000 characters: a browser never sends more
        abort(400)
    return act(lambda: publication.propose(current_user, violation, form.note.data),
               message=_("The violation has been proposed for publication; a leader will decide."),
               next_url=url_for("internal.enforcement.violation", violation_id=violation.id))


@bp.get(f"/publications/{ID.format('publication_id')}")
def detail(publication_id: int):
    return _detail(_load(publication_id))


def _step(publication_id: int, name: str, form, change, message: str):
    found = _load(publication_id)
    publication.ensure_can_act(current_user, found, name)  # a refusal of access, not of the form
    outcome = submit(form, lambda: change(found), message=lambda _saved: message,
                     next_url=lambda _saved: url_for("internal.publication.detail", publication_id=found.id))
    return outcome.response or _detail(_load(publication_id), status=outcome.status, **{name: form})


@bp.post(f"/publications/{ID.format('publication_id')}/approve")
def approve(publication_id: int):
    form = ApproveForm()
    return _step(publication_id, "approve", form, lambda p: publication.approve(
        current_user, p, version=form.version.data, ends_on=form.ends_on.data, seen=form.seen.data),
        _("The entry is now on the public site."))


@bp.post(f"/publications/{ID.format('publication_id')}/reject")
def reject(publication_id: int):
    form = RejectForm()
    return _step(publication_id, "reject", form, lambda p: publication.reject(
        current_user, p, form.reason.data, version=form.version.data), _("The proposal has been rejected."))


def _entry(found):
    if found.entry is None:
        abort(404)
    return found.entry


@bp.post(f"/publications/{ID.format('publication_id')}/correct")
def correct(publication_id: int):
    form = CorrectForm()
    return _step(publication_id, "correct", form, lambda p: publication.correct(current_user, _entry(p),
                                                                                 form.note.data),
                 _("The public entry has been corrected."))


@bp.post(f"/publications/{ID.format('publication_id')}/withdraw")
def withdraw(publication_id: int):
    form = WithdrawForm()
    return _step(publication_id, "withdraw", form, lambda p: publication.withdraw(current_user, _entry(p),
                                                                                   form.reason.data),
                 _("The entry has been withdrawn from the public site."))


@bp.post(f"/publications/{ID.format('publication_id')}/replies")
def reply(publication_id: int):
    form = ReplyForm()
    return _step(publication_id, "reply", form, lambda p: publication.record_reply(
        current_user, _entry(p), form.text.data, form.received_on.data),
        _("The reply has been recorded; a leader will vet it."))


@bp.post(f"/publications/{ID.format('publication_id')}/replies/{ID.format('reply_id')}/<any(approve, reject):verdict>")
def vet(publication_id: int, reply_id: int, verdict: str):
    found = _load(publication_id)
    reply_ = db.session.get(BusinessReply, reply_id)
    if reply_ is None or found.entry is None or reply_.entry_id != found.entry.id:
        abort(404)
    if not current_user.has_role(*publication.APPROVERS):
        raise AccessDenied()
    return act(lambda: publication.vet_reply(current_user, reply_, verdict == "approve"),
               message=_("The reply has been vetted."),
               next_url=url_for("internal.publication.detail", publication_id=found.id))
