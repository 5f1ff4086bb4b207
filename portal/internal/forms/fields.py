"""Field helpers shared by the staff forms."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, SelectMultipleField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.forms import PortalForm

PHONE_RE = re.compile(r"^0\d{9,10}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class EmptyForm(PortalForm):
    """Carries only the CSRF token, for POST buttons."""


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def required(message=None):
    return DataRequired(message=message or _l("This field is required."))


def max_length(n: int):
    return Length(max=n, message=_l("Use at most %(num)d characters.", num=n))


def strip(value):
    """Text as typed, without surrounding spaces; anything that is not text (a file sent in place
    of a text field by a forged multipart request) is nothing, so the form refuses it cleanly."""
    return value.strip() if isinstance(value, str) else None


def blank_to_none(value):
    value = strip(value)
    return value or None


def normalise_phone(value):
    """'0908 538 844', '0908.538.844' and '+84908538844' all become '0908538844'."""
    value = blank_to_none(value)
    if value is None:
        return None
    value = re.sub(r"[\s.\-()]", "", value)
    if value.startswith("+84"):
        value = "0" + value[3:]
    return value


def vietnamese_phone(form, field):
    if field.data and not PHONE_RE.match(field.data):
        raise ValidationError(_l("Enter a Vietnamese phone number: 10 or 11 digits starting with 0."))


def email_address(form, field):
    if field.data and not EMAIL_RE.match(field.data):
        raise ValidationError(_l("Enter an email address such as name@example.gov.vn."))


MAX_ID = 2**31 - 1  # the largest integer key PostgreSQL and SQLite agree on


def optional_int(value):
    """A key from a form or a query string, or None when it is missing or cannot be one."""
    if value in (None, "", "None"):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def choice_int(value):
    """Coerce a submitted choice: empty is None; anything that cannot be a key is refused
    (WTForms then reports an invalid choice next to the field)."""
    if value in (None, ""):
        return None
    number = optional_int(value)
    if number is None:
        raise ValueError(value)
    return number


class RowList(FieldList):
    """A list of rows whose index in the field names ("rows-3-query") must be plain ASCII
    digits: WTForms takes any Unicode digit ("rows-²-query") and then fails to read it."""

    def _extract_indices(self, prefix, formdata):
        offset = len(prefix) + 1
        for name in formdata:
            if name.startswith(prefix):
                index = name[offset:].split(self._field_separator, 1)[0]
                if index.isascii() and index.isdigit():
                    yield int(index)
