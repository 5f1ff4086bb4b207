"""The leader's dashboard: targets against measured values, the monthly trend, late reports and
open tips, each as a chart and as a table; scope; a fixed number of queries; both languages."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.extensions import db
from portal.models import Tip
from tests.factories import THANH_HOA
from tests.internal.test_query_counts import queries_for
from tests.services.test_evaluation import build, grow


@pytest.fixture
def data(world):
    built = build(world)
    db.session.add(Tip(receipt_hash="a" * 64, what="Bán thuốc giả", province_code=THANH_HOA, unit_id=built.team1.id,
                       received_at=datetime(2025, 11, 1, tzinfo=UTC)))
    db.session.commit()
    return built


def text_of(page, element_id: str) -> str:
    return page.soup.find(id=element_id).get_text(" ", strip=True)


def rows(page, table_id: str) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])]
            for tr in page.soup.find(id=table_id).find("tbody").find_all("tr")]


def test_the_leader_sees_the_figures_of_the_area(web, data):
    web.sign_in(data.chief)
    page = web.get("/internal/overview?year=2025&lang=en")
    assert text_of(page, "figure-open-tips") == "1"
    assert text_of(page, "figure-overdue") == "3"  # two missing in spring, and the one due on 25/12/2025
    assert text_of(page, "figure-sent-late") == "1"
    assert text_of(page, "figure-targets") == "1 of 2"
    targets = rows(page, "targets-table")
    assert len(targets) == 3  # two percent targets and the coordination-agreement count
    assert targets[0][1:] == ["50%", "83.3% (5/6)", "Yes"]
    assert targets[1][1:4] == ["100%", "66.7% (4/6)", "Not yet"]
    trend = rows(page, "trend-table")
    assert len(trend) == 12 and trend[1] == ["02/2025", "2", "0", "0"] and trend[5] == ["06/2025", "0", "2", "3"]
    overdue = rows(page, "overdue-table")
    assert [r[0] for r in overdue] == [data.team1.name, data.team2.name, data.team1.name]
    assert rows(page, "sent-late-table")[0][0] == data.team1.name
    # each chart has its table, with a caption and headers that say what they head
    assert len(page.soup.select("svg.chart__svg[role=img]")) == 2
    assert len(page.soup.select("svg rect.chart__bar")) == 2 and len(page.soup.select("svg line.chart__mark")) == 2
    assert len(page.soup.select("svg polyline.chart__line")) == 3
    for table in page.soup.select("main table"):
        assert table.caption is not None
        assert all(th.get("scope") in ("col", "row") for th in table.find_all("th"))


def test_the_target_bar_stands_at_its_value_and_the_mark_at_the_target(web, data):
    web.sign_in(data.chief)
    page = web.get("/internal/overview?year=2025")
    first_bar = page.soup.select("svg rect.chart__bar")[0]
    track = page.soup.select("svg rect.chart__bar-track")[0]
    assert float(first_bar["width"]) == pytest.approx(float(track["width"]) * 0.833, abs=0.2)
    mark = page.soup.select("svg line.chart__mark")[0]
    assert float(mark["x1"]) == pytest.approx(float(track["x"]) + float(track["width"]) * 0.5, abs=0.2)
    assert "chart__bar--reached" in first_bar["class"]


def test_a_team_leader_sees_their_team_and_a_ward_nothing_of_it(web, data, world):
    web.sign_in(data.lead1)
    page = web.get("/internal/overview?year=2025")
    assert text_of(page, "figure-overdue") == "2"
    assert {r[0] for r in rows(page, "overdue-table")} == {data.team1.name}
    web.sign_out()
    web.sign_in(world.sibling_official)  # Hạc Thành: the records are in Hàm Rồng
    page = web.get("/internal/overview?year=2025")
    assert text_of(page, "figure-open-tips") == "0" and text_of(page, "figure-overdue") == "0"
    assert all(r[1:] == ["0", "0", "0"] for r in rows(page, "trend-table"))


def test_the_dashboard_makes_the_same_number_of_queries_as_data_grows(web, data):
    web.sign_in(data.chief)
    before = queries_for(web, "/internal/overview?year=2025")
    grow(data, 10)
    assert queries_for(web, "/internal/overview?year=2025") == before


def test_the_current_year_is_the_default_and_a_bad_year_is_ignored(web, data):
    web.sign_in(data.chief)
    this_year = date.today().year
    for url in ("/internal/overview", "/internal/overview?year=abc", "/internal/overview?year=1800"):
        page = web.get(url)
        assert page.value("year") == str(this_year)


def test_vietnamese_first(web, data):
    web.sign_in(data.chief)
    page = web.get("/internal/overview?year=2025&lang=vi")
    assert page.soup.find(id="targets-title").get_text(strip=True) == "Mục tiêu và kết quả đo được"
    assert rows(page, "targets-table")[0][3] == "Có"
