"""The outreach pages: a market meeting in one page (with and without htmx), commitments with
their scans, agreements, coverage, and who may see what."""
import io
from datetime import date, timedelta

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Business, ChannelKind, Commitment, OutreachSession, Target
from portal.services import outreach, registry
from tests.factories import make_plan
from tests.internal.test_query_counts import queries_for
from tests.services.test_outreach import PDF, business

HTMX = {"HX-Request": "true"}


def meeting(world, rows: dict, **changes) -> dict:
    values = {"held_on": "2026-03-15", "method": "conference", "place": "Chợ Hàm Rồng",
              "ward_code": world.ward_a.ward_code, "people_reached": "45", "plan_id": "",
              "officer_ids": [str(world.ward_official.id)], "received_by_id": str(world.ward_official.id),
              "note": "", "action": "save"}
    values.update(changes)
    for index, row in rows.items():
        for name, value in row.items():
            values[f"rows-{index}-{name}"] = value
    return values


def stalls(world, n: int) -> list[Business]:
    made = [business(world, name=f"Quầy số {i}", address=f"Kiốt {i}, chợ Hàm Rồng", channels=[
        registry.ChannelData(ChannelKind.MARKET_STALL, place_name="Chợ Hàm Rồng", stall=f"K{i}")]) for i in range(n)]
    db.session.commit()
    return made


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_thirty_commitments_in_one_request_with_one_bad_row_kept_on_screen(web, world):
    made = stalls(world, 30)
    rows = {i: {"business_id": str(b.id), "signed": "y", "signatory": f"Chủ quầy {i}"} for i, b in enumerate(made)}
    rows[17]["signatory"] = ""  # signed, but nobody named
    web.sign_in(world.ward_official)
    page = web.post("/internal/outreach/new", meeting(world, rows), status=422)
    assert page.soup.find(id="row-errors").get_text(" ", strip=True).endswith(": 18.")
    assert page.field_error("rows-17-signatory")
    kept = [page.soup.find("input", attrs={"name": f"rows-{i}-business_id"}) for i in range(30)]
    assert [int(node["value"]) for node in kept] == [b.id for b in made]  # every row still there
    assert page.value("rows-3-signatory") == "Chủ quầy 3" and page.value("people_reached") == "45"
    assert count(OutreachSession) == 0 and count(Commitment) == 0  # nothing half-saved

    rows[17]["signatory"] = "Chủ quầy 17"
    page = web.post("/internal/outreach/new", meeting(world, rows), status=303)
    session = db.session.scalar(select(OutreachSession))
    assert page.response.headers["Location"] == f"/internal/outreach/{session.id}"
    assert count(Commitment) == 30 and len(session.businesses) == 30
    detail = web.get(f"/internal/outreach/{session.id}").text()
    assert "Quầy số 29" in detail and "Chủ quầy 17" in detail


def test_without_javascript_typing_finds_the_business_and_pick_keeps_every_row(web, world):
    made = stalls(world, 3)
    business(world, name="Tạp hóa Minh Ánh", address="12 Lê Lợi")
    db.session.commit()
    web.sign_in(world.ward_official)
    rows = {0: {"query": "quay so 1"}, 1: {"query": "Quầy", "signatory": "Bà Hoa"}, 2: {"query": "tap hoa minh anh"}}
    page = web.post("/internal/outreach/new", meeting(world, rows, action="check"))
    assert page.value("rows-0-business_id") is None
    assert page.soup.find("input", attrs={"name": "rows-0-business_id"})["value"] == str(made[1].id)  # one match
    picks = [b["value"] for b in page.soup.find_all("button", attrs={"name": "pick"})]
    assert f"rows-1:{made[0].id}" in picks and len(picks) == 3  # three stalls match "Quầy"
    assert page.value("rows-1-signatory") == "Bà Hoa"
    rows[1]["pick"] = None
    data = meeting(world, rows, action="")
    data["pick"] = f"rows-1:{made[2].id}"
    page = web.post("/internal/outreach/new", data)
    assert page.soup.find("input", attrs={"name": "rows-1-business_id"})["value"] == str(made[2].id)
    assert count(OutreachSession) == 0


def test_add_row_without_javascript_keeps_what_was_typed(web, world):
    web.sign_in(world.ward_official)
    page = web.get("/internal/outreach/new")
    assert len(page.soup.select("tr.batch-row")) == 5
    page = web.post("/internal/outreach/new", meeting(world, {0: {"query": "abc"}}, action="add_row"))
    assert len(page.soup.select("tr.batch-row")) == 6 and page.value("rows-0-query") == "abc"


