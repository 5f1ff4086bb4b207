"""Forms of inspections, violations and sanction decisions."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField, TimeField
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import HiddenInput

from portal.forms import PortalForm
from portal.internal.forms.admin import options
from portal.internal.forms.fields import MultiCheckboxField, blank_to_none, choice_int, max_length
from portal.internal.forms.plans import date_field, version_field
from portal.labels import (
    INSPECTION_KIND_LABELS,
    INSPECTION_RESULT_LABELS,
    VIOLATION_STATE_LABELS,
    VIOLATION_TYPE_LABELS,
)


def money_field(label, description=None):
    return IntegerField(label, description=description, validators=[
        Optional(), NumberRange(min=0, message=_l("Give an amount of 0 or more."))])


class InspectionForm(PortalForm):
    inspected_on = date_field(_l("Inspected on"))
    kind = SelectField(_l("Kind of inspection"), choices=options(INSPECTION_KIND_LABELS.items()))
    plan_id = SelectField(_l("Plan or campaign it serves"), coerce=choice_int)
    member_ids = SelectMultipleField(_l("Other units of an interagency team"), coerce=choice_int,
                                     render_kw={"size": 6},
                                     description=_l("Leave empty when your unit inspected alone."))
    goods = MultiCheckboxField(_l("Goods checked"))
    result = SelectField(_l("Result"), choices=options(INSPECTION_RESULT_LABELS.items()))
    note = TextAreaField(_l("Note"), filters=[blank_to_none], validators=[max_length(2000)], render_kw={"rows": 3})


class DecisionFields(PortalForm):
    decision_number = StringField(_l("Decision number"), filters=[blank_to_none], validators=[max_length(60)],
                                  description=_l("e.g. 15/QĐ-XPHC"))
    decision_on = date_field(_l("Decision date"), optional=True)
    decision_authority = StringField(_l("Issued by"), filters=[blank_to_none], validators=[max_length(200)])
    fine = money_field(_l("Fine (VND)"))
    remedies = TextAreaField(_l("Remedies ordered"), filters=[blank_to_none], validators=[max_length(2000)],
                             render_kw={"rows": 2}, description=_l("e.g. destruction of the goods, removal of labels"))
    state = SelectField(_l("State of the case"), choices=options(VIOLATION_STATE_LABELS.items()))


class ViolationForm(DecisionFields):
    type = SelectField(_l("Kind of violation"), choices=options(VIOLATION_TYPE_LABELS.items()))
    goods = SelectField(_l("Goods"))
    brand = StringField(_l("Brand"), filters=[blank_to_none], validators=[max_length(120)])
    openly_displayed = BooleanField(_l("The goods were openly displayed for sale"))
    quantity = StringField(_l("Quantity seized"), filters=[blank_to_none], validators=[max_length(120)],
                           description=_l("e.g. 120 boxes, 35 kg"))
    seized_value = money_field(_l("Value seized (VND)"))
    seized_on = date_field(_l("Seized on"), optional=True)
    seized_time = TimeField(_l("Hour of the seizure"), validators=[Optional()],
                            description=_l("A seizure starts the plan's quick-report deadline."))


class DecisionForm(DecisionFields):
    version = version_field()


def reason_field(label):
    return TextAreaField(label, filters=[blank_to_none], validators=[max_length(2000)], render_kw={"rows": 2})


class ProposeForm(PortalForm):
    note = reason_field(_l("Note for the leader"))


class ApproveForm(PortalForm):
    ends_on = date_field(_l("End of publication"), optional=True)
    version = version_field()
    seen = IntegerField(widget=HiddenInput(), validators=[Optional()])  # the violation's version on the page


class RejectForm(PortalForm):
    reason = reason_field(_l("Reason for rejecting"))
    version = version_field()


class CorrectForm(PortalForm):
    note = reason_field(_l("What was corrected"))


class WithdrawForm(PortalForm):
    reason = reason_field(_l("Reason for withdrawing"))


class ReplyForm(PortalForm):
    text = TextAreaField(_l("The business's reply"), filters=[blank_to_none], validators=[max_length(4000)],
                         render_kw={"rows": 4})
    received_on = date_field(_l("Received on"))
