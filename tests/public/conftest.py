"""Published violations for the tests of the public list, its files and feeds: built through the
same services as in the portal (registry, commitment or outreach, inspection, decision, proposal,
a second leader's approval)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from portal.demo import ensure_unit
from portal.extensions import db
from portal.models import (
    OutreachMethod,
    PublicEntry,
    Role,
    Unit,
    UnitKind,
    User,
    ViolationState,
    ViolationType,
    Ward,
)
from portal.services import enforcement, outreach, publication
from tests.factories import LAO_CAI, make_user
from tests.services.test_enforcement import inspect
from tests.services.test_outreach import business


@dataclass
class Area:
    """A ward, the people who keep its registry, inspect it and approve its publications."""

    ward: Unit
    keeper: User  # the ward official who records commitments
    inspector: User
    leader: User  # approves what the inspector proposes


@dataclass
class Cast:
    ham_rong: Area  # Phường Hàm Rồng, Tỉnh Thanh Hóa
    hac_thanh: Area  # Phường Hạc Thành, Tỉnh Thanh Hóa
    lao_cai: Area  # Phường Lào Cai, Tỉnh Lào Cai


@pytest.fixture
def cast(world) -> Cast:
    inspector = make_user("doi.qltt", world.province, Role.OFFICER)
    leader = make_user("pho.truong", world.province, Role.LEADER)
    lc_code = db.session.scalar(select(Ward.code).where(Ward.province_code == LAO_CAI,
                                                        Ward.name == "Phường Lào Cai"))
    lc_ward = ensure_unit("UBND phường Lào Cai", UnitKind.WARD_COMMITTEE, world.other_province, province=LAO_CAI,
                          ward=lc_code)
    cast = Cast(
        ham_rong=Area(world.ward_a, world.ward_official, inspector, leader),
        hac_thanh=Area(world.ward_b, world.sibling_official, inspector, leader),
        lao_cai=Area(lc_ward, make_user("ward.lc", lc_ward, Role.WARD_OFFICIAL),
                     make_user("doi.lc", world.other_province, Role.OFFICER),
                     make_user("leader.lc", world.other_province, Role.LEADER)),
    )
    db.session.commit()
    return cast


def publish(world, area: Area, name: str, *, address: str = "12 Lê Lợi", goods: str | None = "milk",
            brand: str | None = "Ensure", kind: ViolationType = ViolationType.COUNTERFEIT,
            found: date = date(2026, 4, 1), decided: date = date(2026, 4, 5), fine: int | None = 15_000_000,
            commitment: bool = True, ends_on: date | None = None, number: str | None = None) -> PublicEntry:
    """A business of the area, signed (or only given outreach) before it offended, sanctioned and
    made public by the area's leader."""
    shop = business(world, actor=area.keeper, name=name, ward=area.ward, address=address)
    if commitment:
        outreach.record_commitment(area.keeper, outreach.CommitmentData(
            business_id=shop.id, signed_on=date(2025, 6, 1), signatory="Chủ", received_by_id=area.keeper.id))
    else:
        outreach.record_session(area.keeper, outreach.SessionData(
            held_on=date(2025, 6, 1), method=OutreachMethod.CONFERENCE, people_reached=10, place="Chợ",
            business_ids=[shop.id]))
    decision = enforcement.Decision(number=number or f"{shop.id:02d}/QĐ-XPHC", decided_on=decided,
                                    authority="Đội QLTT số 1", fine=fine, state=ViolationState.DECIDED)
    violation = enforcement.record_violation(
        area.inspector, inspect(area.inspector, shop, found, goods=[goods] if goods else []),
        enforcement.ViolationData(type=kind, goods=goods, brand=brand, decision=decision))
    proposal = publication.propose(area.inspector, violation, None)
    entry = publication.approve(area.leader, proposal, version=proposal.version, ends_on=ends_on)
    db.session.commit()
    return entry