def test_htmx_adds_a_row_and_the_button_moves_on(web, world):
    web.sign_in(world.ward_official)
    page = web.get("/internal/outreach/new/row?index=5", headers=HTMX)
    row = page.soup.find("tr", id="rows-5")
    assert row.find("input", attrs={"name": "rows-5-query"}).has_attr("autofocus")
    button = page.soup.find("hx-partial").find("button", id="add-row")
    assert button["hx-get"].endswith("index=6")


def test_htmx_suggests_businesses_of_the_area_only(web, world):
    business(world, name="Tạp hóa Minh Ánh", address="12 Lê Lợi")
    business(world, actor=world.sibling_official, ward=world.ward_b, name="Tạp hóa Minh Hạnh", address="3 Trần Phú")
    db.session.commit()
    web.sign_in(world.ward_official)
    page = web.get("/internal/outreach/new/suggest?index=2&rows-2-query=tap+hoa+minh", headers=HTMX)
    names = [b.find("strong").get_text() for b in page.soup.find_all("button")]
    assert names == ["Tạp hóa Minh Ánh"]
    assert page.soup.find("button")["hx-target"] == "#rows-2"


def test_htmx_pick_returns_the_row_with_what_was_typed(web, world):
    [stall] = stalls(world, 1)
    web.sign_in(world.ward_official)
    page = web.get(f"/internal/outreach/new/row?index=2&pick=rows-2:{stall.id}&rows-2-query=quay&rows-2-signed=y"
                   "&rows-2-signatory=Ông+Ba", headers=HTMX)
    assert page.soup.find("input", attrs={"name": "rows-2-business_id"})["value"] == str(stall.id)
    assert page.value("rows-2-signatory") == "Ông Ba" and page.soup.find(id="rows-2-signed").has_attr("checked")
    assert page.soup.find("hx-partial") is None


def test_a_new_stall_is_added_inline(web, world):
    web.sign_in(world.ward_official)
    rows = {0: {"new_name": "Quầy rau bà Tư", "new_stall": "R5", "signed": "y", "signatory": "Bà Tư"}}
    web.post("/internal/outreach/new", meeting(world, rows), status=303)
    created = db.session.scalar(select(Business).where(Business.name == "Quầy rau bà Tư"))
    assert created.address == "R5, Chợ Hàm Rồng" and created.channels[0].kind == ChannelKind.MARKET_STALL
    assert created.recorded_on == date(2026, 3, 15)
    assert count(Commitment) == 1


def test_a_viewer_and_a_sibling_ward_are_kept_out(web, world):
    [stall] = stalls(world, 1)
    session = outreach.record_session(world.ward_official, outreach.SessionData(
        held_on=date(2026, 3, 1), method=outreach.OutreachMethod.LEAFLET, people_reached=5, business_ids=[stall.id]))
    paper = outreach.record_commitment(world.ward_official, outreach.CommitmentData(
        business_id=stall.id, signed_on=date(2026, 3, 1), signatory="A", received_by_id=world.ward_official.id))
    db.session.commit()
    web.sign_in(world.sibling_official)
    web.get(f"/internal/outreach/{session.id}", status=403)
    web.get(f"/internal/commitments/{paper.id}", status=403)
    assert "Quầy số 0" not in web.get("/internal/commitments/").text()
    web.post("/internal/outreach/new/row?index=0", status=405)
    web.sign_out()
    web.sign_in(world.viewer)
    web.get("/internal/outreach/new", status=403)
    web.post("/internal/outreach/new", meeting(world, {}), status=403)


