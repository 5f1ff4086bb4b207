"""Citizens' tips (tin báo): receiving them from the public, following them with a receipt code,
and handling them inside (triage, assignment, status, notes, replies).

Keeping the sender safe (Hàm Rồng plan, section III.6; Law on Denunciation art. 9):
- a tip is anonymous unless the sender chooses to be contacted; the contact fields are then kept,
  otherwise emptied whatever was sent;
- the receipt code is shown once and stored only as its SHA-256, so following a tip needs the
  code and comparing it is a lookup of the hash (no timing to learn from);
- the sender's identity and contact are given only to the one staff member handling the tip,
  through ``contact()``, which writes an audit entry every time; nothing else returns them;
- photos are re-encoded on arrival, so no location or camera metadata is ever kept;
- the audit entry for a received tip keeps no client address.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import selectinload

from portal.db import utcnow
from portal.extensions import db
from portal.models import (
    CLOSED_TIP_STATUSES,
    Business,
    GoodsCategory,
    Province,
    Role,
    Tip,
    TipMessage,
    TipNote,
    TipPhoto,
    TipStatus,
    Unit,
    UnitKind,
    User,
    Ward,
)
from portal.services import audit, scope
from portal.services.errors import AccessDenied, ConflictingEdit, ValidationFailed
from portal.services.files import FileRefused, clean_name
from portal.services.images import MAX_BYTES, store_image

#: Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L, U/V pairs).
ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
CODE_LENGTH = 20  # 29**20 ≈ 2**97 possible codes
GROUP = 4
MIN_WHAT, MAX_WHAT = 10, 5000
MAX_PHOTOS = 5
MAX_TEXT = 5000  # a note or a reply
PHOTO_FOLDER = "tip-photos"

PHONE_RE = re.compile(r"^0\d{9,10}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

#: Roles that handle tips; viewers and administrators (as such) only read them.
HANDLERS = (Role.LEADER, Role.OFFICER, Role.WARD_OFFICIAL)

#: Units a tip may be assigned to: those that can verify or act on it (and the unit holding it).
COMPETENT_KINDS = frozenset({
    UnitKind.STEERING_COMMITTEE, UnitKind.MARKET_SURVEILLANCE, UnitKind.MARKET_SURVEILLANCE_TEAM,
    UnitKind.POLICE, UnitKind.CUSTOMS, UnitKind.BORDER_GUARD, UnitKind.TAX, UnitKind.WORKING_GROUP,
    UnitKind.WARD_COMMITTEE, UnitKind.DEPARTMENT,
})

#: How a status reads inside.
STATUS_LABELS = {
    TipStatus.RECEIVED: _l("Received"),
    TipStatus.VERIFYING: _l("Being verified"),
    TipStatus.FORWARDED: _l("Forwarded to the competent unit"),
    TipStatus.RESOLVED: _l("Resolved"),
    TipStatus.UNFOUNDED: _l("Unfounded"),
}

#: How a status reads to the sender.
PUBLIC_STATUS_LABELS = {
    TipStatus.RECEIVED: _l("Received: waiting to be looked at"),
    TipStatus.VERIFYING: _l("Being verified by the authorities"),
    TipStatus.FORWARDED: _l("Forwarded to the competent unit"),
    TipStatus.RESOLVED: _l("Handled: the authorities have acted on it"),
    TipStatus.UNFOUNDED: _l("Closed: the information could not be confirmed"),
}


# --- receipt codes ----------------------------------------------------------------------------

def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str | None) -> str:
    """What a person typed, as the bare code: case, spaces and dashes do not matter."""
    return re.sub(r"[\s\-–—_.]", "", code or "").upper()[:64]


def grouped(code: str) -> str:
    """'K7QF2M9X…' as 'K7QF-2M9X-…', easier to copy down."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode("ascii", "ignore")).hexdigest()


# --- the public side --------------------------------------------------------------------------

@dataclass
class TipData:
    what: str | None = None
    province_code: int | None = None
    ward_code: int | None = None
    place: str | None = None
    goods: str | None = None  # a goods category code
    shop: str | None = None
    business_id: int | None = None
    wants_contact: bool = False
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def normalise_phone(value: str | None) -> str | None:
    value = _clean(value)
    if value is None:
        return None
    value = re.sub(r"[\s.\-()]", "", value)
    if value.startswith("+84"):
        value = "0" + value[3:]
    elif value.startswith("84") and len(value) in (11, 12):
        value = "0" + value[2:]
    return value


