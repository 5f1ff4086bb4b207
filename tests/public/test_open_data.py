"""The downloads and feeds: CSV that a spreadsheet opens, JSON that validates against its published
schema, an Atom feed a real feed parser reads, the same filtered set as the list, and nothing that
is withdrawn, ended or never approved in any of them."""
import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import feedparser
import jsonschema
import pytest

from portal.extensions import db
from portal.models import ViolationState, ViolationType
from portal.services import disclosure, enforcement, open_data, publication, registry
from portal.services.spreadsheets import read
from tests.factories import LAO_CAI, THANH_HOA
from tests.public.conftest import publish
from tests.services.test_enforcement import inspect
from tests.services.test_outreach import business

SCHEMA = Path(__file__).resolve().parents[2] / "portal" / "static" / "open-data" / "violations.schema.json"


def download(web, url: str):
    """A download, read whole inside the request (the test client's own context)."""
    response = web.client.get(url, buffered=True)
    assert response.status_code == 200, (url, response.status_code)
    return response


def csv_rows(web, url: str) -> list[dict]:
    body = download(web, url).get_data()
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def json_file(web, url: str) -> dict:
    return json.loads(download(web, url).get_data(as_text=True))


def feed(web, url: str):
    return feedparser.parse(download(web, url).get_data())


def list_ids(web, url: str) -> list[int]:
    page = web.get(url)
    return [int(a["href"].rsplit("/", 1)[1]) for a in page.soup.select("#entries .entry__name a")]


@pytest.fixture
def three(world, cast):
    a = publish(world, cast.ham_rong, "Kho sữa giả Minh Tâm", goods="milk", fine=15_000_000)
    b = publish(world, cast.lao_cai, "Cửa hàng Hoa Mai", goods="cosmetics", brand="Ohui", fine=None,
                kind=ViolationType.SMUGGLED, found=date(2025, 8, 1), decided=date(2025, 8, 10), commitment=False)
    c = publish(world, cast.hac_thanh, "Tạp hóa Đức Long", goods="food", brand=None, fine=40_000_000)
    return a, b, c


FILTERED = ["", "?sort=name", "?sort=fine", "?sort=oldest", f"?province={THANH_HOA}", "?goods=cosmetics",
            "?q=sua+gia", "?year=2025", "?after_commitment=1", f"?province={THANH_HOA}&sort=fine&goods=milk",
            "?province=999&type=smuggled"]


def test_csv_is_the_filtered_list_in_utf8_with_bom_and_opens_in_a_spreadsheet(web, three):
    response = download(web, "/violations.csv")
    today = registry.today().isoformat()
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="violations-{today}.csv"'
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf") and "Kho sữa giả Minh Tâm".encode() in body
    table = read(body, "violations.csv")  # the portal's own spreadsheet reader, as for registry imports
    assert table.encoding == "utf-8-sig" and table.rows[0].cells == [f.name for f in open_data.FIELDS]
    assert [r.cells[2] for r in table.rows[1:]] == ["Tạp hóa Đức Long", "Cửa hàng Hoa Mai", "Kho sữa giả Minh Tâm"]
    for query in FILTERED:
        rows = csv_rows(web, "/violations.csv" + query)
        assert [int(r["id"]) for r in rows] == list_ids(web, "/violations" + query), query
    a, b, c = three
    row = {r["id"]: r for r in csv_rows(web, "/violations.csv")}[str(b.id)]
    assert row == row | {"url": f"http://localhost/violations/{b.id}", "business_name": "Cửa hàng Hoa Mai",
                         "province_code": str(LAO_CAI), "province_name": "Lào Cai", "ward_name": "Phường Lào Cai",
                         "violation_type": "smuggled", "goods_code": "cosmetics", "goods_name_vi": "Mỹ phẩm",
                         "brand": "Ohui", "decision_on": "2025-08-10", "fine_vnd": "", "after_commitment": "false",
                         "after_outreach": "true", "corrected_at": "", "ends_on": ""}


def test_the_files_hold_every_page_not_just_the_first(web, three, monkeypatch):
    from portal.public import violations as views

    monkeypatch.setattr(views, "PER_PAGE", 1)
    assert len(list_ids(web, "/violations")) == 1
    assert len(csv_rows(web, "/violations.csv?page=2")) == 3
    assert json_file(web, "/violations.json")["count"] == 3


