"""The import and export pages: preview then confirm, refusals next to the field, the file kept
server-side only for its own user, exports within the user's area that open in a spreadsheet."""
import csv
import io
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Business, ChannelKind
from portal.services import registry, registry_import, spreadsheets
from tests.helpers import Browser
from tests.services.test_registry_import import ROWS, csv_file, xlsx

IMPORT = "/internal/businesses/import"


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Business))


def upload(web, data: bytes, name: str = "ds.xlsx", status: int = 200):
    return web.post(IMPORT, {"file": (io.BytesIO(data), name)}, status=status, content_type="multipart/form-data")


def pending_files(app) -> list[Path]:
    folder = Path(app.instance_path) / "imports"
    return list(folder.iterdir()) if folder.exists() else []


def confirm(web, page, status: int = 303):
    token = page.soup.find("input", attrs={"name": "token"})["value"]
    return web.post(f"{IMPORT}/confirm", {"token": token}, status=status)


def test_preview_then_confirm(web, world, app):
    web.sign_in(world.ward_official)
    page = web.get("/internal/businesses/")
    assert page.soup.find("a", href=IMPORT)
    page = upload(web, xlsx(ROWS))
    assert "Tạp hóa Minh Ánh" in page.text() and "Shop Ngọc Lan" in page.text()
    assert [th.get_text() for th in page.soup.select("tbody th[scope=row]")] == ["2", "3", "4"]
    assert count() == 0 and len(pending_files(app)) == 1
    done = confirm(web, page)
    assert done.response.headers["Location"] == "/internal/businesses/"
    assert count() == 3 and pending_files(app) == []
    assert "Tạp hóa Minh Ánh" in web.get("/internal/businesses/").text()
    confirm(web, page)  # the same confirmation again: the file is gone, nothing happens twice
    assert count() == 3
    again = upload(web, csv_file(ROWS), "ds.csv")
    assert again.soup.find("input", attrs={"name": "token"}) is None  # nothing to import
    assert pending_files(app) == []


def test_a_bad_row_is_shown_with_its_row_and_field_and_nothing_is_saved(web, world, app):
    web.sign_in(world.ward_official)
    rows = [ROWS[0], [*ROWS[1][:2], "12345", *ROWS[1][3:]], [*ROWS[2][:4], "Phường Hạc Thành", *ROWS[2][5:]]]
    page = upload(web, xlsx(rows), status=422)
    refused = {tr.find("th").get_text(): tr.get_text(" ", strip=True) for tr in page.soup.select("tbody tr")}
    assert set(refused) == {"3", "4"}
    assert "Mã số thuế" in refused["3"]  # the column, in the user's language
    assert "Phường Hạc Thành" in refused["4"]
    assert page.soup.find("input", attrs={"name": "token"}) is None and pending_files(app) == []
    assert count() == 0


@pytest.mark.parametrize("data,name", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "anh.png"),
    (b"just some words, nothing more\n", "ds.xlsx"),
    (xlsx([["a", "b"]], header=["Tên cơ sở", "Số nhà"]), "ds.xlsx"),
    (b"", "ds.csv"),
])
def test_a_file_that_cannot_be_imported_is_refused_next_to_the_field(web, world, data, name):
    web.sign_in(world.ward_official)
    page = upload(web, data, name, status=422)
    assert page.field_error("file") and page.soup.find(class_="error-summary")
    assert count() == 0


def test_no_file_is_refused_next_to_the_field(web, world):
    web.sign_in(world.ward_official)
    assert web.post(IMPORT, {}, status=422).field_error("file")


def test_the_real_limit_is_50_mb(app):
    assert app.config["MAX_CONTENT_LENGTH"] == spreadsheets.MAX_BYTES == 50 * 1024 * 1024


