"""Naming a business in public: proposal, eligibility, a leader's approval (never the
proposer's), corrections, withdrawal, the business's reply and the end of publication.

Only what a leader approves reaches the public site, as a PublicEntry holding the public fields
alone; services.disclosure reads nothing else.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from portal.db import utcnow
from portal.extensions import db
from portal.models import (
    Business,
    BusinessReply,
    Publication,
    PublicationState,
    PublicCorrection,
    PublicEntry,
    ReplyState,
    Role,
    User,
    Violation,
    ViolationState,
)
from portal.services import audit, enforcement, registry, scope
from portal.services.deadlines import local_day
from portal.services.errors import AccessDenied, ConflictingEdit, ValidationFailed
from portal.text import fold

APPROVERS = (Role.LEADER,)  # leaders approve; administrators manage accounts, not cases
#: The only fields copied to the public site (plan 125/KH-UBND section III.3.1).
PUBLIC_FIELDS = ("business_name", "address", "ward_code", "province_code", "violation_type", "goods_category_id",
                 "brand", "found_on", "decision_number", "decision_on", "decision_authority", "fine",
                 "after_commitment", "after_outreach")


@dataclass
class Eligibility:
    reasons: list  # why it cannot be published; empty when it can
    facts: enforcement.Facts

    @property
    def ok(self) -> bool:
        return not self.reasons


def eligibility(violation: Violation) -> Eligibility:
    """A violation may be named in public when its sanction decision stands and the business
    had been given outreach or had signed its commitment before it."""
    reasons = []
    if not violation.decision_number:
        reasons.append(_l("There is no sanction decision yet."))
    elif violation.state == ViolationState.OVERTURNED:
        reasons.append(_l("The sanction decision was overturned."))
    facts = enforcement.facts([violation])[violation.id]
    if not facts.after_outreach_or_commitment:
        reasons.append(_l("The business had neither been given outreach nor signed a commitment before the "
                          "violation."))
    return Eligibility(reasons, facts)


# --- reading -------------------------------------------------------------------------------

def in_scope(user: User) -> Select:
    return (select(Publication).join(Publication.violation)
            .where(Violation.unit_id.in_(scope.unit_ids(user)))
            .options(joinedload(Publication.violation).joinedload(Violation.business).joinedload(Business.ward),
                     joinedload(Publication.proposed_by), joinedload(Publication.entry))
            .order_by(Publication.updated_at.desc(), Publication.id.desc()))


def get(user: User, publication_id: int) -> Publication | None:
    publication = db.session.get(Publication, publication_id)
    if publication is not None and not scope.covers(user, publication.violation.unit):
        raise AccessDenied()
    return publication


def of_violation(violation: Violation) -> Publication | None:
    return db.session.scalar(select(Publication).where(Publication.violation_id == violation.id))


def can_decide(user: User, publication: Publication) -> bool:
    """A leader of the deciding unit (or above it) who did not propose it."""
    return (user.has_role(*APPROVERS) and not user.read_only and scope.covers(user, publication.violation.unit)
            and user.id != publication.proposed_by_id)


def _ensure_leader(user: User, publication: Publication) -> None:
    if not (user.has_role(*APPROVERS) and scope.covers(user, publication.violation.unit)):
        raise AccessDenied()


def ensure_can_act(user: User, publication: Publication, step: str) -> None:
    """Who may take a step, checked before its form is read: a leader of the deciding unit (or
    above it) approves, rejects, corrects and withdraws; those who record the unit's cases record
    the business's reply."""
    if step == "reply":
        if not enforcement.can_record(user, publication.violation.inspection):
            raise AccessDenied()
    else:
        _ensure_leader(user, publication)


# --- the workflow --------------------------------------------------------------------------

