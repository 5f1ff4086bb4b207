"""Statistics for journalists: figures by month, province and goods category, as charts drawn on
the server, as tables, and as a CSV file (/statistics.csv, the same figures)."""
from __future__ import annotations

from flask import Response, request
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal import cache, ratelimit
from portal.charts import count_columns, count_rows
from portal.extensions import db
from portal.models import GoodsCategory, Province
from portal.public import bp
from portal.services import statistics
from portal.services.spreadsheets import CSV_MIME, csv_lines
from portal.text import fold
from portal.web import render

#: The figures drawn as charts (sanction decisions are in the tables and the CSV).
CHARTED = ("commitments", "inspections", "violations", "fines")


def figure_names() -> dict[str, str]:
    return {"commitments": _("Commitments signed"), "inspections": _("Inspections"),
            "violations": _("Violations found"), "sanctions": _("Sanction decisions"),
            "fines": _("Fines imposed (VND)")}


def _filters():
    """(year, province, refusal): the page's filters, or which of them was refused."""
    try:
        return statistics.parse_year(request.args.get("year")), \
            statistics.parse_province(request.args.get("province")), None
    except statistics.BadFilter as refused:
        return None, None, str(refused)


def _label(goods: GoodsCategory | None) -> str:
    """A goods category's name in the reader's language; "not recorded" for violations,
    inspections and businesses recorded without one."""
    return goods.name(str(get_locale())) if goods is not None else _("Not recorded")


def _computed(year: int, province: Province | None) -> statistics.Statistics:
    """The statistics, whose figures are kept in the cache for a while: they take seconds at a
    national scale and do not follow what is published (so they are not rendered afresh when
    the generation changes, only when they expire)."""
    code = province.code if province else None
    found = cache.remember(f"statistics:{year}:{code}", lambda: statistics.figures(year, code),
                           seconds=cache.STATISTICS_SECONDS, generational=False)
    return statistics.compute(year, province, found)


def _refused_page(refused: str):
    return render("public/statistics.html", status=400, stats=None, **_context(refused))


def _context(refused: str | None = None) -> dict:
    return {"refused": refused, "provinces": sorted(db.session.scalars(select(Province)), key=lambda p: fold(p.name)),
            "years": range(statistics.this_year(), statistics.FIRST_YEAR - 1, -1), "names": figure_names()}


@bp.get("/statistics")
@cache.cached()
def statistics_page():
    year, province, refused = _filters()
    if refused:
        return _refused_page(refused)
    stats = _computed(year, province)
    stats.by_goods.sort(key=lambda pair: (pair[0] is None, fold(_label(pair[0]))))  # in the reader's language
    month_labels = [f"{m:02d}" for m in range(1, 13)]
    charts = {
        "month": [count_columns(f, month_labels, [getattr(r, f) for r in stats.by_month]) for f in CHARTED],
        "province": [count_rows(f, [p.name for p, _r in stats.by_province],
                                [getattr(r, f) for _p, r in stats.by_province])
                     for f in CHARTED] if stats.by_province else [],
        "goods": [count_rows(f, [_label(g) for g, _r in stats.by_goods], [getattr(r, f) for _g, r in stats.by_goods])
                  for f in CHARTED] if stats.by_goods else [],
    }
    tables = {"month": [(_("Month %(num)d", num=r.key), r) for r in stats.by_month],
              "province": [(p.name, r) for p, r in stats.by_province],
              "goods": [(_label(g), r) for g, r in stats.by_goods]}
    return render("public/statistics.html", stats=stats, charts=charts, tables=tables, **_context())


def csv_rows(stats: statistics.Statistics):
    figures = lambda r: [getattr(r, name) for name in statistics.FIGURES]  # noqa: E731
    yield ["total", str(stats.year), _("Whole year"), *figures(stats.totals)]
    for r in stats.by_month:
        yield ["month", f"{stats.year}-{r.key:02d}", f"{r.key:02d}/{stats.year}", *figures(r)]
    for province, r in stats.by_province:
        yield ["province", str(province.code), province.name, *figures(r)]
    for goods, r in stats.by_goods:
        yield ["goods", goods.code if goods else "", _label(goods), *figures(r)]


CSV_HEADER = ["dimension", "code", "name", "commitments_signed", "inspections", "violations_found",
              "sanction_decisions", "fines_vnd"]


@bp.get("/statistics.csv")
@cache.cached()
def statistics_csv():
    ratelimit.check("download")
    year, province, refused = _filters()
    if refused:
        return _refused_page(refused)
    stats = _computed(year, province)
    name = f"statistics-{year}" + (f"-{province.code}" if province else "") + ".csv"
    return Response("".join(csv_lines(CSV_HEADER, csv_rows(stats))), content_type=CSV_MIME,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
