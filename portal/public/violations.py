"""Named violators: the public list, one page per entry, and the downloads and feeds journalists use.

The URLs and query parameters here are a contract with journalists and must stay stable:
/violations, /violations/<id>, /violations.csv, /violations.json, /feeds/violations.atom
with q, province, ward, goods, type, year, after_commitment, sort (and page on the list)."""
from __future__ import annotations

from pathlib import Path

from flask import Response, abort, request, send_from_directory, stream_with_context, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from portal import cache, ratelimit
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import official_date, vnd
from portal.labels import VIOLATION_TYPE_LABELS
from portal.public import bp
from portal.services import disclosure, open_data
from portal.services.deadlines import local_day
from portal.web import page_number, render

PER_PAGE = 20


def _filters() -> disclosure.ViolationFilters:
    filters = disclosure.parse_filters(request.args)
    if filters.q:
        ratelimit.check("search")
    return filters


@bp.get("/violations")
@cache.cached()
def violations():
    filters = _filters()
    total = disclosure.count_listed(filters)
    last = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    number = page_number(last)
    page = db.paginate(disclosure.listed_violations(filters=filters), page=number, per_page=PER_PAGE,
                       max_per_page=PER_PAGE, error_out=False, count=False)
    page.total = total
    years = cache.remember("listed-years", disclosure.listed_years)
    return render("public/violations.html", page=page, filters=filters, args=filters.args(),
                  choices=disclosure.filter_choices(filters, years=years), places=disclosure.place_names(page.items),
                  feed_args=_feed_args(filters))


@bp.get("/violations/<int(max=2147483647):entry_id>")
@cache.cached()
def violation(entry_id: int):
    entry = disclosure.violation_entry(entry_id) or abort(404)
    today = local_day(utcnow())
    ended = entry.ends_on is not None and entry.ends_on < today
    status = 410 if entry.withdrawn_at or ended else 200
    return render("public/violation.html", entry=entry, ended=ended, replies=disclosure.approved_replies(entry),
                  place=disclosure.place_names([entry]).get(entry.ward_code, ""), status=status)


def _permanent_url(entry_id: int) -> str:
    return url_for("public.violation", entry_id=entry_id, _external=True)


def _download(body, mimetype: str, ext: str) -> Response:
    name = open_data.today_name("violations", local_day(utcnow()), ext)
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/violations.csv")
@cache.cached()
def violations_csv():
    ratelimit.check("download")
    filters = _filters()
    rows = disclosure.stream_listed(filters)
    return _download(open_data.csv_chunks(rows, _permanent_url), "text/csv", "csv")


@bp.get("/violations.json")
@cache.cached()
def violations_json():
    ratelimit.check("download")
    filters = _filters()
    count = disclosure.count_listed(filters)
    rows = disclosure.stream_listed(filters)
    body = open_data.json_chunks(rows, _permanent_url, count=count, generated_at=utcnow(), filters=filters.args(),
                                 ignored=filters.ignored)
    return _download(body, "application/json", "json")


def _feed_args(filters: disclosure.ViolationFilters) -> dict[str, str]:
    """The feed follows the list's province and goods category (the feeds newsrooms subscribe to)."""
    return {k: v for k, v in filters.args().items() if k in ("province", "goods")}


@bp.get("/feeds/violations.atom")
@cache.cached()
def violations_feed():
    ratelimit.check("download")
    filters = _filters()
    filters.sort = "newest"
    entries = list(db.session.scalars(disclosure.listed_violations(filters=filters).limit(open_data.FEED_SIZE)))
    places = disclosure.place_names(entries)
    language = str(get_locale())
    title = _("Violations made public")
    narrowed = [x for x in (filters.province and filters.province.name,
                            filters.goods and filters.goods.name(language), filters.ward and filters.ward.name) if x]
    if narrowed:
        title = f"{title}: {', '.join(narrowed)}"
    args = filters.args()
    args.pop("sort", None)
    items = [open_data.FeedEntry(entry=e, url=_permanent_url(e.id), summary=_summary(e, places, language),
                                 categories=_categories(e, language)) for e in entries]
    body = open_data.atom(
        feed_id=url_for("public.violations_feed", _external=True, **args), title=title,
        self_url=url_for("public.violations_feed", _external=True, **args, **_lang_arg(language)),
        list_url=url_for("public.violations", _external=True, **args, **_lang_arg(language)),
        author=_("Steering committees 389"), rights=_("Licence: %(licence)s", licence="CC BY 4.0"),
        language=language, entries=items, now=utcnow())
    return Response(body, mimetype="application/atom+xml")


def _lang_arg(language: str) -> dict:
    return {"lang": language} if "lang" in request.args else {}


def _categories(entry, language: str) -> list[tuple[str, str]]:
    found = [(entry.violation_type.value, str(VIOLATION_TYPE_LABELS[entry.violation_type]))]
    if entry.goods_category:
        found.append((entry.goods_category.code, entry.goods_category.name(language)))
    return found


def _summary(entry, places: dict[int, str], language: str) -> str:
    what = [str(VIOLATION_TYPE_LABELS[entry.violation_type])]
    if entry.goods_category:
        what.append(entry.goods_category.name(language))
    if entry.brand:
        what.append(entry.brand)
    parts = [" · ".join(what), f"{entry.address}, {places.get(entry.ward_code, '')}",
             _("Decision %(number)s of %(date)s", number=entry.decision_number, date=official_date(entry.decision_on))]
    if entry.fine:
        parts.append(f'{_("Fine")}: {vnd(entry.fine)}')
    if entry.after_commitment:
        parts.append(_("Offended after signing a commitment"))
    return ". ".join(parts) + "."


# --- open data ------------------------------------------------------------------------------

OPEN_DATA = Path(__file__).resolve().parent.parent / "static" / "open-data"


@bp.get("/open-data")
@cache.cached()
def open_data_page():
    return render("public/open_data.html", fields=open_data.FIELDS, kinds=open_data.KINDS,
                  licence=open_data.LICENCE, goods=disclosure.goods_categories(), feed_size=open_data.FEED_SIZE,
                  per_page=PER_PAGE)


@bp.get("/open-data/violations.schema.json")
def violations_schema():
    response = send_from_directory(OPEN_DATA, "violations.schema.json", mimetype="application/schema+json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
