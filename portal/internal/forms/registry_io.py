"""Forms of importing the business registry from a spreadsheet."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired, Regexp

from portal.forms import PortalForm
from portal.services.spreadsheets import MAX_BYTES, MAX_ROWS


class ImportForm(PortalForm):
    file = FileField(_l("Spreadsheet (XLSX or CSV)"), validators=[FileRequired(message=_l("Choose a file."))],
                     description=_l("At most %(size)d MB and %(rows)d rows. The first sheet is read.",
                                    size=MAX_BYTES // (1024 * 1024), rows=MAX_ROWS))


class ConfirmImportForm(PortalForm):
    """The confirmation of a previewed import: the token of the file kept on the server."""

    token = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])
