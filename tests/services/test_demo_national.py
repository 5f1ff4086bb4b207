"""The national data set, loaded at a small fraction: exact proportional counts, every foreign
key resolving, the invariants the services keep, idempotence, and the portal working on it."""
import re
from collections import Counter, defaultdict

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from portal.demo import DEMO_PASSWORD
from portal.demo_national import ADMIN, MARKER, counts_for, load_national
from portal.extensions import db
from portal.models import (
    AuditEntry,
    Business,
    BusinessStatus,
    BusinessStatusChange,
    Commitment,
    Inspection,
    OutreachSession,
    Plan,
    Publication,
    PublicationState,
    PublicEntry,
    ReportingRule,
    ReportObligation,
    Tip,
    TipStatus,
    Unit,
    User,
    Violation,
    Ward,
    outreach_businesses,
)
from portal.services import enforcement, publication
from portal.text import fold

FRACTION = 0.002


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def dangling_foreign_keys() -> list[str]:
    """Every foreign key of every table that names a row that is not there."""
    problems = []
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            parent = fk.column.table.alias()
            column, target = table.c[fk.parent.name], parent.c[fk.column.name]
            missing = db.session.scalar(
                select(func.count()).select_from(table.outerjoin(parent, column == target))
                .where(column.is_not(None), target.is_(None)))
            if missing:
                problems.append(f"{table.name}.{fk.parent.name}: {missing}")
    return problems


@pytest.fixture
def national(app):
    counts = load_national(FRACTION)
    db.session.commit()
    return counts


def test_the_counts_are_the_national_figures_times_the_fraction(national):
    wanted = counts_for(FRACTION)
    assert wanted["businesses"] == 2000 and wanted["published"] == 100
    assert count(Business) == wanted["businesses"]
    assert count(Commitment) == wanted["commitments"]
    assert count(OutreachSession) == wanted["outreach_sessions"]
    assert count(Inspection) == wanted["inspections"]
    assert count(Violation) == wanted["violations"]
    assert count(PublicEntry) == wanted["published"] == wanted["violations"] // 2
    assert count(Tip) == wanted["tips"]
    assert count(Plan) == wanted["plans"]
    assert national["businesses"] == wanted["businesses"]
    # the organisation does not shrink with the fraction: all 34 provinces, a committee per ward
    assert db.session.scalar(select(func.count()).select_from(Unit).where(Unit.kind == "ward_committee")) == \
        count(Ward) == 3321
    assert db.session.scalar(select(func.count(func.distinct(Unit.province_code)))) == 34
    assert count(outreach_businesses) and count(ReportObligation)
    assert dangling_foreign_keys() == []


def test_the_invariants_the_services_rely_on_hold(national):
    # units: materialised paths from the root down
    units = {u.id: u for u in db.session.scalars(select(Unit))}
    for unit in units.values():
        parent_path = units[unit.parent_id].path if unit.parent_id else "/"
        assert unit.path == f"{parent_path}{unit.id}/", unit.name

    # businesses: folded copies, the ward's province, dates kept from the status history
    wards = {w.code: w.province_code for w in db.session.scalars(select(Ward))}
    history = defaultdict(list)
    for change in db.session.scalars(select(BusinessStatusChange).order_by(BusinessStatusChange.on,
                                                                            BusinessStatusChange.id)):
        history[change.business_id].append(change)
    businesses = {b.id: b for b in db.session.scalars(select(Business))}
    for b in businesses.values():
        assert b.name_folded == fold(b.name) and b.address_folded == fold(b.address), b.name
        assert b.province_code == wards[b.ward_code]
        steps = history[b.id]
        assert steps[0].status == BusinessStatus.NEW and steps[0].on == b.recorded_on
        assert b.status == steps[-1].status
        assert (b.ceased_on is not None) == (b.status == BusinessStatus.CEASED)
        assert b.ceased_on is None or b.ceased_on == steps[-1].on
        assert b.tax_code is None or re.fullmatch(r"\d{10}(\d{3})?", b.tax_code)
    assert len({b.ward_code for b in businesses.values()}) > 1000
    assert len({b.province_code for b in businesses.values()}) == 34
    assert {b.status for b in businesses.values()} == set(BusinessStatus)

    # commitments: while the business traded, never in the future, on or after the outreach it was given
    reached = defaultdict(list)
    for business_id, held_on in db.session.execute(
            select(outreach_businesses.c.business_id, OutreachSession.held_on)
            .join(OutreachSession, OutreachSession.id == outreach_businesses.c.session_id)):
        reached[business_id].append(held_on)
        b = businesses[business_id]
        assert b.recorded_on <= held_on and (b.ceased_on is None or held_on < b.ceased_on)
    for c in db.session.scalars(select(Commitment)):
        b = businesses[c.business_id]
        assert b.recorded_on <= c.signed_on and (b.ceased_on is None or c.signed_on < b.ceased_on)
        assert c.signatory == b.owner_name
        if reached[b.id]:
            assert min(reached[b.id]) <= c.signed_on

    # violations copy their inspection; inspections happen while the business trades
    inspection = aliased(Inspection)
    for v, i in db.session.execute(select(Violation, inspection).join(inspection, Violation.inspection)):
        assert (v.business_id, v.found_on, v.unit_id) == (i.business_id, i.inspected_on, i.unit_id)
        assert i.result == "violation"
        assert v.decision_on is None or v.decision_on >= v.found_on
    for i in db.session.scalars(select(Inspection)):
        b = businesses[i.business_id]
        assert b.recorded_on <= i.inspected_on and (b.ceased_on is None or i.inspected_on < b.ceased_on)

    # tips: random receipt hashes, statuses spread, contacts only of those who gave them
    tips = list(db.session.scalars(select(Tip)))
    assert len({t.receipt_hash for t in tips}) == len(tips)
    assert all(re.fullmatch(r"[0-9a-f]{64}", t.receipt_hash) for t in tips)
    assert set(Counter(t.status for t in tips)) == set(TipStatus)
    for t in tips:
        assert (t.closed_at is not None) == t.closed
        assert not t.anonymous or (t.contact_name, t.contact_phone, t.contact_email) == (None, None, None)
        assert t.ward_code is None or wards[t.ward_code] == t.province_code
    assert any(not t.anonymous and t.contact_phone for t in tips)

    # report obligations fall inside their plan's period
    for due_at, starts_at, ends_at in db.session.execute(
            select(ReportObligation.due_at, Plan.starts_at, Plan.ends_at)
            .join(ReportingRule, ReportingRule.id == ReportObligation.rule_id)
            .join(Plan, Plan.id == ReportingRule.plan_id)):
        assert starts_at <= due_at <= ends_at


