"""Forms of reports: the document header and the six narrative sections (plan 125/KH-UBND IV.3.1)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField

from portal.forms import PortalForm
from portal.internal.forms.fields import blank_to_none, max_length
from portal.internal.forms.plans import date_field, version_field
from portal.services.reports import MAX_TEXT, SECTION_LABELS, ReportData


def _section(name: str):
    return TextAreaField(SECTION_LABELS[name], filters=[blank_to_none], validators=[max_length(MAX_TEXT)],
                         render_kw={"rows": 6})


class ReportForm(PortalForm):
    number = StringField(_l("Number and symbol"), filters=[blank_to_none], validators=[max_length(60)],
                         description=_l("For example 12/BC-CCQLTT."))
    place = StringField(_l("Place"), filters=[blank_to_none], validators=[max_length(100)])
    issued_on = date_field(_l("Date"), optional=True)
    recipients = TextAreaField(_l("Recipients"), filters=[blank_to_none], validators=[max_length(2000)],
                               description=_l("One per line, as in \"Nơi nhận\"."), render_kw={"rows": 3})
    signer_name = StringField(_l("Signer"), filters=[blank_to_none], validators=[max_length(120)])
    signer_title = StringField(_l("Signer's title"), filters=[blank_to_none], validators=[max_length(120)])
    market_situation = _section("market_situation")
    outreach_results = _section("outreach_results")
    enforcement_results = _section("enforcement_results")
    progress = _section("progress")
    difficulties = _section("difficulties")
    proposals = _section("proposals")
    version = version_field()

    def data_for_service(self) -> ReportData:
        return ReportData(**{name: getattr(self, name).data for name in ReportData.__dataclass_fields__})


class VersionForm(PortalForm):
    """A POST button that names the version of the report seen on the page."""

    version = version_field()
