"""Two languages: Vietnamese first and complete, English second; formats of Vietnamese documents."""
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

from babel.messages.pofile import read_po
from flask_babel import force_locale

from portal.extensions import db
from portal.models import Hotline
from portal.i18n import local_datetime, official_date, vnd

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "translations" / "vi" / "LC_MESSAGES" / "messages.po"


def read_catalogue(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_vietnamese_catalogue_is_complete():
    catalogue = read_catalogue(CATALOGUE)
    missing = [m.id for m in catalogue if m.id and (
        not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not missing, f"untranslated: {missing}"
    assert not fuzzy, f"fuzzy (needs review): {fuzzy}"


def test_catalogue_is_not_stale_against_the_code(tmp_path):
    """Every string in the code is in the catalogue, and the catalogue has nothing obsolete."""
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
                    "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2", "--no-location", "-o", str(pot), str(ROOT)],
                   check=True, capture_output=True, cwd=ROOT)
    in_code = {m.id if isinstance(m.id, str) else m.id[0] for m in read_catalogue(pot) if m.id}
    for language in ("vi", "en"):
        catalogue = read_catalogue(ROOT / "translations" / language / "LC_MESSAGES" / "messages.po")
        in_po = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
        assert in_code - in_po == set(), f"{language}: not extracted yet: {in_code - in_po}"
        assert in_po - in_code == set(), f"{language}: obsolete: {in_po - in_code}"
        assert not catalogue.obsolete, f"{language}: obsolete entries left in the file"


def test_placeholders_survive_translation():
    import re

    pattern = re.compile(r"%\([a-z_]+\)[sd]")
    for message in read_catalogue(CATALOGUE):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(pattern.findall(ids[-1]))
        for string in strings:
            assert set(pattern.findall(string)) == wanted, message.id


def test_pages_are_vietnamese_by_default(web):
    page = web.get("/internal/login")
    assert page.soup.html["lang"] == "vi"
    assert page.soup.find("button", type="submit").get_text(strip=True) == "Đăng nhập"
    assert page.soup.find("label", attrs={"for": "username"}).get_text(strip=True) == "Tên đăng nhập"


def test_language_switch_persists(web):
    page = web.get("/internal/login?lang=en")
    assert page.soup.html["lang"] == "en"
    assert page.soup.find("button", type="submit").get_text(strip=True) == "Sign in"
    assert web.get("/").soup.html["lang"] == "en"  # kept without the parameter
    assert web.get("/?lang=vi").soup.html["lang"] == "vi"
    assert web.get("/internal/login").soup.html["lang"] == "vi"


def test_signed_in_users_keep_their_language_across_sessions(app, world):
    from tests.factories import PASSWORD

    first = app.test_client()
    first.post("/internal/login", data={"username": "ward", "password": PASSWORD})
    first.get("/internal/?lang=en")
    db.session.refresh(world.ward_official)
    assert world.ward_official.locale == "en"
    second = app.test_client()  # another web
    second.post("/internal/login", data={"username": "ward", "password": PASSWORD})
    assert 'lang="en"' in second.get("/internal/").get_data(as_text=True)


def test_language_links_keep_the_page_and_its_query(web):
    page = web.get("/hotlines?x=1")
    links = {a["hreflang"]: a["href"] for a in page.soup.select(".lang-switch a")}
    assert links["en"] == "/hotlines?x=1&lang=en"


def test_validation_messages_are_translated(web):
    page = web.post("/internal/login?lang=en", {"username": "", "password": ""}, status=422)
    assert page.field_error("username") == "This field is required."


def test_official_date_style(app):
    with app.test_request_context("/"):
        assert official_date(date(2024, 3, 19)) == "ngày 19 tháng 3 năm 2024"
        # 20:00 UTC on 18 March is already 19 March in Vietnam
        assert official_date(datetime(2024, 3, 18, 20, 0, tzinfo=timezone.utc)) == "ngày 19 tháng 3 năm 2024"
        with force_locale("en"):
            assert official_date(date(2024, 3, 19)) == "19 March 2024"


def test_times_are_shown_in_vietnam_time_and_money_in_dong(app):
    with app.test_request_context("/"):
        assert local_datetime(datetime(2024, 3, 19, 7, 5, tzinfo=timezone.utc)) == "14:05 19/03/2024"
        assert vnd(1500000) == "1.500.000\xa0₫"


def test_phone_numbers_are_grouped_for_reading(web, world):
    from portal.i18n import phone

    assert phone("0908538844") == "0908 538 844"
    assert phone("02923810481") == "02923 810 481"
    db.session.add(Hotline(unit=world.province, label="Đường dây nóng", phones="0908538844"))
    page = web.get("/hotlines")
    link = page.soup.find("a", href="tel:0908538844")
    assert link.get_text(strip=True) == "0908 538 844"