def propose(actor: User, violation: Violation, note: str | None) -> Publication:
    if not enforcement.can_record(actor, violation.inspection):
        raise AccessDenied()
    publication = of_violation(violation)
    if publication is not None and publication.state != PublicationState.REJECTED:
        raise ValidationFailed({"": [_l("This violation is already proposed, published or withdrawn.")]})
    check = eligibility(violation)
    if not check.ok:
        raise ValidationFailed({"": check.reasons})
    if publication is None:
        publication = Publication(violation=violation, proposed_by_id=actor.id)
        db.session.add(publication)
    publication.state, publication.proposed_by_id, publication.proposal_note = (
        PublicationState.PROPOSED, actor.id, note)
    publication.decided_by_id = publication.decided_at = publication.reason = None
    db.session.flush()
    audit.record("publication.proposed", actor=actor, obj=publication, unit_id=violation.unit_id,
                 after={"violation": violation.id, "note": note})
    return publication


def _decide(actor: User, publication: Publication, version: int) -> None:
    _ensure_leader(actor, publication)
    if actor.id == publication.proposed_by_id:
        raise ValidationFailed({"": [_l("You proposed it: another leader must decide.")]})
    if version != publication.version or publication.state != PublicationState.PROPOSED:
        raise ConflictingEdit()


def approve(actor: User, publication: Publication, *, version: int, ends_on: date | None = None,
            seen: int | None = None) -> PublicEntry:
    """Publish the entry the leader has seen: ``seen`` is the violation's version shown on the
    page; a violation changed since then is refused, so nothing unseen is published."""
    _decide(actor, publication, version)
    if seen is not None and seen != publication.violation.version:
        raise ConflictingEdit()
    if ends_on is not None and ends_on <= registry.today():
        raise ValidationFailed({"ends_on": [_l("The end of publication must be after today.")]})
    check = eligibility(publication.violation)
    if not check.ok:
        raise ValidationFailed({"": check.reasons})
    now = utcnow()
    entry = PublicEntry(publication=publication, published_at=now, ends_on=ends_on,
                        **public_fields(publication.violation, check.facts))
    publication.state, publication.decided_by_id, publication.decided_at = PublicationState.PUBLISHED, actor.id, now
    db.session.add(entry)
    db.session.flush()  # a second leader approving at the same time fails here on the version
    audit.record("publication.approved", actor=actor, obj=publication, unit_id=publication.violation.unit_id,
                 after={"entry": entry.id, **audit.snapshot(entry, PUBLIC_FIELDS)})
    return entry


def reject(actor: User, publication: Publication, reason: str, *, version: int) -> Publication:
    _decide(actor, publication, version)
    if not (reason or "").strip():
        raise ValidationFailed({"reason": [_l("Give the reason.")]})
    publication.state, publication.reason = PublicationState.REJECTED, reason.strip()
    publication.decided_by_id, publication.decided_at = actor.id, utcnow()
    db.session.flush()
    audit.record("publication.rejected", actor=actor, obj=publication, unit_id=publication.violation.unit_id,
                 after={"reason": publication.reason})
    return publication


def public_fields(violation: Violation, facts: enforcement.Facts) -> dict:
    """The public fields of a violation as the records stand now; nothing else is copied."""
    business = violation.business
    return {
        "business_name": business.name, "address": business.address, "ward_code": business.ward_code,
        "province_code": business.province_code, "violation_type": violation.type,
        "goods_category_id": violation.goods_category_id, "brand": violation.brand, "found_on": violation.found_on,
        "decision_number": violation.decision_number, "decision_on": violation.decision_on,
        "decision_authority": violation.decision_authority, "fine": violation.fine,
        "after_commitment": facts.commitment is not None, "after_outreach": facts.outreach is not None,
        "search_folded": search_text(violation),
    }


