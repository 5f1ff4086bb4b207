"""Inspections, violations and sanctions, and the facts the portal works out from them: whether
a business offended after outreach or after signing its commitment, and whether it offended
again after a sanction. Those facts are never typed in.

An inspection or violation is seen by the inspecting unit and the units above it, and by the
units whose area holds the business (a ward follows up on its own businesses).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from portal.db import utcnow
from portal.extensions import db
from portal.labels import VIOLATION_TYPE_LABELS
from portal.models import (
    Business,
    Commitment,
    GoodsCategory,
    Inspection,
    InspectionKind,
    InspectionResult,
    OutreachSession,
    Publication,
    PublicationState,
    PublicEntry,
    Role,
    RuleKind,
    Unit,
    User,
    Violation,
    ViolationState,
    ViolationType,
    outreach_businesses,
)
from portal.services import audit, plans, registry, scope
from portal.services.errors import AccessDenied, ConflictingEdit, ValidationFailed

#: Inspectors record; leaders and administrators may too.
RECORDERS = (Role.LEADER, Role.OFFICER)  # administrators manage accounts, not cases
#: The most a fine or a seized value can plausibly be, in VND; more is a typing slip.
MAX_FINE = 2_000_000_000
MAX_VALUE = 1_000_000_000_000
NEEDS_DECISION = {ViolationState.DECIDED, ViolationState.COMPLIED, ViolationState.APPEALED,
                  ViolationState.OVERTURNED}


@dataclass
class InspectionData:
    inspected_on: date
    kind: InspectionKind
    business_id: int
    result: InspectionResult
    plan_id: int | None = None
    member_ids: list[int] = field(default_factory=list)  # other units of an interagency team
    goods: list[str] = field(default_factory=list)
    note: str | None = None


@dataclass
class Decision:
    number: str | None = None
    decided_on: date | None = None
    authority: str | None = None
    fine: int | None = None
    remedies: str | None = None
    state: ViolationState = ViolationState.FOUND


@dataclass
class ViolationData:
    type: ViolationType
    goods: str | None = None  # a goods category code
    brand: str | None = None
    openly_displayed: bool = False
    quantity: str | None = None
    seized_value: int | None = None
    seized_at: datetime | None = None
    decision: Decision = field(default_factory=Decision)


@dataclass
class Facts:
    """What the portal works out for one violation."""

    outreach: OutreachSession | None = None  # the last session that reached the business before it
    commitment: Commitment | None = None  # the last commitment it signed before it
    repeat_of: Violation | None = None  # the last earlier violation with a standing sanction

    @property
    def after_outreach_or_commitment(self) -> bool:
        return self.outreach is not None or self.commitment is not None


# --- reading -----------------------------------------------------------------------------

def _visible_clause(user: User, model):
    """The records of the user's units and those of the businesses of the user's area (by the
    area copied onto each record: services/kept.py)."""
    return or_(scope.among_units(user, model.unit_id), scope.area_clause(user, model.ward_code, model.province_code))


def inspections(user: User) -> Select:
    return (select(Inspection).where(_visible_clause(user, Inspection))
            .options(joinedload(Inspection.business).joinedload(Business.ward), joinedload(Inspection.unit))
            .order_by(Inspection.inspected_on.desc(), Inspection.id.desc()))


def violations(user: User) -> Select:
    return (select(Violation).where(_visible_clause(user, Violation))
            .options(joinedload(Violation.business).joinedload(Business.ward), joinedload(Violation.goods_category))
            .order_by(Violation.found_on.desc(), Violation.id.desc()))


def _can_see(user: User, unit: Unit, business: Business) -> bool:
    return scope.covers(user, unit) or scope.covers_area(user, business.ward_code, business.province_code)


def get_inspection(user: User, inspection_id: int) -> Inspection | None:
    inspection = db.session.get(Inspection, inspection_id)
    if inspection is not None and not _can_see(user, inspection.unit, inspection.business):
        raise AccessDenied()
    return inspection


def get_violation(user: User, violation_id: int) -> Violation | None:
    violation = db.session.get(Violation, violation_id)
    if violation is not None and not _can_see(user, violation.unit, violation.business):
        raise AccessDenied()
    return violation


def can_record(user: User, inspection: Inspection | None = None) -> bool:
    """Inspectors of the inspecting unit (or above it) record; the business's ward only reads."""
    if not user.has_role(*RECORDERS) or user.read_only:
        return False
    return inspection is None or scope.covers(user, inspection.unit)


