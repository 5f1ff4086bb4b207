"""Each unit's reporting calendar, and the private iCalendar feed that must match it."""
from datetime import date, datetime, time, timedelta

import icalendar
from sqlalchemy import select

from portal.db import utcnow
from portal.extensions import db
from portal.models import CalendarFeed, Role, RuleKind
from portal.services import plans
from portal.services.deadlines import VIETNAM
from tests.factories import make_plan, make_user


def weekly_plan(world):
    """A campaign running from last week to six weeks ahead, reporting every Wednesday at 14:00."""
    today = utcnow().astimezone(VIETNAM).date()
    plan = make_plan(world.leader, unit=world.province, number="01/KH-CD", starts_on=today - timedelta(days=8),
                     ends_on=today + timedelta(days=42))
    rule = plans.add_rule(world.leader, plan, plans.RuleData(
        name="Báo cáo tuần", kind=RuleKind.WEEKLY, weekday=2, at=time(14, 0), receiver_unit_id=world.province.id,
        reporter_ids=[world.ward_a.id, world.ward_b.id]))
    db.session.commit()
    return plan, rule


def rows(page):
    return [(r.find("time")["datetime"], r.find_all("td")[1].get_text(" ", strip=True))
            for r in page.soup.select("#obligations tbody tr.obligation")]


def test_a_ward_official_sees_only_their_units_obligations(web, world):
    plan, rule = weekly_plan(world)
    web.sign_in(world.ward_official)
    page = web.get("/internal/calendar/")
    mine = sorted(o.due_at for o in rule.obligations if o.unit_id == world.ward_a.id)
    assert len(rows(page)) == len(mine) >= 6
    shown = [datetime.fromisoformat(when) for when, _ in rows(page)]
    assert sorted(shown) == mine
    assert all("Báo cáo tuần gửi UBND tỉnh Thanh Hóa" == text for _, text in rows(page))
    theirs = next(o for o in rule.obligations if o.unit_id == world.ward_b.id and o.due_at > utcnow())
    web.post(f"/internal/calendar/obligations/{theirs.id}/submitted", status=403)


def test_states_overdue_first_then_due_soon_upcoming_and_submitted(web, world):
    plan, rule = weekly_plan(world)
    mine = sorted((o for o in rule.obligations if o.unit_id == world.ward_a.id), key=lambda o: o.due_at)
    past = [o for o in mine if o.due_at < utcnow()]
    assert past, "the campaign started eight days ago, so one Wednesday has passed"
    web.sign_in(world.ward_official)
    page = web.get("/internal/calendar/")
    first = page.soup.select_one("#obligations tbody tr")
    assert "obligation--overdue" in first["class"]
    web.post(f"/internal/calendar/obligations/{past[0].id}/submitted", status=303)
    page = web.get("/internal/calendar/")
    assert page.soup.select_one("tr.obligation--submitted_late")
    assert not page.soup.select_one("tr.obligation--overdue")


def test_the_feed_parses_and_matches_the_calendar_page(web, world, app):
    weekly_plan(world)
    web.sign_in(world.ward_official)
    web.post("/internal/calendar/link", status=303)
    page = web.get("/internal/calendar/")
    link = page.soup.select_one(".feed-link").get_text(strip=True)
    assert web.get("/internal/calendar/").soup.select_one(".feed-link") is None  # shown once only
    web.sign_out()

    response = app.test_client().get(link.replace("http://localhost", ""))
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    feed = icalendar.Calendar.from_ical(response.data)
    events = [(e.decoded("dtstart"), str(e["summary"])) for e in feed.walk("VEVENT")]
    assert sorted((datetime.fromisoformat(w), t) for w, t in rows(page)) == sorted(events)
    assert all(when.tzinfo is not None for when, _ in events)


def test_a_revoked_or_replaced_link_stops_working(web, world, app):
    weekly_plan(world)
    web.sign_in(world.ward_official)
    web.post("/internal/calendar/link", status=303)
    first = web.get("/internal/calendar/").soup.select_one(".feed-link").get_text(strip=True)
    path = first.replace("http://localhost", "")
    assert app.test_client().get(path).status_code == 200
    web.post("/internal/calendar/link", status=303)  # a new link replaces the old one
    assert app.test_client().get(path).status_code == 404
    web.post("/internal/calendar/link/revoke", status=303)
    assert db.session.scalar(select(CalendarFeed).where(CalendarFeed.revoked_at.is_(None))) is None
    assert app.test_client().get("/internal/calendar/feed/nonsense.ics").status_code == 404


def test_my_work_is_where_staff_land_with_overdue_first(web, world):
    plan, rule = weekly_plan(world)
    old = plans.save_task(world.leader, plan, plans.TaskData(description="Việc đã quá hạn",
                                                             lead_unit_id=world.ward_a.id, due_on=date(2020, 1, 1)))
    plans.save_task(world.leader, plan, plans.TaskData(description="Việc còn hạn", lead_unit_id=world.ward_a.id,
                                                       due_on=date(2099, 1, 1)))
    db.session.commit()
    landing = web.sign_in(world.ward_official)
    assert landing.response.headers["Location"] == "/internal/"
    page = web.get("/internal/")
    titles = [h.get_text(strip=True) for h in page.soup.select("article.task h3")]
    assert titles == ["Việc đã quá hạn", "Việc còn hạn"]
    assert "task--overdue" in page.soup.find("article", id=f"task-{old.id}")["class"]
    assert page.soup.select("#obligations tr.obligation")


def test_quotas_are_given_by_a_leader_and_counted_not_typed(web, world):
    inspector = make_user("kiemsoatvien", world.ward_a, Role.OFFICER)
    db.session.commit()
    web.sign_in(world.leader)
    web.post("/internal/quotas/", {"user_id": inspector.id, "metric": "outreach_sessions", "amount": "12",
                                    "starts_on": "2026-04-01", "ends_on": "2026-06-30"}, status=303)
    page = web.post("/internal/quotas/", {"user_id": inspector.id, "metric": "inspections", "amount": "0",
                                           "starts_on": "2026-04-01", "ends_on": "2026-03-01"}, status=422)
    assert page.field_error("amount")
    web.sign_out()
    web.sign_in(inspector)
    text = web.get("/internal/").text()
    assert "12" in text and "0 (0%)" in text
    web.post("/internal/quotas/", {"user_id": inspector.id, "metric": "inspections", "amount": "5",
                                   "starts_on": "2026-04-01", "ends_on": "2026-06-30"}, status=403)
