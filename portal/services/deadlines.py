"""Reporting deadlines: the instants a reporting rule produces inside a plan's period.

Deadlines are wall-clock times in Vietnam (Asia/Ho_Chi_Minh) and are returned as aware UTC
instants. A rule without an hour means "by the end of that day" (23:59:59).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from portal.models import RuleKind

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
END_OF_DAY = time(23, 59, 59)
#: A rule never yields more deadlines than this (a weekly rule over 20 years is about 1,040).
MAX_DEADLINES = 2000


@dataclass(frozen=True)
class RuleSpec:
    kind: RuleKind
    day: int | None = None
    month: int | None = None
    weekday: int | None = None  # 0 = Monday
    at: time | None = None  # None: by the end of the day
    hours_after: int | None = None
    once_on: date | None = None


def local_instant(day: date, at: time | None) -> datetime:
    """That day and time in Vietnam, as a UTC instant."""
    return datetime.combine(day, at or END_OF_DAY, tzinfo=VIETNAM).astimezone(UTC)


def local_day(instant: datetime) -> date:
    return instant.astimezone(VIETNAM).date()


def _months(start: date, end: date):
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _candidates(rule: RuleSpec, first: date, last: date):
    """Every day the rule names between the first and last local day of the period."""
    if rule.kind == RuleKind.MONTHLY:
        for year, month in _months(first, last):
            yield date(year, month, min(rule.day, calendar.monthrange(year, month)[1]))
    elif rule.kind == RuleKind.YEARLY:
        for year in range(first.year, last.year + 1):
            if rule.day <= calendar.monthrange(year, rule.month)[1]:
                yield date(year, rule.month, rule.day)
    elif rule.kind == RuleKind.WEEKLY:
        day = first + timedelta(days=(rule.weekday - first.weekday()) % 7)
        while day <= last:
            yield day
            day += timedelta(days=7)
    elif rule.kind == RuleKind.ONCE:
        yield rule.once_on


def deadlines(rule: RuleSpec, starts_at: datetime, ends_at: datetime) -> list[datetime]:
    """The rule's deadlines inside [starts_at, ends_at], in order. A rule that follows
    incidents has none of its own: see incident_deadline()."""
    if rule.kind == RuleKind.AFTER_INCIDENT:
        return []
    found = []
    for day in _candidates(rule, local_day(starts_at), local_day(ends_at)):
        instant = local_instant(day, rule.at)
        if starts_at <= instant <= ends_at:
            found.append(instant)
            if len(found) >= MAX_DEADLINES:
                break
    return found


def incident_deadline(rule: RuleSpec, occurred_at: datetime) -> datetime:
    return occurred_at.astimezone(UTC) + timedelta(hours=rule.hours_after)


def problems(rule: RuleSpec, starts_at: datetime, ends_at: datetime) -> dict[str, list]:
    """What is wrong with a rule for a plan of that period, per field; empty when it is sound."""
    errors: dict[str, list] = {}

    def need(field: str, value, low: int, high: int, message) -> None:
        if value is None or not low <= value <= high:
            errors[field] = [message]

    if rule.kind == RuleKind.MONTHLY:
        need("day", rule.day, 1, 31, _l("Choose a day of the month from 1 to 31."))
    elif rule.kind == RuleKind.YEARLY:
        need("month", rule.month, 1, 12, _l("Choose a month from 1 to 12."))
        need("day", rule.day, 1, 31, _l("Choose a day of the month from 1 to 31."))
        if not errors and rule.day > calendar.monthrange(2025, rule.month)[1]:  # a year that is not leap
            errors["day"] = [_l("This day does not exist in that month every year.")]
    elif rule.kind == RuleKind.WEEKLY:
        need("weekday", rule.weekday, 0, 6, _l("Choose a day of the week."))
    elif rule.kind == RuleKind.AFTER_INCIDENT:
        need("hours_after", rule.hours_after, 1, 24 * 31, _l("Give a number of hours from 1 to 744."))
    elif rule.kind == RuleKind.ONCE and rule.once_on is None:
        errors["once_on"] = [_l("Give the date of the deadline.")]
    if not errors and rule.kind != RuleKind.AFTER_INCIDENT and not deadlines(rule, starts_at, ends_at):
        field = {RuleKind.ONCE: "once_on", RuleKind.WEEKLY: "weekday"}.get(rule.kind, "day")
        errors[field] = [_l("This rule gives no deadline inside the plan's period, so it would never fire.")]
    return errors
