"""Statistics for journalists: figures by month, province and goods category, as charts drawn on
the server, as tables, and as a CSV file (/statistics.csv, the same figures)."""
from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_compact_decimal
from flask import Response, request
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal import ratelimit
from portal.charts import LEFT, RIGHT
from portal.extensions import db
from portal.models import GoodsCategory, Province
from portal.public import bp
from portal.services import statistics
from portal.services.spreadsheets import CSV_MIME, csv_lines
from portal.text import fold
from portal.web import render

#: The figures drawn as charts (sanction decisions are in the tables and the CSV).
CHARTED = ("commitments", "inspections", "violations", "fines")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    short: str  # the figure, compact ("15 Tr"), drawn beside the bar (the tables give it in full)
    text_x: float
    text_y: float


@dataclass(frozen=True)
class BarChart:
    figure: str  # which figure, also a CSS modifier: stats-bars--<figure>
    width: int
    height: int
    horizontal: bool
    bars: list[Bar]
    labels: list[tuple[float, float, str]]  # x, y and the text of each category label
    baseline: tuple[float, float, float, float]


def _compact(value: int) -> str:
    if value < 1000:
        return str(value)
    return format_compact_decimal(value, locale=str(get_locale()), fraction_digits=1)


def _short_label(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def columns(figure: str, labels: list[str], values: list[int]) -> BarChart:
    """Upright bars, one per month, scaled to the largest value."""
    width, height, top, bottom = 320, 170, 16, 20
    left, right = LEFT // 4, RIGHT // 3
    span = (width - left - right) / max(len(values), 1)
    peak = max(values) or 1
    bars, texts = [], []
    for i, (label, value) in enumerate(zip(labels, values)):
        h = round((height - top - bottom) * value / peak)
        x = round(left + i * span + span * 0.15)
        y = height - bottom - h
        middle = round(left + (i + 0.5) * span)
        bars.append(Bar(x, y, round(span * 0.7), h, _compact(value) if value else "", middle, y - 3))
        texts.append((middle, height - 6, label))
    return BarChart(figure, width, height, False, bars, texts, (left, height - bottom, width - right, height - bottom))


def rows(figure: str, labels: list[str], values: list[int]) -> BarChart:
    """Bars lying down, one per province or goods category, their names on the left."""
    width, row, label_width, right = 400, 20, 150, 48
    height = max(len(values), 1) * row + 8
    peak = max(values, default=0) or 1
    bars, texts = [], []
    for i, (label, value) in enumerate(zip(labels, values)):
        y = 4 + i * row
        w = round((width - label_width - right) * value / peak)
        bars.append(Bar(label_width, y + 3, w, row - 6, _compact(value), label_width + w + 4, y + row - 6))
        texts.append((label_width - 6, y + row - 6, _short_label(label)))
    return BarChart(figure, width, height, True, bars, texts, (label_width, 2, label_width, height - 2))


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


def _refused_page(refused: str):
    return render("public/statistics.html", status=400, stats=None, **_context(refused))


def _context(refused: str | None = None) -> dict:
    return {"refused": refused, "provinces": sorted(db.session.scalars(select(Province)), key=lambda p: fold(p.name)),
            "years": range(statistics.this_year(), statistics.FIRST_YEAR - 1, -1), "names": figure_names()}


@bp.get("/statistics")
def statistics_page():
    year, province, refused = _filters()
    if refused:
        return _refused_page(refused)
    stats = statistics.compute(year, province)
    stats.by_goods.sort(key=lambda pair: (pair[0] is None, fold(_label(pair[0]))))  # in the reader's language
    month_labels = [f"{m:02d}" for m in range(1, 13)]
    charts = {
        "month": [columns(f, month_labels, [getattr(r, f) for r in stats.by_month]) for f in CHARTED],
        "province": [rows(f, [p.name for p, _r in stats.by_province], [getattr(r, f) for _p, r in stats.by_province])
                     for f in CHARTED] if stats.by_province else [],
        "goods": [rows(f, [_label(g) for g, _r in stats.by_goods], [getattr(r, f) for _g, r in stats.by_goods])
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
def statistics_csv():
    ratelimit.check("download")
    year, province, refused = _filters()
    if refused:
        return _refused_page(refused)
    stats = statistics.compute(year, province)
    name = f"statistics-{year}" + (f"-{province.code}" if province else "") + ".csv"
    return Response("".join(csv_lines(CSV_HEADER, csv_rows(stats))), content_type=CSV_MIME,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
