"""Quotas a team leader gives each inspector (letter 100/QLTTLCA-NVTH), and their progress."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Quota, QuotaMetric, Role, User
from portal.services import audit, coverage, scope
from portal.services.errors import ValidationFailed

LEADERS = (Role.LEADER, Role.ADMIN)


@dataclass
class QuotaProgress:
    quota: Quota
    done: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.quota.amount)) if self.quota.amount else 0


def inspectors(actor: User) -> list[User]:
    """Officers in the leader's unit and the units below it."""
    from portal.models import UserRole

    stmt = (scope.visible(select(User), actor, User.unit_id)
            .where(User.active, User.id.in_(select(UserRole.user_id).where(UserRole.role == Role.OFFICER)))
            .order_by(User.full_name))
    return list(db.session.scalars(stmt))


def assign(actor: User, inspector: User, metric: QuotaMetric, amount: int, starts_on: date, ends_on: date) -> Quota:
    scope.ensure_role(actor, *LEADERS)
    scope.ensure_covers(actor, inspector.unit)
    if ends_on < starts_on:
        raise ValidationFailed({"ends_on": [_l("The end must come after the start.")]})
    quota = Quota(user_id=inspector.id, unit_id=inspector.unit_id, assigned_by_id=actor.id, metric=metric,
                  amount=amount, starts_on=starts_on, ends_on=ends_on)
    db.session.add(quota)
    db.session.flush()
    audit.record("quota.saved", actor=actor, obj=quota, unit_id=inspector.unit_id,
                 after={"user": inspector.username, "metric": metric.value, "amount": amount,
                        "from": starts_on.isoformat(), "to": ends_on.isoformat()})
    return quota


def for_user(user: User) -> list[Quota]:
    return list(db.session.scalars(select(Quota).where(Quota.user_id == user.id).order_by(Quota.ends_on)))


def in_scope(actor: User) -> list[Quota]:
    stmt = (scope.visible(select(Quota), actor, Quota.unit_id).options(joinedload(Quota.user))
            .order_by(Quota.ends_on.desc(), Quota.id))
    return list(db.session.scalars(stmt))


def progress(quotas: list[Quota]) -> list[QuotaProgress]:
    """Each quota with the count of the inspector's own records in its period (inspections
    are counted once the enforcement records are kept in the portal)."""
    done = coverage.quota_done(quotas)
    return [QuotaProgress(quota, done.get(quota.id, 0)) for quota in quotas]
