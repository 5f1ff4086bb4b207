"""Forms for plans and what hangs from them."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from portal.forms import PortalForm
from portal.internal.forms.admin import options, unit_options
from portal.internal.forms.fields import MultiCheckboxField, blank_to_none, choice_int, max_length, required, strip
from portal.labels import (
    PLAN_KIND_LABELS,
    PLAN_STATUS_LABELS,
    PROGRESS_LABELS,
    QUOTA_METRIC_LABELS,
    RECURRENCE_LABELS,
    RULE_KIND_LABELS,
    TARGET_CATEGORY_LABELS,
    TARGET_MEASURE_LABELS,
    WEEKDAY_LABELS,
)


def plausible_date(form, field):
    if field.data is not None and not 2000 <= field.data.year <= 2100:
        raise ValidationError(_l("Give a date between the years 2000 and 2100."))


def date_field(label, *, optional=False):
    checks = [Optional()] if optional else [InputRequired(message=_l("This field is required."))]
    return DateField(label, validators=[*checks, plausible_date], format="%Y-%m-%d")


def version_field():
    return IntegerField(_l("Record version"), widget=HiddenField.widget, default=1,
                        validators=[InputRequired(message=_l("This field is required."))])


def lines(value):
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class PlanForm(PortalForm):
    number = StringField(_l("Number and symbol"), filters=[strip], validators=[required(), max_length(60)],
                         description=_l("As on the document, e.g. 125/KH-UBND"))
    kind = SelectField(_l("Kind of document"), choices=options(PLAN_KIND_LABELS.items()))
    title = TextAreaField(_l("Title"), filters=[strip], validators=[required(), max_length(500)],
                          render_kw={"rows": 2})
    unit_id = SelectField(_l("Issuing unit"), coerce=choice_int, validators=[required(_l("Choose a unit."))])
    issued_on = date_field(_l("Date issued"))
    starts_on = date_field(_l("Start of the period"))
    start_time = TimeField(_l("Start hour"), validators=[Optional()],
                           description=_l("Only for a campaign that starts at a stated hour."))
    ends_on = date_field(_l("End of the period"))
    end_time = TimeField(_l("End hour"), validators=[Optional()],
                         description=_l("Leave empty for the end of that day."))
    status = SelectField(_l("Status"), choices=options(PLAN_STATUS_LABELS.items()))
    goods = MultiCheckboxField(_l("Key goods"))
    cites = TextAreaField(_l("Documents it implements or cites"), filters=[strip], render_kw={"rows": 3},
                          validators=[max_length(2000)],
                          description=_l("One number per line, e.g. 888/QĐ-TCQLTT"))
    document = FileField(_l("Signed document (PDF or DOCX)"),
                         description=_l("At most %(num)d MB. A new file replaces the old one.", num=20))
    version = version_field()


class TaskForm(PortalForm):
    description = TextAreaField(_l("Task"), filters=[strip], validators=[required(), max_length(1000)],
                                render_kw={"rows": 3})
    lead_unit_id = SelectField(_l("Lead unit"), coerce=choice_int, validators=[required(_l("Choose the lead unit."))])
    coordinator_ids = SelectMultipleField(_l("Coordinating units"), coerce=choice_int, render_kw={"size": 8})
    due_on = date_field(_l("Due date"), optional=True)
    recurrence = SelectField(_l("Or a recurrence"), coerce=blank_to_none,
                             choices=options([("", "—")] + list(RECURRENCE_LABELS.items())))
    version = version_field()


class RuleForm(PortalForm):
    name = StringField(_l("Name of the report"), filters=[strip], validators=[required(), max_length(200)],
                       description=_l("e.g. Monthly report, Quick report"))
    kind = SelectField(_l("When it is due"), choices=options(RULE_KIND_LABELS.items()))
    day = IntegerField(_l("Day of the month"), validators=[Optional()])
    month = IntegerField(_l("Month"), validators=[Optional()])
    weekday = SelectField(_l("Day of the week"), coerce=choice_int,
                          choices=options([("", "—")] + [(i + 1, label) for i, label in enumerate(WEEKDAY_LABELS)]))
    at = TimeField(_l("Hour"), validators=[Optional()], description=_l("Leave empty for the end of the day."))
    hours_after = IntegerField(_l("Hours after the incident"), validators=[Optional()])
    once_on = date_field(_l("Date"), optional=True)
    receiver_unit_id = SelectField(_l("Unit that receives the reports"), coerce=choice_int,
                                   validators=[required(_l("Choose the unit that receives the reports."))])
    reporter_ids = SelectMultipleField(_l("Units that must report"), coerce=choice_int, render_kw={"size": 8})


class ProgressForm(PortalForm):
    status = SelectField(_l("Status"), choices=options(PROGRESS_LABELS.items()))
    narrative = TextAreaField(_l("What was done"), filters=[strip], validators=[required(), max_length(2000)],
                              render_kw={"rows": 3})
    files = MultipleFileField(_l("Evidence (PDF, DOCX, JPEG or PNG)"))


class IncidentForm(PortalForm):
    occurred_on = date_field(_l("Date of the seizure"))
    occurred_at = TimeField(_l("Hour of the seizure"), validators=[InputRequired(message=_l("This field is required."))])
    description = TextAreaField(_l("What was seized"), filters=[strip], validators=[required(), max_length(1000)],
                                render_kw={"rows": 2})


class TargetForm(PortalForm):
    year = IntegerField(_l("By the end of year"), validators=[
        InputRequired(message=_l("This field is required.")),
        NumberRange(2000, 2100, message=_l("Give a year between %(min)s and %(max)s."))])
    percent = IntegerField(_l("Percent"), validators=[
        InputRequired(message=_l("This field is required.")),
        NumberRange(1, 100, message=_l("Give a percentage from %(min)s to %(max)s."))])
    category = SelectField(_l("Businesses"), choices=options(TARGET_CATEGORY_LABELS.items()))
    measure = SelectField(_l("That have"), choices=options(TARGET_MEASURE_LABELS.items()))
    text = TextAreaField(_l("Wording in the plan"), filters=[strip], validators=[required(), max_length(1000)],
                         render_kw={"rows": 2})


class QuotaForm(PortalForm):
    user_id = SelectField(_l("Inspector"), coerce=choice_int, validators=[required(_l("Choose an inspector."))])
    metric = SelectField(_l("What to count"), choices=options(QUOTA_METRIC_LABELS.items()))
    amount = IntegerField(_l("How many"), validators=[
        InputRequired(message=_l("This field is required.")),
        NumberRange(1, 100000, message=_l("Give a number from %(min)s to %(max)s."))])
    starts_on = date_field(_l("From"))
    ends_on = date_field(_l("To"))


def fill_units(field, units):
    field.choices = unit_options(units)


__all__ = ["PlanForm", "TaskForm", "RuleForm", "ProgressForm", "IncidentForm", "TargetForm", "QuotaForm",
           "fill_units", "lines", "options"]