def test_no_cell_is_run_as_a_formula(web, world, cast):
    publish(world, cast.ham_rong, "=HYPERLINK(\"http://evil.example\",\"Bấm\")", address="+84 Lê Lợi",
            brand="@SUM(A1)", goods="milk")
    publish(world, cast.ham_rong, "-2+3 Cửa hàng", address="\tTab", brand="Bình thường")
    rows = csv_rows(web, "/violations.csv")
    assert rows[0]["business_name"] == "'-2+3 Cửa hàng" and rows[0]["address"] == "'\tTab"
    assert rows[1]["business_name"] == "'=HYPERLINK(\"http://evil.example\",\"Bấm\")"
    assert rows[1]["address"] == "'+84 Lê Lợi" and rows[1]["brand"] == "'@SUM(A1)"
    assert rows[0]["brand"] == "Bình thường"
    # the JSON is data, not a spreadsheet: it keeps the text as published
    assert json_file(web, "/violations.json")["entries"][1]["brand"] == "@SUM(A1)"


def test_json_validates_against_its_published_schema_and_matches_the_list(web, three):
    served = web.client.get("/open-data/violations.schema.json")
    assert served.status_code == 200 and served.mimetype == "application/schema+json"
    schema = json.loads(served.get_data(as_text=True))
    assert schema == json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    response = download(web, "/violations.json")
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="violations-{registry.today().isoformat()}.json"')
    for query in FILTERED:
        data = json_file(web, "/violations.json" + query)
        validator.validate(data)
        assert [e["id"] for e in data["entries"]] == list_ids(web, "/violations" + query), query
        assert data["count"] == len(data["entries"])
    data = json_file(web, "/violations.json")
    assert data["licence"]["name"] == "CC BY 4.0" and data["filters"] == {} and data["ignored"] == {}
    a = data["entries"][-1]
    assert a["url"] == f"http://localhost/violations/{a['id']}" and a["business_name"] == "Kho sữa giả Minh Tâm"
    assert (a["fine_vnd"], a["after_commitment"], a["goods_code"], a["province_code"]) == (
        15_000_000, True, "milk", THANH_HOA)
    narrowed = json_file(web, f"/violations.json?province={THANH_HOA}&goods=nope&year=abc")
    assert narrowed["filters"] == {"province": str(THANH_HOA)}
    assert narrowed["ignored"] == {"goods": "nope", "year": "abc"} and narrowed["count"] == 2
    empty = json_file(web, "/violations.json?q=khong+co+ai")
    validator.validate(empty)
    assert empty["count"] == 0 and empty["entries"] == []


def test_the_schema_the_csv_and_the_open_data_page_name_the_same_fields(web):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    entry = schema["$defs"]["entry"]
    names = [f.name for f in open_data.FIELDS]
    assert list(entry["properties"]) == names and entry["required"] == names
    nullable = {name for name, spec in entry["properties"].items() if "null" in spec.get("type", [])}
    assert nullable == {f.name for f in open_data.FIELDS if f.nullable}
    page = web.get("/open-data")
    for name in names:
        row = page.soup.find(id=f"field-{name}")
        assert row is not None and row.find("code").get_text() == name and row.find_all("td")[1].get_text(strip=True)


def test_atom_feeds_parse_and_follow_province_and_goods(web, three, world, cast):
    a, b, c = three
    response = download(web, "/feeds/violations.atom")
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.get_data())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [e.id for e in parsed.entries] == [f"http://localhost/violations/{x.id}" for x in (c, b, a)]
    first = parsed.entries[0]
    assert first.title == "Tạp hóa Đức Long" and first.link == f"http://localhost/violations/{c.id}"
    assert "Phường Hạc Thành" in first.summary and "40.000.000" in first.summary
    assert [(t.term, t.label) for t in first.tags] == [("counterfeit", "Hàng giả"), ("food", "Thực phẩm")]
    assert parsed.feed.title == "Vi phạm đã công khai" and "CC BY 4.0" in parsed.feed.rights

    by_province = feed(web, f"/feeds/violations.atom?province={THANH_HOA}")
    assert by_province.bozo == 0 and [e.title for e in by_province.entries] == ["Tạp hóa Đức Long",
                                                                                 "Kho sữa giả Minh Tâm"]
    assert "Thanh Hóa" in by_province.feed.title
    assert by_province.feed.id == f"http://localhost/feeds/violations.atom?province={THANH_HOA}"
    by_goods = feed(web, "/feeds/violations.atom?goods=cosmetics")
    assert [e.title for e in by_goods.entries] == ["Cửa hàng Hoa Mai"]
    both = feed(web, f"/feeds/violations.atom?province={LAO_CAI}&goods=milk")
    assert both.bozo == 0 and both.entries == []
    english = feed(web, "/feeds/violations.atom?lang=en")
    assert english.feed.title == "Violations made public" and "Decision" in english.entries[0].summary

    page = web.get(f"/violations?province={THANH_HOA}&goods=milk&year=2026")
    alternate = page.soup.find("link", rel="alternate", type="application/atom+xml")
    assert alternate["href"] == f"http://localhost/feeds/violations.atom?province={THANH_HOA}&goods=milk"


