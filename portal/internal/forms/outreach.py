"""Forms of outreach sessions, market meetings (batch entry), commitments and agreements."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import NumberRange, Optional

from portal.forms import PortalForm, PortalSubForm
from portal.internal.forms.admin import options
from portal.internal.forms.fields import (
    RowList,
    blank_to_none,
    choice_int,
    max_length,
    optional_int,
    required,
    strip,
)
from portal.internal.forms.plans import date_field
from portal.labels import COUNTERPART_LABELS, OUTREACH_METHOD_LABELS
from portal.services.registry import normalise_tax_code

SCAN_HINT = _l("A PDF, JPEG or PNG of the signed paper, at most 10 MB. It can be added later.")


def people_field():
    return IntegerField(_l("People reached"), default=0, validators=[
        Optional(), NumberRange(min=0, max=1_000_000, message=_l("Give a number of people, 0 or more."))])


class SessionFields(PortalForm):
    """What every outreach session records."""

    held_on = date_field(_l("Held on"))
    method = SelectField(_l("Method"), choices=options(OUTREACH_METHOD_LABELS.items()))
    place = StringField(_l("Place"), filters=[blank_to_none], validators=[max_length(200)],
                        description=_l("The market, cultural house or street, e.g. Chợ Hàm Rồng."))
    ward_code = SelectField(_l("Ward or commune"), coerce=choice_int)
    plan_id = SelectField(_l("Plan it serves"), coerce=choice_int)
    people_reached = people_field()
    officer_ids = SelectMultipleField(_l("Officers who held it"), coerce=choice_int, render_kw={"size": 5})
    note = TextAreaField(_l("Note"), filters=[blank_to_none], validators=[max_length(2000)], render_kw={"rows": 2})


class BatchRowForm(PortalSubForm):
    business_id = HiddenField(filters=[optional_int])
    query = StringField(_l("Business"), filters=[strip], validators=[max_length(100)],
                        description=_l("Name, tax code or stall"))
    new_name = StringField(_l("Name of the new business"), filters=[blank_to_none], validators=[max_length(200)])
    new_address = StringField(_l("Address"), filters=[blank_to_none], validators=[max_length(300)])
    new_stall = StringField(_l("Stall"), filters=[blank_to_none], validators=[max_length(40)])
    new_tax_code = StringField(_l("Tax code"), filters=[normalise_tax_code], validators=[max_length(20)])
    not_a_duplicate = BooleanField(_l("It is another business"))
    signed = BooleanField(_l("Signed the commitment"))
    signatory = StringField(_l("Signed by"), filters=[blank_to_none], validators=[max_length(120)])

    def is_blank(self) -> bool:
        return not any([self.business_id.data, self.query.data, self.new_name.data, self.signed.data,
                        self.signatory.data])


class BatchForm(SessionFields):
    received_by_id = SelectField(_l("Commitments received by"), coerce=choice_int, validators=[required()])
    #: No max_entries: WTForms would drop the rows beyond it silently; the service refuses them.
    rows = RowList(FormField(BatchRowForm), min_entries=5)


class CommitmentForm(PortalForm):
    signed_on = date_field(_l("Signed on"))
    signatory = StringField(_l("Signed for the business by"), filters=[strip], validators=[required(), max_length(120)])
    received_by_id = SelectField(_l("Received by"), coerce=choice_int, validators=[required()])
    plan_id = SelectField(_l("Plan it serves"), coerce=choice_int)
    scan = FileField(_l("Scan of the signed commitment"), description=SCAN_HINT)


class AgreementForm(PortalForm):
    counterpart = SelectField(_l("Signed with"), choices=options(COUNTERPART_LABELS.items()))
    counterpart_name = StringField(_l("Name of the board or body"), filters=[strip],
                                   validators=[required(), max_length(200)],
                                   description=_l("e.g. Ban quản lý chợ Hàm Rồng"))
    ward_code = SelectField(_l("Ward or commune"), coerce=choice_int, validators=[required(_l("Choose a ward."))])
    signed_on = date_field(_l("Signed on"))
    signatory = StringField(_l("Signed for it by"), filters=[strip], validators=[required(), max_length(120)])
    received_by_id = SelectField(_l("Received by"), coerce=choice_int, validators=[required()])
    plan_id = SelectField(_l("Plan it serves"), coerce=choice_int)
    note = TextAreaField(_l("Note"), filters=[blank_to_none], validators=[max_length(2000)], render_kw={"rows": 2})
    scan = FileField(_l("Scan of the signed agreement"), description=SCAN_HINT)


class ScanForm(PortalForm):
    scan = FileField(_l("Scan of the signed paper"), description=SCAN_HINT)
