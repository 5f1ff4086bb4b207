"""Outreach sessions, signed commitments and coordination agreements.

Outreach sessions belong to the unit that held them (seen by that unit and the units above
it); commitments follow their business's area; agreements follow their ward.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.models import (
    Agreement,
    Business,
    Commitment,
    Counterpart,
    OutreachMethod,
    OutreachSession,
    Plan,
    User,
    Ward,
    outreach_businesses,
)
from portal.services import audit, files, registry, scope
from portal.services.errors import AccessDenied, ValidationFailed
from portal.services.plans import usable_plan, visible_plans
from portal.text import fold

KEEPERS = registry.KEEPERS
SCAN_KINDS = {"pdf", "jpg", "jpeg", "png"}
MAX_SCAN_BYTES = 10 * 1024 * 1024
#: One market meeting; more rows than this are split over several saves.
MAX_BATCH_ROWS = 200


def scan_folder() -> Path:
    return Path(current_app.instance_path) / "scans"


@dataclass
class SessionData:
    held_on: date
    method: OutreachMethod
    people_reached: int = 0
    plan_id: int | None = None
    place: str | None = None
    ward_code: int | None = None
    note: str | None = None
    officer_ids: list[int] = field(default_factory=list)
    business_ids: list[int] = field(default_factory=list)
    received_by_id: int | None = None  # who received the commitments signed there


@dataclass
class CommitmentData:
    business_id: int
    signed_on: date
    signatory: str
    received_by_id: int
    plan_id: int | None = None


@dataclass
class AgreementData:
    counterpart: Counterpart
    counterpart_name: str
    ward_code: int
    signed_on: date
    signatory: str
    received_by_id: int
    plan_id: int | None = None
    note: str | None = None


@dataclass
class BatchRow:
    """One stall of a market meeting: an existing business, or a new one to record; and
    whether it signed its commitment there."""

    business_id: int | None = None
    new_business: registry.BusinessData | None = None
    not_a_duplicate: bool = False
    signed: bool = False
    signatory: str | None = None
    query: str | None = None  # typed but not picked: refused, never silently dropped
    new_details: bool = False  # an address, stall or tax code of a new business without its name


# --- reading -----------------------------------------------------------------------------

def sessions(user: User) -> Select:
    return (scope.visible(select(OutreachSession), user, OutreachSession.unit_id)
            .options(joinedload(OutreachSession.unit), joinedload(OutreachSession.plan),
                     joinedload(OutreachSession.ward))
            .order_by(OutreachSession.held_on.desc(), OutreachSession.id.desc()))


def get_session(user: User, session_id: int) -> OutreachSession | None:
    session = db.session.get(OutreachSession, session_id)
    if session is not None and not scope.covers(user, session.unit):
        raise AccessDenied()
    return session


def commitments(user: User, *, business_id: int | None = None) -> Select:
    stmt = (select(Commitment)  # by the area copied from the business (services/kept.py)
            .where(scope.area_clause(user, Commitment.ward_code, Commitment.province_code))
            .options(joinedload(Commitment.business).joinedload(Business.ward), joinedload(Commitment.received_by),
                     joinedload(Commitment.plan))
            .order_by(Commitment.signed_on.desc(), Commitment.id.desc()))
    if business_id is not None:
        stmt = stmt.where(Commitment.business_id == business_id)
    return stmt


def get_commitment(user: User, commitment_id: int) -> Commitment | None:
    commitment = db.session.get(Commitment, commitment_id)
    if commitment is not None:
        registry.get(user, commitment.business_id)  # the business's area decides
    return commitment


def agreements(user: User) -> Select:
    return (select(Agreement).where(scope.area_clause(user, Agreement.ward_code, Agreement.province_code))
            .options(joinedload(Agreement.ward), joinedload(Agreement.received_by), joinedload(Agreement.plan))
            .order_by(Agreement.signed_on.desc(), Agreement.id.desc()))


def get_agreement(user: User, agreement_id: int) -> Agreement | None:
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is not None and not scope.covers_area(user, agreement.ward_code, agreement.province_code):
        raise AccessDenied()
    return agreement


def sessions_of(business: Business) -> list[OutreachSession]:
    return list(db.session.scalars(
        select(OutreachSession).where(OutreachSession.businesses.any(Business.id == business.id))
        .options(joinedload(OutreachSession.unit)).order_by(OutreachSession.held_on.desc())))


def officers(user: User) -> list[User]:
    """Who may be named as having held a session or received a paper: active staff of the
    user's unit and the units below it."""
    return list(db.session.scalars(
        scope.visible(select(User), user, User.unit_id).where(User.active).order_by(User.full_name)))


