"""The public hotlines: grouped by province and ward, click to call, a province filter without
JavaScript, the home page and the header."""
import pytest

from portal.extensions import db
from portal.services import hotlines
from tests.factories import LAO_CAI, THANH_HOA


def add(actor, unit, **extra):
    values = dict(unit_id=unit.id, label="Đường dây nóng", phones=["0908538844"],
                  province_code=unit.province_code, ward_code=unit.ward_code)
    values.update(extra)
    return hotlines.create(actor, hotlines.HotlineData(**values))


@pytest.fixture
def lines(world):
    add(world.admin, world.root, label="Đường dây nóng quốc gia", phones=["0243826666"])
    add(world.leader, world.province, label="QLTT Thanh Hóa", phones=["0913983323", "0237385222"],
        email="qltt@thanhhoa.gov.vn", hours="24/7", address="Số 1 Lê Lợi")
    add(world.leader, world.ward_a, label="UBND phường Hàm Rồng", phones=["0912345678"])
    add(world.admin, world.other_province, label="QLTT Lào Cai", phones=["0987654321"])
    add(world.leader, world.province, label="Số nội bộ", phones=["0900000001"], published=False)
    db.session.commit()
    return world


def test_hotlines_grouped_by_province_then_ward_with_click_to_call(web, lines):
    page = web.get("/hotlines")
    groups = [h.get_text(strip=True) for h in page.soup.select(".hotline-group > h2")]
    assert groups[0] == "Đường dây nóng toàn quốc" and groups[1:] == ["Lào Cai", "Thanh Hóa"]
    thanh_hoa = page.soup.select(".hotline-group")[2]
    assert [h.get_text(strip=True) for h in thanh_hoa.find_all("h3")] == ["Phường Hàm Rồng"]
    tels = {a["href"] for a in page.soup.select("main a.tel")}
    assert {"tel:0913983323", "tel:0237385222", "tel:0912345678", "tel:0987654321", "tel:0243826666"} <= tels
    assert page.soup.find("a", href="mailto:qltt@thanhhoa.gov.vn") is not None
    assert "24/7" in page.text() and "Số 1 Lê Lợi" in page.text() and "0913 983 323" in page.text()
    assert "Số nội bộ" not in page.html and "0900000001" not in page.html


def test_the_province_filter_works_as_a_plain_form(web, lines):
    page = web.get(f"/hotlines?province={LAO_CAI}")
    form = page.soup.find("form", attrs={"method": "get"})
    assert form["action"] == "/hotlines" and form.find("select", attrs={"name": "province"})
    assert page.value("province") == str(LAO_CAI)
    assert "QLTT Lào Cai" in page.text() and "Đường dây nóng quốc gia" in page.text()
    assert "QLTT Thanh Hóa" not in page.text() and "Hàm Rồng" not in page.text()
    assert "Lào Cai" in page.soup.h1.get_text()


@pytest.mark.parametrize("value", ["abc", "99999", "-1", "1e9", "' OR 1=1 --"])
def test_an_unknown_province_is_answered_clearly(web, lines, value):
    page = web.get("/hotlines", query_string={"province": value})
    assert page.soup.find(class_="notice") is not None
    assert "QLTT Lào Cai" in page.text() and "QLTT Thanh Hóa" in page.text()


def test_a_province_without_hotlines_points_to_the_national_ones(web, lines):
    page = web.get("/hotlines?province=92")
    assert "Cần Thơ" in page.soup.find(class_="notice").get_text()
    assert "Đường dây nóng quốc gia" in page.text() and "QLTT Thanh Hóa" not in page.text()


def test_the_header_shows_the_national_hotline_on_every_public_page(web, lines):
    for url in ("/", "/hotlines", "/guides", "/no-such-page"):
        response = web.client.get(url)
        header = Page(response).soup.find("header")
        link = header.find("a", href="tel:0243826666")
        assert link is not None and link.get_text(strip=True) == "0243 826 666", url
        assert header.find("a", href="/guides") is not None


def test_no_national_number_in_the_header_without_one(web, world):
    add(world.leader, world.province, label="QLTT Thanh Hóa", phones=["0913983323"])
    db.session.commit()
    header = web.get("/").soup.find("header")
    assert header.find("a", class_="tel") is None
    assert header.find("a", href="/hotlines") is not None


def test_the_home_page_shows_national_and_a_short_list_or_the_chosen_province(web, lines):
    home = web.get("/")
    assert "Đường dây nóng quốc gia" in home.text() and "QLTT Lào Cai" in home.text()
    chosen = web.get(f"/?province={THANH_HOA}")
    assert "QLTT Thanh Hóa" in chosen.text() and "UBND phường Hàm Rồng" in chosen.text()
    assert "QLTT Lào Cai" not in chosen.text() and "Đường dây nóng quốc gia" in chosen.text()
    assert chosen.soup.find("a", href="tel:0913983323") is not None


def test_the_home_page_keeps_its_list_short(web, world):
    for n in range(9):
        add(world.leader, world.province, label=f"Số {n}", phones=[f"09130000{n:02d}"], position=n)
    db.session.commit()
    home = web.get("/")
    assert len(home.soup.select("main a.tel")) == 6
    assert home.soup.find("a", href="/hotlines") is not None
    assert len(web.get("/hotlines").soup.select("main a.tel")) == 9


def test_in_english(web, lines):
    page = web.get("/hotlines?lang=en")
    assert page.soup.html["lang"] == "en" and page.soup.h1.get_text(strip=True) == "Hotlines"
    assert "National hotlines" in page.text() and "Show hotlines" in page.text()


def test_the_demo_publishes_the_can_tho_hotlines(web, demo):
    page = web.get("/hotlines?province=92")
    tels = {a["href"] for a in page.soup.select("main a.tel")}
    assert {"tel:0908538844", "tel:0913983323", "tel:02923810481"} <= tels
    assert page.soup.find("a", href="mailto:pnvth_ccqltt@cantho.gov.vn") is not None


class Page:  # a response of any status, parsed
    def __init__(self, response):
        from bs4 import BeautifulSoup

        self.soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