def search_text(violation: Violation) -> str:
    """The folded text the public search looks in: the business's name, the brand, the goods
    category (in both languages), the ward and province, then the address (cut last when the
    whole is longer than the column)."""
    business, goods = violation.business, violation.goods_category
    parts = (business.name, violation.brand, goods.name_vi if goods else None, goods.name_en if goods else None,
             business.ward.name if business.ward else None, business.province.name if business.province else None,
             business.address)
    return fold(" ".join(p for p in parts if p))[:PublicEntry.search_folded.type.length]


def correct(actor: User, entry: PublicEntry, note: str) -> PublicEntry:
    """Copy the corrected records to the public entry again; the public page says what was
    corrected and when."""
    _ensure_leader(actor, entry.publication)
    if actor.id == entry.publication.proposed_by_id:
        raise ValidationFailed({"": [_l("You proposed it: another leader must correct it.")]})
    if entry.withdrawn_at is not None:
        raise ValidationFailed({"": [_l("A withdrawn entry cannot be corrected.")]})
    if not (note or "").strip():
        raise ValidationFailed({"note": [_l("Say what was corrected, in words the public will read.")]})
    check = eligibility(entry.publication.violation)
    if not check.ok:
        raise ValidationFailed({"": [*check.reasons, _l("Withdraw the entry instead.")]})
    before = audit.snapshot(entry, PUBLIC_FIELDS)
    for name, value in public_fields(entry.publication.violation, check.facts).items():
        setattr(entry, name, value)
    now = utcnow()
    entry.corrected_at = now
    entry.corrections.append(PublicCorrection(corrected_at=now, note=note.strip(), corrected_by_id=actor.id))
    db.session.flush()
    old, new = audit.changes(before, audit.snapshot(entry, PUBLIC_FIELDS))
    audit.record("publication.corrected", actor=actor, obj=entry.publication,
                 unit_id=entry.publication.violation.unit_id, before=old, after={**new, "note": note.strip()})
    return entry


def withdraw(actor: User, entry: PublicEntry, reason: str) -> PublicEntry:
    _ensure_leader(actor, entry.publication)
    if entry.withdrawn_at is not None:
        raise ValidationFailed({"": [_l("This entry is already withdrawn.")]})
    if not (reason or "").strip():
        raise ValidationFailed({"reason": [_l("Give the reason.")]})
    enforcement.withdraw_entry(actor, entry, reason.strip())
    return entry


def record_reply(actor: User, entry: PublicEntry, text: str, received_on: date) -> BusinessReply:
    """The business's reply, as received (by letter or email); shown once a leader vets it."""
    if not enforcement.can_record(actor, entry.publication.violation.inspection):
        raise AccessDenied()
    if entry.withdrawn_at is not None:
        raise ValidationFailed({"": [_l("This entry is already withdrawn.")]})
    errors = {}
    if not (text or "").strip():
        errors["text"] = [_l("This field is required.")]
    if received_on is None or received_on > registry.today() or received_on < local_day(entry.published_at):
        errors["received_on"] = [_l("Give the day the reply was received, after the publication.")]
    if errors:
        raise ValidationFailed(errors)
    reply = BusinessReply(entry=entry, text=text.strip(), received_on=received_on, recorded_by_id=actor.id)
    db.session.add(reply)
    db.session.flush()
    audit.record("reply.recorded", actor=actor, obj=reply, unit_id=entry.publication.violation.unit_id,
                 after={"entry": entry.id})
    return reply


def vet_reply(actor: User, reply: BusinessReply, approved: bool) -> BusinessReply:
    _ensure_leader(actor, reply.entry.publication)
    if reply.state != ReplyState.PENDING:
        raise ValidationFailed({"": [_l("This reply has already been vetted.")]})
    reply.state = ReplyState.APPROVED if approved else ReplyState.REJECTED
    reply.vetted_by_id, reply.vetted_at = actor.id, utcnow()
    db.session.flush()
    audit.record("reply.vetted", actor=actor, obj=reply, unit_id=reply.entry.publication.violation.unit_id,
                 after={"state": reply.state.value})
    return reply
