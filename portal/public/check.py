"""Check a business: its commitment and published violations, and its QR code.

/check?q=&province= searches; /check/<id> is the business's public status page, which the QR
code of its sticker opens; /check/<id>/qr.svg is that QR code."""
from __future__ import annotations

from flask import abort, make_response, redirect, request, url_for
from sqlalchemy import select

from portal import cache, ratelimit
from portal.extensions import db
from portal.models import Province
from portal.public import bp
from portal.services import business_check
from portal.services.business_check import QueryRefused
from portal.text import fold
from portal.web import render

MAX_ID = "int(max=2147483647)"


def _provinces() -> list[Province]:
    return sorted(db.session.scalars(select(Province)), key=lambda p: fold(p.name))


@bp.get("/check")
@cache.cached(cache.REGISTRY_SECONDS)
def check():
    q = request.args.get("q", "").strip()[:business_check.MAX_QUERY]
    chosen = request.args.get("province", "")
    context = {"q": q, "province": None, "found": None, "more": False, "refused": None, "provinces": _provinces()}
    if q:
        ratelimit.check("search")
    try:
        context["province"] = business_check.province_of(chosen)
        if q:
            context["found"], context["more"] = business_check.search(
                q, context["province"].code if context["province"] else None)
    except QueryRefused as refused:
        context["refused"] = str(refused)
        return render("public/check/index.html", status=400, **context)
    return render("public/check/index.html", **context)


@bp.get(f"/check/<{MAX_ID}:business_id>")
@cache.cached(cache.REGISTRY_SECONDS)
def check_business(business_id: int):
    business, merged_into = business_check.resolve(business_id)
    if merged_into is not None:
        return redirect(url_for("public.check_business", business_id=merged_into), code=301)
    if business is None:
        abort(404)
    return render("public/check/business.html", page=business_check.status_page(business),
                  links=business_check.public_links(business), tip_url=url_for("public.new_tip", business=business.id))


@bp.get(f"/check/<{MAX_ID}:business_id>/qr.svg")
@cache.cached(cache.REGISTRY_SECONDS)
def check_qr(business_id: int):
    business, merged_into = business_check.resolve(business_id)
    if merged_into is not None:
        return redirect(url_for("public.check_qr", business_id=merged_into), code=301)
    if business is None:
        abort(404)
    response = make_response(business_check.qr_svg(business_check.public_url(business.id)))
    response.mimetype = "image/svg+xml"
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
