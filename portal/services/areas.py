"""The official list of provinces and wards, loaded from the vietnam-provinces package."""
from __future__ import annotations

from sqlalchemy import select
from vietnam_provinces import Province as SourceProvince
from vietnam_provinces import Ward as SourceWard

from portal.extensions import db
from portal.models import Province, Ward


def load_areas() -> tuple[int, int]:
    """Insert or update every province and ward; returns how many rows were written.
    Running it again writes nothing."""
    written = [0, 0]
    existing_p = {p.code: p for p in db.session.scalars(select(Province))}
    for src in SourceProvince.iter_all():
        values = dict(name=src.name, division_type=src.division_type.value, codename=src.codename)
        written[0] += _upsert(Province, existing_p.get(int(src.code)), int(src.code), values)
    db.session.flush()
    existing_w = {w.code: w for w in db.session.scalars(select(Ward))}
    for src in SourceWard.iter_all():
        values = dict(name=src.name, division_type=src.division_type.value, codename=src.codename,
                      province_code=int(src.province_code))
        written[1] += _upsert(Ward, existing_w.get(int(src.code)), int(src.code), values)
    db.session.flush()
    return written[0], written[1]


def _upsert(model, row, code: int, values: dict) -> int:
    if row is None:
        db.session.add(model(code=code, **values))
        return 1
    if any(getattr(row, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(row, k, v)
        return 1
    return 0


def province_by_code(raw: str | None) -> Province | None:
    """The province whose official code a query parameter gives, or None: anything that is not
    a short run of ASCII digits ("", "abc", "٣", "99999999999") names no province."""
    code = (raw or "").strip()
    return db.session.get(Province, int(code)) if code.isascii() and code.isdigit() and len(code) <= 4 else None


def provinces() -> list[Province]:
    return list(db.session.scalars(select(Province).order_by(Province.name)))


def wards_of(province_code: int | None) -> list[Ward]:
    if not province_code:
        return []
    return list(db.session.scalars(
        select(Ward).where(Ward.province_code == province_code).order_by(Ward.name)))
