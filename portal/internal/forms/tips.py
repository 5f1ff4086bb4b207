"""Forms of the tip inbox: assignment, status, notes, replies to the sender."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired

from portal.forms import PortalForm
from portal.internal.forms.admin import options
from portal.internal.forms.fields import (
    blank_to_none,
    choice_int,
    max_length,
    required,
    strip,
)
from portal.models import TipStatus
from portal.services.tips import MAX_TEXT, STATUS_LABELS


def _version():
    return IntegerField(_l("Record version"), widget=HiddenField.widget, default=1,
                        validators=[InputRequired(message=_l("This field is required."))])


class VersionForm(PortalForm):
    """A button that changes the tip (take it): the version the page showed."""

    version = _version()


class AssignForm(PortalForm):
    unit_id = SelectField(_l("Unit"), coerce=choice_int, validators=[required(_l("Choose a unit."))])
    handler_id = SelectField(_l("Handler"), coerce=choice_int, validate_choice=False,
                             description=_l("Optional: a member of the chosen unit. Only the handler sees "
                                            "the sender's contact details."))
    version = _version()

    def fill_choices(self, units, members_by_unit) -> None:
        self.unit_id.choices = options([("", _l("Choose…"))] + [(u.id, u.name) for u in units])
        pairs = [("", _l("No handler yet"))]
        for unit in units:
            pairs += [(p.id, f"{p.full_name} — {unit.name}") for p in members_by_unit.get(unit.id) or []]
        self.handler_id.choices = options(pairs)


class StatusForm(PortalForm):
    status = SelectField(_l("Status"), choices=options(
        [(s.value, STATUS_LABELS[s]) for s in TipStatus if s != TipStatus.FORWARDED]),
        validators=[required()])
    note = TextAreaField(_l("What was found"), filters=[blank_to_none], validators=[max_length(MAX_TEXT)],
                         description=_l("Needed to close the tip (resolved or unfounded); kept as an internal note."))
    version = _version()


class NoteForm(PortalForm):
    text = TextAreaField(_l("Internal note"), filters=[strip], validators=[required(), max_length(MAX_TEXT)],
                         description=_l("Seen by staff only, never by the sender."))


class ReplyForm(PortalForm):
    text = TextAreaField(_l("Reply to the sender"), filters=[strip], validators=[required(), max_length(MAX_TEXT)],
                         description=_l("The sender reads it with the receipt code. Do not name staff or other "
                                        "people, and say nothing that could harm the investigation."))
