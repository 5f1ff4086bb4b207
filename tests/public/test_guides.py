"""The public guides: only published ones, search without diacritics, the formatted body with
nothing executable, images, and the links to the tip form and the published violations."""
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from portal.extensions import db
from portal.services import guides


def write(actor, unit, publish=True, **extra):
    values = dict(unit_id=unit.id, title="Nhận biết sữa giả", goods_code="milk", brand="Ông Thọ",
                  rights_holder="Công ty Cổ phần Sữa Việt Nam", summary="Cách phân biệt sữa thật.",
                  body="## Bao bì\n\n- Hộp nguyên vẹn\n- Chữ in **sắc nét**\n\nXem https://vfa.gov.vn")
    values.update(extra)
    guide = guides.create(actor, guides.GuideData(**values))
    if publish:
        guides.publish(actor, guide)
    db.session.commit()
    return guide


def picture(guide, actor, folder):
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 90, 0)).save(out, format="JPEG")
    image = guides.add_image(actor, guide, FileStorage(io.BytesIO(out.getvalue()), filename="a.jpg"),
                             "Nắp hộp sữa thật", folder=folder)
    db.session.commit()
    return image


def folder(app):
    from pathlib import Path

    return Path(app.instance_path) / "guide-images"


def test_only_published_guides_are_listed_and_shown(web, world):
    shown = write(world.leader, world.province)
    draft = write(world.leader, world.province, publish=False, title="Bản nháp bí mật")
    page = web.get("/guides")
    assert "Nhận biết sữa giả" in page.text() and "Bản nháp bí mật" not in page.text()
    web.get(f"/guides/{shown.id}")
    web.get(f"/guides/{draft.id}", status=404)
    web.get("/guides/99999", status=404)
    guides.unpublish(world.leader, shown)
    db.session.commit()
    web.get(f"/guides/{shown.id}", status=404)
    assert "Nhận biết sữa giả" not in web.get("/guides").text()


def test_search_ignores_diacritics_and_filters_by_goods(web, world):
    write(world.leader, world.province)
    write(world.leader, world.province, title="Mỹ phẩm giả", goods_code="cosmetics", brand="Thorakao",
          body="Kem dưỡng da", summary=None, rights_holder=None)
    found = web.get("/guides?q=sua+gia")
    assert "Nhận biết sữa giả" in found.text() and "Mỹ phẩm giả" not in found.text()
    assert found.value("q") == "sua gia"
    assert "Mỹ phẩm giả" in web.get("/guides?q=THORAKAO").text()
    by_goods = web.get("/guides?goods=cosmetics")
    assert "Mỹ phẩm giả" in by_goods.text() and "Nhận biết sữa giả" not in by_goods.text()
    assert by_goods.value("goods") == "cosmetics"
    for hostile in ("' OR 1=1 --", "%", "<script>alert(1)</script>", "x" * 5000):
        page = web.get("/guides", query_string={"q": hostile})
        assert page.soup.find("script", string="alert(1)") is None
    assert "Không có cẩm nang nào phù hợp" in web.get("/guides", query_string={"q": "' OR 1=1 --"}).text()
    assert "Nhận biết sữa giả" in web.get("/guides?goods=plutonium").text()  # an unknown category narrows nothing


def test_pages_of_results_keep_the_search(web, world):
    for n in range(23):
        write(world.leader, world.province, title=f"Sữa giả số {n}")
    first = web.get("/guides?q=sua")
    assert len(first.soup.select(".guide-card")) == 20
    next_link = first.soup.select_one(".pagination a")["href"]
    assert parse_qs(urlsplit(next_link).query) == {"q": ["sua"], "page": ["2"]}
    assert len(web.get(next_link).soup.select(".guide-card")) == 3
    for number in ("-1", "0", "1000000000", "abc"):
        web.get(f"/guides?page={number}")


@pytest.mark.config(RATE_LIMITS={"search": (2, 60)})
def test_searching_is_rate_limited_but_browsing_is_not(web, world):
    for _ in range(5):
        web.get("/guides")
    web.get("/guides?q=sua")
    web.get("/guides?q=sua")
    web.get("/guides?q=sua", status=429)
    web.get("/guides")


def test_the_guide_page_formats_the_body_and_links_onwards(web, world):
    guide = write(world.leader, world.province)
    page = web.get(f"/guides/{guide.id}")
    body = page.soup.select_one(".guide-body")
    assert body.h2.get_text() == "Bao bì"
    assert [li.get_text() for li in body.find_all("li")] == ["Hộp nguyên vẹn", "Chữ in sắc nét"]
    assert body.strong.get_text() == "sắc nét"
    assert body.a["href"] == "https://vfa.gov.vn" and body.a["rel"] == ["nofollow", "noopener"]
    assert "Công ty Cổ phần Sữa Việt Nam" in page.soup.select_one(".guide-facts").get_text()
    assert page.soup.find("a", href="/tips/new?goods=milk") is not None
    violations = page.soup.find("a", href=lambda h: h and h.startswith("/violations?"))
    assert parse_qs(urlsplit(violations["href"]).query) == {"q": ["Ông Thọ"], "goods": ["milk"]}
    without = write(world.leader, world.province, title="Không mặt hàng", goods_code=None, brand="Vinamilk")
    page = web.get(f"/guides/{without.id}")
    assert page.soup.find("a", href="/tips/new") is not None
    assert page.soup.find("a", href="/violations?q=Vinamilk") is not None


def test_script_in_a_guide_comes_out_as_text(web, world):
    guide = write(world.leader, world.province, title="<script>alert('t')</script>",
                  body="<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n- [x](javascript:alert(3))",
                  summary="<b onmouseover=alert(4)>", brand="<i>B</i>")
    for url in (f"/guides/{guide.id}", "/guides"):
        page = web.get(url)
        assert page.soup.find("script", string=lambda s: s and "alert" in s) is None
        assert page.soup.find("img", src="x") is None and page.soup.find("b") is None and page.soup.find("i") is None
        assert all(not a.get("href", "").startswith("javascript:") for a in page.soup.find_all("a"))
    page = web.get(f"/guides/{guide.id}")
    assert "<script>alert(1)</script>" in page.soup.select_one(".guide-body").get_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.html


def test_images_of_published_guides_only(web, world, app):
    guide = write(world.leader, world.province)
    image = picture(guide, world.leader, folder(app))
    page = web.get(f"/guides/{guide.id}")
    img = page.soup.select_one(".guide-image img")
    assert img["alt"] == "Nắp hộp sữa thật" and img["src"] == f"/guides/{guide.id}/images/{image.stored_name}"
    served = web.client.get(img["src"])
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "public" in served.headers["Cache-Control"] and "max-age=3600" in served.headers["Cache-Control"]
    assert served.data[:3] == b"\xff\xd8\xff"
    other = write(world.leader, world.province, title="Khác")
    assert web.client.get(f"/guides/{other.id}/images/{image.stored_name}").status_code == 404
    assert web.client.get(f"/guides/{guide.id}/images/../../etc/passwd").status_code == 404
    assert web.client.get(f"/guides/{guide.id}/images/{'0' * 32}.jpg").status_code == 404
    guides.unpublish(world.leader, guide)
    db.session.commit()
    assert web.client.get(img["src"]).status_code == 404


def test_in_english(web, world):
    guide = write(world.leader, world.province)
    page = web.get("/guides?lang=en")
    assert page.soup.html["lang"] == "en" and page.soup.h1.get_text(strip=True) == "How to spot fakes"
    detail = web.get(f"/guides/{guide.id}?lang=en")
    assert "Milk and dairy products" in detail.text() and "Send a tip" in detail.text()
