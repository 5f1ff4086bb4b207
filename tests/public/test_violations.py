"""The public list of named violators: search without diacritics, each filter alone and combined,
sorting, bad input that never crashes, rate limits, and the permanent page of an entry."""
from datetime import date, timedelta

import pytest

from portal.extensions import db
from portal.models import ViolationState, ViolationType
from portal.public import violations as views
from portal.services import enforcement, publication, registry
from tests.factories import LAO_CAI, THANH_HOA
from tests.public.conftest import publish


def names(page) -> list[str]:
    return [h.get_text(strip=True) for h in page.soup.select("#entries .entry__name")]


def note(page, name: str) -> str:
    node = page.soup.find(id=f"{name}-note")
    return node.get_text(" ", strip=True) if node else ""


@pytest.fixture
def four(world, cast):
    """Four entries that differ in every filtered field, published in this order."""
    a = publish(world, cast.ham_rong, "Kho sữa giả Minh Tâm", goods="milk", brand="Ensure",
                kind=ViolationType.COUNTERFEIT, found=date(2026, 4, 1), decided=date(2026, 4, 5), fine=15_000_000)
    b = publish(world, cast.lao_cai, "Cửa hàng Hoa Mai", goods="cosmetics", brand="Ohui", kind=ViolationType.SMUGGLED,
                found=date(2025, 8, 1), decided=date(2025, 8, 10), fine=None, commitment=False)
    c = publish(world, cast.hac_thanh, "Tạp hóa Đức Long", goods="food", brand="Chinsu",
                kind=ViolationType.UNKNOWN_ORIGIN, found=date(2026, 1, 20), decided=date(2026, 2, 1), fine=40_000_000)
    d = publish(world, cast.ham_rong, "Đại lý Ánh Dương", address="Số 5 Trần Phú", goods="cosmetics", brand="L'Oréal",
                kind=ViolationType.COUNTERFEIT, found=date(2025, 9, 1), decided=date(2025, 9, 3), fine=5_000_000,
                commitment=False)
    return a, b, c, d


A, B, C, D = "Kho sữa giả Minh Tâm", "Cửa hàng Hoa Mai", "Tạp hóa Đức Long", "Đại lý Ánh Dương"


def test_search_ignores_diacritics_and_looks_in_name_brand_goods_and_place(web, four):
    assert names(web.get("/violations?q=sua+gia")) == [A]
    assert names(web.get("/violations?q=S%E1%BB%AEA+GI%E1%BA%A2")) == [A]  # "SỮA GIẢ", upper case
    assert names(web.get("/violations?q=duc+long")) == [C]
    assert names(web.get("/violations?q=ohui")) == [B]  # brand
    assert names(web.get("/violations?q=my+pham")) == [D, B]  # goods category "Mỹ phẩm"
    assert names(web.get("/violations?q=cosmetics")) == [D, B]  # its English name
    assert names(web.get("/violations?q=lao+cai")) == [B]  # ward and province
    assert names(web.get("/violations?q=hac+thanh")) == [C]
    assert names(web.get("/violations?q=dai+ly+duong")) == [D]  # every word, in any order
    assert names(web.get("/violations?q=dai+ly+mai")) == []
    assert names(web.get("/violations?q=oreal")) == [D] and names(web.get("/violations?q=real")) == []  # word starts
    page = web.get("/violations?q=sua+gia")
    assert page.value("q") == "sua gia" and "1" in page.soup.find(id="entry-count").get_text()


def test_each_filter_alone(web, four, world, cast):
    ham_rong, hac_thanh = world.ward_a.ward_code, world.ward_b.ward_code
    assert names(web.get(f"/violations?province={THANH_HOA}")) == [D, C, A]
    assert names(web.get(f"/violations?province={LAO_CAI}")) == [B]
    assert names(web.get(f"/violations?ward={hac_thanh}")) == [C]
    assert names(web.get("/violations?goods=cosmetics")) == [D, B]
    assert names(web.get("/violations?type=counterfeit")) == [D, A]
    assert names(web.get("/violations?type=smuggled")) == [B]
    assert names(web.get("/violations?year=2025")) == [D, B]
    assert names(web.get("/violations?year=2026")) == [C, A]
    assert names(web.get("/violations?after_commitment=1")) == [C, A]
    page = web.get(f"/violations?ward={ham_rong}")  # a ward alone names its province
    assert names(page) == [D, A]
    assert page.value("province") == str(THANH_HOA) and page.value("ward") == str(ham_rong)