def plans(user: User) -> list[Plan]:
    """Plans a session or paper may serve: the plans the user can see."""
    return list(db.session.scalars(visible_plans(user).order_by(None).order_by(Plan.issued_on.desc(), Plan.id.desc())))


# --- checks --------------------------------------------------------------------------------

def _check_date(errors: dict, key: str, on: date | None, *, not_before: date | None = None) -> None:
    if on is None:
        errors[key] = [_l("This field is required.")]
    elif on > registry.today():
        errors[key] = [_l("This date is in the future.")]
    elif not_before is not None and on < not_before:
        errors[key] = [_l("This date is before the business was first recorded (%(date)s).",
                          date=not_before.strftime("%d/%m/%Y"))]


def _check_officer(actor: User, errors: dict, key: str, user_id: int | None) -> User | None:
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not scope.covers(actor, user.unit):
        errors[key] = [_l("Choose an officer of your unit.")]
        return None
    return user


def _check_plan(actor: User, errors: dict, key: str, plan_id: int | None) -> None:
    if not usable_plan(actor, plan_id):
        errors[key] = [_l("Choose a plan from the list.")]


def _check_ward(actor: User, errors: dict, key: str, ward_code: int | None, *, required: bool) -> Ward | None:
    ward = db.session.get(Ward, ward_code) if ward_code else None
    if ward is None:
        if required or ward_code:
            errors[key] = [_l("Choose a ward or commune from the official list.")]
        return None
    if not scope.covers_area(actor, ward.code, ward.province_code):
        errors[key] = [_l("Choose a ward or commune in your area.")]
    return ward


def _check_session(actor: User, data: SessionData) -> dict:
    errors: dict[str, list] = {}
    _check_date(errors, "held_on", data.held_on)
    if data.people_reached is None or data.people_reached < 0:
        errors["people_reached"] = [_l("Give a number of people, 0 or more.")]
    _check_plan(actor, errors, "plan_id", data.plan_id)
    _check_ward(actor, errors, "ward_code", data.ward_code, required=False)
    for user_id in data.officer_ids:
        _check_officer(actor, errors, "officer_ids", user_id)
    return errors


def visible_businesses(actor: User, ids: list[int]) -> dict[int, Business]:
    """The businesses of these ids that the actor may use (in the actor's area, not merged
    away), with their wards, in one query."""
    ids = [i for i in ids if i]
    if not ids:
        return {}
    stmt = registry.visible(actor).where(Business.id.in_(ids)).options(selectinload(Business.ward))
    return {b.id: b for b in db.session.scalars(stmt)}


# --- changes -------------------------------------------------------------------------------

def _new_session(actor: User, data: SessionData, businesses: list[Business]) -> OutreachSession:
    session = OutreachSession(
        held_on=data.held_on, unit_id=actor.unit_id, method=data.method, plan_id=data.plan_id, place=data.place,
        ward_code=data.ward_code or actor.unit.ward_code, people_reached=data.people_reached or 0, note=data.note,
        created_by_id=actor.id)
    session.officers = [db.session.get(User, i) for i in dict.fromkeys(data.officer_ids or [actor.id])]
    session.businesses = list({b.id: b for b in businesses}.values())
    db.session.add(session)
    return session


