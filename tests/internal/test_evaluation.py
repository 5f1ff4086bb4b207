"""The evaluation pages: the ranking, sorting, scope, the XLSX download and commendation proposals."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.demo import ensure_unit
from portal.extensions import db
from portal.models import AuditEntry, Commendation, UnitKind
from portal.services import evaluation
from tests.factories import THANH_HOA
from tests.services.test_evaluation import build


@pytest.fixture
def data(world):
    return build(world)


def cells(page, table_id: str, key: str) -> dict[str, str]:
    """The value of one column for every row of a table, by the row's name."""
    table = page.soup.find(id=table_id)
    return {tr.find("th").get_text(strip=True): tr.find("td", attrs={"data-key": key}).get_text(strip=True)
            for tr in table.find("tbody").find_all("tr")}


def test_the_leader_sees_the_ranking_with_the_services_figures(web, data):
    web.sign_in(data.chief)
    page = web.get("/internal/evaluation/?year=2025&lang=vi")
    assert page.soup.h1.get_text(strip=True) == "Đánh giá các đội và kiểm soát viên, 2025"
    result = evaluation.evaluate(data.chief, 2025)
    for key in evaluation.COUNTS:
        assert cells(page, "teams", key) == {r.name: str(r.figures[key]) for r in result.teams}, key
    for key in evaluation.PERSON_COUNTS:
        assert cells(page, "inspectors", key) == {r.name: str(r.figures[key]) for r in result.inspectors}, key
    assert cells(page, "teams", "violations") == {data.team1.name: "4", data.team2.name: "0"}
    totals = {td["data-total"]: td.get_text(strip=True) for td in page.soup.select("#teams tfoot td[data-total]")}
    assert totals["commitments"] == "4" and totals["reports_due"] == "6"  # today every 2025 deadline has passed
    assert page.soup.select_one("#teams caption") is not None
    assert all(th.get("scope") in ("col", "row") for th in page.soup.select("#teams th"))


def test_rows_sort_by_any_column(web, data):
    web.sign_in(data.chief)
    names = lambda page: [th.get_text(strip=True) for th in page.soup.select("#teams tbody th")]  # noqa: E731
    assert names(web.get("/internal/evaluation/?year=2025&sort=violations&order=asc")) == [data.team2.name, data.team1.name]
    page = web.get("/internal/evaluation/?year=2025&sort=violations&order=desc")
    assert names(page) == [data.team1.name, data.team2.name]
    assert page.soup.find("th", attrs={"aria-sort": "descending"}) is not None
    people = [th.get_text(strip=True) for th in
              web.get("/internal/evaluation/?year=2025&sort=commitments&order=desc").soup.select("#inspectors tbody th")]
    assert people[0] == data.a.full_name  # 2 commitments
    assert names(web.get("/internal/evaluation/?year=2025&sort=nonsense")) == [data.team1.name, data.team2.name]


def test_scope_a_team_leader_and_the_others(web, data, world):
    web.sign_in(data.lead1)
    page = web.get("/internal/evaluation/?year=2025")
    assert [th.get_text(strip=True) for th in page.soup.select("#teams tbody th")] == [data.team1.name]
    assert data.c.full_name not in page.text()
    web.get(f"/internal/evaluation/unit/{data.team2.id}/commend?year=2025", status=403)  # a sibling team
    web.get(f"/internal/evaluation/user/{data.c.id}/commend?year=2025", status=403)
    web.post(f"/internal/evaluation/unit/{data.team2.id}/commend?year=2025", {"reason": "Rất tốt trong năm."}, status=403)
    web.get("/internal/evaluation/unit/999999/commend?year=2025", status=404)
    web.sign_out()
    web.sign_in(data.a)  # an inspector does not evaluate
    web.get("/internal/evaluation/", status=403)
    web.get("/internal/evaluation/evaluation-2025.xlsx", status=403)
    assert db.session.scalar(select(Commendation.id)) is None


