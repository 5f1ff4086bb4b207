"""Demo inspections and violations over the demo businesses of Lào Cai: some after a signed
commitment, some repeat offences, some published (one corrected, one withdrawn) and one proposal
waiting for the leader, so the public list of violations has real content."""
from __future__ import annotations

import random
from datetime import time, timedelta

import click
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Business,
    Commitment,
    Inspection,
    InspectionKind,
    InspectionResult,
    User,
    ViolationState,
    ViolationType,
)
from portal.services import enforcement, publication, registry
from portal.services.deadlines import local_instant

LAO_CAI = 15
BRANDS = {"milk": ("Ensure", "Similac", "Abbott Grow"), "cosmetics": ("L'Oréal", "Innisfree", "Ohui"),
          "food": ("Knorr", "Chinsu", "Hảo Hảo"), "clothing": ("Nike", "Adidas", "Gucci"),
          "pharmaceuticals": ("Panadol", "Efferalgan", "Berberin")}


def load_enforcement() -> int:
    """Record the demo cases; 0 when they are already there (or the demo users are missing)."""
    inspector = db.session.scalar(select(User).where(User.username == "inspector"))
    leader = db.session.scalar(select(User).where(User.username == "leader"))
    if inspector is None or leader is None:
        return 0
    if db.session.scalar(select(Inspection.id).where(Inspection.created_by_id == inspector.id).limit(1)):
        return 0
    rng = random.Random(389)
    today = registry.today()
    signed = list(db.session.execute(
        select(Business, Commitment.signed_on).join(Commitment, Commitment.business_id == Business.id)
        .where(Business.province_code == LAO_CAI, Business.merged_into_id.is_(None), Business.ceased_on.is_(None),
               Commitment.signed_on < today - timedelta(days=60))
        .order_by(Business.id)).all())
    seen, cases = set(), []
    for business, signed_on in signed:
        if business.id not in seen:
            seen.add(business.id)
            cases.append((business, signed_on))
    unsigned = list(db.session.scalars(
        select(Business).where(Business.province_code == LAO_CAI, Business.merged_into_id.is_(None),
                               Business.id.not_in(seen), Business.recorded_on < today - timedelta(days=60))
        .order_by(Business.id).limit(4)))
    published = []
    for index, (business, signed_on) in enumerate(cases[:9]):
        found_on = min(today - timedelta(days=20), signed_on + timedelta(days=rng.randint(20, 60)))
        violation = _case(inspector, business, found_on, rng, decided=index != 8)
        if index < 2:  # offended again after the sanction: a repeat offence
            again = min(today - timedelta(days=5), found_on + timedelta(days=rng.randint(10, 15)))
            _case(inspector, business, again, rng, decided=True)
        if violation.decision_number and index < 6:
            published.append(publication.propose(inspector, violation, "Vi phạm sau khi đã ký cam kết"))
    for business in unsigned:
        found_on = max(business.recorded_on, today - timedelta(days=rng.randint(15, 90)))
        _case(inspector, business, found_on, rng, decided=rng.random() < 0.5)
        _inspection(inspector, business, found_on - timedelta(days=1) if found_on > business.recorded_on else found_on,
                    InspectionResult.NO_VIOLATION, rng)
    entries = [publication.approve(leader, proposal, version=proposal.version) for proposal in published[:5]]
    if len(entries) >= 2:
        first = entries[0].publication.violation
        enforcement.update_decision(inspector, first, enforcement.Decision(
            number=first.decision_number, decided_on=first.decision_on, authority=first.decision_authority,
            fine=(first.fine or 0) + 5_000_000, remedies=first.remedies, state=ViolationState.COMPLIED),
            version=first.version)
        publication.correct(leader, entries[0], "Đính chính số tiền phạt theo quyết định sửa đổi.")
        publication.withdraw(leader, entries[1], "Quyết định xử phạt đang được xem xét lại theo khiếu nại.")
    db.session.flush()
    click.echo(f"Demo enforcement: {len(cases[:9]) + len(unsigned)} businesses inspected, "
               f"{len(entries)} violations published, {len(published) - len(entries)} waiting for approval.")
    return len(entries)


def _inspection(actor, business, on, result, rng) -> Inspection:
    return enforcement.record_inspection(actor, enforcement.InspectionData(
        inspected_on=on, kind=rng.choice(list(InspectionKind)), business_id=business.id, result=result,
        goods=[g.code for g in business.goods][:2]))


def _case(actor, business, found_on, rng, *, decided: bool):
    inspection = _inspection(actor, business, found_on, InspectionResult.VIOLATION, rng)
    goods = (business.goods[0].code if business.goods else None)
    kind = rng.choice([ViolationType.COUNTERFEIT, ViolationType.COUNTERFEIT, ViolationType.UNKNOWN_ORIGIN,
                       ViolationType.IP_INFRINGING, ViolationType.SMUGGLED])
    decision = enforcement.Decision()
    decided_on = min(registry.today(), found_on + timedelta(days=rng.randint(2, 7)))
    if decided:
        decision = enforcement.Decision(
            number=f"{rng.randint(10, 480)}/QĐ-XPHC", decided_on=decided_on,
            authority="Đội trưởng Đội Quản lý thị trường số 1", fine=rng.choice([5, 8, 12, 15, 25, 40]) * 1_000_000,
            remedies="Buộc tiêu hủy hàng hóa vi phạm.", state=ViolationState.DECIDED)
    return enforcement.record_violation(actor, inspection, enforcement.ViolationData(
        type=kind, goods=goods, brand=rng.choice(BRANDS[goods]) if goods in BRANDS else None,
        openly_displayed=rng.random() < 0.6, quantity=f"{rng.randint(12, 400)} sản phẩm",
        seized_value=rng.randint(3, 90) * 1_000_000, decision=decision,
        seized_at=local_instant(found_on, time(rng.randint(8, 16), rng.choice((0, 15, 30, 45))))))