def business_for_tip(business_id: int | None) -> Business | None:
    """A business a tip may name: one that exists and has not been merged into another."""
    if not business_id:
        return None
    business = db.session.get(Business, business_id)
    if business is None or business.merged_into_id is not None:
        return None
    return business


def prefill_business(business_id: int | None) -> dict | None:
    """What the tip form may show of a business (from its sticker's QR code): its public name
    and address and where it is. Never its owner, phone or tax code."""
    business = business_for_tip(business_id)
    if business is None:
        return None
    return {"id": business.id, "name": business.name, "address": business.address,
            "ward_code": business.ward_code, "province_code": business.province_code}


def _check(data: TipData) -> tuple[dict, dict]:
    """The cleaned values, and the refusals by field name."""
    errors: dict[str, list] = {}
    values: dict = {}
    what = (data.what or "").strip()
    if not what:
        errors["what"] = [_l("Say what happened.")]
    elif len(what) < MIN_WHAT:
        errors["what"] = [_l("Say a little more: at least %(num)d characters.", num=MIN_WHAT)]
    elif len(what) > MAX_WHAT:
        errors["what"] = [_l("Use at most %(num)d characters.", num=MAX_WHAT)]
    values["what"] = what

    province = db.session.get(Province, data.province_code) if data.province_code else None
    if province is None:
        errors["province_code"] = [_l("Choose the province or city.")]
    values["province_code"] = province.code if province else None
    ward = db.session.get(Ward, data.ward_code) if data.ward_code else None
    if data.ward_code and (ward is None or (province and ward.province_code != province.code)):
        errors["ward_code"] = [_l("Choose a ward or commune of the chosen province, or none.")]
    values["ward_code"] = ward.code if ward else None

    for key, limit in (("place", 300), ("shop", 300)):
        value = _clean(getattr(data, key))
        if value and len(value) > limit:
            errors[key] = [_l("Use at most %(num)d characters.", num=limit)]
        values[key] = value

    goods = None
    if data.goods:
        goods = db.session.scalar(select(GoodsCategory).where(GoodsCategory.code == data.goods,
                                                             GoodsCategory.active))
        if goods is None:
            errors["goods"] = [_l("Choose goods from the list, or none.")]
    values["goods_category_id"] = goods.id if goods else None

    business = None
    if data.business_id:
        business = business_for_tip(data.business_id)
        if business is None:
            errors["shop"] = errors.get("shop", []) + [_l("The business this form was opened for no longer exists; "
                                                          "describe the shop instead.")]
    values["business_id"] = business.id if business else None

    values["anonymous"] = not data.wants_contact
    if data.wants_contact:
        name = _clean(data.contact_name)
        phone = normalise_phone(data.contact_phone)
        email = _clean(data.contact_email)
        if name and len(name) > 120:
            errors["contact_name"] = [_l("Use at most %(num)d characters.", num=120)]
        if phone and not PHONE_RE.match(phone):
            errors["contact_phone"] = [_l("Enter a Vietnamese phone number: 10 or 11 digits starting with 0.")]
        if email and (len(email) > 200 or not EMAIL_RE.match(email)):
            errors["contact_email"] = [_l("Enter an email address such as name@example.com.")]
        if not phone and not email:
            errors["contact_phone"] = errors.get("contact_phone", []) + [
                _l("Give a phone number or an email address so that we can contact you, "
                   "or choose to stay anonymous.")]
        values.update(contact_name=name, contact_phone=phone, contact_email=email)
    else:
        values.update(contact_name=None, contact_phone=None, contact_email=None)
    return values, errors


def photo_folder() -> Path:
    return Path(current_app.instance_path) / PHOTO_FOLDER


def _real_uploads(photos) -> list:
    """The file inputs that carry a file (an empty input still sends an empty part)."""
    return [p for p in photos or [] if p is not None and (p.filename or "").strip()]


def route(province_code: int, ward_code: int | None) -> Unit:
    """The unit whose inbox receives a tip for this area: the ward's People's Committee, else
    the province's steering committee 389, else its market surveillance department, else the
    national committee."""
    candidates = []
    if ward_code:
        candidates.append(select(Unit).where(Unit.kind == UnitKind.WARD_COMMITTEE, Unit.ward_code == ward_code))
    for kind in (UnitKind.STEERING_COMMITTEE, UnitKind.MARKET_SURVEILLANCE):
        candidates.append(select(Unit).where(Unit.kind == kind, Unit.province_code == province_code,
                                             Unit.ward_code.is_(None)))
    candidates.append(select(Unit).where(Unit.parent_id.is_(None)))
    for stmt in candidates:
        unit = db.session.scalars(stmt.where(Unit.path != "").order_by(Unit.id).limit(1)).first()
        if unit is not None:
            return unit
    raise RuntimeError("no unit can receive tips: create the national unit first")


