"""The printable commitment and coordination-agreement forms: Decree 30 layout, pre-filled."""
import zipfile
from datetime import date
from io import BytesIO

import docx
from docx.shared import Pt

from portal.extensions import db
from portal.models import ChannelKind, Counterpart, Unit, UnitKind
from portal.services import paperwork, registry

TODAY = date(2026, 11, 22)
SUBTITLE = ("Không sản xuất, kinh doanh hàng giả, hàng nhập lậu, hàng không rõ nguồn gốc xuất xứ, hàng xâm phạm "
            "quyền sở hữu trí tuệ")


def make_business(world, **changes):
    values = {
        "name": "Tạp hóa Minh Ánh", "address": "12 Lê Lợi", "ward_code": world.ward_a.ward_code,
        "owner_name": "Nguyễn Minh Ánh", "tax_code": "2801234567", "household_reg_no": None, "phone": "0912345678",
        "goods": ["milk", "food"],
        "channels": [registry.ChannelData(ChannelKind.MARKET_STALL, place_name="Chợ Hàm Rồng", stall="K12"),
                     registry.ChannelData(ChannelKind.PLATFORM_SELLER, place_name="Shopee",
                                          link="https://shopee.vn/taphoaminhanh")]}
    values.update(changes)
    business = registry.create(world.ward_official, registry.BusinessData(**values), not_a_duplicate=True)
    db.session.flush()
    return business


def opened(content: bytes) -> docx.Document:
    assert content[:2] == b"PK"  # a zip: an Office Open XML file
    return docx.Document(BytesIO(content))


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def all_runs(document):
    for paragraph in document.paragraphs:
        yield from paragraph.runs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    yield from paragraph.runs


def assert_decree_30_layout(document):
    section = document.sections[0]
    def mm(length):  # Word keeps twentieths of a point: a millimetre is never exact
        return round(length.mm, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)  # A4, portrait
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (20, 20)
    assert (mm(section.left_margin), mm(section.right_margin)) == (30, 15)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and Pt(13) <= normal.font.size <= Pt(14)
    runs = [run for run in all_runs(document) if run.text.strip()]
    assert runs
    for run in runs:
        assert run.font.name in (None, "Times New Roman"), run.text
        assert run.font.size is None or Pt(13) <= run.font.size <= Pt(14), run.text
    head = document.tables[0]
    left, right = head.rows[0].cells
    assert right.paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and right.paragraphs[0].runs[0].bold
    assert right.paragraphs[1].text == "Độc lập - Tự do - Hạnh phúc" and right.paragraphs[1].runs[0].bold
    assert right.paragraphs[2]._p.pPr.find(docx.oxml.ns.qn("w:pBdr")) is not None  # the rule under the motto
    borders = head._tbl.tblPr.find(docx.oxml.ns.qn("w:tblBorders"))
    assert {edge.get(docx.oxml.ns.qn("w:val")) for edge in borders} == {"nil"}  # no lines round the head
    return left, head.rows[1].cells[1]


def test_the_commitment_form_is_prefilled_in_the_administrative_layout(world):
    business = make_business(world)
    document = opened(paperwork.commitment_form(business, world.ward_a, today=TODAY))
    left, date_cell = assert_decree_30_layout(document)
    assert left.paragraphs[0].text == "ỦY BAN NHÂN DÂN PHƯỜNG HÀM RỒNG" and left.paragraphs[0].runs[0].bold
    date_line = date_cell.paragraphs[0]
    assert date_line.text == "Hàm Rồng, ngày ..... tháng ..... năm 20...." and date_line.runs[0].italic
    text = all_text(document)
    for expected in ("BẢN CAM KẾT", SUBTITLE, "Kính gửi: Ủy ban nhân dân phường Hàm Rồng",
                     "Tên cơ sở kinh doanh: Tạp hóa Minh Ánh", "Nguyễn Minh Ánh", "Mã số thuế: 2801234567",
                     "Địa chỉ kinh doanh: 12 Lê Lợi, phường Hàm Rồng, tỉnh Thanh Hóa", "Điện thoại: 0912345678",
                     "Quầy, ki-ốt số K12 tại Chợ Hàm Rồng", "Gian hàng trên Shopee: https://shopee.vn/taphoaminhanh",
                     "Thực phẩm", "Sữa và sản phẩm từ sữa", "hóa đơn, chứng từ", "Niêm yết giá", "không tái phạm",
                     "CÁN BỘ TIẾP NHẬN", "ĐẠI DIỆN CƠ SỞ KINH DOANH", "(Ký, ghi rõ họ tên)", "đóng dấu nếu có"):
        assert expected in text, expected
    signatures = document.tables[-1].rows[0].cells
    assert signatures[1].paragraphs[-1].text == "Nguyễn Minh Ánh"  # the owner's name under the signature
    assert document.core_properties.language == "vi-VN"