def test_the_feed_escapes_text_and_shows_corrections_as_updates(web, world, cast):
    tricky = "Shop <b>&amp;</b> \"Ngon\" ]]> 'x'"
    entry = publish(world, cast.ham_rong, tricky, address="<script>alert(1)</script> & co", brand="A&B")
    parsed = feed(web, "/feeds/violations.atom")
    assert parsed.bozo == 0 and parsed.entries[0].title == tricky
    assert "<script>alert(1)</script> & co" in parsed.entries[0].summary
    assert parsed.entries[0].updated_parsed == parsed.entries[0].published_parsed
    violation = entry.publication.violation
    enforcement.update_decision(cast.ham_rong.inspector, violation, enforcement.Decision(
        number=violation.decision_number, decided_on=violation.decision_on, authority=violation.decision_authority,
        fine=9_000_000, state=ViolationState.DECIDED), version=violation.version)
    publication.correct(world.leader, entry, "Sửa số tiền phạt")
    entry.corrected_at = entry.published_at + timedelta(days=2)
    db.session.commit()
    corrected = feed(web, "/feeds/violations.atom").entries[0]
    assert corrected.updated == open_data.instant(entry.corrected_at) and "9.000.000" in corrected.summary


def test_the_feed_holds_the_newest_fifty(web, world, cast, monkeypatch):
    assert open_data.FEED_SIZE == 50
    monkeypatch.setattr(open_data, "FEED_SIZE", 2)  # rather than publishing 51 entries
    for n in range(3):
        publish(world, cast.ham_rong, f"Cơ sở {n}")
    parsed = feed(web, "/feeds/violations.atom?sort=oldest")  # the feed's order is always newest first
    assert [e.title for e in parsed.entries] == ["Cơ sở 2", "Cơ sở 1"]


def test_withdrawn_ended_and_unapproved_entries_never_appear_anywhere(web, world, cast):
    listed = publish(world, cast.ham_rong, "Cơ sở Còn Công Khai")
    withdrawn = publish(world, cast.ham_rong, "Cơ sở Đã Gỡ Bỏ")
    publication.withdraw(cast.ham_rong.leader, withdrawn, "Quyết định bị hủy")
    ended = publish(world, cast.ham_rong, "Cơ sở Hết Hạn", ends_on=registry.today() + timedelta(days=5))
    ended.ends_on = registry.today() - timedelta(days=1)  # its period of publication has passed
    area = cast.ham_rong
    proposed = business(world, actor=area.keeper, name="Cơ sở Chờ Duyệt", ward=area.ward)
    from portal.services import outreach

    outreach.record_commitment(area.keeper, outreach.CommitmentData(
        business_id=proposed.id, signed_on=date(2025, 6, 1), signatory="Chủ", received_by_id=area.keeper.id))
    violation = enforcement.record_violation(area.inspector, inspect(area.inspector, proposed, date(2026, 4, 1)),
                                             enforcement.ViolationData(type=ViolationType.COUNTERFEIT, goods="milk",
                                             decision=enforcement.Decision(
                                                 number="77/QĐ-XPHC", decided_on=date(2026, 4, 3), authority="Đội",
                                                 fine=1_000_000, state=ViolationState.DECIDED)))
    rejected_shop = business(world, actor=area.keeper, name="Cơ sở Bị Từ Chối", ward=area.ward)
    outreach.record_commitment(area.keeper, outreach.CommitmentData(
        business_id=rejected_shop.id, signed_on=date(2025, 6, 1), signatory="Chủ", received_by_id=area.keeper.id))
    rejected_violation = enforcement.record_violation(
        area.inspector, inspect(area.inspector, rejected_shop, date(2026, 4, 1)),
        enforcement.ViolationData(type=ViolationType.COUNTERFEIT, goods="milk", decision=enforcement.Decision(
            number="78/QĐ-XPHC", decided_on=date(2026, 4, 3), authority="Đội", fine=1_000_000,
            state=ViolationState.DECIDED)))
    publication.propose(area.inspector, violation, None)
    rejection = publication.propose(area.inspector, rejected_violation, None)
    publication.reject(area.leader, rejection, "Chưa đủ căn cứ", version=rejection.version)
    db.session.commit()

    hidden = ("Đã Gỡ Bỏ", "Hết Hạn", "Chờ Duyệt", "Bị Từ Chối", "77/QĐ-XPHC", "78/QĐ-XPHC")
    for url in ("/violations", "/violations?q=co+so", f"/violations?province={THANH_HOA}", "/violations?sort=name",
                "/violations.csv", "/violations.csv?q=co+so", "/violations.json", "/violations.json?goods=milk",
                "/feeds/violations.atom", f"/feeds/violations.atom?province={THANH_HOA}&goods=milk"):
        body = download(web, url).get_data(as_text=True)
        assert "Cơ sở Còn Công Khai" in body, url
        for name in hidden:
            assert name not in body, (url, name)
    assert json_file(web, "/violations.json")["count"] == 1
    assert [e.title for e in feed(web, "/feeds/violations.atom").entries] == [listed.business_name]
    assert [r["business_name"] for r in csv_rows(web, "/violations.csv")] == [listed.business_name]
    assert [e.id for e in db.session.scalars(disclosure.listed_violations())] == [listed.id]


