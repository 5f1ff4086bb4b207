"""Printing the commitment form of a business and the coordination-agreement form."""
from io import BytesIO
from urllib.parse import quote

import docx
import pytest

from portal.extensions import db
from portal.models import ChannelKind
from portal.services import registry

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def make_business(world, actor=None, ward=None, name="Tạp hóa Minh Ánh"):
    business = registry.create(actor or world.ward_official, registry.BusinessData(
        name=name, address="12 Lê Lợi", ward_code=(ward or world.ward_a).ward_code, owner_name="Nguyễn Minh Ánh",
        tax_code="2801234567", channels=[registry.ChannelData(ChannelKind.SHOP)]), not_a_duplicate=True)
    db.session.commit()
    return business


def text_of(response) -> str:
    document = docx.Document(BytesIO(response.data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def assert_download(response, filename: str):
    assert response.status_code == 200
    assert response.mimetype == DOCX
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert filename in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]


def test_the_commitment_form_downloads_prefilled(web, world):
    business = make_business(world)
    web.sign_in(world.ward_official)
    response = web.client.get(f"/internal/businesses/{business.id}/commitment-form.docx")
    assert_download(response, "cam-ket-tap-hoa-minh-anh.docx")
    text = text_of(response)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Hàm Rồng, ngày ..... tháng ..... năm 20...." in text
    assert "Tạp hóa Minh Ánh" in text and "2801234567" in text and "Nguyễn Minh Ánh" in text


def test_the_form_is_in_vietnamese_even_for_an_english_reader(web, world):
    business = make_business(world)
    web.sign_in(world.ward_official)
    response = web.client.get(f"/internal/businesses/{business.id}/commitment-form.docx?lang=en")
    assert "BẢN CAM KẾT" in text_of(response)


def test_the_province_above_may_print_it(web, world):
    business = make_business(world)
    web.sign_in(world.leader)
    response = web.client.get(f"/internal/businesses/{business.id}/commitment-form.docx")
    assert response.status_code == 200 and "Thanh Hóa, ngày" in text_of(response)


def test_a_sibling_ward_cannot_print_the_form_and_a_missing_business_is_404(web, world):
    business = make_business(world)
    web.sign_in(world.sibling_official)
    web.get(f"/internal/businesses/{business.id}/commitment-form.docx", status=403)
    web.get("/internal/businesses/999999/commitment-form.docx", status=404)
    web.get("/internal/businesses/99999999999/commitment-form.docx", status=404)


def test_signing_in_comes_first(web, world):
    business = make_business(world)
    response = web.client.get(f"/internal/businesses/{business.id}/commitment-form.docx")
    assert response.status_code == 302 and "/internal/login" in response.headers["Location"]


def agreement_url(world, *, counterpart="market_board", name="Ban quản lý chợ Hàm Rồng", ward=None):
    ward_code = world.ward_a.ward_code if ward is None else ward
    return (f"/internal/paperwork/agreement-form.docx?counterpart={counterpart}&name={quote(name)}"
            f"&ward={ward_code}")


def test_the_agreement_form_downloads(web, world):
    web.sign_in(world.ward_official)
    response = web.client.get(agreement_url(world))
    assert_download(response, "quy-che-phoi-hop-ban-quan-ly-cho-ham-rong.docx")
    text = text_of(response)
    assert "QUY CHẾ PHỐI HỢP" in text and "Ban quản lý chợ Hàm Rồng" in text
    assert "Hàm Rồng, ngày ..... tháng ..... năm 20...." in text


def test_a_wards_own_staff_may_leave_out_the_ward(web, world):
    web.sign_in(world.ward_official)
    response = web.client.get("/internal/paperwork/agreement-form.docx?counterpart=street_board"
                              f"&name={quote('Ban quản lý phố Lê Lợi')}")
    assert response.status_code == 200 and "tuyến phố" in text_of(response)


def test_the_agreement_form_only_for_a_ward_of_ones_area(web, world):
    web.sign_in(world.sibling_official)
    web.get(agreement_url(world), status=403)
    web.sign_out()
    web.sign_in(world.viewer)  # Lào Cai
    web.get(agreement_url(world), status=403)


@pytest.mark.parametrize("changes", [
    {"counterpart": "market"}, {"counterpart": ""}, {"name": ""}, {"name": "   "}, {"name": "x" * 201},
    {"name": "Ban\x01 quản lý"}, {"ward": "abc"}, {"ward": "99999999999999999999"}, {"ward": "2147483647"},
])
def test_bad_agreement_parameters_are_a_400_page(web, world, changes):
    web.sign_in(world.leader)  # a provincial unit must name the ward
    page = web.get(agreement_url(world, **changes), status=400)
    assert "<html" in page.html.lower()


def test_a_provincial_unit_must_name_the_ward(web, world):
    web.sign_in(world.leader)
    web.get("/internal/paperwork/agreement-form.docx?counterpart=ward&name=UBND", status=400)