def submit(data: TipData, photos=()) -> tuple[Tip, str]:
    """Receive a tip from the public: (the tip, its receipt code to show the sender once).
    Raises ValidationFailed; then nothing is saved and no photo stays on disk."""
    values, errors = _check(data)
    uploads = _real_uploads(photos)
    stored = []
    folder = photo_folder()
    try:
        if len(uploads) > MAX_PHOTOS:
            errors["photos"] = [_l("Send at most %(num)d photos.", num=MAX_PHOTOS)]
        else:
            photo_errors = []
            for upload in uploads:
                try:
                    stored.append(store_image(upload, folder=folder, max_bytes=MAX_BYTES))
                except FileRefused as refused:
                    name = clean_name(upload.filename) or "?"
                    photo_errors.append(_l("%(name)s: %(reason)s", name=name, reason=refused.message))
            if photo_errors:
                errors["photos"] = photo_errors
        if errors:
            raise ValidationFailed(errors)
        code = new_code()
        tip = Tip(receipt_hash=code_hash(code), status=TipStatus.RECEIVED,
                  unit_id=route(values["province_code"], values["ward_code"]).id, **values)
        tip.photos = [TipPhoto(stored_name=s.stored_name, mime_type=s.mime_type, size=s.size,
                               width=s.width, height=s.height) for s in stored]
        db.session.add(tip)
        db.session.flush()
        entry = audit.record("tip.received", actor=None, actor_name="public", obj=tip, unit_id=tip.unit_id,
                             after={"unit_id": tip.unit_id, "anonymous": tip.anonymous, "photos": len(stored)})
        entry.ip = None  # the sender's address is not kept
        db.session.flush()
    except BaseException:
        for s in stored:
            (folder / s.stored_name).unlink(missing_ok=True)
        raise
    return tip, code


@dataclass
class Reply:
    at: datetime
    text: str


@dataclass
class Tracked:
    """What the holder of a receipt code may see of their tip: nothing about who handles it,
    no internal note, nothing of what they sent beyond the date."""

    status: TipStatus
    received_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    replies: list[Reply] = field(default_factory=list)

    @property
    def status_label(self):
        return PUBLIC_STATUS_LABELS[self.status]


def track(code: str | None) -> Tracked | None:
    """The tip this receipt code belongs to, as its sender may see it; None for any other code."""
    bare = normalise_code(code)
    if len(bare) != CODE_LENGTH or any(ch not in ALPHABET for ch in bare):
        return None
    tip = db.session.scalar(select(Tip).where(Tip.receipt_hash == code_hash(bare))
                            .options(selectinload(Tip.messages)))
    if tip is None:
        return None
    last = max([tip.received_at, tip.closed_at or tip.received_at] + [m.at for m in tip.messages])
    return Tracked(status=tip.status, received_at=tip.received_at, updated_at=last, closed_at=tip.closed_at,
                   replies=[Reply(at=m.at, text=m.text) for m in tip.messages])


# --- the staff side ---------------------------------------------------------------------------

def can_handle(user: User, tip: Tip | None = None) -> bool:
    """Leaders, officers and ward officials of a unit that holds the tip (or above it) act on it."""
    if not user.has_role(*HANDLERS):
        return False
    return tip is None or scope.covers(user, tip.unit)


def _ensure_handle(user: User, tip: Tip) -> None:
    if not can_handle(user, tip):
        raise AccessDenied()


def _ensure_version(tip: Tip, version: int | None) -> None:
    if version is not None and version != tip.version:
        raise ConflictingEdit()


def waited(tip: Tip, now: datetime | None = None) -> timedelta:
    """How long the tip has waited: from its arrival until it was closed, or until now."""
    end = tip.closed_at or now or utcnow()
    return max(end - tip.received_at, timedelta(0))


OPEN_FILTER = "open"
WHO = ("unassigned", "mine")


