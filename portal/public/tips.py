"""Citizens' tips: the form, and following a tip with its receipt code.

The receipt code is shown once, on the answer to the POST that sent the tip (never in a URL,
a cookie or a log), and that answer is not stored by the browser (Cache-Control: no-store).
Following a tip is a POST too, so the code stays out of server logs and browser history.
"""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import TooManyRequests

from portal import ratelimit
from portal.extensions import db
from portal.public import bp
from portal.models import Province
from portal.public.forms import TipForm, TrackForm, optional_int
from portal.services import areas, tips
from portal.services.errors import ValidationFailed
from portal.web import apply_errors, render


def _private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _prefill(form: TipForm) -> dict | None:
    """?business=<id>, ?goods=<code>, ?province=<code>: the form opened from a sticker or a guide."""
    business = tips.prefill_business(optional_int(request.args.get("business")))
    if business:
        form.business_id.data = business["id"]
        form.shop.data = business["name"]
        form.place.data = business["address"]
        form.province_code.data = business["province_code"]
        form.ward_code.data = business["ward_code"]
    else:
        province = optional_int(request.args.get("province"))
        if province and db.session.get(Province, province) is not None:  # an unknown code is ignored
            form.province_code.data = province
    goods = (request.args.get("goods") or "").strip()[:40]
    if goods:
        form.goods.data = goods
    return business


def _data(form: TipForm) -> tips.TipData:
    return tips.TipData(
        what=form.what.data, province_code=form.province_code.data, ward_code=form.ward_code.data,
        place=form.place.data, goods=form.goods.data or None, shop=form.shop.data,
        business_id=form.business_id.data, wants_contact=form.wants_contact,
        contact_name=form.contact_name.data, contact_phone=form.contact_phone.data,
        contact_email=form.contact_email.data)


def _form_page(form: TipForm, *, status: int = 200, business=None, photos_dropped: bool = False):
    return _private(render("public/tips/new.html", form=form, business=business, photos_dropped=photos_dropped,
                           status=status))


def _held_back(*buckets: str) -> int | None:
    """Count this request in the buckets; the seconds to wait when one is used up, else None."""
    try:
        for bucket in buckets:
            ratelimit.check(bucket)
    except TooManyRequests as refused:
        return refused.retry_after if isinstance(refused.retry_after, int) else 60
    return None


def _minutes(seconds: int) -> int:
    return max((seconds + 59) // 60, 1)


@bp.route("/tips/new", methods=["GET", "POST"])
def new_tip():
    form = TipForm()
    business = None
    if request.method == "GET":
        business = _prefill(form)
        form.fill_choices()
        return _form_page(form, business=business)

    sent_photos = bool(tips._real_uploads(request.files.getlist(form.photos.name)))
    form.fill_choices()
    business = tips.prefill_business(form.business_id.data)
    if "refresh" in request.form:  # "Update the list of wards" without JavaScript: nothing is sent
        if form.ward_code.data not in {w.code for w in areas.wards_of(form.province_code.data)}:
            form.ward_code.data = None
        return _form_page(form, business=business, photos_dropped=sent_photos)

    wait = _held_back("tips", "tips_daily")
    if wait is not None:  # answer 429 on the form itself, so that nothing typed is lost
        form.form_errors.append(_("Too many tips have been sent from your connection. Wait about %(num)d "
                                  "minutes, then send this one again: what you typed is kept below.",
                                  num=_minutes(wait)))
        response = _form_page(form, status=429, business=business, photos_dropped=sent_photos)
        response.headers["Retry-After"] = str(wait)
        return response
    if form.website.data:  # a robot filled the hidden field: answer as if accepted, keep nothing
        return _private(render("public/tips/receipt.html", code=tips.grouped(tips.new_code())))
    if not form.validate():
        return _form_page(form, status=422, business=business, photos_dropped=sent_photos)
    try:
        tip, code = tips.submit(_data(form), request.files.getlist(form.photos.name))
    except ValidationFailed as refused:
        db.session.rollback()
        apply_errors(form, refused.errors)
        return _form_page(form, status=422, business=business, photos_dropped=sent_photos)
    db.session.commit()
    return _private(render("public/tips/receipt.html", code=tips.grouped(code)))


@bp.get("/tips/wards")
def tip_wards():
    """The ward select for the chosen province; htmx swaps it in when the province changes."""
    form = TipForm(formdata=None)
    form.province_code.data = optional_int(request.args.get("province_code"))
    form.fill_choices()
    return render("public/tips/_ward_field.html", form=form)


@bp.route("/tips/track", methods=["GET", "POST"])
def track_tip():
    form = TrackForm()
    found, looked = None, False
    if request.method == "POST":
        wait = _held_back("track")
        if wait is not None:  # the code typed stays in the field
            form.code.errors = [_("Too many codes have been tried from your connection. Wait about "
                                  "%(num)d minutes, then try again.", num=_minutes(wait))]
            response = _private(render("public/tips/track.html", form=form, found=None, looked=True, status=429))
            response.headers["Retry-After"] = str(wait)
            return response
        looked = True
        if form.validate():
            found = tips.track(form.code.data)
        if found is None:
            form.code.errors = list(form.code.errors) + [
                _("There is no tip with this code. Check the code and try again.")]
    status = 422 if looked and found is None else 200
    return _private(render("public/tips/track.html", form=form, found=found, looked=looked, status=status))