# --- the facts worked out ------------------------------------------------------------------

def facts(items: list[Violation]) -> dict[int, Facts]:
    """The facts of each violation, in three queries whatever their number."""
    business_ids = list({v.business_id for v in items})
    if not business_ids:
        return {}
    sessions = defaultdict(list)
    for business_id, session in db.session.execute(
            select(outreach_businesses.c.business_id, OutreachSession)
            .join(OutreachSession, OutreachSession.id == outreach_businesses.c.session_id)
            .where(outreach_businesses.c.business_id.in_(business_ids))
            .order_by(OutreachSession.held_on, OutreachSession.id)):
        sessions[business_id].append(session)
    signed = defaultdict(list)
    for commitment in db.session.scalars(select(Commitment).where(Commitment.business_id.in_(business_ids))
                                         .order_by(Commitment.signed_on, Commitment.id)):
        signed[commitment.business_id].append(commitment)
    sanctioned = defaultdict(list)
    for earlier in db.session.scalars(
            select(Violation).where(Violation.business_id.in_(business_ids), Violation.decision_number.is_not(None),
                                    Violation.state != ViolationState.OVERTURNED)
            .order_by(Violation.found_on, Violation.id)):
        sanctioned[earlier.business_id].append(earlier)
    result = {}
    for violation in items:
        before = violation.found_on
        result[violation.id] = Facts(
            outreach=_last(s for s in sessions[violation.business_id] if s.held_on < before),
            commitment=_last(c for c in signed[violation.business_id] if c.signed_on < before),
            repeat_of=_last(v for v in sanctioned[violation.business_id]
                            if v.inspection_id != violation.inspection_id  # one inspection is one offence
                            and (v.found_on, v.id) < (before, violation.id) and v.decision_on
                            and v.decision_on <= before))
    return result


def _last(items):
    items = list(items)
    return items[-1] if items else None


@dataclass
class FollowUp:
    business: Business
    violation: Violation  # the latest sanctioned one
    last_outreach: date | None
    last_signed: date | None

    @property
    def needs_outreach(self) -> bool:
        return self.last_outreach is None or self.last_outreach < self.violation.decision_on

    @property
    def needs_signing(self) -> bool:
        return self.last_signed is None or self.last_signed < self.violation.decision_on


def follow_up(user: User) -> list[FollowUp]:
    """Sanctioned businesses of the user's area to give outreach again and have re-sign
    (plan 125/KH-UBND): those whose latest sanction came after their latest outreach or
    commitment. A fixed number of queries."""
    latest: dict[int, Violation] = {}
    for violation in db.session.scalars(
            select(Violation).join(Violation.business)
            .where(scope.area_clause(user, Business.ward_code, Business.province_code),
                   Business.merged_into_id.is_(None), Business.ceased_on.is_(None),
                   Violation.decision_number.is_not(None),
                   Violation.state != ViolationState.OVERTURNED)
            .options(joinedload(Violation.business).joinedload(Business.ward))
            .order_by(Violation.decision_on, Violation.id)):
        latest[violation.business_id] = violation
    if not latest:
        return []
    ids = list(latest)
    reached = dict(db.session.execute(
        select(outreach_businesses.c.business_id, func.max(OutreachSession.held_on))
        .join(OutreachSession, OutreachSession.id == outreach_businesses.c.session_id)
        .where(outreach_businesses.c.business_id.in_(ids)).group_by(outreach_businesses.c.business_id)).all())
    signed = dict(db.session.execute(
        select(Commitment.business_id, func.max(Commitment.signed_on))
        .where(Commitment.business_id.in_(ids)).group_by(Commitment.business_id)).all())
    rows = [FollowUp(v.business, v, reached.get(b), signed.get(b)) for b, v in latest.items()]
    return sorted((r for r in rows if r.needs_outreach or r.needs_signing),
                  key=lambda r: (r.violation.decision_on, r.business.name_folded), reverse=True)


# --- checks --------------------------------------------------------------------------------

