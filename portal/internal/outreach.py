"""Outreach sessions (a market meeting recorded in one page), signed commitments and
coordination agreements, with the scans of the signed papers."""
from __future__ import annotations

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.extensions import db
from portal.internal.forms.admin import options
from portal.internal.forms.fields import optional_int
from portal.internal.forms.outreach import (
    AgreementForm,
    BatchForm,
    BatchRowForm,
    CommitmentForm,
    ScanForm,
)
from portal.models import (
    Agreement,
    Business,
    ChannelKind,
    Commitment,
    Counterpart,
    OutreachMethod,
    OutreachSession,
    Ward,
)
from portal.services import areas, files, outreach, registry, scope
from portal.services.errors import ValidationFailed
from portal.web import apply_errors, done, filtered_page, period_filter, render, submit

bp = Blueprint("outreach", __name__)

ID = "<int(max=2147483647):{}>"
SUGGESTIONS = 6


@bp.before_request
def keepers_only_for_changes():
    """Viewers read; only those who keep the registry record outreach and signed papers."""
    if request.method == "POST" or request.endpoint in {
            "internal.outreach.record", "internal.outreach.new_commitment", "internal.outreach.new_agreement",
            "internal.outreach.batch_row", "internal.outreach.batch_suggest"}:
        scope.ensure_role(current_user, *outreach.KEEPERS)


# --- choices ---------------------------------------------------------------------------------

def _wards() -> list[Ward]:
    unit = current_user.unit
    if unit.ward_code:
        return [db.session.get(Ward, unit.ward_code)]
    return areas.wards_of(unit.province_code)


def _choices(form) -> None:
    if hasattr(form, "ward_code"):
        blank = [] if current_user.unit.ward_code else [("", "—")]
        form.ward_code.choices = options(blank + [(w.code, w.name) for w in _wards()])
    if hasattr(form, "plan_id"):
        form.plan_id.choices = options([("", "—")] + [(p.id, str(p)) for p in outreach.plans(current_user)])
    people = outreach.officers(current_user)
    for name in ("officer_ids", "received_by_id"):
        if hasattr(form, name):
            getattr(form, name).choices = options((u.id, f"{u.full_name} ({u.unit.name})") for u in people)


def _defaults(form) -> None:
    """A new form starts from today, the user and the user's ward."""
    for name, value in (("held_on", registry.today()), ("signed_on", registry.today()),
                        ("received_by_id", current_user.id), ("ward_code", current_user.unit.ward_code)):
        if hasattr(form, name) and getattr(form, name).data in (None, ""):
            getattr(form, name).data = value
    if hasattr(form, "officer_ids") and not form.officer_ids.data:
        form.officer_ids.data = [current_user.id]


# --- outreach sessions -----------------------------------------------------------------------

@bp.get("/outreach/")
def index():
    stmt, period = period_filter(outreach.sessions(current_user), current_user,
                                 day_column=OutreachSession.held_on, unit_column=OutreachSession.unit_id)
    page, method = filtered_page(stmt, column=OutreachSession.method, enum=OutreachMethod, arg="method")
    counts = outreach.counts_of([s.id for s in page.items])
    return render("internal/outreach/index.html", page=page, counts=counts, method=method, period=period,
                  can_keep=current_user.has_role(*outreach.KEEPERS))


@bp.get(f"/outreach/{ID.format('session_id')}")
def session_detail(session_id: int):
    session = outreach.get_session(current_user, session_id) or abort(404)
    return render("internal/outreach/detail.html", session=session,
                  signed={c.business_id: c for c in session.commitments})


def _session_data(form: BatchForm) -> outreach.SessionData:
    return outreach.SessionData(
        held_on=form.held_on.data, method=OutreachMethod(form.method.data),
        people_reached=form.people_reached.data or 0,
        plan_id=form.plan_id.data, place=form.place.data, ward_code=form.ward_code.data, note=form.note.data,
        officer_ids=[i for i in form.officer_ids.data or [] if i], received_by_id=form.received_by_id.data)


def _new_business(form: BatchForm, row: BatchRowForm) -> registry.BusinessData:
    """A stall added inline: a market stall of the meeting's market, or a shop when no market is named."""
    place = form.place.data
    channel = (registry.ChannelData(ChannelKind.MARKET_STALL, place_name=place, stall=row.new_stall.data)
               if place else registry.ChannelData(ChannelKind.SHOP, stall=row.new_stall.data))
    address = row.new_address.data or ", ".join(part for part in (row.new_stall.data, place) if part)
    return registry.BusinessData(name=row.new_name.data, address=address or "",
                                 ward_code=form.ward_code.data or current_user.unit.ward_code,
                                 tax_code=row.new_tax_code.data, channels=[channel])


def _batch_rows(form: BatchForm) -> list[outreach.BatchRow]:
    rows = []
    for entry in form.rows.entries:
        row = entry.form
        new = bool(row.new_name.data) and not row.business_id.data
        rows.append(outreach.BatchRow(
            business_id=row.business_id.data, new_business=_new_business(form, row) if new else None,
            not_a_duplicate=row.not_a_duplicate.data, signed=row.signed.data, signatory=row.signatory.data,
            query=row.query.data or None,
            new_details=any([row.new_address.data, row.new_stall.data, row.new_tax_code.data])))
    return rows


