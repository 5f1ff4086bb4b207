"""Staff accounts managed by administrators, each within the administrator's scope."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from portal.db import utcnow
from portal.extensions import db
from portal.models import Role, Unit, User, UserRole
from portal.services import audit, auth, passwords, scope
from portal.services.errors import AccessDenied, ConflictingEdit, ValidationFailed

USERNAME_RE = re.compile(r"[a-z0-9._-]{3,60}")
AUDITED = ("username", "full_name", "email", "unit_id", "active", "roles")


@dataclass
class UserData:
    full_name: str
    email: str | None
    unit_id: int
    roles: set[Role] = field(default_factory=set)
    active: bool = True


def list_users(actor: User, *, q: str | None = None, unit_id: int | None = None) -> list[User]:
    scope.ensure_role(actor, Role.ADMIN)
    stmt = scope.visible(select(User).join(User.unit), actor, User.unit_id)
    if q:
        q = q.strip().lower()
        stmt = stmt.where(or_(User.username.contains(q, autoescape=True),
                              func.lower(User.full_name).contains(q, autoescape=True)))
    if unit_id:
        stmt = stmt.where(User.unit_id == unit_id)
    return list(db.session.scalars(stmt.order_by(Unit.path, User.username)))


def get_user(actor: User, user_id: int) -> User | None:
    scope.ensure_role(actor, Role.ADMIN)
    user = db.session.get(User, user_id)
    if user is None:
        return None
    scope.ensure_covers(actor, user.unit)
    return user


def _unit_in_scope(actor: User, unit_id: int, errors: dict) -> Unit | None:
    unit = db.session.get(Unit, unit_id)
    if unit is None or not scope.covers(actor, unit):
        errors["unit_id"] = [_l("Choose a unit in your scope.")]
        return None
    return unit


def _check_roles(data: UserData, errors: dict) -> None:
    if not data.roles:
        errors["roles"] = [_l("Give the user at least one role.")]


def create_user(actor: User, username: str, password: str, data: UserData) -> User:
    scope.ensure_role(actor, Role.ADMIN)
    errors: dict[str, list] = {}
    username = auth.normalise_username(username)
    if not USERNAME_RE.fullmatch(username):
        errors["username"] = [_l("Use 3 to 60 letters a–z, digits, dots, hyphens or underscores.")]
    elif db.session.scalar(select(User.id).where(User.username == username)):
        errors["username"] = [_l("This user name is taken.")]
    _unit_in_scope(actor, data.unit_id, errors)
    _check_roles(data, errors)
    problems = passwords.password_problems(password, username=username, full_name=data.full_name)
    if problems:
        errors["password"] = problems
    if errors:
        raise ValidationFailed(errors)
    user = User(username=username, full_name=data.full_name, email=data.email, unit_id=data.unit_id,
                active=data.active, password_hash=passwords.hash_password(password),
                must_change_password=True, role_rows=[UserRole(role=r) for r in sorted(data.roles)])
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", actor=actor, obj=user, unit_id=user.unit_id,
                 after=audit.snapshot(user, AUDITED))
    return user


def update_user(actor: User, user: User, data: UserData, *, version: int) -> User:
    scope.ensure_role(actor, Role.ADMIN)
    scope.ensure_covers(actor, user.unit)
    if version != user.version:
        raise ConflictingEdit()
    errors: dict[str, list] = {}
    _unit_in_scope(actor, data.unit_id, errors)
    _check_roles(data, errors)
    if user.id == actor.id and (Role.ADMIN not in data.roles or not data.active):
        errors["roles"] = [_l("You cannot remove your own administrator role or lock yourself out.")]
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(user, AUDITED)
    user.full_name, user.email, user.unit_id, user.active = data.full_name, data.email, data.unit_id, data.active
    if user.roles != data.roles:
        _set_roles(user, data.roles)
        user.updated_at = utcnow()  # roles live in another table: touch the row so its version moves
    if not user.active:
        auth.end_all_sessions(user)
    elif before["unit_id"] != user.unit_id:
        from portal.services.calendar import revoke_feeds

        revoke_feeds(user, record=False)  # the link showed the old unit's deadlines
    db.session.flush()
    db.session.refresh(user, ["unit"])
    old, new = audit.changes(before, audit.snapshot(user, AUDITED))
    audit.record("user.updated", actor=actor, obj=user, unit_id=user.unit_id, before=old, after=new)
    return user


def _set_roles(user: User, roles: set[Role]) -> None:
    keep = [row for row in user.role_rows if row.role in roles]
    have = {row.role for row in keep}
    user.role_rows = keep + [UserRole(role=r) for r in sorted(roles - have)]


def set_active(actor: User, user: User, active: bool) -> User:
    """Lock or unlock an account at once; locking ends every session of the user."""
    scope.ensure_role(actor, Role.ADMIN)
    scope.ensure_covers(actor, user.unit)
    if user.id == actor.id:
        raise AccessDenied()
    if user.active == active:
        return user
    user.active = active
    if not active:
        auth.end_all_sessions(user)
    audit.record("user.unlocked" if active else "user.locked", actor=actor, obj=user, unit_id=user.unit_id,
                 before={"active": not active}, after={"active": active})
    return user


def ensure_can_reset_password(actor: User, user: User) -> None:
    """Not one's own: that goes through the password change, which asks for the current one."""
    scope.ensure_role(actor, Role.ADMIN)
    scope.ensure_covers(actor, user.unit)
    if user.id == actor.id:
        raise AccessDenied()


def reset_password(actor: User, user: User, password: str) -> User:
    """Set a temporary password the user must change at the next sign-in."""
    ensure_can_reset_password(actor, user)
    problems = passwords.password_problems(password, username=user.username, full_name=user.full_name)
    if problems:
        raise ValidationFailed({"password": problems})
    user.password_hash = passwords.hash_password(password)
    user.must_change_password = True
    auth.end_all_sessions(user)
    audit.record("user.password_reset", actor=actor, obj=user, unit_id=user.unit_id)
    return user


def reset_second_factor(actor: User, user: User) -> User:
    """For a user who lost both their phone and their recovery codes: the second factor is cleared,
    every session ends, and the user sets it up again at the next sign-in."""
    from portal.services import two_factor

    ensure_can_reset_password(actor, user)
    two_factor.reset_by_admin(actor, user)
    return user