def _check_inspection(actor: User, data: InspectionData) -> tuple[Business | None, dict]:
    errors: dict[str, list] = {}
    if data.inspected_on is None:
        errors["inspected_on"] = [_l("This field is required.")]
    elif data.inspected_on > registry.today():
        errors["inspected_on"] = [_l("This date is in the future.")]
    business = db.session.get(Business, data.business_id) if data.business_id else None
    if business is None or business.merged_into_id:
        errors["business_id"] = [_l("Choose a business from the registry.")]
        business = None
    elif not scope.covers_area(actor, business.ward_code, business.province_code):
        errors["business_id"] = [_l("This business is outside your area.")]
    elif data.inspected_on and data.inspected_on < business.recorded_on:
        errors["inspected_on"] = [_l("This date is before the business was first recorded (%(date)s).",
                                     date=business.recorded_on.strftime("%d/%m/%Y"))]
    if not plans.usable_plan(actor, data.plan_id):
        errors["plan_id"] = [_l("Choose a plan from the list.")]
    for unit_id in data.member_ids:
        if db.session.get(Unit, unit_id) is None:
            errors["member_ids"] = [_l("Choose units from the list.")]
    return business, errors


def _check_violation(inspection: Inspection, data: ViolationData) -> dict:
    errors: dict[str, list] = {}
    if data.seized_value is not None and not 0 <= data.seized_value <= MAX_VALUE:
        errors["seized_value"] = [_l("Give a value between 0 and %(max)s ₫.", max=f"{MAX_VALUE:,}".replace(",", "."))]
    if data.seized_at is not None:
        if data.seized_at.date() < inspection.inspected_on:
            errors["seized_at"] = [_l("The seizure cannot come before the inspection.")]
        elif data.seized_at > datetime.now(data.seized_at.tzinfo):
            errors["seized_at"] = [_l("This date is in the future.")]
    elif data.seized_value or data.quantity:
        errors["seized_at"] = [_l("Give when the goods were seized.")]
    errors.update(_check_decision(inspection, data.decision))
    return errors


def _check_decision(inspection: Inspection, decision: Decision) -> dict:
    errors: dict[str, list] = {}
    given = [decision.number, decision.decided_on, decision.authority]
    if any(given) and not all(given):
        for key, value in (("decision_number", decision.number), ("decision_on", decision.decided_on),
                           ("decision_authority", decision.authority)):
            if not value:
                errors[key] = [_l("A sanction decision needs its number, date and issuing authority.")]
    if decision.state in NEEDS_DECISION and not decision.number:
        errors["state"] = [_l("This state needs the sanction decision.")]
    if decision.decided_on:
        if decision.decided_on < inspection.inspected_on:
            errors["decision_on"] = [_l("The decision cannot come before the inspection (%(date)s).",
                                        date=inspection.inspected_on.strftime("%d/%m/%Y"))]
        elif decision.decided_on > registry.today():
            errors["decision_on"] = [_l("This date is in the future.")]
    if decision.fine is not None and not 0 <= decision.fine <= MAX_FINE:
        errors["fine"] = [_l("A fine is between 0 and %(max)s ₫.", max=f"{MAX_FINE:,}".replace(",", "."))]
    if decision.fine and not decision.number:
        errors["fine"] = [_l("A fine needs the sanction decision that imposes it.")]
    return errors


# --- changes -------------------------------------------------------------------------------

def record_inspection(actor: User, data: InspectionData) -> Inspection:
    if not can_record(actor):
        raise AccessDenied()
    business, errors = _check_inspection(actor, data)
    if errors:
        raise ValidationFailed(errors)
    inspection = Inspection(inspected_on=data.inspected_on, unit_id=actor.unit_id, plan_id=data.plan_id,
                            kind=data.kind, business=business, result=data.result, note=data.note,
                            created_by_id=actor.id)
    inspection.members = [db.session.get(Unit, i) for i in dict.fromkeys(data.member_ids) if i != actor.unit_id]
    inspection.goods = list(db.session.scalars(select(GoodsCategory).where(GoodsCategory.code.in_(data.goods))))
    db.session.add(inspection)
    db.session.flush()
    audit.record("inspection.recorded", actor=actor, obj=inspection, unit_id=actor.unit_id,
                 after={"business": business.id, "on": data.inspected_on.isoformat(), "result": data.result.value})
    return inspection


def _apply_decision(violation: Violation, decision: Decision) -> None:
    violation.decision_number, violation.decision_on = decision.number, decision.decided_on
    violation.decision_authority, violation.fine = decision.authority, decision.fine
    violation.remedies = decision.remedies
    violation.state = ViolationState.DECIDED if decision.number and decision.state == ViolationState.FOUND \
        else decision.state