@pytest.mark.config(MAX_CONTENT_LENGTH=4096)
def test_a_file_over_the_limit_gets_the_form_again_not_a_bare_413(web, world, app):
    upload(web, b"x" * 10_000, "big.csv", status=413)  # not signed in: the plain error page, no form
    web.sign_in(world.ward_official)
    page = upload(web, b"x" * 10_000, "big.csv", status=413)
    assert "50 MB" in page.field_error("file")
    assert page.soup.find("input", attrs={"type": "file"})
    assert count() == 0 and pending_files(app) == []


def test_a_token_of_another_user_or_session_is_refused(web, world, app):
    web.sign_in(world.ward_official)
    page = upload(web, xlsx(ROWS))
    token = page.soup.find("input", attrs={"name": "token"})["value"]
    other = Browser(app.test_client())
    other.sign_in(world.leader)
    refused = other.post(f"{IMPORT}/confirm", {"token": token}, status=303)
    assert refused.response.headers["Location"] == IMPORT
    other.post(f"{IMPORT}/confirm", {"token": "0" * 32}, status=303)
    other.post(f"{IMPORT}/confirm", {"token": "../../etc/passwd"}, status=303)
    assert count() == 0 and len(pending_files(app)) == 1
    confirm(web, page)
    assert count() == 3


def test_a_second_preview_replaces_the_first(web, world, app):
    web.sign_in(world.ward_official)
    first = upload(web, xlsx(ROWS))
    upload(web, xlsx(ROWS[:1]))
    assert len(pending_files(app)) == 1
    confirm(web, first)  # the first preview's token no longer counts
    assert count() == 0


def test_viewers_cannot_import_but_can_export(web, world):
    web.sign_in(world.viewer)
    web.get(IMPORT, status=403)
    upload(web, xlsx(ROWS), status=403)
    web.post(f"{IMPORT}/confirm", {"token": "0" * 32}, status=403)
    read_csv(web, "/internal/businesses/export.csv")
    assert web.get("/internal/businesses/").soup.find("a", href=IMPORT) is None


def add(actor, name, ward_code, **extra):
    business = registry.create(actor, registry.BusinessData(
        name=name, address="1 Lê Lợi", ward_code=ward_code, channels=[registry.ChannelData(ChannelKind.SHOP)],
        **extra))
    db.session.commit()
    return business


def download(web, url: str):
    response = web.client.get(url)
    assert response.status_code == 200, url
    assert "attachment" in response.headers["Content-Disposition"]
    return response


def read_csv(web, url: str) -> list[list[str]]:
    response = download(web, url)
    assert response.mimetype == "text/csv"
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(web, url: str):
    return openpyxl.load_workbook(io.BytesIO(download(web, url).get_data())).active


def test_an_export_holds_only_the_users_area_and_the_filtered_rows(web, world):
    add(world.ward_official, "Tạp hóa Hàm Rồng", world.ward_a.ward_code)
    add(world.ward_official, "Quán Phở Hàm Rồng", world.ward_a.ward_code)
    add(world.sibling_official, "Quầy Hạc Thành", world.ward_b.ward_code)
    web.sign_in(world.ward_official)
    rows = read_csv(web, "/internal/businesses/export.csv")
    assert sorted(row[0] for row in rows[1:]) == ["Quán Phở Hàm Rồng", "Tạp hóa Hàm Rồng"]
    sheet = read_xlsx(web, "/internal/businesses/export.xlsx?q=pho")
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Quán Phở Hàm Rồng"]
    assert len(read_csv(web, f"/internal/businesses/export.csv?ward={world.ward_b.ward_code}")) == 1
    assert len(read_csv(web, "/internal/businesses/export.csv?status=ceased&channel=shop")) == 1
    assert len(read_csv(web, "/internal/businesses/export.csv?status=new&channel=shop")) == 3
    web.sign_out()
    web.sign_in(world.leader)
    assert len(read_csv(web, "/internal/businesses/export.csv")) == 4
    assert read_xlsx(web, "/internal/businesses/export.xlsx").max_row == 4
    index = web.get("/internal/businesses/?q=pho&channel=shop")
    link = index.soup.find("a", href=lambda h: h and "export.xlsx" in h)["href"]
    assert "q=pho" in link and "channel=shop" in link


