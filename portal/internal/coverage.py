"""Coverage of an area: the share of businesses given outreach and signed, now and month by month."""
from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.charts import percent_lines
from portal.extensions import db
from portal.internal.forms.fields import optional_int
from portal.models import ChannelKind, GoodsCategory, Province, Ward
from portal.services import areas, coverage, registry
from portal.web import render

bp = Blueprint("coverage", __name__, url_prefix="/coverage")


@bp.get("/")
def index():
    area = coverage.visible_area(current_user, optional_int(request.args.get("ward")),
                                 optional_int(request.args.get("province")))
    channel = request.args.get("channel") or None
    channel = channel if channel in {c.value for c in ChannelKind} else None
    goods_codes = {g.code: g for g in db.session.scalars(select(GoodsCategory).order_by(GoodsCategory.name_vi))}
    goods = request.args.get("goods") if request.args.get("goods") in goods_codes else None
    category = coverage.Category(channels=(ChannelKind(channel),) if channel else (), goods=goods)
    today = registry.today()
    series = coverage.series(area, category, today)
    now = series[-1]
    chart = percent_lines(
        [f"{f.on.month:02d}/{f.on.year % 100:02d}" for f in series],
        [("outreach", _("Given outreach"), [f.outreach_percent for f in series]),
         ("signed", _("Signed a commitment"), [f.signed_percent for f in series])])
    wards = coverage.by_ward(area, category, today) if not area.ward_code else []
    unit = current_user.unit
    return render(
        "internal/coverage/index.html", area=area, now=now, series=series, chart=chart, wards=wards,
        channels=coverage.by_channel(area, today) if not channel else [], channel=channel, goods=goods,
        goods_codes=goods_codes,
        ward_choices=[] if unit.ward_code else areas.wards_of(area.province_code),
        province_choices=[] if unit.province_code else list(db.session.scalars(select(Province).order_by(Province.name))),
        area_name=_area_name(area))


def _area_name(area: coverage.Area) -> str:
    if area.ward_code:
        ward = db.session.get(Ward, area.ward_code)
        return ward.name if ward else ""
    if area.province_code:
        province = db.session.get(Province, area.province_code)
        return province.name if province else ""
    return _("the whole country")
