"""Named violators: the public list, one page per entry, and the downloads and feeds journalists use.

The URLs and query parameters here are a contract with journalists and must stay stable."""
from __future__ import annotations

from flask import abort, request

from portal.db import utcnow
from portal.extensions import db
from portal.public import bp
from portal.services import disclosure
from portal.services.deadlines import local_day
from portal.web import render

PER_PAGE = 20


@bp.get("/violations")
def violations():
    q = request.args.get("q", "").strip()[:100]
    number = min(max(request.args.get("page", 1, type=int), 1), 10_000)
    page = db.paginate(disclosure.listed_violations(q=q), page=number, per_page=PER_PAGE, max_per_page=PER_PAGE,
                       error_out=False)
    return render("public/violations.html", page=page, q=q, places=disclosure.place_names(page.items))


@bp.get("/violations/<int(max=2147483647):entry_id>")
def violation(entry_id: int):
    entry = disclosure.violation_entry(entry_id) or abort(404)
    today = local_day(utcnow())
    ended = entry.ends_on is not None and entry.ends_on < today
    status = 410 if entry.withdrawn_at or ended else 200
    return render("public/violation.html", entry=entry, ended=ended, replies=disclosure.approved_replies(entry),
                  place=disclosure.place_names([entry]).get(entry.ward_code, ""), status=status)
