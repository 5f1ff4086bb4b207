"""Importing the registry from XLSX and CSV: all or nothing, idempotent, in scope; exports that
a spreadsheet cannot run as formulas and that the import reads back."""
import csv
import io
import os
import unicodedata
import zipfile
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEntry, Business, ChannelKind
from portal.services import registry, registry_import, spreadsheets
from portal.services.errors import AccessDenied
from portal.services.files import FileRefused
from portal.services.registry_import import CREATE, REFUSED, UNCHANGED, UPDATE

HEADER = ["Tên cơ sở", "Chủ cơ sở", "Mã số thuế", "Địa chỉ", "Phường/xã", "Loại hình", "Chợ/TTTM/Sàn", "Ki-ốt",
          "Đường dẫn", "Mặt hàng", "Điện thoại", "Ngày thành lập"]
ROWS = [
    ["Tạp hóa Minh Ánh", "Nguyễn Minh Ánh", "0101234567", "12 Lê Lợi", "Phường Hàm Rồng", "Cửa hàng", "", "", "",
     "Sữa và sản phẩm từ sữa; Thực phẩm", "0908 538 844", "19/03/2024"],
    ["Quầy Bà Hằng", "Trần Thị Hằng", "", "Chợ Hàm Rồng", "Hàm Rồng", "Sạp chợ", "Chợ Hàm Rồng", "A12", "",
     "Mỹ phẩm", "", ""],
    ["Shop Ngọc Lan", "", "", "5 Trần Phú", "ham rong", "Seller on a digital platform", "Shopee", "",
     "shopee.vn/ngoclan", "Quần áo, Giày dép", "", ""],
]
NAMES = ["Tạp hóa Minh Ánh", "Quầy Bà Hằng", "Shop Ngọc Lan"]


@pytest.fixture(autouse=True)
def in_a_request(app):
    """Messages are put in the user's language, which a request chooses (here the default, vi)."""
    with app.test_request_context():
        yield


