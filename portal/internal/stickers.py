"""Printable stickers with a QR code for businesses that signed a commitment.

The QR code opens the business's public status page (/check/<id>), where a consumer sees the
commitment and can report the shop. Staff print stickers only for businesses of their area."""
from __future__ import annotations

import base64
from datetime import date

from flask import Blueprint, abort, redirect, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.i18n import official_date

from portal.services import business_check, registry
from portal.web import render

bp = Blueprint("stickers", __name__)


@bp.get("/businesses/<int(max=2147483647):business_id>/sticker")
def sticker(business_id: int):
    business = registry.get(current_user, business_id) or abort(404)  # a business outside the area: 403
    if business.merged_into_id:
        return redirect(url_for("internal.stickers.sticker", business_id=business.merged_into_id))
    signed_on = business_check.latest_commitment(business.id)
    if signed_on is None:
        return render("internal/stickers/refused.html", business=business, status=409)
    url = business_check.public_url(business.id)
    qr = base64.b64encode(business_check.qr_svg(url)).decode("ascii")
    return render("internal/stickers/sticker.html", business=business, signed_on=signed_on, url=url,
                  qr_src=f"data:image/svg+xml;base64,{qr}", texts=[_texts("vi", signed_on), _texts("en", signed_on)])


def _texts(locale: str, signed_on: date) -> dict[str, str]:
    """The sticker speaks Vietnamese first and English second, whatever the staff member reads."""
    with force_locale(locale):
        return {"lang": locale,
                "portal": _("Anti-counterfeit portal"),
                "statement": _("This business has signed a commitment not to trade counterfeit goods"),
                "signed": _("Signed on %(date)s", date=official_date(signed_on)),
                "scan": _("Scan to check this business or to report it")}