def test_published_entries_hold_what_publication_would_copy(national):
    entries = list(db.session.scalars(select(PublicEntry).order_by(PublicEntry.id)))
    violations = [e.publication.violation for e in entries]
    facts = enforcement.facts(violations)
    for entry, violation in zip(entries, violations, strict=True):
        wanted = publication.public_fields(violation, facts[violation.id])
        assert {k: getattr(entry, k) for k in wanted} == wanted, entry.id
        assert publication.eligibility(violation).ok
        assert entry.publication.state in (PublicationState.PUBLISHED, PublicationState.WITHDRAWN)
        assert (entry.withdrawn_at is not None) == (entry.publication.state == PublicationState.WITHDRAWN)
        assert entry.publication.decided_by_id != entry.publication.proposed_by_id
    # after_commitment exactly when a commitment was signed before the violation was found
    for entry, violation in zip(entries, violations, strict=True):
        earlier = db.session.scalar(select(func.count()).select_from(Commitment).where(
            Commitment.business_id == violation.business_id, Commitment.signed_on < violation.found_on))
        assert entry.after_commitment == bool(earlier)
    assert any(e.after_commitment for e in entries) and any(e.corrected_at for e in entries)
    assert any(e.ends_on for e in entries)
    # permanent links follow the order of publication
    assert [e.published_at for e in entries] == sorted(e.published_at for e in entries)
    assert count(Publication) > len(entries)  # a few proposals wait or were rejected


def test_a_second_run_adds_nothing_and_normal_inserts_follow(national, app):
    before = {model.__tablename__: count(model) for model in (Business, Commitment, Tip, Unit, User, PublicEntry)}
    assert load_national(FRACTION) is None
    db.session.commit()
    assert {model.__tablename__: count(model) for model in (Business, Commitment, Tip, Unit, User,
                                                            PublicEntry)} == before
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == MARKER)) == 1
    # the sequences are past the ids the load chose (PostgreSQL), so the portal's own inserts work
    last = db.session.scalar(select(func.max(Business.id)))
    ward = db.session.scalar(select(Ward).limit(1))
    business = Business(name="Tạp hóa Sau Cùng", address="Số 1 đường Lê Lợi", ward_code=ward.code,
                        province_code=ward.province_code, recorded_on=db.session.scalar(select(func.min(
                            Business.recorded_on))), name_folded="tap hoa sau cung", address_folded="so 1 duong le loi")
    db.session.add(business)
    db.session.flush()
    assert business.id > last
    db.session.commit()


def test_the_cli_skips_a_loaded_database(national, app):
    result = app.test_cli_runner().invoke(args=["demo", "--scale", "national", "--fraction", str(FRACTION)])
    assert result.exit_code == 0, result.output
    assert "already loaded" in result.output


def test_the_portal_works_on_it(national, client, web):
    entry = db.session.scalar(select(PublicEntry).where(PublicEntry.withdrawn_at.is_(None),
                                                        PublicEntry.ends_on.is_(None)).limit(1))
    page = web.get("/violations")
    assert "violation" in page.html
    web.get(f"/violations/{entry.id}")
    word = entry.search_folded.split()[0]
    web.get(f"/violations?q={word}&province={entry.province_code}")
    leader = db.session.scalar(select(User).where(User.username == "p01.market"))
    web.sign_in(leader, DEMO_PASSWORD)
    for url in ("/internal/", "/internal/businesses/", "/internal/publications/", "/internal/tips/",
                "/internal/outreach/", "/internal/commitments/"):
        web.get(url)
    assert db.session.scalar(select(User.id).where(User.username == ADMIN))
