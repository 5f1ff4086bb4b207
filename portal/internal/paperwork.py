"""Blank papers to print, pre-filled with what the portal knows: coordination agreements.
(The commitment form of a business is printed from the registry: internal.registry.commitment_form.)"""
from __future__ import annotations

from flask import Blueprint, abort, request
from flask_login import current_user

from portal.extensions import db
from portal.internal.forms.fields import optional_int
from portal.models import Counterpart, Ward
from portal.services import paperwork, registry, scope

bp = Blueprint("paperwork", __name__, url_prefix="/paperwork")

MAX_NAME = 200  # as long as Agreement.counterpart_name may be


@bp.get("/agreement-form.docx")
def agreement_form():
    """?counterpart=market_board&name=Ban quản lý chợ Hàm Rồng&ward=14758 (a ward's own staff may
    leave out the ward)."""
    try:
        kind = Counterpart(request.args.get("counterpart", ""))
    except ValueError:
        abort(400)
    name = " ".join(request.args.get("name", "").split())
    if not name or len(name) > MAX_NAME or not paperwork.printable(name):
        abort(400)
    raw_ward = request.args.get("ward", "").strip()
    ward_code = optional_int(raw_ward) if raw_ward else current_user.unit.ward_code
    ward = db.session.get(Ward, ward_code) if ward_code else None
    if ward is None:
        abort(400)
    if not scope.covers_area(current_user, ward.code, ward.province_code):
        abort(403)
    content = paperwork.agreement_form(kind, name, ward, current_user.unit, today=registry.today())
    return paperwork.download(content, paperwork.agreement_filename(name))
