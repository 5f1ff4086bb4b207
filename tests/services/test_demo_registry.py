"""The demo businesses: a few hundred realistic records in the seed areas, with outreach,
commitments and agreements that keep every rule the services keep."""
import re
from collections import Counter

from sqlalchemy import func, select

from portal.demo_registry import AREAS
from portal.extensions import db
from portal.models import (
    Agreement,
    Business,
    BusinessStatus,
    ChannelKind,
    Commitment,
    OutreachSession,
    Ward,
    outreach_businesses,
)
from portal.services import coverage, registry

TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def valid_tax_code(code: str) -> bool:
    if not re.fullmatch(r"\d{10}(\d{3})?", code):
        return False
    return int(code[9]) == 10 - sum(int(d) * w for d, w in zip(code, TAX_WEIGHTS, strict=False)) % 11


def test_the_demo_registry_is_realistic_and_consistent(demo):
    today = registry.today()
    businesses = list(db.session.scalars(select(Business)))
    assert 300 <= len(businesses) <= 400

    # every channel of the registry is there, in the wards of the seed areas only
    kinds = Counter(channel.kind for business in businesses for channel in business.channels)
    assert set(kinds) == set(ChannelKind)
    demo_wards = {spec.name for area in AREAS for spec in area.wards}
    assert {b.ward.name for b in businesses} == demo_wards
    for business in businesses:
        assert business.province_code == business.ward.province_code, business.name
        assert business.tax_code is None or valid_tax_code(business.tax_code), business.tax_code
        assert business.phone is None or re.fullmatch(r"0[35789]\d{8}", business.phone), business.phone
        assert business.channels and business.owner_name

    # histories start when the business was recorded, within the last 18 months, and end in its status
    for business in businesses:
        history = business.history
        assert history[0].status == BusinessStatus.NEW and history[0].on == business.recorded_on
        assert today.replace(year=today.year - 2) < business.recorded_on <= today
        assert [h.on for h in history] == sorted(h.on for h in history)
        assert business.status == history[-1].status
        assert (business.ceased_on is not None) == (business.status == BusinessStatus.CEASED)
    statuses = Counter(b.status for b in businesses)
    assert statuses[BusinessStatus.ACTIVE] > len(businesses) / 2
    assert statuses[BusinessStatus.CEASED] and statuses[BusinessStatus.CHANGED_LINE]

    # commitments: after the business was recorded, on or after an outreach session it was given,
    # never in the future
    reached: dict[int, list] = {}
    for business_id, held_on in db.session.execute(
            select(outreach_businesses.c.business_id, OutreachSession.held_on)
            .join(OutreachSession, OutreachSession.id == outreach_businesses.c.session_id)):
        reached.setdefault(business_id, []).append(held_on)
    commitments = list(db.session.scalars(select(Commitment)))
    assert commitments
    for commitment in commitments:
        business = commitment.business
        assert business.recorded_on <= commitment.signed_on <= today
        assert min(reached[business.id]) <= commitment.signed_on
        assert business.ceased_on is None or commitment.signed_on < business.ceased_on
        assert commitment.signatory == business.owner_name
    assert db.session.scalar(select(func.max(OutreachSession.held_on))) <= today
    assert {s.method for s in db.session.scalars(select(OutreachSession))} >= {"conference", "during_inspection"}
    assert db.session.scalar(select(func.count()).where(OutreachSession.plan_id.is_not(None)))

    # coverage shows real numbers: 40 to 80 % of each ward's trading businesses signed
    for code in {b.ward_code for b in businesses}:
        figures = coverage.figures(coverage.Area(ward_code=code), coverage.Category(), today)
        assert 38 <= figures.signed_percent <= 82, (db.session.get(Ward, code).name, figures)
        assert figures.outreach >= figures.signed
    assert count(Agreement) >= 4