def test_a_commitment_with_its_scan(web, world):
    [stall] = stalls(world, 1)
    web.sign_in(world.ward_official)
    form = web.get(f"/internal/businesses/{stall.id}/commitments/new")
    assert form.value("received_by_id") == str(world.ward_official.id)
    page = web.post(f"/internal/businesses/{stall.id}/commitments/new", {
        "signed_on": "2024-01-01", "signatory": "Chủ quầy", "received_by_id": world.ward_official.id, "plan_id": ""},
        status=422)
    assert "trước" in page.field_error("signed_on") and page.value("signatory") == "Chủ quầy"
    page = web.post(f"/internal/businesses/{stall.id}/commitments/new", {
        "signed_on": "2026-03-01", "signatory": "Chủ quầy", "received_by_id": world.ward_official.id, "plan_id": "",
        "scan": (io.BytesIO(b"GIF89a not allowed"), "scan.pdf")}, status=422, content_type="multipart/form-data")
    assert page.field_error("scan") and count(Commitment) == 0
    page = web.post(f"/internal/businesses/{stall.id}/commitments/new", {
        "signed_on": "2026-03-01", "signatory": "Chủ quầy", "received_by_id": world.ward_official.id, "plan_id": "",
        "scan": (io.BytesIO(PDF), "cam-ket.pdf")}, status=303, content_type="multipart/form-data")
    paper = db.session.scalar(select(Commitment))
    download = web.client.get(f"/internal/commitments/{paper.id}/scan")
    assert download.data == PDF and "attachment" in download.headers["Content-Disposition"]
    assert "Chủ quầy" in web.get(f"/internal/businesses/{stall.id}").text()
    web.sign_out()
    web.sign_in(world.sibling_official)
    assert web.client.get(f"/internal/commitments/{paper.id}/scan").status_code == 403


def test_an_agreement_is_recorded_and_listed(web, world):
    web.sign_in(world.ward_official)
    page = web.post("/internal/agreements/new", {
        "counterpart": "market_board", "counterpart_name": "", "ward_code": world.ward_a.ward_code,
        "signed_on": "2026-02-01", "signatory": "Lê Văn Chợ", "received_by_id": world.ward_official.id, "plan_id": ""},
        status=422)
    assert page.field_error("counterpart_name") and page.value("signatory") == "Lê Văn Chợ"
    web.post("/internal/agreements/new", {
        "counterpart": "market_board", "counterpart_name": "Ban quản lý chợ Hàm Rồng",
        "ward_code": world.ward_a.ward_code, "signed_on": "2026-02-01", "signatory": "Lê Văn Chợ",
        "received_by_id": world.ward_official.id, "plan_id": ""}, status=303)
    assert "Ban quản lý chợ Hàm Rồng" in web.get("/internal/agreements/").text()


def test_coverage_page_shows_the_figures_of_the_area(web, world):
    made = stalls(world, 4)
    for b in made[:3]:
        outreach.record_commitment(world.ward_official, outreach.CommitmentData(
            business_id=b.id, signed_on=date(2026, 3, 1), signatory="A", received_by_id=world.ward_official.id))
    business(world, actor=world.sibling_official, ward=world.ward_b, name="Quầy Hạc Thành", address="Chợ")
    db.session.commit()
    web.sign_in(world.ward_official)
    page = web.get("/internal/coverage/")
    assert page.soup.find(id="figure-businesses").get_text() == "4"
    assert page.soup.find(id="figure-signed").get_text() == "75%"
    assert page.soup.find("svg").find_all("polyline")
    web.sign_out()
    web.sign_in(world.province_admin)
    page = web.get("/internal/coverage/?ward=" + str(world.ward_b.ward_code))
    assert page.soup.find(id="figure-businesses").get_text() == "1"
    page = web.get("/internal/coverage/")
    assert page.soup.find(id="figure-businesses").get_text() == "5"
    assert "Phường Hàm Rồng" in page.soup.find(id="coverage-by-ward").get_text()
    web.sign_out()
    web.sign_in(world.viewer)  # Lào Cai: asking for a Thanh Hóa ward shows Lào Cai's own figures
    page = web.get("/internal/coverage/?ward=" + str(world.ward_a.ward_code))
    assert page.soup.find(id="figure-businesses").get_text() == "0"


def test_the_plan_page_measures_its_targets(web, world):
    plan = make_plan(world.leader, unit=world.ward_a)
    db.session.add(Target(plan=plan, year=2026, due_on=date(2026, 12, 31), percent=80, category="market_stall",
                          measure="commitment", text="80% quầy sạp ký cam kết"))
    made = stalls(world, 2)
    outreach.record_commitment(world.ward_official, outreach.CommitmentData(
        business_id=made[0].id, signed_on=date(2026, 3, 1), signatory="A", received_by_id=world.ward_official.id))
    db.session.commit()
    web.sign_in(world.leader)
    text = web.get(f"/internal/plans/{plan.id}").soup.find(id="targets").get_text(" ")
    assert "50%" in text and "1/2 cơ sở" in text