def _audit_session(actor: User, session: OutreachSession, action: str = "outreach.recorded") -> None:
    audit.record(action, actor=actor, obj=session, unit_id=session.unit_id,
                 after={"held_on": session.held_on.isoformat(), "method": session.method.value,
                        "people": session.people_reached, "businesses": len(session.businesses),
                        "commitments": len(session.commitments)})


def record_session(actor: User, data: SessionData) -> OutreachSession:
    scope.ensure_role(actor, *KEEPERS)
    errors = _check_session(actor, data)
    known = visible_businesses(actor, data.business_ids)
    businesses = [known[i] for i in data.business_ids if i in known]
    if len(known) < len(set(data.business_ids)):
        errors["business_ids"] = [_l("Choose businesses of your area.")]
    if errors:
        raise ValidationFailed(errors)
    session = _new_session(actor, data, businesses)
    db.session.flush()
    _audit_session(actor, session)
    return session


def _new_commitment(actor: User, business: Business, data: CommitmentData,
                    session: OutreachSession | None = None) -> Commitment:
    commitment = Commitment(business=business, signed_on=data.signed_on, signatory=data.signatory,
                            received_by_id=data.received_by_id, plan_id=data.plan_id, unit_id=actor.unit_id,
                            session=session, created_by_id=actor.id)
    db.session.add(commitment)
    return commitment


def _store_scan(upload, errors: dict, key: str = "scan") -> files.StoredFile | None:
    if upload is None or not getattr(upload, "filename", None):
        return None
    try:
        return files.store(upload, kinds=SCAN_KINDS, max_bytes=MAX_SCAN_BYTES, folder=scan_folder())
    except files.FileRefused as refused:
        errors[key] = [refused.message]
        return None


def _attach(paper: Commitment | Agreement, stored: files.StoredFile) -> None:
    paper.scan_stored_name, paper.scan_original_name = stored.stored_name, stored.original_name
    paper.scan_mime_type, paper.scan_size = stored.mime_type, stored.size


def _discard(stored: files.StoredFile | None) -> None:
    if stored is not None:
        (scan_folder() / stored.stored_name).unlink(missing_ok=True)


def record_commitment(actor: User, data: CommitmentData, scan=None) -> Commitment:
    scope.ensure_role(actor, *KEEPERS)
    errors: dict[str, list] = {}
    business = visible_businesses(actor, [data.business_id]).get(data.business_id)
    if business is None:
        errors["business_id"] = [_l("Choose a business of your area.")]
    _check_date(errors, "signed_on", data.signed_on, not_before=business.recorded_on if business else None)
    if business is not None and data.signed_on and "signed_on" not in errors:
        if business.ceased_on and data.signed_on >= business.ceased_on:
            errors["signed_on"] = [_l("The business ceased trading on %(date)s.",
                                      date=business.ceased_on.strftime("%d/%m/%Y"))]
        elif db.session.scalar(select(Commitment.id).where(Commitment.business_id == business.id,
                                                           Commitment.signed_on == data.signed_on)):
            errors["signed_on"] = [_l("A commitment of this business signed on this day is already recorded.")]
    if not (data.signatory or "").strip():
        errors["signatory"] = [_l("This field is required.")]
    _check_officer(actor, errors, "received_by_id", data.received_by_id)
    _check_plan(actor, errors, "plan_id", data.plan_id)
    stored = None if errors else _store_scan(scan, errors)
    if errors:
        raise ValidationFailed(errors)
    commitment = _new_commitment(actor, business, data)
    if stored:
        _attach(commitment, stored)
    try:
        db.session.flush()
    except Exception:
        _discard(stored)
        raise
    audit.record("commitment.recorded", actor=actor, obj=commitment, unit_id=actor.unit_id,
                 after={"business": business.id, "signed_on": data.signed_on.isoformat(),
                        "scan": bool(stored)})
    return commitment


