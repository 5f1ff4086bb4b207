"""Figures for journalists: commitments signed, inspections, violations found, sanction decisions
and their fines, for one year, by month, by province and by goods category.

Only aggregate numbers leave this module: a violation that was never published counts in the
totals, but nothing names it. Every figure is a SQL aggregate with GROUP BY, so the page is
the same ten queries whatever the amount of data: per figure, one grouped by month and province
(the months and the provinces are its sums) and one by goods category, then the provinces' and
categories' names. A business is joined only when its province is needed.

- a commitment counts in the month it was signed, under its business's province and under each
  goods category the business trades (so the goods rows may add up to more than the total);
- an inspection counts in the month it was held, under each goods category it checked;
- a violation counts in the month it was found, under its goods category;
- a sanction decision and its fine count in the month of the decision; an overturned decision
  does not count.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import ColumnElement, and_, extract, func, select, true

from portal.db import utcnow
from portal.extensions import db
from portal.models import (
    Business,
    Commitment,
    GoodsCategory,
    Inspection,
    Province,
    Violation,
    ViolationState,
    business_goods,
    inspection_goods,
)
from portal.services import areas
from portal.services.deadlines import local_day
from portal.text import fold

FIRST_YEAR = 2020
FIGURES = ("commitments", "inspections", "violations", "sanctions", "fines")


class BadFilter(ValueError):
    """A year or province the page explains instead of computing."""


@dataclass
class Row:
    """The figures of one month, province or goods category (``key``: the month number, the
    province or goods code, or None for goods not recorded)."""

    key: int | str | None
    commitments: int = 0
    inspections: int = 0
    violations: int = 0
    sanctions: int = 0
    fines: int = 0

    def empty(self) -> bool:
        return not any(getattr(self, name) for name in FIGURES)


@dataclass
class Statistics:
    year: int
    province: Province | None
    by_month: list[Row]
    by_province: list[tuple[Province, Row]]
    by_goods: list[tuple[GoodsCategory | None, Row]]
    totals: Row = field(init=False)

    def __post_init__(self) -> None:
        # The months divide the year, so their sum is the year's total: no extra query.
        self.totals = Row(None, **{name: sum(getattr(r, name) for r in self.by_month) for name in FIGURES})


def this_year() -> int:
    return local_day(utcnow()).year


def parse_year(value: str | None) -> int:
    if value is None or not value.strip():
        return this_year()
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or len(value) != 4 or not FIRST_YEAR <= int(value) <= this_year():
        raise BadFilter("year")
    return int(value)


def parse_province(value: str | None) -> Province | None:
    if value is None or not value.strip():
        return None
    province = areas.province_by_code(value)
    if province is None:
        raise BadFilter("province")
    return province


# --- the grouped queries -------------------------------------------------------------------

def _in_year(column, year: int) -> ColumnElement:
    return column.between(date(year, 1, 1), date(year, 12, 31))


def _area(province_code: int | None) -> ColumnElement:
    return Business.province_code == province_code if province_code else true()


def _sanctioned() -> ColumnElement:
    return and_(Violation.decision_number.is_not(None), Violation.decision_on.is_not(None),
                Violation.state != ViolationState.OVERTURNED)


def _grouped(stmt, keys: tuple, figures: list) -> dict:
    """{key, or (key, key) for two: the figures as ints} of ``stmt`` grouped by ``keys``."""
    found = {}
    for row in db.session.execute(stmt.add_columns(*keys, *figures).group_by(*keys)):
        key = tuple(row[:len(keys)]) if len(keys) > 1 else row[0]
        found[key] = tuple(int(v or 0) for v in row[len(keys):])
    return found


def _with_business(stmt, business_id, province_code: int | None, by: str):
    """The business is joined only when its province is needed: to group by it or to narrow to one."""
    if by == "place" or province_code:
        stmt = stmt.join(Business, Business.id == business_id).where(_area(province_code))
    return stmt


def _commitments(year: int, province_code: int | None, by: str) -> dict:
    stmt = _with_business(select().select_from(Commitment).where(_in_year(Commitment.signed_on, year)),
                          Commitment.business_id, province_code, by)
    if by == "place":
        return _grouped(stmt, (extract("month", Commitment.signed_on), Business.province_code), [func.count()])
    # (business, goods category) is the key of business_goods: a commitment joins a category at most once
    return _grouped(stmt.outerjoin(business_goods, business_goods.c.business_id == Commitment.business_id),
                    (business_goods.c.goods_category_id,), [func.count()])


def _inspections(year: int, province_code: int | None, by: str) -> dict:
    stmt = _with_business(select().select_from(Inspection).where(_in_year(Inspection.inspected_on, year)),
                          Inspection.business_id, province_code, by)
    if by == "place":
        return _grouped(stmt, (extract("month", Inspection.inspected_on), Business.province_code), [func.count()])
    # (inspection, goods category) is the key of inspection_goods: an inspection joins a category at most once
    return _grouped(stmt.outerjoin(inspection_goods, inspection_goods.c.inspection_id == Inspection.id),
                    (inspection_goods.c.goods_category_id,), [func.count()])


def _violations(year: int, province_code: int | None, by: str, *, decided: bool) -> dict:
    """Violations found (count), or sanction decisions (count and the sum of their fines)."""
    day = Violation.decision_on if decided else Violation.found_on
    figures = [func.count(), func.coalesce(func.sum(Violation.fine), 0)] if decided else [func.count()]
    stmt = _with_business(select().select_from(Violation)
                          .where(_in_year(day, year), _sanctioned() if decided else true()),
                          Violation.business_id, province_code, by)
    keys = (extract("month", day), Business.province_code) if by == "place" else (Violation.goods_category_id,)
    return _grouped(stmt, keys, figures)


def _rows(year: int, province_code: int | None, by: str) -> dict:
    """Every figure grouped by month and province (``by="place"``) or by goods category: four queries."""
    rows: dict = {}

    def put(found: dict, *names: str) -> None:
        for key, values in found.items():
            row = rows.setdefault(key, Row(key))
            for name, value in zip(names, values):
                setattr(row, name, value)

    put(_commitments(year, province_code, by), "commitments")
    put(_inspections(year, province_code, by), "inspections")
    put(_violations(year, province_code, by, decided=False), "violations")
    put(_violations(year, province_code, by, decided=True), "sanctions", "fines")
    return rows


def _summed(rows: dict, key) -> dict:
    """The rows of (month, province) added up by ``key(month, province)``."""
    sums: dict = {}
    for pair, row in rows.items():
        total = sums.setdefault(key(*pair), Row(key(*pair)))
        for name in FIGURES:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return sums


def figures(year: int, province_code: int | None = None) -> dict[str, list[list]]:
    """The grouped figures in plain lists that a cache can keep (eight queries):
    ``{"place": [[month, province, *FIGURES], ...], "goods": [[goods id or None, *FIGURES], ...]}``."""
    def values(row: Row) -> list[int]:
        return [getattr(row, name) for name in FIGURES]

    place, goods = _rows(year, province_code, "place"), _rows(year, province_code, "goods")
    return {"place": [[int(month), code, *values(r)] for (month, code), r in place.items()],
            "goods": [[goods_id, *values(r)] for goods_id, r in goods.items()]}


def compute(year: int, province: Province | None = None, found: dict[str, list[list]] | None = None) -> Statistics:
    """The statistics of a year (and a province), from ``found`` (what ``figures`` gave, kept
    in a cache) or from the database."""
    code = province.code if province else None
    found = found if found is not None else figures(year, code)
    place = {(month, province_code): Row((month, province_code), *values)
             for month, province_code, *values in found["place"]}
    months = _summed(place, lambda month, _province: month)
    by_month = [months.get(m, Row(m)) for m in range(1, 13)]
    provinces = _summed(place, lambda _month, province: province)
    known = {p.code: p for p in db.session.scalars(select(Province))}  # 34 rows: one query, always
    by_province = sorted(((known[c], replace(r, key=c)) for c, r in provinces.items() if c in known),
                         key=lambda pair: fold(pair[0].name))
    goods = {goods_id: Row(goods_id, *values) for goods_id, *values in found["goods"]}
    categories = {g.id: g for g in db.session.scalars(select(GoodsCategory))}
    by_goods = sorted(((categories.get(k), replace(r, key=categories[k].code if k in categories else None))
                       for k, r in goods.items()),
                      key=lambda pair: (pair[0] is None, fold(pair[0].name_vi) if pair[0] else ""))
    return Statistics(year, province, by_month, by_province, by_goods)
