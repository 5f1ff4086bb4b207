"""What the benchmark measures: each request, who makes it, and the target it is held to; and
the records of the bench database they point at (a published violation, a month's report
obligation, businesses of a ward), looked up before the run."""
from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import create_engine, text

#: The account each kind of user signs in as, for the measured province (pNN: its code).
USERS = {"leader": "p{code:02d}.leader", "officer": "p{code:02d}.team1.1", "ward": "p{code:02d}.ward1"}
#: Rows of the market meeting that the batch save posts (each a business that signs).
BATCH_ROWS = 10
#: The note of the outreach sessions the batch save records; they are deleted after the run.
BATCH_NOTE = "Benchmark (make bench): deleted after the run"


@dataclass(frozen=True)
class Target:
    text: str
    p95_ms: float | None = None
    min_ratio: float | None = None  # of the hello route's throughput

    def met(self, p95_ms: float, ratio: float) -> bool:
        return ((self.p95_ms is None or p95_ms < self.p95_ms)
                and (self.min_ratio is None or ratio >= self.min_ratio))

    def shortfall(self, p95_ms: float, ratio: float) -> str:
        """By how much a missed target is missed, in words."""
        parts = []
        if self.p95_ms is not None and p95_ms >= self.p95_ms:
            parts.append(f"p95 {p95_ms / self.p95_ms:.1f}× the limit")
        if self.min_ratio is not None and ratio < self.min_ratio:
            parts.append(f"{ratio / self.min_ratio:.0%} of the throughput asked")
        return ", ".join(parts)


TARGETS = {
    "public": Target("≥ ½ hello, p95 < 25 ms", p95_ms=25, min_ratio=0.5),
    "list": Target("p95 < 100 ms", p95_ms=100),
    "heavy": Target("p95 < 300 ms", p95_ms=300),
    "search": Target("p95 < 50 ms", p95_ms=50),
}


@dataclass(frozen=True)
class Case:
    key: str
    label: str
    path: str  # with {placeholders} filled from Fixtures
    target: str | None  # a key of TARGETS; None: the issue sets none
    user: str | None = None  # a key of USERS; None: the public, signed out
    method: str = "GET"
    weigh: bool = False  # count what a browser downloads with it (public pages)
    expect: int = 200


CASES = (
    Case("home", "Public home page", "/", "public", weigh=True),
    Case("violations", "Violator list, one province", "/violations?province={province}", "public", weigh=True),
    Case("violations_q", "Violator list, search “cua hang sua”", "/violations?q=cua+hang+sua", "public",
         weigh=True),
    Case("violation", "One violation's page", "/violations/{violation}", "public", weigh=True),
    Case("csv", "CSV download, one province and year", "/violations.csv?province={province}&year={year}", None),
    Case("check", "Check a business, whole country, “tap hoa minh anh”", "/check?q=tap+hoa+minh+anh", "search",
         weigh=True),
    Case("work", "My work (team officer)", "/internal/", "list", user="officer"),
    Case("registry", "Businesses of the province (leader)", "/internal/businesses/", "list", user="leader"),
    Case("registry_q", "Business search “tap hoa minh anh”, province (leader)",
         "/internal/businesses/?q=tap+hoa+minh+anh", "search", user="leader"),
    Case("dashboard", "Province dashboard (leader)", "/internal/overview", "heavy", user="leader"),
    Case("coverage", "Coverage of the province (leader)", "/internal/coverage/?province={province}", "heavy",
         user="leader"),
    Case("report", "Month's report draft of a province team", "/internal/reports/obligations/{obligation}", "heavy",
         user="officer"),
    Case("batch", f"Market meeting saved, {BATCH_ROWS} commitments (POST)", "/internal/outreach/new", None,
         user="ward", method="POST", expect=303),
)


@dataclass
class Fixtures:
    """Records of the bench database the measured requests name."""

    province: int
    year: int
    violation: int
    obligation: int
    ward_user: int
    ward: int
    businesses: list[int]
    total_businesses: int

    def path(self, case: Case) -> str:
        return case.path.format(province=self.province, year=self.year, violation=self.violation,
                                obligation=self.obligation)

    def username(self, case: Case) -> str | None:
        return USERS[case.user].format(code=self.province) if case.user else None