def record_agreement(actor: User, data: AgreementData, scan=None) -> Agreement:
    scope.ensure_role(actor, *KEEPERS)
    errors: dict[str, list] = {}
    ward = _check_ward(actor, errors, "ward_code", data.ward_code, required=True)
    _check_date(errors, "signed_on", data.signed_on)
    for key in ("counterpart_name", "signatory"):
        if not (getattr(data, key) or "").strip():
            errors[key] = [_l("This field is required.")]
    _check_officer(actor, errors, "received_by_id", data.received_by_id)
    _check_plan(actor, errors, "plan_id", data.plan_id)
    stored = None if errors else _store_scan(scan, errors)
    if errors:
        raise ValidationFailed(errors)
    agreement = Agreement(counterpart=data.counterpart, counterpart_name=data.counterpart_name,
                          ward_code=ward.code, province_code=ward.province_code, signed_on=data.signed_on,
                          signatory=data.signatory, received_by_id=data.received_by_id, plan_id=data.plan_id,
                          note=data.note, unit_id=actor.unit_id, created_by_id=actor.id)
    if stored:
        _attach(agreement, stored)
    db.session.add(agreement)
    db.session.flush()
    audit.record("agreement.recorded", actor=actor, obj=agreement, unit_id=actor.unit_id,
                 after={"counterpart": data.counterpart_name, "signed_on": data.signed_on.isoformat(),
                        "scan": bool(stored)})
    return agreement


def attach_scan(actor: User, paper: Commitment | Agreement, upload) -> None:
    """Add (or replace) the scan of a signed paper; the old file is removed once the new one is saved."""
    scope.ensure_role(actor, *KEEPERS)
    if isinstance(paper, Commitment):
        registry.get(actor, paper.business_id)  # the business's area decides, as in get_commitment
    elif not scope.covers_area(actor, paper.ward_code, paper.province_code):
        raise AccessDenied()
    errors: dict[str, list] = {}
    stored = _store_scan(upload, errors)
    if stored is None and not errors:
        errors["scan"] = [_l("Choose the file of the scan.")]
    if errors:
        raise ValidationFailed(errors)
    old = paper.scan_stored_name
    _attach(paper, stored)
    db.session.flush()
    audit.record("commitment.scan" if isinstance(paper, Commitment) else "agreement.scan", actor=actor, obj=paper,
                 unit_id=actor.unit_id, before={"scan": old}, after={"scan": stored.original_name})
    if old:
        _discard(files.StoredFile(old, "", "", 0))


def record_batch(actor: User, data: SessionData, rows: list[BatchRow]) -> OutreachSession:
    """A market meeting in one save: the session, every business reached (new ones recorded
    on the way) and the commitments signed there. All of it or nothing: a refused row is
    reported under ``rows-<index>-<field>`` and nothing is kept."""
    scope.ensure_role(actor, *KEEPERS)
    errors = _check_session(actor, data)
    receiver = data.received_by_id or actor.id
    _check_officer(actor, errors, "received_by_id", receiver)
    if not any(row.business_id or row.new_business for row in rows) and not data.people_reached:
        errors["rows"] = [_l("Add the businesses reached, or give the number of people reached.")]
    if len(rows) > MAX_BATCH_ROWS:
        errors["rows"] = [_l("Save at most %(n)d rows at a time.", n=MAX_BATCH_ROWS)]
    known = visible_businesses(actor, [row.business_id for row in rows])
    businesses: list[Business] = []
    signed: list[tuple[Business, BatchRow]] = []
    seen: dict[object, int] = {}
    for index, row in enumerate(rows):
        business = _batch_business(actor, data, row, f"rows-{index}-", known, seen, index, errors)
        if business is None:
            continue
        businesses.append(business)
        if row.signed:
            problem = _signing_problem(row, business, data.held_on)
            if problem:
                errors.setdefault(f"rows-{index}-{problem[0]}", []).append(problem[1])
            else:
                signed.append((business, row))
        elif (row.signatory or "").strip():
            errors[f"rows-{index}-signed"] = [_l("Tick it if the business signed, or clear the name of who signed.")]
    if errors:
        raise ValidationFailed(errors)
    session = _new_session(actor, data, businesses)
    for business, row in signed:
        _new_commitment(actor, business, CommitmentData(
            business_id=business.id, signed_on=data.held_on, signatory=row.signatory.strip(),
            received_by_id=receiver, plan_id=data.plan_id), session)
    db.session.flush()
    _audit_session(actor, session, "outreach.batch")
    return session


