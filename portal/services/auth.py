"""Signing in and out: credentials, throttling, server-side sessions, password changes."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from portal.db import utcnow
from portal.extensions import db
from portal.models import SignInAttempt, User, UserSession
from portal.services import audit, passwords
from portal.services.errors import ValidationFailed

# Verifying against this hash when the user name is unknown keeps the timing the same.
_DUMMY_PASSWORD = "not-a-real-password-for-timing"


class SignInRefused(Exception):
    """Wrong user name or password, or a locked account: the user is told only that."""


class SignInThrottled(Exception):
    def __init__(self, minutes: int):
        super().__init__(minutes)
        self.minutes = minutes


@dataclass
class Client:
    ip: str | None
    user_agent: str | None


def normalise_username(username: str) -> str:
    return username.strip().lower()


def _window_start() -> datetime:
    return utcnow() - timedelta(minutes=current_app.config["SIGN_IN_WINDOW_MINUTES"])


def _throttle_minutes(attempt: SignInAttempt) -> int:
    """Minutes the caller must wait, or 0. Only attempts recorded before this one count, and
    an attempt counts as failed until it succeeds, so parallel guesses cannot slip through."""
    conf = current_app.config
    failed = select(func.count(), func.min(SignInAttempt.at)).where(
        SignInAttempt.at >= _window_start(), SignInAttempt.succeeded.is_(False), SignInAttempt.id < attempt.id)
    by_name = db.session.execute(failed.where(SignInAttempt.username == attempt.username)).one()
    by_ip = db.session.execute(failed.where(SignInAttempt.ip == attempt.ip)).one() if attempt.ip else (0, None)
    oldest = None
    if by_name[0] >= conf["SIGN_IN_MAX_FAILURES"]:
        oldest = by_name[1]
    elif by_ip[0] >= conf["SIGN_IN_MAX_FAILURES_PER_IP"]:
        oldest = by_ip[1]
    if oldest is None:
        return 0
    wait = oldest + timedelta(minutes=conf["SIGN_IN_WINDOW_MINUTES"]) - utcnow()
    return max(1, int(wait.total_seconds() // 60) + 1)


def record_attempt(username: str, client: Client) -> SignInAttempt:
    """Step one of signing in: note the attempt. The caller commits it before step two,
    so that concurrent attempts see each other."""
    attempt = SignInAttempt(username=normalise_username(username)[:60], ip=client.ip, succeeded=False)
    db.session.add(attempt)
    db.session.flush()
    return attempt


def authenticate(attempt: SignInAttempt, password: str) -> User:
    """Step two: check the credentials of a recorded attempt."""
    user = db.session.scalar(select(User).where(User.username == attempt.username))
    # the typed name is kept in the audit log only when it is a real account, so a password
    # typed into the wrong box is never shown to administrators
    known = {"actor_name": user.username, "unit_id": user.unit_id} if user else {}
    minutes = _throttle_minutes(attempt)
    if minutes:
        audit.record("auth.sign_in_throttled", actor=None, **known)
        raise SignInThrottled(minutes)
    if user is None:
        passwords.verify_password(_dummy_hash(), password)
        ok = False
    else:
        ok = passwords.verify_password(user.password_hash, password) and user.active
    if not ok:
        audit.record("auth.sign_in_failed", actor=None, **known)
        raise SignInRefused()
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def finish_sign_in(user: User, *attempts: SignInAttempt) -> None:
    """Every factor has been checked: the attempts count as successful and the sign-in is logged.
    Until then an attempt counts as failed, so guesses of the second factor are throttled too."""
    for attempt in attempts:
        attempt.succeeded = True
    user.last_sign_in_at = utcnow()
    audit.record("auth.sign_in", actor=user, obj=user, unit_id=user.unit_id)


def check_second_factor(user: User, attempt: SignInAttempt, code: str) -> None:
    """Step three for users with a second factor; raises SignInThrottled or SignInRefused."""
    from portal.services import two_factor

    minutes = _throttle_minutes(attempt)
    if minutes:
        audit.record("auth.sign_in_throttled", actor=None, actor_name=user.username, unit_id=user.unit_id)
        raise SignInThrottled(minutes)
    if not user.active or not two_factor.check(user, code):
        audit.record("auth.second_factor_failed", actor=None, actor_name=user.username, unit_id=user.unit_id)
        raise SignInRefused()


_dummy_cache: dict[str, str] = {}


def _dummy_hash() -> str:
    key = str(current_app.config["ARGON2_MEMORY_COST"])
    if key not in _dummy_cache:
        _dummy_cache[key] = passwords.hash_password(_DUMMY_PASSWORD)
    return _dummy_cache[key]


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, client: Client) -> str:
    """Open a server-side session; the returned token goes into the signed cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_hash_token(token), ip=client.ip,
                               user_agent=(client.user_agent or "")[:300]))
    return token


