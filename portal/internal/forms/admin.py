"""Forms of the administration area: units and users."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from portal.forms import PortalForm
from portal.internal.forms.fields import (
    MultiCheckboxField,
    blank_to_none,
    choice_int,
    email_address,
    max_length,
    normalise_phone,
    required,
    strip,
    vietnamese_phone,
)
from portal.labels import ROLE_LABELS, UNIT_KIND_LABELS


def options(pairs) -> list[SelectChoice]:
    return [SelectChoice(str(value), label) for value, label in pairs]


def unit_options(units) -> list[SelectChoice]:
    """Units indented by their depth in the tree."""
    top = min((u.depth for u in units), default=0)
    return [SelectChoice(str(u.id), "\u2003" * (u.depth - top) + u.name) for u in units]


class UnitForm(PortalForm):
    name = StringField(_l("Name"), filters=[strip], validators=[required(), max_length(200)])
    kind = SelectField(_l("Kind of unit"), validators=[required()])
    parent_id = SelectField(_l("Belongs to"), coerce=choice_int)
    province_code = SelectField(_l("Province or city"), coerce=choice_int)
    ward_code = SelectField(_l("Ward or commune"), coerce=choice_int)
    address = StringField(_l("Address"), filters=[blank_to_none], validators=[max_length(300)])
    email = StringField(_l("Email"), filters=[blank_to_none], validators=[max_length(200), email_address])
    phone = StringField(_l("Phone"), filters=[normalise_phone], validators=[vietnamese_phone])
    version = IntegerField(_l("Record version"), widget=HiddenField.widget, default=1,
                           validators=[InputRequired(message=_l("This field is required."))])

    def fill_choices(self, parents, provinces, wards):
        self.kind.choices = options([("", _l("Choose…"))] + list(UNIT_KIND_LABELS.items()))
        self.parent_id.choices = unit_options(parents)
        self.province_code.choices = options([("", _l("No province (national)"))] + [(p.code, p.name) for p in provinces])
        self.ward_code.choices = options([("", _l("No ward (provincial level)"))] + [(w.code, w.name) for w in wards])


class UserForm(PortalForm):
    full_name = StringField(_l("Full name"), filters=[strip], validators=[required(), max_length(120)])
    email = StringField(_l("Email"), filters=[blank_to_none], validators=[max_length(200), email_address])
    unit_id = SelectField(_l("Unit"), coerce=choice_int, validators=[required(_l("Choose a unit."))])
    roles = MultiCheckboxField(_l("Roles"))
    active = BooleanField(_l("Account active"), default=True)
    version = IntegerField(_l("Record version"), widget=HiddenField.widget, default=1,
                           validators=[InputRequired(message=_l("This field is required."))])

    def fill_choices(self, units):
        self.unit_id.choices = unit_options(units)
        self.roles.choices = options(ROLE_LABELS.items())


class NewUserForm(UserForm):
    username = StringField(_l("User name"), filters=[strip], validators=[required(), max_length(60)],
                           description=_l("Letters a–z, digits, dots, hyphens or underscores, e.g. nguyen.van.a"),
                           render_kw={"autocapitalize": "none", "autocomplete": "off"})
    password = PasswordField(_l("Temporary password"), validators=[required()],
                             description=_l("The user must change it at the first sign-in."),
                             render_kw={"autocomplete": "new-password"})


class ResetPasswordForm(PortalForm):
    password = PasswordField(_l("Temporary password"), validators=[required()],
                             description=_l("The user must change it at the next sign-in. "
                                            "All of the user's sessions end now."),
                             render_kw={"autocomplete": "new-password"})
