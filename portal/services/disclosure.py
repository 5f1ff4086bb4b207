"""The only way the public site reads data: published information, nothing else."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, extract, func, or_, select
from sqlalchemy.orm import joinedload

from portal.db import utcnow
from portal.extensions import db
from portal.models import (
    BusinessReply,
    GoodsCategory,
    Hotline,
    Province,
    PublicEntry,
    ReplyState,
    ViolationType,
    Ward,
)
from portal.services.deadlines import local_day
from portal.text import fold


def hotlines(province_code: int | None = None) -> list[tuple[Province | None, list[tuple[Ward | None, list[Hotline]]]]]:
    """Published hotlines grouped by province (national ones first) and, within a province, by
    ward (the province's own first). With ``province_code``, the national hotlines and that
    province's only."""
    stmt = (select(Hotline).outerjoin(Hotline.province).outerjoin(Hotline.ward)
            .options(joinedload(Hotline.province), joinedload(Hotline.ward))
            .where(Hotline.published.is_(True))
            .order_by(Province.name.nulls_first(), Hotline.province_code.nulls_first(), Ward.name.nulls_first(),
                      Hotline.ward_code.nulls_first(), Hotline.position, Hotline.id))
    if province_code is not None:
        stmt = stmt.where(or_(Hotline.province_code.is_(None), Hotline.province_code == province_code))
    rows = list(db.session.scalars(stmt))
    return [(province, [(ward, list(in_ward)) for ward, in_ward in groupby(lines, key=lambda h: h.ward)])
            for province, lines in groupby(rows, key=lambda h: h.province)]


# --- published violations ----------------------------------------------------------------
#
# The query parameters of /violations, /violations.csv, /violations.json and the feed are a
# contract with journalists: q, province, ward, goods, type, year, after_commitment, sort, page.
# A value that names nothing (a province code that does not exist, a ward outside the chosen
# province, an unknown goods code, type, year or sort) is not applied: the rest of the filters
# still are, and the page says next to the filter which value was set aside.

SORTS = ("newest", "oldest", "name", "fine")
MAX_QUERY = 100  # characters of a search
MAX_WORDS = 8  # words of a search, each of which must be found
FIRST_YEAR = 2000
FILTER_PARAMS = ("q", "province", "ward", "goods", "type", "year", "after_commitment", "sort")


@dataclass
class ViolationFilters:
    """What a request asks of the public list, checked: every attribute holds a value that exists."""

    q: str = ""
    province: Province | None = None
    ward: Ward | None = None
    goods: GoodsCategory | None = None
    type: ViolationType | None = None
    year: int | None = None
    after_commitment: bool = False
    sort: str = "newest"
    #: parameter -> the value given that names nothing, and so was not applied
    ignored: dict[str, str] = field(default_factory=dict)

    def args(self) -> dict[str, str]:
        """The applied filters as query parameters, for links that keep them (pages, downloads, feeds)."""
        values = {"q": self.q or None, "province": self.province and self.province.code,
                  "ward": self.ward and self.ward.code, "goods": self.goods and self.goods.code,
                  "type": self.type and self.type.value, "year": self.year,
                  "after_commitment": 1 if self.after_commitment else None,
                  "sort": self.sort if self.sort != "newest" else None}
        return {k: str(v) for k, v in values.items() if v is not None}

    @property
    def active(self) -> bool:
        return bool(set(self.args()) - {"sort"})

    def note(self, name: str):
        """Why the value given for ``name`` was set aside, in the user's language (or None)."""
        if name not in self.ignored:
            return None
        value = self.ignored[name]
        if name == "ward" and self.province is not None and _int(value) is not None and db.session.get(
                Ward, _int(value)) is not None:
            return _l("Ward %(value)s is not in %(province)s, so this filter was not applied.", value=value,
                      province=self.province.name)
        messages = {
            "province": _l("There is no province with code %(value)s, so this filter was not applied.", value=value),
            "ward": _l("There is no ward with code %(value)s, so this filter was not applied.", value=value),
            "goods": _l("There is no goods category “%(value)s”, so this filter was not applied.", value=value),
            "type": _l("There is no violation type “%(value)s”, so this filter was not applied.", value=value),
            "year": _l("“%(value)s” is not a valid year, so this filter was not applied.", value=value),
            "sort": _l("“%(value)s” is not a known order, so the newest entries come first.", value=value),
        }
        return messages[name]


def _int(raw: str) -> int | None:
    raw = raw.strip()  # ASCII digits only: "²" passes isdigit() but int() refuses it
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


def parse_filters(args: Mapping[str, str], *, today: date | None = None) -> ViolationFilters:
    """Read the public list's query parameters; never fails, whatever is sent."""
    today = today or local_day(utcnow())
    got = {name: (args.get(name) or "").strip() for name in FILTER_PARAMS}
    filters = ViolationFilters(q=got["q"][:MAX_QUERY], after_commitment=got["after_commitment"] in ("1", "true", "on"))
    if got["province"]:
        code = _int(got["province"])
        filters.province = db.session.get(Province, code) if code is not None else None
        if filters.province is None:
            filters.ignored["province"] = got["province"][:20]
    if got["ward"]:
        code = _int(got["ward"])
        ward = db.session.get(Ward, code) if code is not None else None
        if ward is None or (filters.province is not None and ward.province_code != filters.province.code):
            filters.ignored["ward"] = got["ward"][:20]
        else:
            filters.ward = ward
            if filters.province is None:  # the ward names its province (and the form then shows both)
                filters.province = db.session.get(Province, ward.province_code)
    if got["goods"]:
        filters.goods = db.session.scalar(select(GoodsCategory).where(GoodsCategory.code == got["goods"][:40]))
        if filters.goods is None:
            filters.ignored["goods"] = got["goods"][:40]
    if got["type"]:
        if got["type"] in {t.value for t in ViolationType}:
            filters.type = ViolationType(got["type"])
        else:
            filters.ignored["type"] = got["type"][:40]
    if got["year"]:
        year = _int(got["year"])
        if year is not None and FIRST_YEAR <= year <= today.year:
            filters.year = year
        else:
            filters.ignored["year"] = got["year"][:20]
    if got["sort"]:
        if got["sort"] in SORTS:
            filters.sort = got["sort"]
        else:
            filters.ignored["sort"] = got["sort"][:20]
    return filters


def _listed(on: date | None):
    on = on or local_day(utcnow())
    return (PublicEntry.withdrawn_at.is_(None), or_(PublicEntry.ends_on.is_(None), PublicEntry.ends_on >= on))


def _narrowed(stmt: Select, filters: ViolationFilters) -> Select:
    for word in fold(filters.q).split()[:MAX_WORDS]:  # each word found at the start of a word
        # two LIKEs on the column itself, which its trigram index answers on PostgreSQL
        stmt = stmt.where(or_(PublicEntry.search_folded.startswith(word, autoescape=True),
                              PublicEntry.search_folded.contains(" " + word, autoescape=True)))
    if filters.ward is not None:
        stmt = stmt.where(PublicEntry.ward_code == filters.ward.code)
    if filters.province is not None:
        stmt = stmt.where(PublicEntry.province_code == filters.province.code)
    if filters.goods is not None:
        stmt = stmt.where(PublicEntry.goods_category_id == filters.goods.id)
    if filters.type is not None:
        stmt = stmt.where(PublicEntry.violation_type == filters.type)
    if filters.year is not None:
        stmt = stmt.where(PublicEntry.decision_on.between(date(filters.year, 1, 1), date(filters.year, 12, 31)))
    if filters.after_commitment:
        stmt = stmt.where(PublicEntry.after_commitment.is_(True))
    return stmt


ORDER = {
    "newest": (PublicEntry.published_at.desc(), PublicEntry.id.desc()),
    "oldest": (PublicEntry.published_at.asc(), PublicEntry.id.asc()),
    # the folded text starts with the name: "Đại lý" sorts with "Dai", not after "Z"
    "name": (PublicEntry.search_folded.asc(), PublicEntry.id.asc()),
    "fine": (PublicEntry.fine.desc().nulls_last(), PublicEntry.id.desc()),
}


def listed_violations(*, q: str | None = None, on: date | None = None,
                      filters: ViolationFilters | None = None) -> Select:
    """Entries on the public lists: published, not withdrawn, not past their end of publication,
    narrowed by ``filters`` (or just the search ``q``) and in their order."""
    filters = filters or ViolationFilters(q=q or "")
    stmt = (select(PublicEntry).where(*_listed(on)).options(joinedload(PublicEntry.goods_category))
            .order_by(*ORDER[filters.sort]))
    return _narrowed(stmt, filters)


def count_listed(filters: ViolationFilters, *, on: date | None = None) -> int:
    stmt = _narrowed(select(func.count(PublicEntry.id)).where(*_listed(on)), filters)
    return db.session.scalar(stmt) or 0


def stream_listed(filters: ViolationFilters, *, on: date | None = None,
                  batch: int = 500) -> Iterator[tuple[PublicEntry, str, str]]:
    """Every listed entry the filters select, with its ward and province names, fetched from the
    database in batches (a server-side cursor on PostgreSQL) so a large set never sits in memory."""
    stmt = (listed_violations(on=on, filters=filters)
            .join(Ward, Ward.code == PublicEntry.ward_code).join(Province, Province.code == PublicEntry.province_code)
            .add_columns(Ward.name, Province.name)
            .execution_options(yield_per=batch))
    for entry, ward, province in db.session.execute(stmt):
        yield entry, ward, province  # the session holds loaded rows weakly: written ones are let go


@dataclass
class FilterChoices:
    provinces: list[Province]
    wards: list[Ward]  # of the chosen province
    goods: list[GoodsCategory]
    years: list[int]  # years with a listed decision


def listed_years(on: date | None = None) -> list[int]:
    """The years with a listed decision, newest first (a scan of the whole list: the page keeps
    them in the page cache)."""
    year = extract("year", PublicEntry.decision_on)
    found = {int(y) for y in db.session.scalars(select(year).where(*_listed(on)).distinct()) if y is not None}
    return sorted(found, reverse=True)


def filter_choices(filters: ViolationFilters, *, on: date | None = None,
                   years: list[int] | None = None) -> FilterChoices:
    """The options of the list's filter form, in four queries whatever the size of the list
    (three when the ``years`` of ``listed_years`` are given)."""
    provinces = sorted(db.session.scalars(select(Province)), key=lambda p: fold(p.name))
    wards = []
    if filters.province is not None:
        wards = sorted(db.session.scalars(select(Ward).where(Ward.province_code == filters.province.code)),
                       key=lambda w: fold(w.name))
    goods = list(db.session.scalars(select(GoodsCategory).where(GoodsCategory.active.is_(True))
                                    .order_by(GoodsCategory.name_vi)))
    if filters.goods is not None and filters.goods not in goods:
        goods.append(filters.goods)
    shown = set(years if years is not None else listed_years(on))
    if filters.year is not None:
        shown.add(filters.year)
    return FilterChoices(provinces, wards, goods, sorted(shown, reverse=True))


def goods_categories() -> list[GoodsCategory]:
    return list(db.session.scalars(select(GoodsCategory).order_by(GoodsCategory.code)))


def violation_entry(entry_id: int) -> PublicEntry | None:
    """One entry by its permanent number, whatever became of it (the page says so)."""
    return db.session.get(PublicEntry, entry_id)


def is_listed(entry: PublicEntry, on: date | None = None) -> bool:
    on = on or local_day(utcnow())
    return entry.withdrawn_at is None and (entry.ends_on is None or entry.ends_on >= on)


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
