from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import EqualTo

from portal.forms import PortalForm
from portal.internal.forms.fields import max_length, required, strip


class SignInForm(PortalForm):
    username = StringField(_l("User name"), filters=[strip], validators=[required(), max_length(60)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Password"), validators=[required(), max_length(128)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class PasswordChangeForm(PortalForm):
    current_password = PasswordField(_l("Current password"), validators=[required()],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(_l("New password"), validators=[required()],
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("New password again"), validators=[
        required(), EqualTo("new_password", message=_l("The two new passwords are not the same."))],
        render_kw={"autocomplete": "new-password"})


class CodeForm(PortalForm):
    code = StringField(_l("Code"), filters=[strip], validators=[required(), max_length(20)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "none",
                                  "spellcheck": "false"})


class DisableTwoFactorForm(PortalForm):
    password = PasswordField(_l("Current password"), validators=[required(), max_length(128)],
                             render_kw={"autocomplete": "current-password"})
