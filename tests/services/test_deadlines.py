"""The reporting rules of the source documents give the deadlines the documents state."""
from datetime import UTC, date, datetime, time

from portal.models import RuleKind
from portal.services.deadlines import (
    VIETNAM,
    RuleSpec,
    deadlines,
    incident_deadline,
    local_instant,
    problems,
)


def period(first: date, last: date, start_at=None, end_at=None):
    return local_instant(first, start_at or time(0, 0)), local_instant(last, end_at)


def local(instants):
    return [i.astimezone(VIETNAM).replace(tzinfo=None) for i in instants]


def test_can_tho_weekly_at_14h_every_wednesday_until_15_june_2025_and_a_final_at_08h():
    start, end = period(date(2025, 5, 15), date(2025, 6, 15))  # signed on 15 May 2025
    weekly = local(deadlines(RuleSpec(RuleKind.WEEKLY, weekday=2, at=time(14, 0)), start, end))
    assert weekly[0] == datetime(2025, 5, 21, 14, 0)
    assert weekly[-1] == datetime(2025, 6, 11, 14, 0)
    assert len(weekly) == 4
    assert all(d.weekday() == 2 and d.time() == time(14, 0) for d in weekly)
    final = local(deadlines(RuleSpec(RuleKind.ONCE, once_on=date(2025, 6, 15), at=time(8, 0)), start, end))
    assert final == [datetime(2025, 6, 15, 8, 0)]


def test_a_deadline_is_an_instant_in_vietnam_time():
    start, end = period(date(2025, 6, 1), date(2025, 6, 30))
    [due] = deadlines(RuleSpec(RuleKind.ONCE, once_on=date(2025, 6, 15), at=time(8, 0)), start, end)
    assert due == datetime(2025, 6, 15, 1, 0, tzinfo=UTC)


def test_lang_son_monthly_half_year_year_and_final():
    start, end = period(date(2021, 5, 29), date(2025, 12, 31))
    monthly = local(deadlines(RuleSpec(RuleKind.MONTHLY, day=20), start, end))
    assert [d.date() for d in monthly[:2]] == [date(2021, 6, 20), date(2021, 7, 20)]
    assert monthly[-1].date() == date(2025, 12, 20)
    assert len(monthly) == 55  # June 2021 to December 2025
    half = local(deadlines(RuleSpec(RuleKind.YEARLY, day=20, month=6), start, end))
    year = local(deadlines(RuleSpec(RuleKind.YEARLY, day=20, month=12), start, end))
    assert [d.date() for d in half] == [date(y, 6, 20) for y in range(2021, 2026)]
    assert [d.date() for d in year] == [date(y, 12, 20) for y in range(2021, 2026)]
    final = local(deadlines(RuleSpec(RuleKind.ONCE, once_on=date(2025, 12, 20)), start, end))
    assert [d.date() for d in final] == [date(2025, 12, 20)]


def test_ham_rong_25_and_30_september_each_year_to_2030():
    start, end = period(date(2026, 1, 5), date(2030, 12, 31))
    units = local(deadlines(RuleSpec(RuleKind.YEARLY, day=25, month=9), start, end))
    ward = local(deadlines(RuleSpec(RuleKind.YEARLY, day=30, month=9), start, end))
    assert [d.date() for d in units] == [date(y, 9, 25) for y in range(2026, 2031)]
    assert [d.date() for d in ward] == [date(y, 9, 30) for y in range(2026, 2031)]


def test_a_seizure_starts_a_24_hour_deadline():
    seized = datetime(2025, 6, 3, 22, 30, tzinfo=VIETNAM)
    due = incident_deadline(RuleSpec(RuleKind.AFTER_INCIDENT, hours_after=24), seized)
    assert due.astimezone(VIETNAM) == datetime(2025, 6, 4, 22, 30, tzinfo=VIETNAM)
    assert deadlines(RuleSpec(RuleKind.AFTER_INCIDENT, hours_after=24), *period(date(2025, 1, 1),
                                                                                 date(2025, 12, 31))) == []


def test_monthly_on_the_31st_falls_on_the_last_day_of_short_months():
    start, end = period(date(2025, 1, 1), date(2025, 4, 30))
    days = [d.date() for d in local(deadlines(RuleSpec(RuleKind.MONTHLY, day=31), start, end))]
    assert days == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31), date(2025, 4, 30)]


def test_rules_that_cannot_fire_or_have_impossible_values_are_refused():
    start, end = period(date(2025, 5, 15), date(2025, 6, 15))
    assert "once_on" in problems(RuleSpec(RuleKind.ONCE, once_on=date(2026, 1, 1)), start, end)
    assert "day" in problems(RuleSpec(RuleKind.YEARLY, day=20, month=12), start, end)
    assert "day" in problems(RuleSpec(RuleKind.YEARLY, day=30, month=2), start, end)
    assert "day" in problems(RuleSpec(RuleKind.MONTHLY, day=32), start, end)
    assert "weekday" in problems(RuleSpec(RuleKind.WEEKLY, weekday=7), start, end)
    assert "hours_after" in problems(RuleSpec(RuleKind.AFTER_INCIDENT, hours_after=0), start, end)
    short = period(date(2025, 6, 2), date(2025, 6, 3))  # Monday and Tuesday only
    assert "weekday" in problems(RuleSpec(RuleKind.WEEKLY, weekday=4), *short)
    assert problems(RuleSpec(RuleKind.WEEKLY, weekday=2, at=time(14, 0)), start, end) == {}
