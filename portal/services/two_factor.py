"""The second factor for signing in: time-based one-time codes (TOTP, RFC 6238) from any
authenticator app, and one-time recovery codes for when the phone is lost (ASVS 5.0, V6.5-6.6).

Required for administrators and leaders (setting TWO_FACTOR_REQUIRED_ROLES), available to
everyone. A code is accepted once (the step of the last accepted code is kept) and one step
of clock drift either way is tolerated. Recovery codes are random, shown once, kept as hashes.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from portal.db import utcnow
from portal.extensions import db
from portal.models import RecoveryCode, Role, User
from portal.services import audit, passwords
from portal.services.errors import ValidationFailed

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
RECOVERY_CODES = 10
ISSUER = "Cong 389"


def new_secret() -> str:
    """160 random bits, base32 without padding, as authenticator apps expect."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    clean = secret.strip().replace(" ", "").upper()
    return base64.b32decode(clean + "=" * (-len(clean) % 8))


def code_at(secret: str, step: int, digits: int = DIGITS) -> str:
    """The code of one time step (RFC 4226 HOTP over the step counter, SHA-1)."""
    digest = hmac.new(_key(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10 ** digits).zfill(digits)


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def matching_step(secret: str, code: str, *, after: int | None, now: float | None = None) -> int | None:
    """The time step whose code this is (within the allowed drift, later than ``after``), or None."""
    code = "".join(ch for ch in code or "" if ch.isdigit())
    if len(code) != DIGITS:
        return None
    step = current_step(now)
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        if after is not None and candidate <= after:
            continue
        if hmac.compare_digest(code_at(secret, candidate), code):
            return candidate
    return None


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// link an authenticator app reads from the QR code."""
    label = quote(f"{ISSUER}:{username}")
    return f"otpauth://totp/{label}?" + urlencode(
        {"secret": secret, "issuer": ISSUER, "algorithm": "SHA1", "digits": DIGITS, "period": STEP_SECONDS})


def qr_svg(uri: str) -> str:
    """The QR code as a data: URI for an <img> (the page's CSP allows data: images only)."""
    import segno

    return segno.make(uri, error="m").svg_data_uri(scale=4, dark="#111", light="#fff")


def enabled(user: User) -> bool:
    return user.totp_secret is not None and user.totp_confirmed_at is not None


def required(user: User) -> bool:
    roles = current_app.config.get("TWO_FACTOR_REQUIRED_ROLES", ())
    return user.has_role(*(Role(r) for r in roles))


def must_enrol(user: User) -> bool:
    return required(user) and not enabled(user)


def _hash(code: str) -> str:
    return hashlib.sha256(_normal(code).encode()).hexdigest()


def _normal(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = ["-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))
             for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(code)) for code in codes)
    return codes


def enable(user: User, secret: str, code: str) -> list[str]:
    """Turn the second factor on once the user proves their app shows the right codes; returns
    the recovery codes, to be shown once."""
    step = matching_step(secret, code, after=None)
    if step is None:
        raise ValidationFailed({"code": [_l("This code is not right. Check the time on your phone and type "
                                            "the code your app shows now.")]})
    user.totp_secret = secret
    user.totp_confirmed_at = utcnow()
    user.totp_last_step = step
    codes = _new_recovery_codes(user)
    audit.record("auth.two_factor_enabled", actor=user, obj=user, unit_id=user.unit_id)
    return codes


def regenerate_recovery_codes(user: User, code: str) -> list[str]:
    if not check(user, code, allow_recovery=False):
        raise ValidationFailed({"code": [_l("This code is not right.")]})
    codes = _new_recovery_codes(user)
    audit.record("auth.recovery_codes_renewed", actor=user, obj=user, unit_id=user.unit_id)
    return codes


def disable(user: User, password: str) -> None:
    if required(user):
        raise ValidationFailed({"password": [_l("Your role requires a second factor; it cannot be turned off.")]})
    if not passwords.verify_password(user.password_hash, password or ""):
        raise ValidationFailed({"password": [_l("The current password is not correct.")]})
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record("auth.two_factor_disabled", actor=user, obj=user, unit_id=user.unit_id)


def reset_by_admin(actor: User, user: User) -> None:
    """An administrator clears a user's second factor (lost phone and codes); the user sets it up
    again at the next sign-in, and every session of theirs ends."""
    from portal.services.auth import end_all_sessions

    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_all_sessions(user)
    audit.record("user.two_factor_reset", actor=actor, obj=user, unit_id=user.unit_id)


def check(user: User, code: str, *, allow_recovery: bool = True) -> bool:
    """Whether the code is this user's current TOTP code (not used before) or, when allowed, one of
    their unused recovery codes (then used up). The caller commits."""
    if not enabled(user):
        return False
    step = matching_step(user.totp_secret, code, after=user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        return True
    if allow_recovery and len(_normal(code)) == 12:
        row = db.session.scalar(select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None)).with_for_update())
        if row is not None:
            row.used_at = utcnow()
            audit.record("auth.recovery_code_used", actor=user, obj=user, unit_id=user.unit_id)
            return True
    return False


def recovery_codes_left(user: User) -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0
