from __future__ import annotations

from flask import request

from portal import cache
from portal.models import Province
from portal.public import bp
from portal.services import areas, disclosure
from portal.services.hotlines import main_hotline
from portal.web import render

#: Provincial hotlines shown on the home page when no province is chosen.
HOME_SHORT_LIST = 6


@bp.app_context_processor
def header_hotline():
    """The main national hotline for the header of every public page (looked up only when a
    page's layout asks for it)."""
    return {"main_hotline": national_hotline}


def national_hotline() -> dict | None:
    """The header's national hotline, ``{"phone_list": [...]}``, kept in the page cache so that
    a page rendered afresh does not look it up again."""
    return cache.remember("national-hotline", _national_phones)


def _national_phones() -> dict | None:
    line = main_hotline()
    return {"phone_list": line.phone_list} if line is not None else None


def _chosen_province() -> tuple[Province | None, bool]:
    """The province of the ``province`` query parameter, and whether one was asked for that does
    not exist (the page then says so and shows every hotline)."""
    raw = request.args.get("province", "").strip()
    if not raw:
        return None, False
    province = areas.province_by_code(raw)
    return province, province is None


def _filter_context():
    groups = disclosure.hotlines()
    province, unknown = _chosen_province()
    provinces = [p for p, _lines in groups if p is not None]
    if province is not None:
        groups = [(p, lines) for p, lines in groups if p is None or p.code == province.code]
    return {"hotlines": groups, "province": province, "unknown_province": unknown, "provinces": provinces,
            "province_listed": province is not None and any(p and p.code == province.code for p, _l in groups)}


def _short(groups, limit: int):
    """The national hotlines and the first ``limit`` provincial ones, in the same groups."""
    kept, left = [], limit
    for province, wards in groups:
        if province is None:
            kept.append((province, wards))
            continue
        trimmed = []
        for ward, lines in wards:
            if left <= 0:
                break
            trimmed.append((ward, lines[:left]))
            left -= len(trimmed[-1][1])
        if trimmed:
            kept.append((province, trimmed))
    return kept


@bp.get("/")
@cache.cached()
def home():
    context = _filter_context()
    total = sum(len(lines) for _p, wards in context["hotlines"] if _p is not None for _w, lines in wards)
    if context["province"] is None:
        context["hotlines"] = _short(context["hotlines"], HOME_SHORT_LIST)
    context["more_hotlines"] = context["province"] is None and total > HOME_SHORT_LIST
    return render("public/home.html", **context)


@bp.get("/hotlines")
@cache.cached()
def hotlines():
    return render("public/hotlines.html", **_filter_context())
