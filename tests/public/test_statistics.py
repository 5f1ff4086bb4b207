"""The public statistics page and its CSV: the same figures as the records, charts and accessible
tables, in both languages, and bad filters answered clearly."""
from __future__ import annotations

import codecs
import csv
import io
from datetime import date

import pytest
from sqlalchemy import delete

from portal.extensions import db
from portal.models import Business, GoodsCategory, business_goods
from portal.services import statistics
from tests.internal.test_query_counts import counted
from tests.services.test_outreach import business
from tests.services.test_statistics import YEAR, data, independent, sign  # noqa: F401 - the data fixture

FIGURES = ("commitments", "inspections", "violations", "sanctions")


def digits(text: str) -> int:
    return int("".join(ch for ch in text if ch.isdigit()) or 0)


def read_csv(response) -> list[dict]:
    body = response.get_data()
    assert body.startswith(codecs.BOM_UTF8)
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def table(page, table_id) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
            for row in page.soup.select(f"#{table_id} tbody tr")]


def test_the_page_shows_the_figures_as_tables_and_charts(web, data):
    page = web.get(f"/statistics?year={YEAR}&lang=en")
    expected = independent(YEAR)["month"]
    assert [digits(page.soup.select_one(f"#total-{f}").get_text()) for f in FIGURES] == \
        [sum(expected[f].values()) for f in FIGURES] == [5, 6, 5, 3]
    assert digits(page.soup.select_one("#total-fines").get_text()) == 37_500_000
    rows = table(page, "stats-month")
    assert len(rows) == 12 and rows[0][0] == "Month 1" and rows[2][1] == "3"  # three commitments in March
    assert [digits(r[5]) for r in rows] == [expected["fines"][m] for m in range(1, 13)]
    assert [r[0] for r in table(page, "stats-province")] == ["Lào Cai", "Thanh Hóa"]
    goods = {r[0]: r for r in table(page, "stats-goods")}
    assert goods["Milk and dairy products"][1] == "2" and goods["Not recorded"][5].startswith("₫2,500,000")
    # accessible tables: a caption, column and row headers
    for table_id in ("stats-month", "stats-province", "stats-goods"):
        node = page.soup.select_one(f"#{table_id}")
        assert node.caption.get_text(strip=True)
        assert all(th["scope"] == "col" for th in node.thead.find_all("th"))
        assert all(row.th["scope"] == "row" for row in node.tbody.find_all("tr"))
    # one chart per figure and grouping, drawn on the server, named by its caption
    charts = page.soup.select("svg.chart__svg")
    assert len(charts) == 12
    for svg in charts:
        assert svg["role"] == "img" and page.soup.find(id=svg["aria-labelledby"]).get_text(strip=True)
    bars = page.soup.select("#chart-month-commitments .stats-bars rect")
    assert len(bars) == 12
    assert float(bars[2]["height"]) > float(bars[0]["height"]) > 0 == float(bars[4]["height"])  # 3, 1 and none
    assert [t.get_text() for t in page.soup.select("#chart-month-commitments .stats-values text")] == ["1", "1", "3"]
    labels = [t.get_text() for t in page.soup.select("#chart-goods-commitments .stats-labels text")]
    assert "Milk and dairy products" in labels and labels[-1] == "Not recorded"


def test_the_page_is_in_vietnamese_by_default_and_english_on_request(web, data):
    vi = web.get(f"/statistics?year={YEAR}")
    assert vi.soup.html["lang"] == "vi"
    en = web.get(f"/statistics?year={YEAR}&lang=en")
    assert en.soup.html["lang"] == "en" and en.soup.h1.get_text(strip=True) == "Statistics"
    assert en.soup.select_one("#month-title").get_text(strip=True) == "By month"
    assert vi.soup.h1.get_text(strip=True) != "Statistics"


def test_a_province_narrows_every_figure(web, data):
    page = web.get(f"/statistics?year={YEAR}&province=15&lang=en")
    assert digits(page.soup.select_one("#total-commitments").get_text()) == 1
    assert digits(page.soup.select_one("#total-fines").get_text()) == 22_500_000
    assert [r[0] for r in table(page, "stats-province")] == ["Lào Cai"]
    assert page.value("province") == "15" and page.value("year") == str(YEAR)


def test_the_csv_holds_the_same_figures_as_the_page(web, data):
    page = web.get(f"/statistics?year={YEAR}&lang=en")
    link = page.soup.select_one("#stats-csv")["href"]
    response = web.client.get(link + "&lang=en")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="statistics-{YEAR}.csv"'
    rows = read_csv(response)
    [total] = [r for r in rows if r["dimension"] == "total"]
    page_totals = [digits(page.soup.select_one(f"#total-{f}").get_text()) for f in (*FIGURES, "fines")]
    assert [int(total[c]) for c in ("commitments_signed", "inspections", "violations_found", "sanction_decisions",
                                    "fines_vnd")] == page_totals
    months = [r for r in rows if r["dimension"] == "month"]
    assert [r["code"] for r in months] == [f"{YEAR}-{m:02d}" for m in range(1, 13)]
    assert [int(r["fines_vnd"]) for r in months] == [digits(r[5]) for r in table(page, "stats-month")]
    assert sum(int(r["commitments_signed"]) for r in months) == page_totals[0]
    provinces = {r["code"]: r for r in rows if r["dimension"] == "province"}
    assert set(provinces) == {"15", "38"} and provinces["38"]["name"] == "Thanh Hóa"
    assert {r["code"] for r in rows if r["dimension"] == "goods"} >= {"milk", "food", "medicines", ""}


