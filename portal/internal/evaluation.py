"""The yearly evaluation of teams and inspectors (letter 100/QLTTLCA-NVTH) and commendation proposals."""
from __future__ import annotations

from flask import Blueprint, Response, abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.internal.forms.evaluation import CommendationForm
from portal.services import evaluation, spreadsheets
from portal.services.registry import today
from portal.web import render, submit

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")

KINDS = ("unit", "user")


def _year() -> int:
    return evaluation.valid_year(request.args.get("year"), today())


@bp.get("/")
def index():
    year = _year()
    result = evaluation.evaluate(current_user, year)
    sort, order = request.args.get("sort", "rank"), request.args.get("order", "asc")
    sort = sort if sort in evaluation.SORTABLE else "rank"
    descending = order == "desc"
    return render("internal/evaluation/index.html", result=result, year=year, sort=sort, descending=descending,
                  teams=evaluation.sort_rows(result.teams, sort, descending),
                  inspectors=evaluation.sort_rows(result.inspectors, sort, descending),
                  commendations=evaluation.commendations(current_user, year), labels=evaluation.COLUMN_LABELS,
                  columns=evaluation.COUNTS, inspector_columns=evaluation.PERSON_COUNTS, years=range(today().year, evaluation.FIRST_YEAR - 1, -1)[:8])


@bp.get("/evaluation-<int(max=9999):year>.xlsx")
def export(year: int):
    year = evaluation.valid_year(year, today())
    result = evaluation.evaluate(current_user, year)
    labels = evaluation.COLUMN_LABELS
    counts = evaluation.COUNTS
    header = [str(labels["rank"]), str(labels["name"]), *(str(labels[c]) for c in counts), str(labels["score"])]
    teams = [[r.rank, r.name, *(r.figures[c] for c in counts), r.score] for r in result.teams]
    totals = result.totals
    teams.append(["", _("Total"), *(totals[c] for c in counts), None])
    person_counts = evaluation.PERSON_COUNTS
    people_header = [str(labels["rank"]), str(labels["name"]), str(labels["team"]),
                     *(str(labels[c]) for c in person_counts), str(labels["score"])]
    people = [[r.rank, r.name, r.team, *(r.figures[c] for c in person_counts), r.score] for r in result.inspectors]
    data = spreadsheets.write_xlsx(header, teams, title=_("Teams"), widths=(8, 36),
                                   extra=[(_("Inspectors"), people_header, people)])
    response = Response(data, mimetype=spreadsheets.XLSX_MIME)
    response.headers["Content-Disposition"] = f'attachment; filename="evaluation-{year}.xlsx"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/<any(unit, user):kind>/<int(max=2147483647):row_id>/commend", methods=["GET", "POST"])
def commend(kind: str, row_id: int):
    year = _year()
    row = evaluation.find_row(current_user, year, kind, row_id)
    if row is None:
        abort(404)
    form = CommendationForm()
    outcome = submit(form, lambda: evaluation.propose(current_user, year, row, form.reason.data),
                     message=lambda c: _("The commendation has been proposed."),
                     next_url=lambda c: url_for("internal.evaluation.index", year=year) + "#commendations")
    if outcome.response:
        return outcome.response
    return render("internal/evaluation/commend.html", form=form, row=row, year=year, kind=kind,
                  labels=evaluation.COLUMN_LABELS, columns=evaluation.COUNTS, status=outcome.status)
