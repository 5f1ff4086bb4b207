"""The only way the public site reads data: published information, nothing else."""
from __future__ import annotations

from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Province, Unit


def hotlines() -> list[tuple[Province | None, list[Unit]]]:
    """Units that publish a hotline, grouped by province (national ones first)."""
    stmt = (select(Unit).outerjoin(Unit.province).options(joinedload(Unit.province), joinedload(Unit.ward))
            .where(Unit.hotline.is_not(None)).order_by(Province.name.nulls_first(), Unit.name))
    rows = list(db.session.scalars(stmt))
    return [(province, list(units)) for province, units in groupby(rows, key=lambda u: u.province)]