def test_outreach_pages_make_a_fixed_number_of_queries(web, world):
    web.sign_in(world.ward_official)
    pages = ("/internal/outreach/", "/internal/commitments/", "/internal/agreements/", "/internal/coverage/")
    made = stalls(world, 2)
    outreach.record_batch(world.ward_official, outreach.SessionData(
        held_on=date(2026, 3, 1), method=outreach.OutreachMethod.CONFERENCE),
        [outreach.BatchRow(business_id=b.id, signed=True, signatory="A") for b in made])
    db.session.commit()
    before = {url: queries_for(web, url) for url in pages}
    more = [business(world, name=f"Cửa hàng {i}", address=f"{i} Lê Lợi") for i in range(12)]
    for i in range(4):
        outreach.record_batch(world.ward_official, outreach.SessionData(
            held_on=date(2026, 4, 1 + i), method=outreach.OutreachMethod.LEAFLET),
            [outreach.BatchRow(business_id=b.id, signed=True, signatory="B") for b in more[i * 3:(i + 1) * 3]])
    db.session.commit()
    after = {url: queries_for(web, url) for url in pages}
    assert after == before


def test_a_row_typed_but_not_picked_is_refused_not_dropped(web, world):
    made = stalls(world, 2)
    web.sign_in(world.ward_official)
    rows = {0: {"business_id": str(made[0].id)}, 1: {"query": "Quầy số 1"}, 2: {"query": "zzzz"},
            3: {"new_address": "Kiốt 40"}, 4: {"business_id": str(made[1].id), "signatory": "Ông Năm"}}
    page = web.post("/internal/outreach/new", meeting(world, rows), status=422)
    for field in ("rows-1-query", "rows-2-query", "rows-3-new_name", "rows-4-signed"):
        assert page.field_error(field), field
    assert count(OutreachSession) == 0


def test_a_unicode_digit_in_a_row_name_is_not_a_row(web, world):
    web.sign_in(world.ward_official)
    page = web.post("/internal/outreach/new", {**meeting(world, {}), "rows-²-query": "x", "action": "check"})
    assert page.soup.find(id="rows-0-query") is not None


def test_commitments_are_credited_to_who_received_them(web, world):
    from portal.models import Role
    from tests.factories import make_user

    inspector = make_user("kiem.tra", world.ward_a, Role.OFFICER)
    [stall] = stalls(world, 1)
    web.sign_in(world.ward_official)
    web.post("/internal/outreach/new", meeting(world, {0: {"business_id": str(stall.id), "signed": "y",
                                                           "signatory": "Chủ"}}, received_by_id=str(inspector.id)),
             status=303)
    assert db.session.scalar(select(Commitment.received_by_id)) == inspector.id


def test_the_same_new_stall_on_two_rows_is_refused(web, world):
    web.sign_in(world.ward_official)
    rows = {0: {"new_name": "Quầy Mới", "new_stall": "M1"}, 1: {"new_name": "Quay moi", "new_stall": "M1"}}
    page = web.post("/internal/outreach/new", meeting(world, rows), status=422)
    assert "1" in page.field_error("rows-1-new_name") and count(Business) == 0


def test_a_business_page_does_not_link_a_session_of_a_unit_above(web, world):
    [stall] = stalls(world, 1)
    session = outreach.record_session(world.leader, outreach.SessionData(
        held_on=date(2026, 3, 1), method=outreach.OutreachMethod.CONFERENCE, people_reached=3,
        business_ids=[stall.id]))
    db.session.commit()
    web.sign_in(world.ward_official)
    page = web.get(f"/internal/businesses/{stall.id}")
    assert "Hội nghị" in page.soup.find(id="business-commitments").get_text()
    assert page.soup.find("a", href=f"/internal/outreach/{session.id}") is None


def test_long_lists_page_and_keep_their_filter(web, world):
    shops = [business(world, name=f"Cửa hàng {i:02d}", address=f"{i} Lê Lợi") for i in range(51)]
    for i, shop in enumerate(shops):
        outreach.record_session(world.ward_official, outreach.SessionData(
            held_on=date(2026, 1, 1) + timedelta(days=i), method=outreach.OutreachMethod.LEAFLET, people_reached=1,
            business_ids=[shop.id]))
    db.session.commit()
    web.sign_in(world.ward_official)
    page = web.get("/internal/outreach/?method=leaflet")
    link = page.soup.select_one("nav.pagination a")
    assert link["href"] == "/internal/outreach/?page=2&method=leaflet"
    assert len(web.get(link["href"]).soup.select("tbody tr")) == 1
    assert web.get("/internal/businesses/?page=2").soup.select_one("nav.pagination a")["href"] == \
        "/internal/businesses/?page=1"