def test_filters_combined_and_kept_in_the_form_and_the_links(web, four, world):
    ham_rong = world.ward_a.ward_code
    assert names(web.get(f"/violations?province={THANH_HOA}&goods=cosmetics")) == [D]
    assert names(web.get(f"/violations?province={THANH_HOA}&year=2026&after_commitment=1")) == [C, A]
    assert names(web.get(f"/violations?province={THANH_HOA}&ward={ham_rong}&type=counterfeit&goods=milk")) == [A]
    assert names(web.get("/violations?q=dai+ly&goods=cosmetics&year=2025&type=counterfeit")) == [D]
    assert names(web.get(f"/violations?province={LAO_CAI}&after_commitment=1")) == []
    page = web.get(f"/violations?province={THANH_HOA}&ward={ham_rong}&goods=cosmetics&type=counterfeit"
                   "&year=2025&sort=fine&q=dai")
    assert names(page) == [D]
    assert (page.value("province"), page.value("ward"), page.value("goods"), page.value("type"), page.value("year"),
            page.value("sort"), page.value("q")) == (str(THANH_HOA), str(ham_rong), "cosmetics", "counterfeit",
                                                     "2025", "fine", "dai")
    wards = [o["value"] for o in page.soup.find(id="ward").find_all("option")]
    assert str(ham_rong) in wards and str(world.ward_b.ward_code) in wards and len(wards) > 10
    csv_link = page.soup.find("a", href=lambda h: h and h.startswith("/violations.csv"))["href"]
    for kept in (f"province={THANH_HOA}", f"ward={ham_rong}", "goods=cosmetics", "type=counterfeit", "year=2025",
                 "sort=fine", "q=dai"):
        assert kept in csv_link
    checked = web.get("/violations?after_commitment=1").soup.find(id="after_commitment")
    assert checked.has_attr("checked")


def test_the_form_works_without_javascript(web, four):
    """A plain GET form: its fields are the contract's parameters, and the ward select fills once a
    province is chosen."""
    page = web.get("/violations")
    form = page.soup.find("form", id="violation-filters")
    assert form["method"] == "get" and form["action"] == "/violations"
    fields = {node["name"] for node in form.find_all(["input", "select"]) if node.get("name")}
    assert fields == {"q", "province", "ward", "goods", "type", "year", "after_commitment", "sort"}
    assert [o["value"] for o in page.soup.find(id="ward").find_all("option")] == [""]
    years = [o["value"] for o in page.soup.find(id="year").find_all("option")]
    assert years == ["", "2026", "2025"]
    assert page.soup.find(id="province").find("option", value=str(LAO_CAI)).get_text() == "Lào Cai"
    assert form.find("label", attrs={"for": "province"}) and form.find("label", attrs={"for": "after_commitment"})


def test_sorting(web, four):
    assert names(web.get("/violations")) == [D, C, B, A]  # newest first
    assert names(web.get("/violations?sort=newest")) == [D, C, B, A]
    assert names(web.get("/violations?sort=oldest")) == [A, B, C, D]
    # by name without diacritics: "Đại lý" sorts with "D", not after "T"
    assert names(web.get("/violations?sort=name")) == [B, D, A, C]
    assert names(web.get("/violations?sort=fine")) == [C, A, D, B]  # no fine last
    assert names(web.get("/violations?sort=fine&goods=cosmetics")) == [D, B]


def test_values_that_name_nothing_are_set_aside_with_a_note(web, four, world):
    page = web.get("/violations?province=999")
    assert names(page) == [D, C, B, A] and "999" in note(page, "province")
    assert page.soup.find(id="province")["aria-describedby"] == "province-note"
    assert names(web.get("/violations?province=abc&goods=cosmetics")) == [D, B]  # the rest still applies
    page = web.get(f"/violations?province={LAO_CAI}&ward={world.ward_a.ward_code}")  # Hàm Rồng is in Thanh Hóa
    assert names(page) == [B] and "Lào Cai" in note(page, "ward")
    page = web.get(f"/violations?province=999&ward={world.ward_b.ward_code}")  # the ward still applies, and shows
    assert names(page) == [C] and note(page, "province") and page.value("ward") == str(world.ward_b.ward_code)
    page = web.get("/violations?ward=99999999")
    assert names(page) == [D, C, B, A] and "99999999" in note(page, "ward")
    page = web.get("/violations?goods=plutonium&type=cursing&year=1800&sort=random")
    assert names(page) == [D, C, B, A]
    assert "plutonium" in note(page, "goods") and "cursing" in note(page, "type")
    assert "1800" in note(page, "year") and "random" in note(page, "sort")
    for year in ("abc", "99999", "3000", "-2025"):
        assert web.get(f"/violations?year={year}").soup.find(id="year-note"), year
    for clean in ("", "?province=&ward=&goods=&type=&year=&sort="):
        page = web.get("/violations" + clean)
        assert not page.soup.select(".field__error") and names(page) == [D, C, B, A]