def xlsx(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [header, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_cp1258(text: str) -> bytes:
    """Text as Vietnamese Windows writes it: a letter the code page lacks becomes a base
    letter (itself maybe with a hat or horn) and a combining tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        for mark in list(marks):  # "ặ": the breve joins the a (ă), the dot below stays a mark
            composed = unicodedata.normalize("NFC", base + mark)
            if len(composed) == 1 and _encodable(composed):
                base = composed
                marks.remove(mark)
        out += (base + "".join(marks)).encode("cp1258")
    return bytes(out)


def _encodable(text: str) -> bool:
    try:
        text.encode("cp1258")
    except UnicodeEncodeError:
        return False
    return True


def csv_file(rows, header=HEADER, encoding="utf-8-sig", delimiter=",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([header, *rows])
    text = buffer.getvalue()
    return to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Business))


def problems(result):
    return [(p.row, p.key) for r in result.rows for p in r.problems]


def test_a_good_xlsx_is_previewed_then_imported(world):
    result = registry_import.preview(world.ward_official, xlsx(ROWS), "ds.xlsx")
    assert [(r.row, r.action) for r in result.rows] == [(2, CREATE), (3, CREATE), (4, CREATE)]
    assert count() == 0  # a preview saves nothing
    registry_import.apply(world.ward_official, xlsx(ROWS), "ds.xlsx")
    db.session.commit()
    first, stall, shop = db.session.scalars(select(Business).order_by(Business.id)).all()
    assert (first.name, first.tax_code, first.phone, first.ward_code) == (
        "Tạp hóa Minh Ánh", "0101234567", "0908538844", world.ward_a.ward_code)
    assert first.recorded_on.isoformat() == "2024-03-19" and {g.code for g in first.goods} == {"milk", "food"}
    assert [(c.kind, c.place_name, c.stall) for c in stall.channels] == [
        (ChannelKind.MARKET_STALL, "Chợ Hàm Rồng", "A12")]
    assert [(c.kind, c.link) for c in shop.channels] == [(ChannelKind.PLATFORM_SELLER, "shopee.vn/ngoclan")]
    assert {g.code for g in shop.goods} == {"clothing", "footwear"}
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "business.imported"))
    assert entry.after == {"file": "ds.xlsx", "created": 3, "updated": 0, "unchanged": 0}
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "business.created")) == 3


@pytest.mark.parametrize("encoding,delimiter", [("utf-8-sig", ","), ("utf-8", ";"), ("cp1258", ","),
                                                ("cp1258", "\t")])
def test_csv_in_every_encoding_gives_the_same_vietnamese_names(world, encoding, delimiter):
    data = csv_file(ROWS, encoding=encoding, delimiter=delimiter)
    if encoding == "cp1258":
        assert b"\xcc" in data or b"\xec" in data  # tone marks really are separate characters
    table = spreadsheets.read(data, "ds.csv")
    assert table.delimiter == delimiter and table.encoding == encoding
    assert table.rows[0].cells == HEADER
    result = registry_import.preview(world.ward_official, data, "ds.csv")
    assert [r.name for r in result.rows] == NAMES and [r.action for r in result.rows] == [CREATE] * 3
    assert all(r.given["ward_code"] == world.ward_a.ward_code for r in result.rows)
    registry_import.apply(world.ward_official, data, "ds.csv")
    db.session.commit()
    assert set(db.session.scalars(select(Business.name))) == set(NAMES)


def test_damaged_text_is_refused_with_its_line(world):
    data = csv_file(ROWS, encoding="utf-8").replace("Ánh".encode(), b"\xc3\x28nh", 1)
    with pytest.raises(FileRefused) as refused:
        spreadsheets.read(data, "ds.csv")
    assert "2" in str(refused.value.message)


def test_one_bad_row_refuses_the_whole_import(world):
    rows = [ROWS[0], [*ROWS[1][:2], "12345", *ROWS[1][3:]], [*ROWS[2][:4], "Phường Không Có", *ROWS[2][5:]]]
    result = registry_import.preview(world.ward_official, xlsx(rows), "ds.xlsx")
    assert [r.action for r in result.rows] == [CREATE, REFUSED, REFUSED] and not result.ok
    assert problems(result) == [(3, "tax_code"), (4, "ward")]
    assert "Phường Không Có" in str(result.rows[2].problems[0].message)
    trail = db.session.scalar(select(func.count()).select_from(AuditEntry))  # the world's own creation
    with pytest.raises(registry_import.ImportRefused) as refused:
        registry_import.apply(world.ward_official, xlsx(rows), "ds.xlsx")
    db.session.rollback()
    assert [r.row for r in refused.value.result.refused] == [3, 4]
    assert count() == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == trail


@pytest.mark.parametrize("cells,key", [
    ({5: "Bán dạo"}, "channel"),
    ({9: "Sữa; Vàng bạc đá quý"}, "goods"),
    ({10: "12345"}, "phone"),
    ({11: "32/13/2024"}, "opened_on"),
    ({0: ""}, "name"),
    ({5: "Seller on a digital platform", 6: "", 8: ""}, "place"),
    ({0: "x" * 201}, "name"),
    ({7: "A1; A2"}, "stall"),
])
def test_each_bad_cell_is_named(world, cells, key):
    row = list(ROWS[0])
    for position, value in cells.items():
        row[position] = value
    result = registry_import.preview(world.ward_official, xlsx([row]), "ds.xlsx")
    assert result.rows[0].action == REFUSED
    assert key in [p.key for p in result.rows[0].problems]


def test_duplicated_rows_in_one_file_are_refused(world):
    same_tax_code = [*ROWS[1][:2], "0101234567", *ROWS[1][3:]]
    result = registry_import.preview(world.ward_official, xlsx([ROWS[0], ROWS[1], ROWS[0], same_tax_code]), "d.xlsx")
    assert [r.action for r in result.rows] == [CREATE, CREATE, REFUSED, REFUSED]
    assert problems(result) == [(4, "tax_code"), (5, "tax_code")]
    assert "2" in str(result.rows[2].problems[0].message)  # the row it repeats


def test_wrong_columns_are_refused_saying_which(world):
    with pytest.raises(FileRefused) as refused:
        registry_import.preview(world.ward_official, xlsx([["A", "B"]], header=["Tên cơ sở", "Số nhà"]), "x.xlsx")
    message = str(refused.value.message)
    for key in ("address", "ward", "channel"):
        assert str(registry_import.BY_KEY[key].label) in message
    assert str(registry_import.BY_KEY["name"].label) not in message.split(":", 1)[1]
    with pytest.raises(FileRefused):
        registry_import.preview(world.ward_official, xlsx([["a"]], header=["Tên cơ sở", "Tên", "Địa chỉ"]), "x.xlsx")


def test_the_header_may_sit_below_a_title_and_english_headers_work(world):
    english = ["Name", "Owner", "Tax code", "Address", "Ward", "Channel", "Place", "Stall", "Link", "Goods", "Phone",
               "Opened on"]
    data = xlsx([[""], english, *ROWS], header=["DANH SÁCH CƠ SỞ KINH DOANH PHƯỜNG HÀM RỒNG"])
    result = registry_import.preview(world.ward_official, data, "x.xlsx")
    assert [(r.row, r.action) for r in result.rows] == [(4, CREATE), (5, CREATE), (6, CREATE)]


def make_zip(entries: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize("data,name", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "ds.csv"),
    (os.urandom(4096), "ds.csv"),
    ("Tên cơ sở,Địa chỉ\nA,B\n".encode(), "ds.xlsx"),  # text that calls itself a workbook
    (make_zip({"word/document.xml": "<w/>", "[Content_Types].xml": "<Types/>"}), "ds.xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "ds.xls"),
    (make_zip({"xl/workbook.xml": "not xml", "[Content_Types].xml": "<Types/>"}), "ds.xlsx"),
    (b"", "ds.csv"),
    (b"   \r\n", "ds.csv"),
    (b'Name,Address\n"' + b"y" * 200_000 + b'",z\n', "ds.csv"),  # a quotation mark never closed
])
def test_files_that_are_not_spreadsheets_are_refused(world, data, name):
    with pytest.raises(FileRefused):
        registry_import.preview(world.ward_official, data, name)


def test_size_row_and_archive_limits(world, monkeypatch):
    assert spreadsheets.MAX_BYTES == 50 * 1024 * 1024 and spreadsheets.MAX_ROWS == 10_000
    data = xlsx(ROWS)
    monkeypatch.setattr(spreadsheets, "MAX_BYTES", len(data) - 1)
    with pytest.raises(FileRefused) as refused:
        spreadsheets.read(data, "ds.xlsx")
    assert "MB" in str(refused.value.message)
    monkeypatch.undo()
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 2)
    for file in (data, csv_file(ROWS)):
        with pytest.raises(FileRefused):
            spreadsheets.read(file, "")
    monkeypatch.undo()
    monkeypatch.setattr("portal.services.files.MAX_ZIP_UNCOMPRESSED", 1000)  # a zip bomb expands past the limit
    with pytest.raises(FileRefused):
        spreadsheets.read(data, "ds.xlsx")


def test_running_twice_changes_nothing_and_an_edited_row_updates(world):
    registry_import.apply(world.ward_official, xlsx(ROWS), "ds.xlsx")
    db.session.commit()
    again = registry_import.preview(world.ward_official, xlsx(ROWS), "ds.xlsx")
    assert [r.action for r in again.rows] == [UNCHANGED] * 3 and again.to_change == 0
    registry_import.apply(world.ward_official, xlsx(ROWS), "ds.xlsx")
    db.session.commit()
    assert count() == 3
    edited = [[*ROWS[0][:10], "0913 983 323", ROWS[0][11]], [*ROWS[1][:1], "", *ROWS[1][2:]], ROWS[2]]
    result = registry_import.preview(world.ward_official, xlsx(edited), "ds.xlsx")
    assert [r.action for r in result.rows] == [UPDATE, UNCHANGED, UNCHANGED]  # an empty cell keeps what is recorded
    assert [str(c) for c in result.rows[0].changes] == [str(registry_import.BY_KEY["phone"].label)]
    registry_import.apply(world.ward_official, xlsx(edited), "ds.xlsx")
    db.session.commit()
    assert count() == 3
    phones = dict(db.session.execute(select(Business.name, Business.phone)).all())
    assert phones["Tạp hóa Minh Ánh"] == "0913983323"
    owner = db.session.scalar(select(Business.owner_name).where(Business.name == "Quầy Bà Hằng"))
    assert owner == "Trần Thị Hằng"


def test_a_recorded_business_is_found_by_name_and_address_without_diacritics(world):
    registry.create(world.ward_official, registry.BusinessData(
        name="Tạp hóa Minh Ánh", address="12 Lê Lợi", ward_code=world.ward_a.ward_code,
        channels=[registry.ChannelData(ChannelKind.SHOP)]))
    db.session.commit()
    row = ["TAP HOA MINH ANH", "", "", "12 Le Loi", "Hàm Rồng", "Shop", "", "", "", "", "", ""]
    result = registry_import.preview(world.ward_official, xlsx([row]), "ds.xlsx")
    assert result.rows[0].action == UPDATE and result.rows[0].business.name == "Tạp hóa Minh Ánh"


def test_a_ward_official_imports_only_into_their_own_ward(world):
    theirs = [*ROWS[0][:4], "Phường Hạc Thành", *ROWS[0][5:]]
    result = registry_import.preview(world.ward_official, xlsx([ROWS[1], theirs]), "ds.xlsx")
    assert [r.action for r in result.rows] == [CREATE, REFUSED] and problems(result) == [(3, "ward")]
    leader = registry_import.preview(world.leader, xlsx([ROWS[1], theirs]), "ds.xlsx")
    assert [r.action for r in leader.rows] == [CREATE, CREATE]
    with pytest.raises(AccessDenied):
        registry_import.preview(world.viewer, xlsx(ROWS), "ds.xlsx")


def test_a_business_of_another_area_is_not_touched(world):
    registry.create(world.sibling_official, registry.BusinessData(
        name="Quầy Hạc Thành", address="Chợ", ward_code=world.ward_b.ward_code, tax_code="0101234567",
        channels=[registry.ChannelData(ChannelKind.SHOP)]))
    db.session.commit()
    result = registry_import.preview(world.ward_official, xlsx([ROWS[0]]), "ds.xlsx")
    assert problems(result) == [(2, "tax_code")]


def test_ward_codes_and_lost_leading_zeros(world):
    header = ["Tên cơ sở", "Địa chỉ", "Mã phường/xã", "Loại hình", "Mã số thuế", "Điện thoại"]
    rows = [["A", "1 Lê Lợi", world.ward_a.ward_code, "shop", 101234567, 908538844],
            ["B", "2 Lê Lợi", 99999999, "shop", None, None]]
    result = registry_import.preview(world.ward_official, xlsx(rows, header=header), "ds.xlsx")
    assert result.rows[0].action == CREATE
    assert (result.rows[0].data.tax_code, result.rows[0].data.phone) == ("0101234567", "0908538844")
    assert problems(result) == [(3, "ward_code")]


def test_ambiguous_ward_names_ask_for_the_full_name(world):
    row = ["A", "", "", "1 Lê Lợi", "Đông Tiến", "Shop", "", "", "", "", "", ""]
    result = registry_import.preview(world.leader, xlsx([row]), "ds.xlsx")
    assert problems(result) == [(2, "ward")]
    row[4] = "Phường Đông Tiến"
    assert registry_import.preview(world.leader, xlsx([row]), "ds.xlsx").rows[0].action == CREATE


def test_a_csv_row_split_by_an_unquoted_comma_is_refused(world):
    data = ("Tên cơ sở,Địa chỉ,Phường/xã,Loại hình\n"
            "Tạp hóa A,12 Lê Lợi,Hàm Rồng,Shop\n"
            "Tạp hóa B,14 Lê Lợi, tổ 3,Hàm Rồng,Shop\n").encode()
    result = registry_import.preview(world.ward_official, data, "ds.csv")
    assert result.rows[0].action == CREATE and result.rows[1].action == REFUSED


DANGEROUS = ["=1+1", "+84 908", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://evil\")"]


def test_exports_cannot_run_formulas():
    data = spreadsheets.write_xlsx(["Text"], [[value] for value in [*DANGEROUS, "safe", 12]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type != "f" for cell in cells)
    assert [c.value for c in cells] == ["'" + v for v in DANGEROUS] + ["safe", 12]
    text = "".join(spreadsheets.csv_lines(["Text"], [[v] for v in [*DANGEROUS, "safe"]]))
    assert text.startswith("\ufeff")
    values = [row[0] for row in csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))][1:]
    assert values == ["'" + v for v in DANGEROUS] + ["safe"]


def _export(actor, kind):
    stmt = registry.search(actor)
    rows = registry_import.export_rows(db.session.scalars(stmt), "vi")
    if kind == "xlsx":
        return spreadsheets.write_xlsx(registry_import.export_header(), rows)
    return "".join(spreadsheets.csv_lines(registry_import.export_header(), rows)).encode()


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_an_export_imports_back_unchanged(world, kind):
    registry_import.apply(world.ward_official, xlsx(ROWS), "ds.xlsx")
    registry.create(world.ward_official, registry.BusinessData(
        name="=cmd|' /C calc'!A0", address="-1 Lê Lợi", ward_code=world.ward_a.ward_code, phone="0908538844",
        channels=[registry.ChannelData(ChannelKind.SHOP),
                  registry.ChannelData(ChannelKind.MARKET_STALL, place_name="Chợ Hàm Rồng", stall="@12"),
                  registry.ChannelData(ChannelKind.WEBSITE, link="minhanh.vn")], goods=["farm_inputs", "fuel"]))
    db.session.commit()
    data = _export(world.ward_official, kind)
    table = spreadsheets.read(data, f"export.{kind}")
    assert table.rows[0].cells[0] == str(registry_import.BY_KEY["name"].label)
    result = registry_import.preview(world.ward_official, data, f"export.{kind}")
    assert [r.action for r in result.rows] == [UNCHANGED] * 4, problems(result)
    assert str(registry_import.BY_KEY["status"].label) in result.ignored


def test_an_imported_business_is_recorded_as_the_form_records_it(world):
    """The import creates many businesses in one flush; what it records must stay what
    registry.create records (columns, first status, audit entry)."""
    registry_import.apply(world.ward_official, xlsx([ROWS[0]]), "ds.xlsx")
    by_form = registry.create(world.ward_official, registry.BusinessData(
        name="Tạp hóa Minh Ánh 2", owner_name="Nguyễn Minh Ánh", tax_code="0101234568", address="14 Lê Lợi",
        ward_code=world.ward_a.ward_code, phone="0908538844", goods=["milk", "food"],
        channels=[registry.ChannelData(ChannelKind.SHOP)], opened_on=date(2024, 3, 19)))
    db.session.commit()
    imported = db.session.scalar(select(Business).where(Business.name == "Tạp hóa Minh Ánh"))
    differ = {"id", "name", "name_folded", "tax_code", "address", "address_folded", "created_at", "updated_at"}
    for column in (attribute.key for attribute in Business.__mapper__.column_attrs):
        if column not in differ:
            assert getattr(imported, column) == getattr(by_form, column), column
    assert [(h.status, h.on, h.recorded_by_id) for h in imported.history] == [
        (h.status, h.on, h.recorded_by_id) for h in by_form.history]
    assert [(c.kind, c.place_name, c.stall, c.link_normalised) for c in imported.channels] == [
        (c.kind, c.place_name, c.stall, c.link_normalised) for c in by_form.channels]
    assert {g.code for g in imported.goods} == {g.code for g in by_form.goods}
    entries = {e.object_id: e for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "business.created"))}
    assert entries[imported.id].after.keys() == entries[by_form.id].after.keys()
    assert (entries[imported.id].unit_id, entries[imported.id].actor_id) == (
        entries[by_form.id].unit_id, entries[by_form.id].actor_id)


def test_digits_of_other_scripts_are_not_codes(world):
    row = ["A", "", "٠١٠١٢٣٤٥٦٧", "1 Lê Lợi", "²", "Shop", "", "", "", "", "٠٩٠٨٥٣٨٨٤٤", ""]
    result = registry_import.preview(world.ward_official, xlsx([row]), "ds.xlsx")
    assert sorted(key for _row, key in problems(result)) == ["phone", "tax_code", "ward"]


def test_no_header_or_channel_name_means_two_things():
    """A translation that made two columns (or two channels) share a name would silently read
    one as the other."""
    from portal.text import fold

    seen: dict[str, str] = {}
    for column in registry_import.COLUMNS:
        for name in (*registry_import._names(column.label), *column.aliases):
            assert seen.setdefault(fold(name), column.key) == column.key, name
    channels: dict[str, str] = {}
    for value, label in registry_import.CHANNEL_LABELS.items():
        for name in (*registry_import._names(label), value):
            assert channels.setdefault(fold(name), value) == value, name
    for name, kind in registry_import.CHANNEL_ALIASES.items():
        assert channels.setdefault(fold(name), kind.value) == kind.value, name


def test_an_import_corrects_the_first_recorded_date(world):
    registry_import.apply(world.ward_official, xlsx(ROWS), "ds.xlsx")
    db.session.commit()
    older = [[*ROWS[0][:11], "01/02/2023"], ROWS[1], ROWS[2]]
    result = registry_import.preview(world.ward_official, xlsx(older), "ds.xlsx")
    assert [r.action for r in result.rows] == [UPDATE, UNCHANGED, UNCHANGED]
    registry_import.apply(world.ward_official, xlsx(older), "ds.xlsx")
    db.session.commit()
    business = db.session.scalar(select(Business).where(Business.name == "Tạp hóa Minh Ánh"))
    assert business.recorded_on == date(2023, 2, 1) and business.history[0].on == date(2023, 2, 1)