def inbox(actor: User, *, status: str | None = None, who: str | None = None,
          waiting: int | None = None) -> Select:
    """The tips held by the units the actor sees, open ones first and the longest waiting first.
    ``status``: a TipStatus value, or "open"; ``who``: "unassigned" or "mine";
    ``waiting``: only open tips that have waited at least that many days."""
    stmt = scope.visible(select(Tip), actor, Tip.unit_id)
    if status == OPEN_FILTER:
        stmt = stmt.where(Tip.status.not_in(list(CLOSED_TIP_STATUSES)))
    elif status in {s.value for s in TipStatus}:
        stmt = stmt.where(Tip.status == TipStatus(status))
    if who == "unassigned":
        stmt = stmt.where(Tip.handler_id.is_(None))
    elif who == "mine":
        stmt = stmt.where(Tip.handler_id == actor.id)
    if waiting:
        stmt = stmt.where(Tip.closed_at.is_(None), Tip.received_at <= utcnow() - timedelta(days=waiting))
    # the page's tips are sorted alone, then their units, handlers and places read in one query each:
    # joined, every tip of the inbox would be joined before the sort
    return (stmt.options(selectinload(Tip.unit), selectinload(Tip.handler), selectinload(Tip.province),
                         selectinload(Tip.ward))
            .order_by(case((Tip.closed_at.is_(None), 0), else_=1), Tip.received_at, Tip.id))


def open_count(actor: User) -> int:
    stmt = scope.visible(select(func.count()).select_from(Tip), actor, Tip.unit_id)  # count(*): from the index
    return db.session.scalar(stmt.where(Tip.status.not_in(list(CLOSED_TIP_STATUSES)))) or 0


def get(actor: User, tip_id: int) -> Tip | None:
    tip = db.session.get(Tip, tip_id)
    if tip is None:
        return None
    if not scope.covers(actor, tip.unit):
        raise AccessDenied()
    return tip


def photo(actor: User, tip_id: int, photo_id: int) -> tuple[TipPhoto, Path] | None:
    tip = get(actor, tip_id)
    found = db.session.get(TipPhoto, photo_id) if tip else None
    if found is None or found.tip_id != tip.id:
        return None
    return found, photo_folder()


def assignable_units(actor: User, tip: Tip) -> list[Unit]:
    """Units within the actor's scope that may take on the tip, nearest the tip's area first."""
    units = db.session.scalars(scope.visible(select(Unit), actor, Unit.id).order_by(Unit.path)).all()
    out = [u for u in units if u.id == tip.unit_id or (
        u.kind in COMPETENT_KINDS and (u.province_code in (None, tip.province_code)))]
    return out


def members_by_unit(units: list[Unit]) -> dict[int, list[User]]:
    """Who in each unit may handle tips."""
    out: dict[int, list[User]] = {}
    if not units:
        return out
    users = db.session.scalars(select(User).where(User.unit_id.in_([u.id for u in units]), User.active)
                               .order_by(User.full_name)).all()
    for user in users:
        if user.has_role(*HANDLERS):
            out.setdefault(user.unit_id, []).append(user)
    return out


def _snapshot(tip: Tip) -> dict:
    return audit.snapshot(tip, ("status", "unit_id", "handler_id"))


def _touch(tip: Tip, action: str, actor: User, before: dict) -> Tip:
    tip.updated_at = utcnow()
    after = _snapshot(tip)
    old, new = audit.changes(before, after)
    audit.record(action, actor=actor, obj=tip, unit_id=tip.unit_id, before=old or None, after=new or None)
    db.session.flush()
    return tip


def assign(actor: User, tip: Tip, unit: Unit | None, handler: User | None = None, *,
           version: int | None = None) -> Tip:
    """Give the tip to a competent unit in the actor's scope and, optionally, to one of its
    members as handler. Moving it to another unit marks it forwarded."""
    _ensure_handle(actor, tip)
    _ensure_version(tip, version)
    errors: dict[str, list] = {}
    if tip.closed:
        raise ValidationFailed({"": [_l("This tip is closed; reopen it before assigning it.")]})
    if unit is None or unit.id not in {u.id for u in assignable_units(actor, tip)}:
        errors["unit_id"] = [_l("Choose a unit in your area that can act on this tip.")]
    elif handler is not None and (handler.unit_id != unit.id or not handler.active
                                  or not handler.has_role(*HANDLERS)):
        errors["handler_id"] = [_l("The handler must be a member of the chosen unit who handles tips.")]
    elif (unit.id == tip.unit_id and tip.handler_id is not None
          and (handler.id if handler else None) != tip.handler_id
          and actor.id != tip.handler_id and not actor.has_role(Role.LEADER)):
        # whoever handles a tip sees its sender: only a leader (or the handler, handing it over)
        # changes that, never a colleague choosing themselves
        errors["handler_id"] = [_l("Only a leader or the present handler can change who handles this tip.")]
    if errors:
        raise ValidationFailed(errors)
    before = _snapshot(tip)
    if unit.id != tip.unit_id:
        tip.unit_id = unit.id
        tip.unit = unit
        tip.status = TipStatus.FORWARDED
    # "no handler" means no handler: the one there was no longer sees the sender's contact
    tip.handler_id = handler.id if handler is not None else None
    return _touch(tip, "tip.assigned", actor, before)