def _suggest(query: str | None) -> list[Business]:
    if not query or len(query.strip()) < 2:
        return []
    return list(db.session.scalars(registry.search(current_user, q=query).limit(SUGGESTIONS)))


def _set_row(row: BatchRowForm, pick: str | None, clear: str | None, row_id: str) -> None:
    """The row's Pick and Change buttons: pick is '<row id>:<business id>'."""
    if clear == row_id:
        row.business_id.data = None
    if pick and pick.partition(":")[0] == row_id:
        row.business_id.data = optional_int(pick.partition(":")[2])
        row.query.data = ""


def _resolve(row: BatchRowForm, known: dict[int, Business], *, auto_pick: bool
             ) -> tuple[Business | None, list[Business] | None]:
    """The business a row names, or the candidates for what was typed in it. With
    ``auto_pick``, a query that finds exactly one business picks it (the row shows which).
    A business the user may not use is not shown; saving then says so next to the row."""
    if row.business_id.data:
        return known.get(row.business_id.data), None
    if row.query.data and not row.new_name.data:
        found = _suggest(row.query.data)
        if auto_pick and len(found) == 1:
            row.business_id.data = found[0].id
            row.query.data = ""
            return found[0], None
        return None, found
    return None, None


def _known(rows: list[BatchRowForm]) -> dict[int, Business]:
    """Every business the rows name, in one query."""
    return outreach.visible_businesses(current_user, [row.business_id.data for row in rows])


@bp.route("/outreach/new", methods=["GET", "POST"])
def record():
    """A market meeting in one page: who held it, then every stall reached, and who signed."""
    form = BatchForm()
    _choices(form)
    status = 200
    action = None
    if form.is_submitted():
        picked = request.form.get("pick") or request.form.get("clear")
        action = "pick" if picked else request.form.get("action") or "save"
    if request.method == "GET":
        _defaults(form)
    found: dict[str, Business] = {}
    candidates: dict[str, list[Business]] = {}
    for entry in form.rows.entries:
        _set_row(entry.form, request.form.get("pick"), request.form.get("clear"), entry.id)
    known = _known([entry.form for entry in form.rows.entries])
    for entry in form.rows.entries:
        business, options_ = _resolve(entry.form, known, auto_pick=action in {"check", "add_row"})
        if business is not None:
            found[entry.id] = business
        if options_ is not None:
            candidates[entry.id] = options_
    if action == "add_row":
        form.rows.append_entry()
    elif action == "save":
        outcome = submit(
            form, lambda: outreach.record_batch(current_user, _session_data(form), _batch_rows(form)),
            message=lambda s: ngettext("The meeting has been recorded with %(num)d business.",
                                       "The meeting has been recorded with %(num)d businesses.", len(s.businesses)),
            next_url=lambda s: url_for("internal.outreach.session_detail", session_id=s.id))
        if outcome.response:
            return outcome.response
        status = outcome.status
        for entry in form.rows.entries:  # what the refused rows typed stays, with their candidates
            if entry.form.query.data and not entry.form.business_id.data and not entry.form.new_name.data:
                candidates[entry.id] = _suggest(entry.form.query.data)
    return render("internal/outreach/record.html", form=form, found=found, candidates=candidates,
                  next_index=form.rows.last_index + 1, max_rows=outreach.MAX_BATCH_ROWS, status=status)


@bp.get("/outreach/new/row")
def batch_row():
    """One row of the market meeting (htmx): a new empty row, or a row after Pick or Change."""
    index = min(max(request.args.get("index", 0, type=int), 0), outreach.MAX_BATCH_ROWS)
    row_id = f"rows-{index}"
    row = BatchRowForm(formdata=request.args if len(request.args) > 1 else None, prefix=row_id)
    _set_row(row, request.args.get("pick"), row_id if request.args.get("clear") else None, row_id)
    business, found = _resolve(row, _known([row]), auto_pick=False)
    adding = "pick" not in request.args and "clear" not in request.args
    return render("internal/outreach/_row.html", row=row, row_id=row_id, index=index, business=business,
                  candidates=found if not adding else None, focus=True,
                  next_index=index + 1 if adding else None, max_rows=outreach.MAX_BATCH_ROWS)


@bp.get("/outreach/new/suggest")
def batch_suggest():
    """Businesses matching what is typed in one row (htmx, as the user types)."""
    index = min(max(request.args.get("index", 0, type=int), 0), outreach.MAX_BATCH_ROWS)
    row_id = f"rows-{index}"
    query = request.args.get(f"{row_id}-query", "").strip()[:100]
    return render("internal/outreach/_suggestions.html", row_id=row_id, index=index, query=query,
                  candidates=_suggest(query))


# --- commitments -----------------------------------------------------------------------------