DECISION_FIELDS = ("decision_number", "decision_on", "decision_authority", "fine", "remedies", "state")


def record_violation(actor: User, inspection: Inspection, data: ViolationData) -> Violation:
    """A violation found at an inspection; a seizure starts the plan's quick-report deadline."""
    if not can_record(actor, inspection):
        raise AccessDenied()
    errors = _check_violation(inspection, data)
    goods = None
    if data.goods:
        goods = db.session.scalar(select(GoodsCategory).where(GoodsCategory.code == data.goods))
        if goods is None:
            errors["goods"] = [_l("Choose goods from the list.")]
    if errors:
        raise ValidationFailed(errors)
    violation = Violation(
        inspection=inspection, business_id=inspection.business_id, found_on=inspection.inspected_on,
        unit_id=inspection.unit_id, type=data.type, goods_category=goods, brand=data.brand,
        openly_displayed=data.openly_displayed, quantity=data.quantity, seized_value=data.seized_value,
        seized_at=data.seized_at, created_by_id=actor.id)
    _apply_decision(violation, data.decision)
    if inspection.result == InspectionResult.NO_VIOLATION:
        inspection.result = InspectionResult.VIOLATION
    db.session.add(violation)
    db.session.flush()
    if data.seized_at is not None:
        violation.incident_id = _start_quick_report(actor, inspection, violation)
    audit.record("violation.recorded", actor=actor, obj=violation, unit_id=inspection.unit_id,
                 after={"business": inspection.business_id, **audit.snapshot(violation, ("type", *DECISION_FIELDS))})
    return violation


def _start_quick_report(actor: User, inspection: Inspection, violation: Violation) -> int | None:
    """The plan's rule for a report within hours of a seizure, if it has one that the actor's
    unit reports under."""
    if inspection.plan is None:
        return None
    rules = [r for r in inspection.plan.rules
             if r.kind == RuleKind.AFTER_INCIDENT and plans.can_start_incident(actor, r)]
    if not rules:
        return None
    with force_locale("vi"):  # stored: in the language of the records
        description = str(_l("Seizure at %(business)s: %(type)s", business=inspection.business.name,
                             type=VIOLATION_TYPE_LABELS[violation.type.value]))
    obligation = plans.start_incident(actor, rules[0], violation.seized_at, description)
    return obligation.incident_id


def update_decision(actor: User, violation: Violation, decision: Decision, *, version: int) -> Violation:
    """The sanction decision and the case's state as it moves on (decided, complied, appealed,
    overturned)."""
    if not can_record(actor, violation.inspection):
        raise AccessDenied()
    if version != violation.version:
        raise ConflictingEdit()
    errors = _check_decision(violation.inspection, decision)
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(violation, DECISION_FIELDS)
    _apply_decision(violation, decision)
    violation.updated_at = utcnow()
    db.session.flush()
    old, new = audit.changes(before, audit.snapshot(violation, DECISION_FIELDS))
    audit.record("violation.decision", actor=actor, obj=violation, unit_id=violation.unit_id, before=old, after=new)
    if not violation.sanctioned:
        _take_down(actor, violation)
    return violation


def _take_down(actor: User, violation: Violation) -> None:
    """A business is never named in public on a sanction that no longer stands: its entry is
    withdrawn as soon as the decision is overturned or removed."""
    entry = db.session.scalar(select(PublicEntry).join(PublicEntry.publication).where(
        Publication.violation_id == violation.id, PublicEntry.withdrawn_at.is_(None)))
    if entry is None:
        return
    with force_locale("vi"):  # stored, and shown at the entry's permanent link
        reason = str(_l("The sanction decision was overturned or removed."))
    withdraw_entry(actor, entry, reason)


def withdraw_entry(actor: User, entry: PublicEntry, reason: str) -> None:
    """Take a public entry off the public site, saying why at its permanent link (the one
    place that does it: a leader's withdrawal and an overturned decision both come here)."""
    entry.withdrawn_at, entry.withdrawal_reason = utcnow(), reason
    entry.publication.state, entry.publication.reason = PublicationState.WITHDRAWN, reason
    db.session.flush()
    audit.record("publication.withdrawn", actor=actor, obj=entry.publication,
                 unit_id=entry.publication.violation.unit_id, after={"entry": entry.id, "reason": reason})