def test_bad_input_never_crashes(web, four, monkeypatch, world, cast):
    monkeypatch.setattr(views, "PER_PAGE", 3)
    assert names(web.get("/violations?page=-1")) == [D, C, B]
    assert names(web.get("/violations?page=0")) == [D, C, B]
    assert names(web.get("/violations?page=abc")) == [D, C, B]
    last = web.get("/violations?page=1000000000")  # 10^9: the last page
    assert names(last) == [A] and "2" in last.soup.find("nav", class_="pagination").get_text()
    assert names(web.get(f"/violations?page={'9' * 40}")) == [A]
    assert names(web.get("/violations?q=%27+OR+1%3D1+--")) == []  # ' OR 1=1 -- is searched as text
    for punctuation in ("%25", "_", "%25%25%25", "--"):  # folded away: no search at all, not a wildcard
        assert names(web.get("/violations?q=" + punctuation)) == [D, C, B]
    assert names(web.get("/violations?q=x%25y")) == []
    assert names(web.get("/violations?q=" + "a" * 5000)) == []
    page = web.get("/violations?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert" not in page.html and page.value("q") == "<script>alert(1)</script>"
    named = publish(world, cast.ham_rong, "Quán ' OR 1=1 -- Bình", goods=None, brand=None)
    assert names(web.get("/violations?q=%27+OR+1%3D1+--")) == [named.business_name]
    web.get("/violations?q=a%00b", status=400)


def test_pages_keep_the_filters(web, four, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 1)
    page = web.get(f"/violations?province={THANH_HOA}&sort=oldest")
    assert names(page) == [A]
    following = page.soup.find("nav", class_="pagination").find("a")["href"]
    assert f"province={THANH_HOA}" in following and "sort=oldest" in following and "page=2" in following
    assert names(web.get(following)) == [C]


@pytest.mark.config(RATE_LIMITS={"search": (3, 60)})
def test_searches_are_rate_limited(web, four):
    for _ in range(3):
        web.get("/violations?q=sua")
    page = web.get("/violations?q=sua", status=429)
    assert page.response.headers["Retry-After"]
    web.get("/violations")  # browsing without a search is not counted
    web.get(f"/violations?province={THANH_HOA}")


def test_only_listed_entries_appear_in_the_list(web, world, cast):
    listed = publish(world, cast.ham_rong, "Cơ sở Còn Công Khai")
    withdrawn = publish(world, cast.ham_rong, "Cơ sở Đã Gỡ")
    publication.withdraw(cast.ham_rong.leader, withdrawn, "Quyết định bị hủy")
    ended = publish(world, cast.ham_rong, "Cơ sở Hết Hạn", ends_on=registry.today() + timedelta(days=10))
    ended.ends_on = registry.today() - timedelta(days=1)  # its period of publication has passed
    db.session.commit()
    assert names(web.get("/violations")) == [listed.business_name]
    assert names(web.get("/violations?q=co+so")) == [listed.business_name]
    web.get(f"/violations/{withdrawn.id}", status=410)
    web.get(f"/violations/{ended.id}", status=410)


def test_the_entry_page_has_its_history_reply_place_and_canonical_link(web, world, cast):
    entry = publish(world, cast.ham_rong, "Kho sữa giả Minh Tâm", fine=15_000_000)
    violation, leader, inspector = entry.publication.violation, cast.ham_rong.leader, cast.ham_rong.inspector
    enforcement.update_decision(inspector, violation, enforcement.Decision(
        number=violation.decision_number, decided_on=violation.decision_on, authority=violation.decision_authority,
        fine=12_000_000, state=ViolationState.DECIDED), version=violation.version)
    publication.correct(world.leader, entry, "Sửa số tiền phạt theo quyết định sửa đổi")
    shown = publication.record_reply(inspector, entry, "Cơ sở đã tiêu hủy toàn bộ hàng <b>vi phạm</b>.",
                                     registry.today())
    publication.vet_reply(leader, shown, approved=True)
    hidden = publication.record_reply(inspector, entry, "Lời lẽ xúc phạm không được đăng.", registry.today())
    publication.vet_reply(leader, hidden, approved=False)
    publication.record_reply(inspector, entry, "Chưa được duyệt.", registry.today())
    db.session.commit()

    page = web.get(f"/violations/{entry.id}")
    text = page.text()
    assert page.soup.find("link", rel="canonical")["href"] == f"http://localhost/violations/{entry.id}"
    assert page.soup.find("h1").get_text(strip=True) == "Kho sữa giả Minh Tâm"
    assert "12.000.000" in text and "15.000.000" not in text
    assert "Phường Hàm Rồng, Thanh Hóa" in page.soup.find(id="entry").get_text()
    assert violation.decision_number in text and page.soup.find(id="after-commitment")
    corrections = page.soup.find(id="corrections").find_all("li")
    assert len(corrections) == 1 and "Sửa số tiền phạt theo quyết định sửa đổi" in corrections[0].get_text()
    assert corrections[0].find("time")["datetime"].startswith(str(entry.corrected_at.date()))
    replies = page.soup.select("blockquote.reply")
    assert [r.p.get_text() for r in replies] == ["Cơ sở đã tiêu hủy toàn bộ hàng <b>vi phạm</b>."]  # as text
    assert "Lời lẽ" not in text and "Chưa được duyệt" not in text
    for private in ("Nguyễn", "0912", cast.ham_rong.inspector.full_name):
        assert private not in text


def test_english_on_asking(web, four, world):
    page = web.get("/violations?lang=en&province=999&goods=cosmetics")
    assert page.soup.find("html")["lang"] == "en"
    assert page.soup.find("h1").get_text() == "Violations made public"
    assert note(page, "province") == "There is no province with code 999, so this filter was not applied."
    assert page.soup.find("label", attrs={"for": "goods"}).get_text(strip=True) == "Goods"
    assert "Cosmetics" in page.text() and names(page) == [D, B]
    entry_page = web.get("/violations?lang=vi")
    assert entry_page.soup.find("label", attrs={"for": "province"}).get_text(strip=True) == "Tỉnh, thành phố"
    assert "Có thể gõ không dấu" in entry_page.text()


def test_the_list_transfers_well_under_100_kb_with_its_css_and_scripts(web, world, cast):
    from tests.public.test_violations_queries import grow

    grow(world, cast, 0, views.PER_PAGE * 3 // 2 + 2)  # two in three in Thanh Hóa
    page = web.get(f"/violations?province={THANH_HOA}&sort=name")  # a full page, and the ward select filled
    assert len(names(page)) == views.PER_PAGE
    total = len(page.response.get_data())
    assets = [link["href"] for link in page.soup.find_all("link", rel="stylesheet")]
    assets += [script["src"] for script in page.soup.find_all("script", src=True)]
    assert "/static/css/violations.css" in assets
    for url in assets:
        response = web.client.get(url)
        assert response.status_code == 200, url
        total += len(response.get_data())
    assert total < 100_000, total


def test_the_entry_page_in_english(web, four):
    a = four[0]
    page = web.get(f"/violations/{a.id}?lang=en")
    assert page.soup.find("html")["lang"] == "en"
    assert "Offended after signing a commitment" in page.text() and "Counterfeit goods" in page.text()
    assert "This entry has not been corrected since it was published." in page.text()


def test_digits_that_are_not_ascii_are_set_aside_not_a_crash(web, four):
    """"²" and "٣" pass str.isdigit() but int() refuses "²": every numeric filter must set them aside."""
    for name in ("province", "ward", "year"):
        for odd in ("%C2%B2", "%D9%A3", "1%C2%B2"):  # ², Arabic-Indic 3, 1²
            page = web.get(f"/violations?{name}={odd}")
            assert names(page) == [D, C, B, A] and note(page, name), (name, odd)
    for url in ("/violations.csv?province=%C2%B2", "/violations.json?year=%C2%B2",
                "/feeds/violations.atom?ward=%C2%B2"):
        assert web.client.get(url, buffered=True).status_code == 200, url
