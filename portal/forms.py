"""The base of every form: WTForms' own messages are translated from the portal's catalogue
(WTForms ships no Vietnamese, and Flask-WTF only looks in WTForms' catalogue)."""
from __future__ import annotations

from flask_babel import get_translations, lazy_ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, PasswordField


class _CatalogueTranslations:
    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


#: Names of every password field of every form: never echoed back to a browser.
SECRET_FIELD_NAMES: set[str] = {"csrf_token"}


class PortalForm(FlaskForm):
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in dir(cls):
            if getattr(getattr(cls, name, None), "field_class", None) is PasswordField:
                SECRET_FIELD_NAMES.add(name)

    class Meta:
        def get_translations(self, form):
            return _CatalogueTranslations()


class PortalSubForm(Form):
    """A form nested in another (a row of a list): no CSRF token of its own, same translations."""

    class Meta:
        def get_translations(self, form):
            return _CatalogueTranslations()


#: WTForms' built-in messages that the portal's fields can produce, marked here so that
#: they are extracted into the catalogue and translated.
WTFORMS_MESSAGES = (
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    lazy_ngettext("'%(value)s' is not a valid choice for this field.",
                  "'%(value)s' are not valid choices for this field.", 1),
    _l("Not a valid integer value."),
    _l("Not a valid date value."),
    _l("Not a valid datetime value."),
    _l("Not a valid time value."),
    _l("Not a valid decimal value."),
    _l("Choices cannot be None."),
)
