"""The public list, its entry pages, downloads and feeds make a fixed number of SQL queries
however many entries there are."""
from datetime import date

from portal.models import ViolationType
from tests.factories import THANH_HOA
from tests.internal.test_query_counts import counted
from tests.public.conftest import publish

PAGES = ("/violations", f"/violations?province={THANH_HOA}&goods=milk&year=2026&after_commitment=1&sort=fine",
         "/violations?q=co+so&ward=WARD&type=counterfeit", "/violations?province=999&goods=nope&page=1000000000",
         "/open-data")
DOWNLOADS = ("/violations.csv", "/violations.json", f"/feeds/violations.atom?province={THANH_HOA}&goods=milk")


def queries(web, url: str, buffered: bool = False) -> int:
    with counted() as statements:
        response = web.client.get(url, buffered=buffered)
        assert response.status_code == 200, url
        response.get_data()
    return len(statements)


def grow(world, cast, start: int, n: int) -> None:
    areas = (cast.ham_rong, cast.hac_thanh, cast.lao_cai)
    goods = ("milk", "cosmetics", "food", None)
    for i in range(start, start + n):
        publish(world, areas[i % 3], f"Cơ sở {i}", goods=goods[i % 4],
                kind=(ViolationType.COUNTERFEIT, ViolationType.SMUGGLED)[i % 2],
                found=date(2026, 3, 1 + i % 20), decided=date(2026, 4, 1 + i % 20), commitment=bool(i % 3))


def test_the_list_and_its_files_do_not_grow_with_the_entries(web, world, cast):
    pages = [p.replace("WARD", str(world.ward_a.ward_code)) for p in PAGES]
    grow(world, cast, 0, 5)  # every page below lists at least one entry
    before = {url: queries(web, url) for url in pages} | {url: queries(web, url, True) for url in DOWNLOADS}
    grow(world, cast, 5, 12)
    after = {url: queries(web, url) for url in pages} | {url: queries(web, url, True) for url in DOWNLOADS}
    assert after == before, before


def test_an_entry_page_does_not_grow_with_its_corrections(web, world, cast):
    from portal.models import ViolationState
    from portal.services import enforcement, publication

    entry = publish(world, cast.ham_rong, "Cơ sở Đính Chính")
    url = f"/violations/{entry.id}"

    def correct(fine: int) -> None:
        violation = entry.publication.violation
        enforcement.update_decision(cast.ham_rong.inspector, violation, enforcement.Decision(
            number=violation.decision_number, decided_on=violation.decision_on,
            authority=violation.decision_authority, fine=fine, state=ViolationState.DECIDED),
            version=violation.version)
        publication.correct(world.leader, entry, f"Sửa tiền phạt thành {fine}")

    correct(1_000_000)
    before = queries(web, url)
    for fine in (2_000_000, 3_000_000, 4_000_000):
        correct(fine)
    assert queries(web, url) == before