def test_what_the_registry_does_not_know_is_left_as_dots(world):
    business = make_business(world, name="Quầy rau Thu", owner_name=None, tax_code=None, phone=None,
                             household_reg_no="28A8012345", goods=[],
                             channels=[registry.ChannelData(ChannelKind.SHOP)])
    text = all_text(opened(paperwork.commitment_form(business, world.ward_a, today=TODAY)))
    assert "Số Giấy chứng nhận đăng ký hộ kinh doanh: 28A8012345" in text
    assert "Mã số thuế" not in text  # a household business without a tax code: its registration number instead
    assert "Họ và tên chủ cơ sở hoặc người đại diện: ....." in text and "Điện thoại: ....." in text
    assert "Mặt hàng kinh doanh: ....." in text


def test_a_branch_tax_code_and_a_unit_under_its_parent(world):
    business = make_business(world, tax_code="2801234567001")
    document = opened(paperwork.commitment_form(business, world.ward_a_office, today=TODAY))
    assert "Mã số thuế: 2801234567-001" in all_text(document)
    left = document.tables[0].rows[0].cells[0]
    assert [p.text for p in left.paragraphs[:2]] == ["ỦY BAN NHÂN DÂN PHƯỜNG HÀM RỒNG",
                                                     "PHÒNG KINH TẾ, HẠ TẦNG VÀ ĐÔ THỊ"]
    assert not left.paragraphs[0].runs[0].bold and left.paragraphs[1].runs[0].bold


def test_a_provincial_unit_dates_its_paper_in_its_province(world):
    business = make_business(world)
    document = opened(paperwork.commitment_form(business, world.province, today=TODAY))
    assert document.tables[0].rows[1].cells[1].text.startswith("Thanh Hóa, ngày")


def test_control_characters_never_break_the_document(world):
    business = make_business(world)
    business.name = "Tạp hóa\x01 Minh\x0b Ánh"
    text = all_text(opened(paperwork.commitment_form(business, world.ward_a, today=TODAY)))
    assert "Tên cơ sở kinh doanh: Tạp hóa Minh Ánh" in text


def test_the_same_business_prints_the_same_paper(world):
    business = make_business(world)

    def parts(content: bytes) -> dict[str, bytes]:  # the zip's own timestamps aside
        with zipfile.ZipFile(BytesIO(content)) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    first = parts(paperwork.commitment_form(business, world.ward_a, today=TODAY))
    assert parts(paperwork.commitment_form(business, world.ward_a, today=TODAY)) == first
    assert paperwork.commitment_filename(business) == "cam-ket-tap-hoa-minh-anh.docx"


def test_the_coordination_agreement_with_a_market_board(world):
    ward = world.ward_a.ward
    document = opened(paperwork.agreement_form(Counterpart.MARKET_BOARD, "Ban quản lý chợ Hàm Rồng", ward,
                                               world.ward_a, today=TODAY))
    left, date_cell = assert_decree_30_layout(document)
    assert left.paragraphs[0].text == "ỦY BAN NHÂN DÂN PHƯỜNG HÀM RỒNG"
    assert document.tables[0].rows[1].cells[0].text.startswith("Số: ")
    assert date_cell.text == "Hàm Rồng, ngày ..... tháng ..... năm 20...."
    text = all_text(document)
    for expected in ("QUY CHẾ PHỐI HỢP", "Giữa Ủy ban nhân dân phường Hàm Rồng và Ban quản lý chợ Hàm Rồng",
                     "Điều 1. Mục đích", "Điều 2. Phạm vi", "Điều 3. Trách nhiệm của Bên A",
                     "Điều 4. Trách nhiệm của Bên B", "Điều 5. Chế độ trao đổi thông tin", "Điều 6. Hiệu lực",
                     "kinh doanh tại chợ", "ĐẠI DIỆN BÊN A", "ĐẠI DIỆN BÊN B", "BAN QUẢN LÝ CHỢ HÀM RỒNG"):
        assert expected in text, expected
    signatures = [cell.text for cell in document.tables[-1].rows[0].cells]
    assert "BAN QUẢN LÝ CHỢ HÀM RỒNG" in signatures[0] and "ỦY BAN NHÂN DÂN PHƯỜNG HÀM RỒNG" in signatures[1]
    assert all("(Ký, ghi rõ họ tên, đóng dấu)" in cell for cell in signatures)


def test_the_agreement_with_a_ward_speaks_of_residential_groups(world):
    team = Unit(name="Đội Quản lý thị trường số 1", kind=UnitKind.MARKET_SURVEILLANCE_TEAM,
                parent_id=world.province.id, province_code=world.province.province_code)
    db.session.add(team)
    db.session.flush()
    document = opened(paperwork.agreement_form(Counterpart.WARD, "UBND phường Hàm Rồng", world.ward_a.ward, team,
                                               today=TODAY))
    text = all_text(document)
    assert "tổ dân phố" in text and "Thanh Hóa, ngày" in text
    left = document.tables[0].rows[0].cells[0]
    assert [p.text for p in left.paragraphs[:2]] == ["ỦY BAN NHÂN DÂN TỈNH THANH HÓA", "ĐỘI QUẢN LÝ THỊ TRƯỜNG SỐ 1"]
    assert paperwork.agreement_filename("Ban quản lý chợ Hàm Rồng") == "quy-che-phoi-hop-ban-quan-ly-cho-ham-rong.docx"