def test_an_export_cannot_run_formulas_and_opens_in_a_spreadsheet(web, world):
    add(world.ward_official, "=HYPERLINK(\"http://evil.example\",\"x\")", world.ward_a.ward_code,
        owner_name="@SUM(1+1)", household_reg_no="-1+2")
    web.sign_in(world.ward_official)
    sheet = read_xlsx(web, "/internal/businesses/export.xlsx")
    cells = next(sheet.iter_rows(min_row=2))
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert cells[0].value.startswith("'=") and cells[1].value == "'@SUM(1+1)" and cells[3].value == "'-1+2"
    row = read_csv(web, "/internal/businesses/export.csv")[1]
    assert row[0].startswith("'=") and row[1] == "'@SUM(1+1)" and row[3] == "'-1+2"


def test_an_export_uploaded_again_changes_nothing(web, world, app):
    add(world.ward_official, "=Tạp hóa", world.ward_a.ward_code, tax_code="0101234567", phone="0908538844",
        goods=["milk", "farm_inputs"])
    web.sign_in(world.ward_official)
    for kind in ("xlsx", "csv"):
        data = download(web, f"/internal/businesses/export.{kind}").get_data()
        page = upload(web, data, f"export.{kind}")
        assert page.soup.find("input", attrs={"name": "token"}) is None, page.text()[:500]
        assert page.soup.find(class_="alert--info")
    assert count() == 1 and pending_files(app) == []


def test_the_template_opens_with_the_columns_the_import_reads(web, world, app):
    web.sign_in(world.ward_official)
    workbook = openpyxl.load_workbook(io.BytesIO(download(web, "/internal/businesses/import/template.xlsx").get_data()))
    header = [c.value for c in workbook.worksheets[0][1]]
    assert header[:3] == ["Tên cơ sở kinh doanh", "Chủ cơ sở hoặc người đại diện", "Mã số thuế"]
    with app.test_request_context():
        assert header == registry_import.export_header()[:-1]
    values = [c.value for c in workbook.worksheets[1]["C"]]
    assert "Phường Hàm Rồng" in values


@pytest.mark.csrf
def test_import_needs_the_csrf_token(web, world):
    token = web.get("/internal/login").csrf_token()
    web.post("/internal/login", {"username": world.ward_official.username, "password": "correct horse battery staple",
                                 "csrf_token": token}, status=303)
    upload(web, xlsx(ROWS), status=400)
    token = web.get(IMPORT).csrf_token()
    page = web.post(IMPORT, {"file": (io.BytesIO(xlsx(ROWS)), "ds.xlsx"), "csrf_token": token},
                    content_type="multipart/form-data")
    confirm_token = page.soup.find("input", attrs={"name": "token"})["value"]
    web.post(f"{IMPORT}/confirm", {"token": confirm_token}, status=400)
    web.post(f"{IMPORT}/confirm", {"token": confirm_token, "csrf_token": token}, status=303)
    assert count() == 3


def test_a_preview_outdated_by_another_change_is_shown_again_before_anything_is_saved(web, world):
    web.sign_in(world.ward_official)
    page = upload(web, xlsx(ROWS))
    add(world.leader, "Tạp hóa Minh Ánh", world.ward_a.ward_code, tax_code="0101234567")  # meanwhile
    again = confirm(web, page, status=200)
    assert count() == 1
    badges = [tr.find("span", class_="badge")["class"][1] for tr in again.soup.select("tbody tr")]
    assert badges == ["badge--due_soon", "badge--ok", "badge--ok"]  # row 2 now changes the recorded business
    confirm(web, again)
    assert count() == 3
    assert db.session.scalar(select(Business.owner_name).where(Business.tax_code == "0101234567")) == "Nguyễn Minh Ánh"