@bp.get("/commitments/")
def commitments():
    stmt, period = period_filter(outreach.commitments(current_user), current_user,
                                 day_column=Commitment.signed_on, unit_column=Commitment.unit_id)
    page, _none = filtered_page(stmt)
    return render("internal/outreach/commitments.html", page=page, period=period)


@bp.route(f"/businesses/{ID.format('business_id')}/commitments/new", methods=["GET", "POST"])
def new_commitment(business_id: int):
    business = registry.get(current_user, business_id) or abort(404)
    form = CommitmentForm()
    _choices(form)
    if request.method == "GET":
        _defaults(form)
        form.signatory.data = business.owner_name
    outcome = submit(form, lambda: outreach.record_commitment(current_user, outreach.CommitmentData(
        business_id=business.id, signed_on=form.signed_on.data, signatory=form.signatory.data,
        received_by_id=form.received_by_id.data, plan_id=form.plan_id.data), scan=form.scan.data),
        message=lambda c: _("The commitment of %(name)s has been recorded.", name=business.name),
        next_url=lambda c: url_for("internal.outreach.commitment", commitment_id=c.id))
    return outcome.response or render("internal/outreach/commitment_form.html", form=form, business=business,
                                      status=outcome.status)


@bp.get(f"/commitments/{ID.format('commitment_id')}")
def commitment(commitment_id: int):
    paper = outreach.get_commitment(current_user, commitment_id) or abort(404)
    return render("internal/outreach/commitment.html", paper=paper, form=ScanForm(formdata=None),
                  can_keep=current_user.has_role(*outreach.KEEPERS))


# --- coordination agreements -----------------------------------------------------------------

@bp.get("/agreements/")
def agreements():
    stmt, period = period_filter(outreach.agreements(current_user), current_user,
                                 day_column=Agreement.signed_on, unit_column=Agreement.unit_id)
    page, _none = filtered_page(stmt)
    return render("internal/outreach/agreements.html", page=page, period=period,
                  can_keep=current_user.has_role(*outreach.KEEPERS))


@bp.route("/agreements/new", methods=["GET", "POST"])
def new_agreement():
    form = AgreementForm()
    _choices(form)
    if request.method == "GET":
        _defaults(form)
    outcome = submit(form, lambda: outreach.record_agreement(current_user, outreach.AgreementData(
        counterpart=Counterpart(form.counterpart.data), counterpart_name=form.counterpart_name.data,
        ward_code=form.ward_code.data, signed_on=form.signed_on.data, signatory=form.signatory.data,
        received_by_id=form.received_by_id.data, plan_id=form.plan_id.data, note=form.note.data),
        scan=form.scan.data),
        message=lambda a: _("The agreement with %(name)s has been recorded.", name=a.counterpart_name),
        next_url=lambda a: url_for("internal.outreach.agreement", agreement_id=a.id))
    return outcome.response or render("internal/outreach/agreement_form.html", form=form, status=outcome.status)


@bp.get(f"/agreements/{ID.format('agreement_id')}")
def agreement(agreement_id: int):
    paper = outreach.get_agreement(current_user, agreement_id) or abort(404)
    return render("internal/outreach/agreement.html", paper=paper, form=ScanForm(formdata=None),
                  can_keep=current_user.has_role(*outreach.KEEPERS))


# --- scans of signed papers ------------------------------------------------------------------

def _paper(kind: str, paper_id: int):
    if kind == "commitments":
        return outreach.get_commitment(current_user, paper_id) or abort(404)
    if kind == "agreements":
        return outreach.get_agreement(current_user, paper_id) or abort(404)
    abort(404)


def _paper_url(paper) -> str:
    if isinstance(paper, Commitment):
        return url_for("internal.outreach.commitment", commitment_id=paper.id)
    return url_for("internal.outreach.agreement", agreement_id=paper.id)


@bp.post(f"/<any(commitments, agreements):kind>/{ID.format('paper_id')}/scan")
def upload_scan(kind: str, paper_id: int):
    paper = _paper(kind, paper_id)
    form = ScanForm()
    if form.validate():
        try:
            outreach.attach_scan(current_user, paper, form.scan.data)
        except ValidationFailed as refused:
            db.session.rollback()
            apply_errors(form, refused.errors)
        else:
            db.session.commit()
            flash(_("The scan has been saved."), "success")
            return done(_paper_url(paper))
    template = "internal/outreach/commitment.html" if kind == "commitments" else "internal/outreach/agreement.html"
    return render(template, paper=_paper(kind, paper_id), form=form, can_keep=True, status=422)


@bp.get(f"/<any(commitments, agreements):kind>/{ID.format('paper_id')}/scan")
def scan(kind: str, paper_id: int):
    paper = _paper(kind, paper_id)
    if not paper.scan_stored_name:
        abort(404)
    try:
        path = files.open_stored(outreach.scan_folder(), paper.scan_stored_name)
    except FileNotFoundError:
        abort(404)
    return files.download_response(path, original_name=paper.scan_original_name, mime_type=paper.scan_mime_type)