def test_the_spreadsheet_opens_and_its_totals_match(web, data):
    ensure_unit("=HYPERLINK(\"http://x\")", UnitKind.MARKET_SURVEILLANCE_TEAM, data.market, province=THANH_HOA)
    db.session.commit()
    web.sign_in(data.chief)
    response = web.client.get("/internal/evaluation/evaluation-2025.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    teams, people = book.worksheets
    rows = list(teams.iter_rows(values_only=True))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert len(body) == 3 and total[1] in ("Tổng cộng", "Total")
    result = evaluation.evaluate(data.chief, 2025)
    for index, key in enumerate(evaluation.COUNTS, start=2):
        column = [row[index] for row in body]
        assert all(isinstance(v, int) for v in column), key  # numbers, not text
        assert total[index] == sum(column) == result.totals[key], key
    assert not any(c.data_type == "f" for row in teams.iter_rows() for c in row)  # no formula anywhere
    assert "'=HYPERLINK(\"http://x\")" in [row[1] for row in body]
    inspectors = list(people.iter_rows(values_only=True))
    assert len(inspectors) == 1 + 3
    by_name = {row[1]: row for row in inspectors[1:]}
    commitments = 3 + list(evaluation.PERSON_COUNTS).index("commitments")
    assert by_name[data.a.full_name][commitments] == 2


def test_a_leader_proposes_a_commendation_with_the_figures(web, data):
    web.sign_in(data.chief)
    form = web.get(f"/internal/evaluation/unit/{data.team1.id}/commend?year=2025")
    assert data.team1.name in form.soup.h1.get_text()
    web.post(f"/internal/evaluation/unit/{data.team1.id}/commend?year=2025",
             {"reason": "Dẫn đầu về ký cam kết và kiểm tra."}, status=303)
    proposal = db.session.scalar(select(Commendation))
    expected = evaluation.evaluate(data.chief, 2025).find("unit", data.team1.id).frozen(2025)
    assert proposal.figures == expected and proposal.unit_id == data.team1.id and proposal.user_id is None
    assert proposal.proposing_unit_id == data.market.id and proposal.year == 2025
    assert set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == proposal.id,
                                                                  AuditEntry.object_type == "Commendation"))) \
        == {"commendation.proposed", "record.created"}
    page = web.get("/internal/evaluation/?year=2025")
    listed = page.soup.find(id="commendations")
    assert "Dẫn đầu về ký cam kết và kiểm tra." in listed.get_text() and data.team1.name in listed.get_text()
    # a second proposal for the same team and year is refused, and what was typed stays
    again = web.post(f"/internal/evaluation/unit/{data.team1.id}/commend?year=2025",
                     {"reason": "Thêm một lần nữa cho đội."}, status=422)
    assert again.value("reason") == "Thêm một lần nữa cho đội."
    assert db.session.query(Commendation).count() == 1


@pytest.mark.parametrize("typed", ["ngắn", "", "x" * 2001])
def test_a_bad_reason_is_refused_next_to_the_field(web, data, typed):
    web.sign_in(data.chief)
    page = web.post(f"/internal/evaluation/user/{data.a.id}/commend?year=2025", {"reason": typed}, status=422)
    assert page.field_error("reason")
    assert page.value("reason") == typed
    assert page.soup.select_one(".error-summary a[href='#reason']") is not None
    assert db.session.scalar(select(Commendation.id)) is None


def test_the_pages_speak_english(web, data):
    web.sign_in(data.chief)
    page = web.get("/internal/evaluation/?year=2025&lang=en")
    assert page.soup.h1.get_text(strip=True) == "Evaluation of teams and inspectors, 2025"
    assert "Reports on time" in page.text()
    refused = web.post(f"/internal/evaluation/user/{data.a.id}/commend?year=2025&lang=en", {"reason": "short"},
                       status=422)
    assert "Write between 10 and 2000 characters." in refused.field_error("reason")


@pytest.mark.csrf
def test_a_proposal_without_its_token_is_refused(web, data):
    web.sign_in(data.chief)  # with the token, and the second factor's code
    refused = web.client.post(f"/internal/evaluation/unit/{data.team1.id}/commend?year=2025",
                              data={"reason": "Dẫn đầu về ký cam kết và kiểm tra."})
    assert refused.status_code == 400
    assert db.session.scalar(select(Commendation.id)) is None


def test_garbage_ids_and_years_are_not_found_not_errors(web, data):
    """Ids beyond the database's integers (a 500 on PostgreSQL) and absurd years are handled."""
    web.sign_in(data.lead1)
    for kind in ("unit", "user"):
        web.get(f"/internal/evaluation/{kind}/99999999999999999999999/commend?year=2025", status=404)
        web.get(f"/internal/evaluation/{kind}/2147483648/commend?year=2025", status=404)
    assert web.client.get("/internal/evaluation/evaluation-99999999999999999999999.xlsx").status_code in (200, 404)
    web.get(f"/internal/evaluation/unit/{data.team1.id}/commend?year=99999999999999999999", status=200)
