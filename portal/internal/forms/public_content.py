"""Forms for what staff write for the public site: hotlines and guides to spotting fakes."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import NumberRange, Optional, ValidationError

from portal.forms import PortalForm
from portal.internal.forms.fields import (
    PHONE_RE,
    blank_to_none,
    choice_int,
    email_address,
    max_length,
    normalise_phone,
    required,
    strip,
)
from portal.internal.forms.plans import version_field

MAX_PHONES = 10
MAX_BODY = 50_000
_SEPARATORS = re.compile(r"[,;\n\r]+")


def split_phones(value: str | None) -> list[str]:
    return [part.strip() for part in _SEPARATORS.split(value or "") if part.strip()]


def phone_numbers(form, field):
    """Each number typed (one a line, or separated by commas) must be a Vietnamese number; the
    message names the one that is not. The normalised numbers are kept in ``field.numbers``."""
    numbers: list[str] = []
    for typed in split_phones(field.data):
        number = normalise_phone(typed)
        if not number or not PHONE_RE.match(number):
            raise ValidationError(_l("“%(number)s” is not a Vietnamese phone number: use 10 or 11 digits "
                                     "starting with 0.", number=typed))
        if number not in numbers:
            numbers.append(number)
    if not numbers:
        raise ValidationError(_l("Give at least one phone number."))
    if len(numbers) > MAX_PHONES:
        raise ValidationError(_l("Give at most %(num)d numbers.", num=MAX_PHONES))
    field.numbers = numbers


class HotlineForm(PortalForm):
    unit_id = SelectField(_l("Unit"), coerce=choice_int, validators=[required(_l("Choose a unit."))])
    label = StringField(_l("Name of the hotline"), filters=[strip], validators=[required(), max_length(200)],
                        description=_l("What citizens see, e.g. Hotline of the Market Surveillance Department"))
    phones = TextAreaField(_l("Phone numbers"), validators=[phone_numbers], render_kw={"rows": 2},
                           description=_l("One or more numbers, separated by commas or on separate lines."))
    email = StringField(_l("Email"), filters=[blank_to_none], validators=[max_length(200), email_address])
    address = StringField(_l("Address"), filters=[blank_to_none], validators=[max_length(300)])
    hours = StringField(_l("Hours"), filters=[blank_to_none], validators=[max_length(200)],
                        description=_l("e.g. 24/7, or 7:30–17:00 Monday to Friday"))
    province_code = SelectField(_l("Province or city"), coerce=choice_int,
                                description=_l("Leave empty for a national hotline."))
    ward_code = SelectField(_l("Ward or commune"), coerce=choice_int,
                            description=_l("Leave empty when the hotline serves the whole province."))
    published = BooleanField(_l("Show on the public site"), default=True)
    position = IntegerField(_l("Order"), default=0, validators=[
        Optional(), NumberRange(min=0, max=9999, message=_l("Give a number from 0 to 9999."))],
        description=_l("Smaller numbers come first within their area."))
    version = version_field()


class GuideForm(PortalForm):
    title = StringField(_l("Title of the guide"), filters=[strip], validators=[required(), max_length(200)])
    unit_id = SelectField(_l("Unit"), coerce=choice_int, validators=[required(_l("Choose a unit."))])
    goods_code = SelectField(_l("Goods category"), coerce=blank_to_none)
    brand = StringField(_l("Brand"), filters=[blank_to_none], validators=[max_length(120)])
    rights_holder = StringField(_l("Rights holder (source)"), filters=[blank_to_none], validators=[max_length(200)],
                                description=_l("The company that owns the brand and supplied this guide."))
    summary = TextAreaField(_l("Summary"), filters=[blank_to_none], validators=[max_length(500)],
                            render_kw={"rows": 2})
    body = TextAreaField(_l("Text of the guide"), filters=[strip], validators=[required(), max_length(MAX_BODY)],
                         render_kw={"rows": 16},
                         description=_l("Blank line: new paragraph. “## ” starts a heading, “- ” a bulleted "
                                        "list, “1. ” a numbered list; **bold**; addresses starting with "
                                        "https:// become links."))
    version = version_field()


class GuideImageForm(PortalForm):
    image = FileField(_l("Image (JPEG, PNG, WebP or GIF)"),
                      description=_l("At most %(num)d MB. The location and other data in the photo are removed.",
                                     num=10))
    caption = StringField(_l("Description of the image"), filters=[strip],
                          validators=[required(_l("Describe the image: the description is read to blind visitors.")),
                                      max_length(300)])