def test_the_csv_of_a_province_is_named_after_it(web, data):
    response = web.client.get(f"/statistics.csv?year={YEAR}&province=15")
    assert response.headers["Content-Disposition"] == f'attachment; filename="statistics-{YEAR}-15.csv"'
    [total] = [r for r in read_csv(response) if r["dimension"] == "total"]
    assert int(total["fines_vnd"]) == 22_500_000


@pytest.fixture
def formula_goods(app, world):
    """A goods category whose name a spreadsheet would run as a formula (reference data is kept
    between tests, so it is removed again)."""
    category = GoodsCategory(code="zz_formula", name_vi="=HYPERLINK(\"http://x\")", name_en="@SUM(1+1)")
    db.session.add(category)
    db.session.flush()
    shop = business(world, name="Cơ sở thử công thức")
    shop.goods = [category]
    sign(world.ward_official, shop, date(YEAR, 2, 2))
    db.session.commit()
    yield category
    db.session.rollback()
    db.session.execute(delete(business_goods).where(business_goods.c.goods_category_id == category.id))
    db.session.execute(delete(GoodsCategory).where(GoodsCategory.id == category.id))
    db.session.commit()


def test_no_csv_cell_is_a_formula(web, formula_goods):
    for lang, name in (("vi", "'=HYPERLINK(\"http://x\")"), ("en", "'@SUM(1+1)")):
        rows = read_csv(web.client.get(f"/statistics.csv?year={YEAR}&lang={lang}"))
        [row] = [r for r in rows if r["code"] == "zz_formula"]
        assert row["name"] == name and row["commitments_signed"] == "1"
        assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())


@pytest.mark.parametrize("query,message", [
    ("year=1999", "Choose a year from 2020 to"),
    ("year=abc", "Choose a year from 2020 to"),
    ("year=1000000000", "Choose a year from 2020 to"),
    ("year=2026.0", "Choose a year from 2020 to"),
    ("province=999", "Choose a province or city from the list"),
    ("province=ha+noi", "Choose a province or city from the list"),
])
def test_bad_filters_are_explained_on_the_page_and_for_the_csv(web, world, query, message):
    page = web.get(f"/statistics?{query}&lang=en", status=400)
    assert message in page.soup.select_one("#stats-error").get_text()
    assert page.soup.select("#stats-totals") == []
    csv_page = web.get(f"/statistics.csv?{query}&lang=en", status=400)
    assert message in csv_page.text()


def test_next_year_is_refused(web, world):
    web.get(f"/statistics?year={statistics.this_year() + 1}", status=400)
    web.get(f"/statistics?year={statistics.this_year()}", status=200)
    web.get("/statistics?year=2020", status=200)


def test_an_empty_year_says_so(web, world):
    page = web.get("/statistics?year=2021&lang=en")
    assert "Nothing was recorded in this year." in page.text()
    assert [r[1:5] for r in table(page, "stats-month")] == [["0", "0", "0", "0"]] * 12


@pytest.mark.config(RATE_LIMITS={"download": (2, 60)})
def test_the_csv_is_rate_limited(web, world):
    web.get("/statistics.csv")
    web.get("/statistics.csv")
    web.get("/statistics.csv", status=429)
    web.get("/statistics")  # the page itself is not a download


def test_the_page_is_a_fixed_number_of_queries(web, data, world):
    def queries() -> int:
        with counted() as seen:
            web.get(f"/statistics?year={YEAR}")
        return len(seen)

    before = queries()
    extra = business(world, name="Cơ sở thêm", goods=["gold"], ward=world.ward_b, actor=world.sibling_official)
    sign(world.sibling_official, extra, date(YEAR, 9, 9))
    db.session.commit()
    assert queries() == before
    assert db.session.get(Business, extra.id) is not None


def test_the_page_keeps_the_stylesheet_of_the_public_layout(web, world):
    """Like every public page, the header's styles (public-content.css) as well as the page's own."""
    for url, status in (("/statistics", 200), ("/statistics?year=1999", 400)):
        links = [link["href"] for link in web.get(url, status=status).soup.select("head link[rel=stylesheet]")]
        assert any(href.endswith("css/public-content.css") for href in links), (url, links)
        assert any(href.endswith("css/check.css") for href in links), (url, links)