def take(actor: User, tip: Tip, *, version: int | None = None) -> Tip:
    """The actor becomes the tip's handler (a member of the unit that holds it)."""
    _ensure_handle(actor, tip)
    _ensure_version(tip, version)
    if actor.unit_id != tip.unit_id:
        raise ValidationFailed({"": [_l("Only a member of the unit that holds this tip can take it; "
                                        "assign it to your unit first.")]})
    if tip.closed:
        raise ValidationFailed({"": [_l("This tip is closed; reopen it before taking it.")]})
    if tip.handler_id is not None and tip.handler_id != actor.id:
        raise ValidationFailed({"": [_l("Someone else is handling this tip; only a leader can give it "
                                        "to another handler.")]})
    before = _snapshot(tip)
    tip.handler_id = actor.id
    return _touch(tip, "tip.taken", actor, before)


def set_status(actor: User, tip: Tip, status: TipStatus, *, note: str | None = None,
               version: int | None = None) -> Tip:
    """Change the status. Closing (resolved, unfounded) needs a note saying what was found,
    kept as an internal note; it stops the waiting time. Reopening starts it again."""
    _ensure_handle(actor, tip)
    _ensure_version(tip, version)
    status = TipStatus(status)
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        raise ValidationFailed({"note": [_l("Use at most %(num)d characters.", num=MAX_TEXT)]})
    if status in CLOSED_TIP_STATUSES and not tip.closed and not note:
        raise ValidationFailed({"note": [_l("Say what was found before closing the tip.")]})
    before = _snapshot(tip)
    if status in CLOSED_TIP_STATUSES and not tip.closed:
        tip.closed_at = utcnow()
    elif status not in CLOSED_TIP_STATUSES:
        tip.closed_at = None
    tip.status = status
    if note:
        tip.notes.append(TipNote(author_id=actor.id, text=note))
    return _touch(tip, "tip.status", actor, before)


def _text(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed({"text": [_l("This field is required.")]})
    if len(text) > MAX_TEXT:
        raise ValidationFailed({"text": [_l("Use at most %(num)d characters.", num=MAX_TEXT)]})
    return text


def add_note(actor: User, tip: Tip, text: str | None) -> TipNote:
    _ensure_handle(actor, tip)
    note = TipNote(author_id=actor.id, text=_text(text))
    tip.notes.append(note)
    db.session.flush()
    audit.record("tip.note_added", actor=actor, obj=tip, unit_id=tip.unit_id, after={"note_id": note.id})
    return note


def reply_to_sender(actor: User, tip: Tip, text: str | None) -> TipMessage:
    """A reply the sender reads with the receipt code (never signed with a name)."""
    _ensure_handle(actor, tip)
    message = TipMessage(author_id=actor.id, text=_text(text))
    tip.messages.append(message)
    db.session.flush()
    audit.record("tip.replied", actor=actor, obj=tip, unit_id=tip.unit_id, after={"message_id": message.id})
    return message


@dataclass(frozen=True)
class Contact:
    anonymous: bool
    name: str | None
    phone: str | None
    email: str | None


def has_contact(tip: Tip) -> bool:
    return not tip.anonymous and bool(tip.contact_phone or tip.contact_email or tip.contact_name)


def contact(actor: User, tip: Tip) -> Contact:
    """The sender's identity and contact, for the tip's handler only; every view is logged."""
    if tip.handler_id is None or actor.id != tip.handler_id or not can_handle(actor, tip):
        raise AccessDenied()
    audit.record("tip.contact_viewed", actor=actor, obj=tip, unit_id=tip.unit_id)
    db.session.flush()
    return Contact(anonymous=tip.anonymous, name=tip.contact_name, phone=tip.contact_phone,
                   email=tip.contact_email)