def local_today() -> date:
    return (datetime.now(timezone.utc) + timedelta(hours=7)).date()


def find_fixtures(url: str, province: int) -> Fixtures:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            one = conn.execute
            violation = one(text(
                "SELECT id, EXTRACT(YEAR FROM decision_on) FROM public_entries WHERE withdrawn_at IS NULL "
                "AND province_code = :p AND (ends_on IS NULL OR ends_on >= CURRENT_DATE) "
                "ORDER BY published_at DESC LIMIT 1"), {"p": province}).first()
            team = USERS["officer"].format(code=province)
            obligation = one(text(
                "SELECT o.id FROM report_obligations o JOIN reporting_rules r ON r.id = o.rule_id "
                "JOIN users u ON u.unit_id = o.unit_id WHERE u.username = :team AND r.kind = 'monthly' "
                "AND o.due_at < now() AND o.incident_id IS NULL "
                "ORDER BY o.submitted_at IS NULL DESC, o.due_at DESC LIMIT 1"), {"team": team}).first()
            ward_user = one(text("SELECT u.id, un.ward_code FROM users u JOIN units un ON un.id = u.unit_id "
                                 "WHERE u.username = :name"), {"name": USERS["ward"].format(code=province)}).first()
            businesses = list(conn.scalars(text(
                "SELECT id FROM businesses WHERE ward_code = :ward AND merged_into_id IS NULL AND status <> 'ceased' "
                "AND recorded_on <= :today ORDER BY id LIMIT :n"),
                {"ward": ward_user[1] if ward_user else 0, "today": local_today(), "n": BATCH_ROWS}))
            total = conn.scalar(text("SELECT count(*) FROM businesses"))
    finally:
        engine.dispose()
    if violation is None or obligation is None or ward_user is None or len(businesses) < BATCH_ROWS:
        raise RuntimeError(f"The bench database lacks the national demo's records for province {province}: "
                           "load it with flask --app portal demo --scale national")
    return Fixtures(province=province, year=int(violation[1]), violation=violation[0], obligation=obligation[0],
                    ward_user=ward_user[0], ward=ward_user[1], businesses=businesses, total_businesses=total)


def batch_form(fixtures: Fixtures, csrf_token: str) -> str:
    """The market meeting's form as the browser posts it: today's meeting in the ward, each
    business of the rows signing its commitment."""
    fields: list[tuple[str, object]] = [
        ("csrf_token", csrf_token), ("held_on", local_today().isoformat()), ("method", "leaflet"),
        ("place", ""), ("ward_code", fixtures.ward), ("plan_id", ""), ("people_reached", 0),
        ("officer_ids", fixtures.ward_user), ("note", BATCH_NOTE), ("received_by_id", fixtures.ward_user)]
    for index, business in enumerate(fixtures.businesses):
        prefix = f"rows-{index}-"
        fields += [(prefix + "business_id", business), (prefix + "query", ""), (prefix + "signed", "y"),
                   (prefix + "signatory", "Nguyễn Văn Thử")]
    fields.append(("action", "save"))
    return urllib.parse.urlencode(fields)


def delete_batch_sessions(url: str) -> int:
    """Remove what the batch save recorded (sessions, their commitments and audit entries), so
    that running the benchmark again and again does not grow the data."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            ids = list(conn.scalars(text("SELECT id FROM outreach_sessions WHERE note = :note"), {"note": BATCH_NOTE}))
            for start in range(0, len(ids), 1000):
                chunk = {"ids": ids[start:start + 1000]}
                conn.execute(text("DELETE FROM audit_entries WHERE object_type = 'OutreachSession' "
                                  "AND object_id = ANY(:ids)"), chunk)
                conn.execute(text("DELETE FROM commitments WHERE session_id = ANY(:ids)"), chunk)
                conn.execute(text("DELETE FROM outreach_sessions WHERE id = ANY(:ids)"), chunk)
    finally:
        engine.dispose()
    return len(ids)
