"""Naming a business in public: eligibility, four eyes, corrections, withdrawal, replies, the end
of publication, and that only the public fields ever reach the public side."""
from datetime import date, timedelta

import pytest
from sqlalchemy.orm.exc import StaleDataError

from portal.extensions import db
from portal.models import PublicationState, PublicEntry, Role, ViolationState
from portal.services import disclosure, enforcement, publication, registry
from portal.services.errors import AccessDenied, ConflictingEdit, ValidationFailed
from tests.factories import make_user
from tests.services.test_enforcement import sign, violate
from tests.services.test_outreach import business


@pytest.fixture
def team(world):
    inspector = make_user("doi.qltt", world.province, Role.OFFICER)
    second_leader = make_user("pho.truong", world.province, Role.LEADER)
    return inspector, second_leader


def signed_then_sanctioned(world, inspector, **extra):
    shop = business(world, phone="0912345678", owner_name="Nguyễn Văn Chủ", tax_code="0101234567", **extra)
    sign(world, shop, date(2026, 1, 10))
    return violate(inspector, shop, date(2026, 4, 1), decided=date(2026, 4, 5))


def test_eligibility_names_each_failing_condition(app, world, team):
    inspector, _ = team
    bare = violate(inspector, business(world, name="Chưa tuyên truyền"), date(2026, 4, 1))
    with app.test_request_context("/?lang=en"):
        reasons = [str(r) for r in publication.eligibility(bare).reasons]
    assert reasons == ["There is no sanction decision yet.", "The business had neither been given outreach nor "
                       "signed a commitment before the violation."]
    overturned = signed_then_sanctioned(world, inspector)
    enforcement.update_decision(inspector, overturned, enforcement.Decision(
        number=overturned.decision_number, decided_on=overturned.decision_on,
        authority=overturned.decision_authority, state=ViolationState.OVERTURNED), version=overturned.version)
    with app.test_request_context("/?lang=en"):
        assert [str(r) for r in publication.eligibility(overturned).reasons] == [
            "The sanction decision was overturned."]
    with pytest.raises(ValidationFailed):
        publication.propose(inspector, bare, None)


def test_four_eyes_the_proposer_never_approves(world, team):
    inspector, second_leader = team
    violation = signed_then_sanctioned(world, inspector)
    proposal = publication.propose(world.leader, violation, "Tái phạm sau cam kết")
    with pytest.raises(ValidationFailed):
        publication.approve(world.leader, proposal, version=proposal.version)
    with pytest.raises(AccessDenied):
        publication.approve(inspector, proposal, version=proposal.version)  # not a leader
    with pytest.raises(AccessDenied):
        publication.approve(world.sibling_official, proposal, version=proposal.version)
    entry = publication.approve(second_leader, proposal, version=proposal.version)
    assert proposal.state == PublicationState.PUBLISHED and entry.after_commitment


def test_two_leaders_approving_at_once_publish_once(world, team):
    inspector, second_leader = team
    third = make_user("pho.truong2", world.province, Role.LEADER)
    proposal = publication.propose(inspector, signed_then_sanctioned(world, inspector), None)
    db.session.commit()
    version = proposal.version
    publication.approve(second_leader, proposal, version=version)
    db.session.commit()
    with pytest.raises(ConflictingEdit):
        publication.approve(third, proposal, version=version)
    assert db.session.query(PublicEntry).count() == 1


def test_a_concurrent_approval_loses_on_the_version_column(app, world, team):
    inspector, second_leader = team
    proposal = publication.propose(inspector, signed_then_sanctioned(world, inspector), None)
    db.session.commit()
    seen = proposal.version  # both leaders opened the page at this version
    db.session.execute(db.update(publication.Publication).where(publication.Publication.id == proposal.id)
                       .values(version=seen + 1).execution_options(synchronize_session=False))  # the other saved
    with pytest.raises(StaleDataError):
        publication.approve(second_leader, proposal, version=seen)
    db.session.rollback()


