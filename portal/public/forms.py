"""Forms of the public site: sending a tip and following it with its receipt code."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import (
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from portal.extensions import db
from portal.forms import SECRET_FIELD_NAMES, PortalForm
from portal.internal.forms.fields import optional_int
from portal.internal.forms.fields import strip as _strip
from portal.models import GoodsCategory
from portal.services import areas
from portal.services.tips import MAX_WHAT


def _options(pairs) -> list[SelectChoice]:
    return [SelectChoice(str(value), label) for value, label in pairs]


def _max(n: int):
    return Length(max=n, message=_l("Use at most %(num)d characters.", num=n))


class TipForm(PortalForm):
    """The tip form. Most checks are the service's (portal.services.tips.submit), so that the
    same rules hold whatever sends the tip; this form only reads and keeps what was typed."""

    what = TextAreaField(_l("What happened?"), filters=[_strip], validators=[_max(MAX_WHAT + 100)],
                         description=_l("What goods, what you saw, when. At least 10 characters."))
    province_code = SelectField(_l("Province or city"), coerce=optional_int, validate_choice=False)
    ward_code = SelectField(_l("Ward or commune"), coerce=optional_int, validate_choice=False)
    place = StringField(_l("Where exactly?"), filters=[_strip], validators=[_max(300)],
                        description=_l("Street and house number, market and stall, or another landmark."))
    goods = SelectField(_l("Kind of goods"), validate_choice=False)
    shop = StringField(_l("Shop name or link"), filters=[_strip], validators=[_max(300)],
                       description=_l("The shop's sign, or the address of its page on a website or a social network."))
    business_id = HiddenField(filters=[optional_int])
    photos = MultipleFileField(_l("Photos (optional)"),
                               description=_l("Up to 5 photos, each at most 10 MB (JPEG, PNG, WebP or GIF). "
                                              "Their location and camera details are removed."))
    contact_choice = RadioField(_l("Do you want to be contacted?"), default="anonymous", choices=_options([
        ("anonymous", _l("No, I stay anonymous")),
        ("contact", _l("Yes, I want to be contacted about this tip")),
    ]), validate_choice=False)
    contact_name = StringField(_l("Your name (optional)"), filters=[_strip], validators=[_max(120)])
    contact_phone = StringField(_l("Phone"), filters=[_strip], validators=[_max(30)])
    contact_email = StringField(_l("Email"), filters=[_strip], validators=[_max(200)])
    #: The honeypot: hidden from people, filled in by robots.
    website = StringField(_l("Leave this field empty"))

    def fill_choices(self) -> None:
        self.province_code.choices = _options([("", _l("Choose…"))] + [(p.code, p.name) for p in areas.provinces()])
        self.ward_code.choices = _options([("", _l("Not sure / none"))]
                                          + [(w.code, w.name) for w in areas.wards_of(self.province_code.data)])
        locale = str(get_locale())
        goods = db.session.scalars(select(GoodsCategory).where(GoodsCategory.active)
                                   .order_by(GoodsCategory.name_vi if locale == "vi" else GoodsCategory.name_en))
        self.goods.choices = _options([("", _l("Not sure / other"))] + [(g.code, g.name(locale)) for g in goods])

    @property
    def wants_contact(self) -> bool:
        return self.contact_choice.data == "contact"


class TrackForm(PortalForm):
    code = StringField(_l("Receipt code"), filters=[_strip], validators=[_max(64)],
                       description=_l("The code you were given when you sent the tip, such as K7QF-2M9X-…"))


# A tip's sender and a receipt code are never echoed back on the "form expired" page.
SECRET_FIELD_NAMES.update({"contact_name", "contact_phone", "contact_email", "code"})
