"""Every public page makes the same number of SQL queries however much data there is: more
published entries, guides and their images, hotlines, businesses and their violations.
(The list of violations, its files and feeds have their own test: test_violations_queries.py.)"""
from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import Ward
from tests.factories import THANH_HOA
from tests.public.conftest import publish
from tests.public.test_guides import folder, picture
from tests.public.test_guides import write as write_guide
from tests.public.test_hotlines import add as add_hotline
from tests.public.test_violations_queries import queries
from tests.services.test_business_check import published


def grow(app, world, cast, shown, n: int) -> None:
    """``n`` more of everything, and more of what the pages of ``shown`` list."""
    entry, guide = shown
    business = entry.publication.violation.business
    for i in range(n):
        publish(world, (cast.ham_rong, cast.hac_thanh, cast.lao_cai)[i % 3], f"Cơ sở Thêm {n}-{i}",
                found=date(2026, 3, 1 + i), decided=date(2026, 3, 2 + i))
        published(world, cast.ham_rong.inspector, business, found=date(2026, 5, 1 + i),
                  decided=date(2026, 5, 2 + i))
        write_guide(world.leader, world.province, title=f"Cẩm nang {n}-{i}")
        picture(guide, world.leader, folder(app))
        for unit in (world.root, world.province, world.ward_a, world.other_province):
            add_hotline(world.admin, unit, label=f"Đường dây {unit.id}-{n}-{i}", phones=[f"09{n:02d}{i:02d}{unit.id:04d}"])
    for ward in db.session.scalars(select(Ward).order_by(Ward.code).offset(10 * n).limit(n)):  # new places too
        add_hotline(world.admin, world.root, label=f"Đường dây {ward.name}", phones=[f"08{ward.code:08d}"],
                    province_code=ward.province_code, ward_code=ward.code)
    db.session.commit()


def test_every_public_page_makes_the_same_queries_whatever_the_data(app, web, world, cast):
    shown = (publish(world, cast.ham_rong, "Cơ sở Theo Dõi"), write_guide(world.leader, world.province))
    grow(app, world, cast, shown, 1)
    entry, guide = shown
    business_id = entry.publication.violation.business_id
    pages = ("/", "/hotlines", f"/hotlines?province={THANH_HOA}", "/violations", "/violations?q=co+so",
             f"/violations/{entry.id}", "/open-data", "/guides", "/guides?q=cam+nang", f"/guides/{guide.id}",
             "/check?q=co+so", f"/check?q=co+so&province={THANH_HOA}", f"/check/{business_id}",
             f"/check/{business_id}/qr.svg", "/statistics", f"/statistics?province={THANH_HOA}", "/statistics.csv",
             "/tips/new", f"/tips/new?business={business_id}", "/tips/track", f"/tips/wards?province_code={THANH_HOA}")
    before = {url: queries(web, url, buffered=True) for url in pages}
    grow(app, world, cast, shown, 4)
    after = {url: queries(web, url, buffered=True) for url in pages}
    assert after == before, before
