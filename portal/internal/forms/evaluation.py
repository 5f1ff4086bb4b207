"""The commendation proposal made from a row of the evaluation."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length

from portal.forms import PortalForm
from portal.internal.forms.fields import required, strip
from portal.services.evaluation import REASON_MAX, REASON_MIN


class CommendationForm(PortalForm):
    reason = TextAreaField(
        _l("Reason for the commendation"), filters=[strip],
        validators=[required(), Length(min=REASON_MIN, max=REASON_MAX,
                                       message=_l("Write between %(min)d and %(max)d characters."))],
        description=_l("What the team or inspector achieved; the figures of the row are attached as they are today."))
