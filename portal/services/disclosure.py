"""The only way the public site reads data: published information, nothing else."""
from __future__ import annotations

from datetime import date
from itertools import groupby

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from portal.db import utcnow
from portal.extensions import db
from portal.models import BusinessReply, Hotline, Province, PublicEntry, ReplyState, Ward
from portal.services.deadlines import local_day
from portal.text import fold


def hotlines() -> list[tuple[Province | None, list[Hotline]]]:
    """Published hotlines, grouped by province (national ones first)."""
    stmt = (select(Hotline).outerjoin(Hotline.province).outerjoin(Hotline.ward)
            .options(joinedload(Hotline.province), joinedload(Hotline.ward))
            .where(Hotline.published.is_(True))
            .order_by(Province.name.nulls_first(), Ward.name.nulls_first(), Hotline.position, Hotline.id))
    rows = list(db.session.scalars(stmt))
    return [(province, list(lines)) for province, lines in groupby(rows, key=lambda h: h.province)]


# --- published violations ----------------------------------------------------------------

def listed_violations(*, q: str | None = None, on: date | None = None) -> Select:
    """Entries on the public lists: published, not withdrawn, not past their end of publication."""
    on = on or local_day(utcnow())
    stmt = (select(PublicEntry).where(PublicEntry.withdrawn_at.is_(None),
                                      or_(PublicEntry.ends_on.is_(None), PublicEntry.ends_on >= on))
            .options(joinedload(PublicEntry.goods_category))
            .order_by(PublicEntry.published_at.desc(), PublicEntry.id.desc()))
    if q and fold(q):
        stmt = stmt.where(PublicEntry.search_folded.contains(fold(q), autoescape=True))
    return stmt


def violation_entry(entry_id: int) -> PublicEntry | None:
    """One entry by its permanent number, whatever became of it (the page says so)."""
    return db.session.get(PublicEntry, entry_id)


def approved_replies(entry: PublicEntry) -> list[BusinessReply]:
    return [r for r in entry.replies if r.state == ReplyState.APPROVED]


def place_names(entries: list[PublicEntry]) -> dict[int, str]:
    """'Phường Hàm Rồng, Tỉnh Thanh Hóa' for each entry's ward, in one query."""
    codes = {e.ward_code for e in entries}
    if not codes:
        return {}
    rows = db.session.execute(select(Ward.code, Ward.name, Province.name)
                              .join(Province, Ward.province_code == Province.code).where(Ward.code.in_(codes)))
    return {code: f"{ward}, {province}" for code, ward, province in rows}