def test_only_the_public_fields_reach_the_public_entry(world, team):
    inspector, second_leader = team
    violation = signed_then_sanctioned(world, inspector)
    entry = publication.approve(second_leader, publication.propose(inspector, violation, None), version=1)
    columns = {c.name for c in PublicEntry.__table__.columns}
    assert columns == {"id", "publication_id", *publication.PUBLIC_FIELDS, "published_at", "corrected_at", "ends_on",
                       "withdrawn_at", "withdrawal_reason", "search_folded"}
    assert (entry.business_name, entry.decision_number, entry.fine) == ("Tạp hóa Minh Ánh", "05/QĐ-XPHC", 15_000_000)


def test_correction_withdrawal_and_the_end_of_publication(world, team):
    inspector, second_leader = team
    first = publication.approve(second_leader, publication.propose(
        inspector, signed_then_sanctioned(world, inspector), None), version=1)
    ended = publication.approve(second_leader, publication.propose(inspector, signed_then_sanctioned(
        world, inspector, name="Cửa hàng Hết Hạn", address="9 Lê Lợi"), None), version=1,
        ends_on=registry.today() + timedelta(days=30))
    listed = lambda on=None: [e.id for e in db.session.scalars(disclosure.listed_violations(on=on))]  # noqa: E731
    assert set(listed()) == {first.id, ended.id}
    assert listed(on=registry.today() + timedelta(days=31)) == [first.id]  # it leaves by itself

    violation = first.publication.violation
    enforcement.update_decision(inspector, violation, enforcement.Decision(
        number="05/QĐ-XPHC", decided_on=violation.decision_on, authority=violation.decision_authority,
        fine=12_000_000, state=ViolationState.DECIDED), version=violation.version)
    publication.correct(second_leader, first, "Sửa số tiền phạt")
    assert first.fine == 12_000_000 and first.corrected_at and first.corrections[0].note == "Sửa số tiền phạt"

    publication.withdraw(world.leader, first, "Quyết định đang được xem xét lại")
    assert listed() == [ended.id] and first.publication.state == PublicationState.WITHDRAWN
    with pytest.raises(ValidationFailed):
        publication.correct(world.leader, first, "x")


def test_a_reply_shows_only_once_vetted(world, team):
    inspector, second_leader = team
    entry = publication.approve(second_leader, publication.propose(
        inspector, signed_then_sanctioned(world, inspector), None), version=1)
    reply = publication.record_reply(inspector, entry, "Cơ sở đã tiêu hủy toàn bộ hàng vi phạm.", registry.today())
    assert disclosure.approved_replies(entry) == []
    publication.vet_reply(second_leader, reply, approved=True)
    assert disclosure.approved_replies(entry) == [reply]


def test_a_leader_never_publishes_what_changed_after_they_saw_it(world, team):
    inspector, second_leader = team
    violation = signed_then_sanctioned(world, inspector)
    proposal = publication.propose(inspector, violation, None)
    seen = violation.version
    enforcement.update_decision(inspector, violation, enforcement.Decision(
        number="99/QĐ-XPHC", decided_on=violation.decision_on, authority=violation.decision_authority,
        fine=1_900_000_000, state=ViolationState.DECIDED), version=violation.version)
    with pytest.raises(ConflictingEdit):
        publication.approve(second_leader, proposal, version=proposal.version, seen=seen)


def test_administrators_and_the_proposer_do_not_publish_or_correct(world, team):
    inspector, second_leader = team
    proposal = publication.propose(world.leader, signed_then_sanctioned(world, inspector), None)
    with pytest.raises(AccessDenied):
        publication.approve(world.admin, proposal, version=proposal.version)
    entry = publication.approve(second_leader, proposal, version=proposal.version)
    with pytest.raises(ValidationFailed):
        publication.correct(world.leader, entry, "sửa")


def test_an_overturned_decision_takes_the_entry_down_and_it_is_not_proposed_again(world, team):
    inspector, second_leader = team
    violation = signed_then_sanctioned(world, inspector)
    entry = publication.approve(second_leader, publication.propose(inspector, violation, None), version=1)
    enforcement.update_decision(inspector, violation, enforcement.Decision(
        number=violation.decision_number, decided_on=violation.decision_on, authority=violation.decision_authority,
        state=ViolationState.OVERTURNED), version=violation.version)
    assert entry.withdrawn_at is not None and [e for e in db.session.scalars(disclosure.listed_violations())] == []
    with pytest.raises(ValidationFailed):
        publication.propose(inspector, violation, None)