@pytest.mark.config(RATE_LIMITS={"download": (3, 60)})
def test_downloads_and_feeds_are_rate_limited(web, three):
    download(web, "/violations.csv")
    download(web, "/violations.json")
    download(web, "/feeds/violations.atom")
    for url in ("/violations.csv", "/violations.json", "/feeds/violations.atom"):
        response = web.client.get(url, buffered=True)
        assert response.status_code == 429 and response.headers["Retry-After"]
    web.get("/violations")  # the list itself is not a download


def test_downloads_are_streamed_in_batches(app, three, monkeypatch):
    """The rows are read from the database in batches as they are written, never all at once."""
    monkeypatch.setattr(open_data, "BATCH", 2)
    with app.test_request_context("/violations.csv"):
        filters = disclosure.parse_filters({})
        rows = disclosure.stream_listed(filters, batch=2)
        chunks = list(open_data.csv_chunks(rows, lambda i: f"/violations/{i}"))
    assert len(chunks) == 2  # the header and two rows, then the third row
    assert chunks[0].startswith("\ufeffid,url,") and chunks[0].count("\r\n") == 3 and chunks[1].count("\r\n") == 1
    from sqlalchemy import event

    seen = []
    listen = lambda conn, cursor, statement, params, context, many: seen.append(  # noqa: E731
        context.execution_options.get("yield_per"))
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        list(disclosure.stream_listed(disclosure.ViolationFilters(), batch=50))
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert seen == [50]


def test_the_open_data_page_documents_the_contract(web, three):
    page = web.get("/open-data")
    text = page.text()
    assert "Creative Commons Attribution 4.0 International (CC BY 4.0)" in text
    assert page.soup.find("a", rel="license")["href"] == "https://creativecommons.org/licenses/by/4.0/"
    params = [row.find("code").get_text() for row in page.soup.find(id="parameters").find("tbody").find_all("tr")]
    assert params == ["q", "province", "ward", "goods", "type", "year", "after_commitment", "sort", "page", "lang"]
    for link in ("/violations.csv", "/violations.json", "/feeds/violations.atom", "/open-data/violations.schema.json"):
        assert page.soup.find("a", href=link), link
    assert {li.code.get_text() for li in page.soup.find(id="violation-types").find_all("li")} == {
        t.value for t in ViolationType}
    assert "milk" in page.soup.find(id="goods-codes").get_text()
    assert "HTTP 410" in text
    listing = web.get("/violations")
    assert listing.soup.find("a", href="/open-data")
    english = web.get("/open-data?lang=en")
    assert english.soup.find("h1").get_text() == "Open data: violations made public"
    assert english.soup.find(id="field-fine_vnd").find_all("td")[1].get_text() == "Fine in Vietnamese dong."
    vietnamese = web.get("/open-data?lang=vi")
    assert vietnamese.soup.find(id="field-fine_vnd").find_all("td")[1].get_text() == (
        "Số tiền phạt, tính bằng đồng Việt Nam.")
