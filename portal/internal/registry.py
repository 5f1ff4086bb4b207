"""The business registry of one's area: list, search, record, edit, status, merge."""
from __future__ import annotations

import math
from dataclasses import dataclass

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.extensions import db
from portal.internal.forms.admin import options
from portal.internal.forms.fields import EmptyForm, optional_int
from portal.internal.forms.registry import BusinessForm, StatusForm
from portal.models import Business, BusinessStatus, ChannelKind, GoodsCategory, Province, Violation, Ward
from portal.services import areas, enforcement, outreach, registry, scope
from portal.services.errors import ValidationFailed
from portal.web import act, apply_errors, done, page_number, render, submit

bp = Blueprint("registry", __name__, url_prefix="/businesses")

PER_PAGE = 50


def _load(business_id: int) -> Business:
    business = registry.get(current_user, business_id)
    if business is None:
        abort(404)
    return business


def _enum(cls, value):
    try:
        return cls(value) if value else None
    except ValueError:
        return None


@dataclass
class SearchPage:
    """A page of search results, with the total found (registry.search_page)."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.per_page)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


@bp.get("/")
def index():
    q = request.args.get("q", "").strip()[:100]
    status = _enum(BusinessStatus, request.args.get("status"))
    channel = _enum(ChannelKind, request.args.get("channel"))
    ward_code = optional_int(request.args.get("ward"))
    number = page_number()
    if q:
        page = SearchPage(*registry.search_page(current_user, number, PER_PAGE, q=q, ward_code=ward_code,
                                                status=status, channel=channel), number, PER_PAGE)
    else:
        page = db.paginate(registry.search(current_user, ward_code=ward_code, status=status, channel=channel),
                           page=number, per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)
    unit = current_user.unit
    wards = [] if unit.ward_code else areas.wards_of(unit.province_code) if unit.province_code else []
    return render("internal/registry/index.html", page=page, q=q, status_filter=status, channel=channel,
                  ward_code=ward_code, wards=wards, can_keep=current_user.has_role(*registry.KEEPERS),
                  filters={"q": q or None, "status": status.value if status else None,
                           "channel": channel.value if channel else None, "ward": ward_code})


@bp.get("/<int(max=2147483647):business_id>")
def detail(business_id: int):
    business = _load(business_id)
    q = request.args.get("merge_q", "").strip()[:100]
    others = []
    if q:
        others = [b for b in db.session.scalars(registry.search(current_user, q=q).limit(20)) if b.id != business.id]
    return render("internal/registry/detail.html", business=business, status_form=StatusForm(formdata=None),
                  merge_q=q, others=others, form=EmptyForm(), can_keep=current_user.has_role(*registry.KEEPERS),
                  **_papers(business))


def _papers(business: Business) -> dict:
    """The business's outreach and signed commitments, for its page."""
    sessions = outreach.sessions_of(business)
    return {"sessions": sessions, "open_sessions": {s.id for s in sessions if scope.covers(current_user, s.unit)},
            "can_inspect": enforcement.can_record(current_user),
            "violations": list(db.session.scalars(enforcement.violations(current_user)
                                                  .where(Violation.business_id == business.id))),
            "commitments": list(db.session.scalars(outreach.commitments(current_user, business_id=business.id)))}


def _form(business: Business | None) -> BusinessForm:
    form = BusinessForm(obj=business) if business is not None and request.method == "GET" else BusinessForm()
    unit = current_user.unit
    provinces = ([db.session.get(Province, unit.province_code)] if unit.province_code
                 else list(db.session.scalars(select(Province).order_by(Province.name))))
    form.province_code.choices = options((p.code, p.name) for p in provinces)
    if request.method == "GET":
        form.province_code.data = business.province_code if business else (unit.province_code or provinces[0].code)
    if unit.ward_code:
        wards = [db.session.get(Ward, unit.ward_code)]
    else:
        wards = areas.wards_of(form.province_code.data)
    form.ward_code.choices = options([("", "—")] + [(w.code, w.name) for w in wards])
    if request.method == "GET" and business is None and unit.ward_code:
        form.ward_code.data = unit.ward_code
    goods = db.session.scalars(select(GoodsCategory).where(GoodsCategory.active).order_by(GoodsCategory.name_vi))
    form.goods.choices = options((g.code, g.name(str(get_locale()))) for g in goods)
    if business is not None and request.method == "GET":
        form.goods.data = [g.code for g in business.goods]
        form.opened_on.data = business.recorded_on
        while len(form.channels.entries) < len(business.channels) + 1:
            form.channels.append_entry()
        for entry, channel in zip(form.channels.entries, business.channels, strict=False):
            entry.form.kind.data = channel.kind.value
            entry.form.place_name.data, entry.form.stall.data = channel.place_name, channel.stall
            entry.form.link.data = channel.link
    return form