#: Set in the database session's info when user_for_token changed the session row.
SESSION_CHANGED = "portal_session_changed"


def user_for_token(token: str | None) -> User | None:
    """The user of a live session, or None when the session ended, idled out or is too old."""
    if not token:
        return None
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == _hash_token(token)))
    if row is None or row.ended_at is not None:
        return None
    now = utcnow()
    conf = current_app.config
    idle = timedelta(minutes=conf["SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=conf["SESSION_ABSOLUTE_HOURS"])
    if now - row.last_seen_at > idle or now - row.created_at > absolute:
        row.ended_at = now
        db.session.info[SESSION_CHANGED] = True
        return None
    if now - row.last_seen_at > timedelta(seconds=60):  # one write a minute at most
        row.last_seen_at = now
        db.session.info[SESSION_CHANGED] = True
    return row.user if row.user.active else None


def end_session(token: str | None, user: User | None) -> None:
    if token:
        db.session.execute(update(UserSession).where(
            UserSession.token_hash == _hash_token(token), UserSession.ended_at.is_(None)
        ).values(ended_at=utcnow()))
    if user is not None:
        audit.record("auth.sign_out", actor=user, obj=user, unit_id=user.unit_id)


def live_sessions(user: User) -> list[UserSession]:
    """The user's sessions that are still open (not ended, not idle, not too old), newest first."""
    now = utcnow()
    conf = current_app.config
    stmt = (select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None),
        UserSession.last_seen_at > now - timedelta(minutes=conf["SESSION_IDLE_MINUTES"]),
        UserSession.created_at > now - timedelta(hours=conf["SESSION_ABSOLUTE_HOURS"]))
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc()))
    return list(db.session.scalars(stmt))


def is_current(row: UserSession, token: str | None) -> bool:
    return bool(token) and row.token_hash == _hash_token(token)


def end_own_session(user: User, session_id: int, *, current_token: str | None) -> bool:
    """End one of the user's own other sessions (a lost phone, a shared computer). False when it
    is not the user's, is already over, or is the session making the request (that is signing out)."""
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != user.id or row.ended_at is not None or is_current(row, current_token):
        return False
    row.ended_at = utcnow()
    audit.record("auth.session_ended", actor=user, obj=user, unit_id=user.unit_id,
                 after={"session": row.id, "ip": row.ip})
    return True


def end_other_sessions(user: User, *, current_token: str | None) -> None:
    end_all_sessions(user, except_token=current_token)
    audit.record("auth.other_sessions_ended", actor=user, obj=user, unit_id=user.unit_id)


def end_all_sessions(user: User, *, except_token: str | None = None) -> None:
    """End the user's sessions (all, or all but one) and stop their private calendar link."""
    from portal.services.calendar import revoke_feeds

    revoke_feeds(user, record=False)
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if except_token:
        stmt = stmt.where(UserSession.token_hash != _hash_token(except_token))
    db.session.execute(stmt.values(ended_at=utcnow()))


def password_change_problems(user: User, current: str, new: str) -> dict[str, list]:
    """What is wrong with a proposed change of one's own password, per field."""
    errors: dict[str, list] = {}
    if not passwords.verify_password(user.password_hash, current):
        errors["current_password"] = [_l("The current password is not correct.")]
    problems = passwords.password_problems(new, username=user.username, full_name=user.full_name)
    if problems:
        errors["new_password"] = problems
    return errors


def change_password(user: User, current: str, new: str, *, keep_token: str | None) -> None:
    """Change one's own password; every other session of the user ends."""
    errors = password_change_problems(user, current, new)
    if errors:
        raise ValidationFailed(errors)
    user.password_hash = passwords.hash_password(new)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    end_all_sessions(user, except_token=keep_token)
    audit.record("user.password_changed", actor=user, obj=user, unit_id=user.unit_id)
