"""Forms of the business registry."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FormField, SelectField, StringField, TextAreaField

from portal.forms import PortalForm, PortalSubForm
from portal.internal.forms.admin import options
from portal.internal.forms.fields import (
    MultiCheckboxField,
    RowList,
    blank_to_none,
    choice_int,
    max_length,
    normalise_phone,
    required,
    strip,
    vietnamese_phone,
)
from portal.internal.forms.plans import date_field, version_field
from portal.labels import BUSINESS_STATUS_LABELS, CHANNEL_LABELS
from portal.services.registry import normalise_tax_code


class ChannelForm(PortalSubForm):
    kind = SelectField(_l("Channel"), coerce=blank_to_none,
                       choices=options([("", "—")] + list(CHANNEL_LABELS.items())))
    place_name = StringField(_l("Market, mall, village or platform"), filters=[blank_to_none],
                             validators=[max_length(200)])
    stall = StringField(_l("Stall"), filters=[blank_to_none], validators=[max_length(40)])
    link = StringField(_l("Shop link or website"), filters=[blank_to_none], validators=[max_length(500)])


class BusinessForm(PortalForm):
    name = StringField(_l("Name of the business"), filters=[strip], validators=[required(), max_length(200)])
    owner_name = StringField(_l("Owner or representative"), filters=[blank_to_none], validators=[max_length(120)])
    tax_code = StringField(_l("Tax code"), filters=[normalise_tax_code], validators=[max_length(20)],
                           description=_l("10 digits, or 13 for a branch; leave empty if it has none."))
    household_reg_no = StringField(_l("Household business registration number"), filters=[blank_to_none],
                                   validators=[max_length(40)])
    address = StringField(_l("Address"), filters=[strip], validators=[required(), max_length(300)],
                          description=_l("House number and street, or market and stall."))
    province_code = SelectField(_l("Province or city"), coerce=choice_int)
    ward_code = SelectField(_l("Ward or commune"), coerce=choice_int, validators=[required(_l("Choose a ward."))])
    phone = StringField(_l("Phone"), filters=[normalise_phone], validators=[vietnamese_phone])
    goods = MultiCheckboxField(_l("Goods it trades"))
    channels = RowList(FormField(ChannelForm), min_entries=3, max_entries=20)
    opened_on = date_field(_l("First recorded (opened) on"), optional=True)
    not_a_duplicate = BooleanField(_l("I have looked at the records above: this is another business."))
    version = version_field()


class StatusForm(PortalForm):
    status = SelectField(_l("New status"), choices=options(BUSINESS_STATUS_LABELS.items()))
    on = date_field(_l("Since"))
    note = TextAreaField(_l("Note"), filters=[blank_to_none], validators=[max_length(1000)], render_kw={"rows": 2})