def _data(form: BusinessForm) -> registry.BusinessData:
    channels = [registry.ChannelData(kind=ChannelKind(e.form.kind.data), place_name=e.form.place_name.data,
                                     stall=e.form.stall.data, link=e.form.link.data)
                for e in form.channels.entries if e.form.kind.data]
    return registry.BusinessData(
        name=form.name.data, address=form.address.data, ward_code=form.ward_code.data, owner_name=form.owner_name.data,
        tax_code=form.tax_code.data, household_reg_no=form.household_reg_no.data, phone=form.phone.data,
        goods=form.goods.data or [], channels=channels, opened_on=form.opened_on.data)


def _save(form: BusinessForm, business: Business | None):
    def change():
        if business is None:
            return registry.create(current_user, _data(form), not_a_duplicate=form.not_a_duplicate.data)
        return registry.update(current_user, business, _data(form), version=form.version.data)

    outcome = submit(form, change, also=(registry.DuplicateSuspected,),
                     message=lambda saved: _("The business %(name)s has been saved.", name=saved.name),
                     next_url=lambda saved: url_for("internal.registry.detail", business_id=saved.id))
    return outcome, outcome.refusal.candidates if outcome.refusal else []


@bp.before_request
def keepers_only_for_changes():
    """Viewers read the registry; only those who keep it may change it."""
    if request.method == "POST" or request.endpoint in {"internal.registry.create", "internal.registry.edit"}:
        scope.ensure_role(current_user, *registry.KEEPERS)


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = _form(None)
    outcome, candidates = _save(form, None)
    return outcome.response or render("internal/registry/form.html", form=form, business=None,
                                      candidates=candidates, status=outcome.status)


@bp.route("/<int(max=2147483647):business_id>/edit", methods=["GET", "POST"])
def edit(business_id: int):
    business = _load(business_id)
    form = _form(business)
    outcome, candidates = _save(form, business)
    return outcome.response or render("internal/registry/form.html", form=form, business=business,
                                      candidates=candidates, status=outcome.status)


@bp.post("/<int(max=2147483647):business_id>/status")
def status(business_id: int):
    business = _load(business_id)
    form = StatusForm()
    if form.validate():
        try:
            registry.record_status(current_user, business, BusinessStatus(form.status.data), form.on.data,
                                   form.note.data)
        except ValidationFailed as refused:
            db.session.rollback()
            apply_errors(form, refused.errors)
        else:
            db.session.commit()
            flash(_("The status has been recorded."), "success")
            return done(url_for("internal.registry.detail", business_id=business.id))
    business = _load(business_id)
    return render("internal/registry/detail.html", business=business, status_form=form, merge_q="",
                  others=[], form=EmptyForm(), can_keep=True, status=422, **_papers(business))


@bp.post("/<int(max=2147483647):business_id>/merge/<int(max=2147483647):other_id>")
def merge(business_id: int, other_id: int):
    keep, other = _load(business_id), _load(other_id)
    return act(lambda: registry.merge(current_user, keep, other), message=_("The two records are now one."),
               next_url=url_for("internal.registry.detail", business_id=keep.id))


@bp.get("/<int(max=2147483647):business_id>/commitment-form.docx")
def commitment_form(business_id: int):
    """The commitment form of a business, pre-filled, to print and have signed."""
    from portal.services import paperwork

    business = _load(business_id)
    content = paperwork.commitment_form(business, current_user.unit, today=registry.today())
    return paperwork.download(content, paperwork.commitment_filename(business))