def _batch_business(actor, data, row, key, known, seen, index, errors) -> Business | None:
    """The business of one row, recorded first if it is new; None (with the reason in
    ``errors``) when the row names none or cannot be used."""
    if row.business_id:
        business = known.get(row.business_id)
        if business is None:
            errors[key + "query"] = [_l("Choose a business of your area.")]
            return None
        same = business.id
    elif row.new_business is not None:
        new = row.new_business
        same = ("new", fold(new.name), fold(new.address), new.ward_code)
        if same in seen:
            errors[key + "new_name"] = [_l("This business is already on row %(row)d.", row=seen[same] + 1)]
            return None
        seen[same] = index
        business = _record_new(actor, data, row, key, errors)
        if business is None:
            return None
        same = business.id
    else:
        if row.query:
            errors[key + "query"] = [_l("Pick the business you typed from the list, or add it as a new one.")]
        elif row.new_details:
            errors[key + "new_name"] = [_l("Give the name of the new business.")]
        elif row.signed or row.signatory:
            errors[key + "query"] = [_l("Choose the business, or add it as a new one.")]
        return None
    if same in seen and seen[same] != index:
        errors[key + "query"] = [_l("This business is already on row %(row)d.", row=seen[same] + 1)]
        return None
    seen[same] = index
    return business


def _record_new(actor, data, row, key, errors) -> Business | None:
    if row.new_business.opened_on is None and data.held_on and data.held_on <= registry.today():
        row.new_business.opened_on = data.held_on  # first recorded at this meeting
    try:
        with db.session.begin_nested():
            return registry.create(actor, row.new_business, not_a_duplicate=row.not_a_duplicate)
    except registry.DuplicateSuspected as suspected:
        names = ", ".join(c.business.name for c in suspected.candidates if c.business) or "—"
        errors[key + "new_name"] = [_l("This may already be in the registry: %(names)s. Pick it above, "
                                       "or tick that it is another business.", names=names)]
    except ValidationFailed as refused:
        for name, messages in refused.errors.items():
            target = "ward_code" if name == "ward_code" else key + NEW_FIELDS.get(name, "new_name")
            errors.setdefault(target, []).extend(messages)
    return None


#: A new business's refusals, moved to the fields of its row.
NEW_FIELDS = {"name": "new_name", "address": "new_address", "tax_code": "new_tax_code"}


def _signing_problem(row: BatchRow, business: Business, held_on: date | None) -> tuple[str, str] | None:
    if not (row.signatory or "").strip():
        return "signatory", _l("Give the name of who signed for the business.")
    if held_on and business.recorded_on and held_on < business.recorded_on:
        return "signed", _l("The meeting is before the business was first recorded (%(date)s).",
                            date=business.recorded_on.strftime("%d/%m/%Y"))
    if held_on and business.ceased_on and held_on >= business.ceased_on:
        return "signed", _l("The business ceased trading on %(date)s.", date=business.ceased_on.strftime("%d/%m/%Y"))
    return None


def counts_of(session_ids: list[int]) -> dict[int, tuple[int, int]]:
    """For each session, the businesses reached and the commitments signed there: two grouped queries."""
    if not session_ids:
        return {}
    reached = dict(db.session.execute(
        select(outreach_businesses.c.session_id, func.count()).where(outreach_businesses.c.session_id.in_(session_ids))
        .group_by(outreach_businesses.c.session_id)).all())
    signed = dict(db.session.execute(
        select(Commitment.session_id, func.count()).where(Commitment.session_id.in_(session_ids))
        .group_by(Commitment.session_id)).all())
    return {i: (reached.get(i, 0), signed.get(i, 0)) for i in session_ids}
