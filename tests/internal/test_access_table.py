"""Who may open and change what: every staff route, walked by a user of every role in the ward
that owns the records, by users of the sibling ward and by a visitor who has not signed in
(OWASP ASVS 5.0, 8.2.1–8.2.3: function- and object-level authorisation).

The table below has one row per staff route and method. A route added without a row, or a row
whose route is gone, fails test_the_table_has_a_row_for_every_staff_route. Every row says what
each actor gets: 200 (or the route's own answer to an empty form: 422, or a 303 redirect) for
those allowed, 403 for staff who are not (a record of a sibling unit is refused, as
services/scope.py does everywhere: it exists, but not for them), and the sign-in page for the
visitor. Nobody ever gets a 500. Posts send an empty form: an allowed actor sees the form's
refusal or the action done, never a refusal of access; records an action deletes or restores
are made once per actor (see tests/access_world.py). A page the sibling ward may open (a list,
a search) must not show the ward's records, and a record that does not exist is a 404.
"""
from __future__ import annotations

import string

from portal.extensions import db
from portal.models import UserSession
from tests.access_world import ACTORS, ANONYMOUS, SIBLING_ROLES, STAFF, UNIT_ROLES, build_access_world
from tests.helpers import Browser

LOGIN = 302  # a visitor is sent to the sign-in page (401 with HX-Redirect for htmx)
DENIED = 403

UNIT = tuple(UNIT_ROLES)  # every role in the ward that owns the records
#: every role but the viewer: keep the registry, record outreach, write the ward's reports and progress
WRITERS = ("admin", "leader", "officer", "ward")
EDITORS = ("admin", "leader")  # edit plans, manage hotlines, evaluate
GUIDE_EDITORS = ("admin", "leader", "officer")
RECORDERS = ("leader", "officer")  # inspections, violations, proposals for publication
HANDLERS = ("leader", "officer", "ward")  # tips
LEADERS = ("leader",)  # approve publications, submit reports
ADMINS = ("admin",)


def sib(*roles: str) -> tuple[str, ...]:
    """The same roles in the sibling ward."""
    return tuple(f"sib_{r}" for r in roles if f"sib_{r}" in SIBLING_ROLES)


def allow(status, *who: str, visitor=LOGIN) -> dict:
    """``status`` for the actors named, 403 for every other staff member, sign-in for a visitor."""
    return {**{a: status if a in who else DENIED for a in STAFF}, ANONYMOUS: visitor}


def everyone(status, visitor=LOGIN) -> dict:
    """Pages not tied to one record: each signed-in user sees their own scope."""
    return allow(status, *STAFF, visitor=visitor)


def in_unit() -> dict:
    """A record of the ward: read by all its staff, refused to the sibling ward."""
    return allow(200, *UNIT)


Q = "?counterpart=market_board&name=Ban+qu%E1%BA%A3n+l%C3%BD+ch%E1%BB%A3&ward={ward_code}"

#: (endpoint, method) -> (path, who gets what). {name} is a record of tests/access_world.py;
#: {name*} is the actor's own copy of a record the request destroys.
TABLE: dict[tuple[str, str], tuple[str, dict]] = {
    # own account
    ("internal.account.profile", "GET"): ("/internal/account/", everyone(200)),
    ("internal.account.password", "GET"): ("/internal/account/password", everyone(200)),
    ("internal.account.password", "POST"): ("/internal/account/password", everyone(422)),
    ("internal.account.session_list", "GET"): ("/internal/account/sessions", everyone(200)),
    ("internal.account.end_session", "POST"): ("/internal/account/sessions/{session}/end", everyone(303)),
    ("internal.account.end_other_sessions", "POST"): ("/internal/account/sessions/end-others", everyone(303)),
    ("internal.account.two_factor_setup", "GET"): ("/internal/account/two-factor", everyone(200)),
    # 422 for a code left empty; 200 (the settings page) once the second factor is on
    ("internal.account.two_factor_setup", "POST"): ("/internal/account/two-factor", everyone((200, 422))),
    ("internal.account.renew_recovery_codes", "POST"): ("/internal/account/two-factor/recovery-codes",
                                                        everyone(303)),
    ("internal.account.two_factor_off", "POST"): ("/internal/account/two-factor/off", everyone(303)),
    # signing in and out
    ("internal.auth.login", "GET"): ("/internal/login", everyone(302, visitor=200)),
    ("internal.auth.login", "POST"): ("/internal/login", everyone(302, visitor=422)),
    ("internal.auth.second_factor", "GET"): ("/internal/login/code", everyone(303, visitor=303)),
    ("internal.auth.second_factor", "POST"): ("/internal/login/code", everyone(303, visitor=303)),
    ("internal.auth.logout", "POST"): ("/internal/logout", everyone(303)),  # walked last
    # administration
    ("internal.audit.index", "GET"): ("/internal/audit/", allow(200, *ADMINS, *sib(*ADMINS))),
    ("internal.units.index", "GET"): ("/internal/units/", everyone(200)),
    ("internal.units.ward_field", "GET"): ("/internal/units/ward-field?province_code=38", everyone(200)),
    ("internal.units.detail", "GET"): ("/internal/units/{unit}", in_unit()),
    ("internal.units.create", "GET"): ("/internal/units/new", allow(200, *ADMINS, *sib(*ADMINS))),
    ("internal.units.create", "POST"): ("/internal/units/new", allow(422, *ADMINS, *sib(*ADMINS))),
    ("internal.units.edit", "GET"): ("/internal/units/{unit}/edit", allow(200, *ADMINS)),
    ("internal.units.edit", "POST"): ("/internal/units/{unit}/edit", allow(422, *ADMINS)),
    ("internal.users.index", "GET"): ("/internal/users/", allow(200, *ADMINS, *sib(*ADMINS))),
    ("internal.users.create", "GET"): ("/internal/users/new", allow(200, *ADMINS, *sib(*ADMINS))),
    ("internal.users.create", "POST"): ("/internal/users/new", allow(422, *ADMINS, *sib(*ADMINS))),
    ("internal.users.edit", "GET"): ("/internal/users/{user}/edit", allow(200, *ADMINS)),
    ("internal.users.edit", "POST"): ("/internal/users/{user}/edit", allow(422, *ADMINS)),
    ("internal.users.lock", "POST"): ("/internal/users/{user}/lock", allow(303, *ADMINS)),
    ("internal.users.unlock", "POST"): ("/internal/users/{user}/unlock", allow(303, *ADMINS)),
    ("internal.users.reset_password", "GET"): ("/internal/users/{user}/password", allow(200, *ADMINS)),
    ("internal.users.reset_password", "POST"): ("/internal/users/{user}/password", allow(422, *ADMINS)),
    ("internal.users.reset_second_factor", "POST"): ("/internal/users/{user}/two-factor/reset",
                                                     allow(303, *ADMINS)),
    # my work, calendar, overview
    ("internal.work.index", "GET"): ("/internal/", everyone(200)),
    ("internal.work.progress", "POST"): ("/internal/work/tasks/{task}/progress", allow(422, *WRITERS)),
    ("internal.work.evidence", "GET"): ("/internal/work/evidence/{evidence}", in_unit()),
    ("internal.calendar.index", "GET"): ("/internal/calendar/", everyone(200)),
    ("internal.calendar.new_link", "POST"): ("/internal/calendar/link", everyone(303)),
    ("internal.calendar.revoke_link", "POST"): ("/internal/calendar/link/revoke", everyone(303)),
    ("internal.calendar.submitted", "POST"): ("/internal/calendar/obligations/{to_mark}/submitted",
                                              allow(303, *WRITERS)),
    # the private link is the key: whoever holds it reads the feed, signed in or not
    ("internal.calendar.feed", "GET"): ("/internal/calendar/feed/{token}.ics", everyone(200, visitor=200)),
    ("internal.home.dashboard", "GET"): ("/internal/overview", everyone(200)),
    ("internal.coverage.index", "GET"): ("/internal/coverage/", everyone(200)),
    ("internal.quotas.index", "GET"): ("/internal/quotas/", everyone(200)),
    ("internal.quotas.index", "POST"): ("/internal/quotas/", allow(422, *EDITORS, *sib(*EDITORS))),
    ("internal.evaluation.index", "GET"): ("/internal/evaluation/", allow(200, *EDITORS, *sib(*EDITORS))),
    ("internal.evaluation.export", "GET"): ("/internal/evaluation/evaluation-{year}.xlsx",
                                            allow(200, *EDITORS, *sib(*EDITORS))),
    ("internal.evaluation.commend", "GET"): ("/internal/evaluation/unit/{office}/commend", allow(200, *EDITORS)),
    ("internal.evaluation.commend", "POST"): ("/internal/evaluation/unit/{office}/commend", allow(422, *EDITORS)),
    # plans
    ("internal.plans.index", "GET"): ("/internal/plans/", everyone(200)),
    ("internal.plans.create", "GET"): ("/internal/plans/new", allow(200, *EDITORS, *sib(*EDITORS))),
    ("internal.plans.create", "POST"): ("/internal/plans/new", allow(422, *EDITORS, *sib(*EDITORS))),
    ("internal.plans.detail", "GET"): ("/internal/plans/{plan}", in_unit()),
    ("internal.plans.document", "GET"): ("/internal/plans/{plan}/document", in_unit()),
    ("internal.plans.edit", "GET"): ("/internal/plans/{plan}/edit", allow(200, *EDITORS)),
    ("internal.plans.edit", "POST"): ("/internal/plans/{plan}/edit", allow(422, *EDITORS)),
    ("internal.plans.new_task", "GET"): ("/internal/plans/{plan}/tasks/new", allow(200, *EDITORS)),
    ("internal.plans.new_task", "POST"): ("/internal/plans/{plan}/tasks/new", allow(422, *EDITORS)),
    ("internal.plans.edit_task", "GET"): ("/internal/plans/tasks/{task}/edit", allow(200, *EDITORS)),
    ("internal.plans.edit_task", "POST"): ("/internal/plans/tasks/{task}/edit", allow(422, *EDITORS)),
    ("internal.plans.new_target", "GET"): ("/internal/plans/{plan}/targets/new", allow(200, *EDITORS)),
    ("internal.plans.new_target", "POST"): ("/internal/plans/{plan}/targets/new", allow(422, *EDITORS)),
    ("internal.plans.new_rule", "GET"): ("/internal/plans/{plan}/rules/new", allow(200, *EDITORS)),
    ("internal.plans.new_rule", "POST"): ("/internal/plans/{plan}/rules/new", allow(422, *EDITORS)),
    ("internal.plans.delete_rule", "POST"): ("/internal/plans/rules/{rule*}/delete", allow(303, *EDITORS)),
    ("internal.plans.restore_rule", "POST"): ("/internal/plans/rules/{deleted_rule*}/restore", allow(303, *EDITORS)),
    # the ward reports under the quick-report rule: its staff record their seizures, viewers do not
    ("internal.plans.start_incident", "POST"): ("/internal/plans/rules/{quick_rule}/incidents",
                                                allow(422, *WRITERS)),
    # reports (the ward reports to itself under the monthly rule, so it also rolls them up)
    ("internal.reports.index", "GET"): ("/internal/reports/", everyone(200)),
    ("internal.reports.obligation", "GET"): ("/internal/reports/obligations/{obligation}", in_unit()),
    ("internal.reports.obligation", "POST"): ("/internal/reports/obligations/{obligation}", allow(422, *WRITERS)),
    ("internal.reports.remind", "POST"): ("/internal/reports/obligations/{obligation}/remind", allow(303, *WRITERS)),
    ("internal.reports.report", "GET"): ("/internal/reports/{submitted}", in_unit()),
    ("internal.reports.confirm", "GET"): ("/internal/reports/{draft}/submit", allow(200, *LEADERS)),
    ("internal.reports.confirm", "POST"): ("/internal/reports/{draft}/submit", allow(422, *LEADERS)),
    ("internal.reports.correct", "POST"): ("/internal/reports/{to_correct}/correct", allow(303, *WRITERS)),
    ("internal.reports.rollup", "GET"): ("/internal/reports/rules/{rule}/rollup", in_unit()),
    ("internal.reports.consolidated", "POST"): ("/internal/reports/rules/{rule}/consolidated", allow(303, *WRITERS)),
    ("internal.report_files.docx", "GET"): ("/internal/reports/{submitted}.docx", in_unit()),
    ("internal.report_files.xlsx", "GET"): ("/internal/reports/{submitted}.xlsx", in_unit()),
    # the business registry (kept by area: the ward's businesses are the ward's)
    ("internal.registry.index", "GET"): ("/internal/businesses/", everyone(200)),
    ("internal.registry.detail", "GET"): ("/internal/businesses/{business}", in_unit()),
    ("internal.registry.create", "GET"): ("/internal/businesses/new", allow(200, *WRITERS, *sib(*WRITERS))),
    ("internal.registry.create", "POST"): ("/internal/businesses/new", allow(422, *WRITERS, *sib(*WRITERS))),
    ("internal.registry.edit", "GET"): ("/internal/businesses/{business}/edit", allow(200, *WRITERS)),
    ("internal.registry.edit", "POST"): ("/internal/businesses/{business}/edit", allow(422, *WRITERS)),
    ("internal.registry.status", "POST"): ("/internal/businesses/{business}/status", allow(422, *WRITERS)),
    ("internal.registry.merge", "POST"): ("/internal/businesses/{keep}/merge/{other}", allow(303, *WRITERS)),
    ("internal.registry.commitment_form", "GET"): ("/internal/businesses/{business}/commitment-form.docx", in_unit()),
    ("internal.stickers.sticker", "GET"): ("/internal/businesses/{business}/sticker", in_unit()),
    ("internal.registry_io.export", "GET"): ("/internal/businesses/export.xlsx", everyone(200)),
    ("internal.registry_io.template", "GET"): ("/internal/businesses/import/template.xlsx", everyone(200)),
    ("internal.registry_io.import_form", "GET"): ("/internal/businesses/import",
                                                  allow(200, *WRITERS, *sib(*WRITERS))),
    ("internal.registry_io.import_form", "POST"): ("/internal/businesses/import",
                                                   allow(422, *WRITERS, *sib(*WRITERS))),
    ("internal.registry_io.confirm", "POST"): ("/internal/businesses/import/confirm",
                                               allow(303, *WRITERS, *sib(*WRITERS))),
    ("internal.paperwork.agreement_form", "GET"): ("/internal/paperwork/agreement-form.docx" + Q, in_unit()),
    # outreach and signed papers
    ("internal.outreach.index", "GET"): ("/internal/outreach/", everyone(200)),
    ("internal.outreach.session_detail", "GET"): ("/internal/outreach/{outreach}", in_unit()),
    ("internal.outreach.record", "GET"): ("/internal/outreach/new", allow(200, *WRITERS, *sib(*WRITERS))),
    ("internal.outreach.record", "POST"): ("/internal/outreach/new", allow(422, *WRITERS, *sib(*WRITERS))),
    ("internal.outreach.batch_row", "GET"): ("/internal/outreach/new/row?index=1",
                                             allow(200, *WRITERS, *sib(*WRITERS))),
    ("internal.outreach.batch_suggest", "GET"): ("/internal/outreach/new/suggest?index=0&rows-0-query=minh",
                                                 allow(200, *WRITERS, *sib(*WRITERS))),
    ("internal.outreach.commitments", "GET"): ("/internal/commitments/", everyone(200)),
    ("internal.outreach.commitment", "GET"): ("/internal/commitments/{commitment}", in_unit()),
    ("internal.outreach.new_commitment", "GET"): ("/internal/businesses/{business}/commitments/new",
                                                  allow(200, *WRITERS)),
    ("internal.outreach.new_commitment", "POST"): ("/internal/businesses/{business}/commitments/new",
                                                   allow(422, *WRITERS)),
    ("internal.outreach.agreements", "GET"): ("/internal/agreements/", everyone(200)),
    ("internal.outreach.agreement", "GET"): ("/internal/agreements/{agreement}", in_unit()),
    ("internal.outreach.new_agreement", "GET"): ("/internal/agreements/new", allow(200, *WRITERS, *sib(*WRITERS))),
    ("internal.outreach.new_agreement", "POST"): ("/internal/agreements/new", allow(422, *WRITERS, *sib(*WRITERS))),
    ("internal.outreach.scan", "GET"): ("/internal/commitments/{commitment}/scan", in_unit()),
    ("internal.outreach.upload_scan", "POST"): ("/internal/agreements/{agreement}/scan", allow(422, *WRITERS)),
    # inspections, violations, publication
    ("internal.enforcement.inspections", "GET"): ("/internal/inspections/", everyone(200)),
    ("internal.enforcement.inspection", "GET"): ("/internal/inspections/{inspection}", in_unit()),
    ("internal.enforcement.new_inspection", "GET"): ("/internal/businesses/{business}/inspections/new",
                                                     allow(200, *RECORDERS)),
    ("internal.enforcement.new_inspection", "POST"): ("/internal/businesses/{business}/inspections/new",
                                                      allow(422, *RECORDERS)),
    ("internal.enforcement.new_violation", "GET"): ("/internal/inspections/{inspection}/violations/new",
                                                    allow(200, *RECORDERS)),
    ("internal.enforcement.new_violation", "POST"): ("/internal/inspections/{inspection}/violations/new",
                                                     allow(422, *RECORDERS)),
    ("internal.enforcement.violations", "GET"): ("/internal/violations/", everyone(200)),
    ("internal.enforcement.violation", "GET"): ("/internal/violations/{violation}", in_unit()),
    ("internal.enforcement.violation", "POST"): ("/internal/violations/{violation}", allow(422, *RECORDERS)),
    ("internal.enforcement.follow_up", "GET"): ("/internal/violations/follow-up", everyone(200)),
    ("internal.publication.index", "GET"): ("/internal/publications/", everyone(200)),
    ("internal.publication.detail", "GET"): ("/internal/publications/{publication}", in_unit()),
    # already proposed: the proposal is refused with a message, but only to those who may propose
    ("internal.publication.propose", "POST"): ("/internal/violations/{violation}/publication",
                                               allow(303, *RECORDERS)),
    ("internal.publication.approve", "POST"): ("/internal/publications/{publication}/approve", allow(422, *LEADERS)),
    ("internal.publication.reject", "POST"): ("/internal/publications/{publication}/reject", allow(422, *LEADERS)),
    ("internal.publication.correct", "POST"): ("/internal/publications/{published}/correct", allow(422, *LEADERS)),
    ("internal.publication.withdraw", "POST"): ("/internal/publications/{published}/withdraw",
                                                allow(422, *LEADERS)),
    ("internal.publication.reply", "POST"): ("/internal/publications/{published}/replies", allow(422, *RECORDERS)),
    ("internal.publication.vet", "POST"): ("/internal/publications/{published}/replies/{reply}/approve",
                                           allow(303, *LEADERS)),
    # tips: read by the ward's staff; acted on by handlers; the sender's contact only to its handler
    ("internal.tips.index", "GET"): ("/internal/tips/", everyone(200)),
    ("internal.tips.detail", "GET"): ("/internal/tips/{tip}", in_unit()),
    ("internal.tips.photo", "GET"): ("/internal/tips/{tip}/photos/{photo}", in_unit()),
    ("internal.tips.take", "POST"): ("/internal/tips/{tip}/take", allow(303, *HANDLERS)),
    ("internal.tips.assign", "POST"): ("/internal/tips/{tip}/assign", allow(422, *HANDLERS)),
    ("internal.tips.status", "POST"): ("/internal/tips/{tip}/status", allow(422, *HANDLERS)),
    ("internal.tips.note", "POST"): ("/internal/tips/{tip}/notes", allow(422, *HANDLERS)),
    ("internal.tips.reply", "POST"): ("/internal/tips/{tip}/reply", allow(422, *HANDLERS)),
    ("internal.tips.contact", "POST"): ("/internal/tips/{tip}/contact", allow(200, "officer")),
    # public content: every signed-in user reads every guide; editors change their scope's
    ("internal.guides.index", "GET"): ("/internal/guides/", everyone(200)),
    ("internal.guides.detail", "GET"): ("/internal/guides/{guide}", everyone(200)),
    ("internal.guides.image", "GET"): ("/internal/guides/{guide}/images/{stored_name}", everyone(200)),
    ("internal.guides.create", "GET"): ("/internal/guides/new", allow(200, *GUIDE_EDITORS, *sib(*GUIDE_EDITORS))),
    ("internal.guides.create", "POST"): ("/internal/guides/new", allow(422, *GUIDE_EDITORS, *sib(*GUIDE_EDITORS))),
    ("internal.guides.edit", "GET"): ("/internal/guides/{guide}/edit", allow(200, *GUIDE_EDITORS)),
    ("internal.guides.edit", "POST"): ("/internal/guides/{guide}/edit", allow(422, *GUIDE_EDITORS)),
    ("internal.guides.publish", "POST"): ("/internal/guides/{guide}/publish", allow(303, *GUIDE_EDITORS)),
    ("internal.guides.add_image", "POST"): ("/internal/guides/{guide}/images", allow(422, *GUIDE_EDITORS)),
    ("internal.guides.remove_image", "POST"): ("/internal/guides/{album}/images/{guide_image*}/delete",
                                               allow(303, *GUIDE_EDITORS)),
    ("internal.guides.restore_image", "POST"): ("/internal/guides/{removed_guide}/images/{removed_image*}/restore",
                                                allow(303, *GUIDE_EDITORS)),
    ("internal.hotlines.index", "GET"): ("/internal/hotlines/", everyone(200)),
    ("internal.hotlines.ward_field", "GET"): ("/internal/hotlines/ward-field?province_code=38", everyone(200)),
    ("internal.hotlines.create", "GET"): ("/internal/hotlines/new", allow(200, *EDITORS, *sib(*EDITORS))),
    ("internal.hotlines.create", "POST"): ("/internal/hotlines/new", allow(422, *EDITORS, *sib(*EDITORS))),
    ("internal.hotlines.edit", "GET"): ("/internal/hotlines/{hotline}/edit", allow(200, *EDITORS)),
    ("internal.hotlines.edit", "POST"): ("/internal/hotlines/{hotline}/edit", allow(422, *EDITORS)),
    ("internal.hotlines.publish", "POST"): ("/internal/hotlines/{hotline}/unpublish", allow(303, *EDITORS)),
    ("internal.hotlines.delete", "GET"): ("/internal/hotlines/{hotline*}/delete", allow(200, *EDITORS)),
    ("internal.hotlines.delete", "POST"): ("/internal/hotlines/{hotline*}/delete", allow(303, *EDITORS)),
    ("internal.hotlines.restore", "POST"): ("/internal/hotlines/{deleted_hotline*}/restore", allow(303, *EDITORS)),
}

#: Rows walked after all the others: signing out ends the actor's session.
LAST = [("internal.auth.logout", "POST")]


def staff_routes(app) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules() if rule.endpoint.startswith("internal.")
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_the_table_has_a_row_for_every_staff_route(app):
    routes = staff_routes(app)
    missing = sorted(routes - TABLE.keys())
    gone = sorted(TABLE.keys() - routes)
    assert not missing, ("staff routes without a row in TABLE (say who may reach them): "
                         + ", ".join(f"{e} {m}" for e, m in missing))
    assert not gone, "rows of TABLE whose route no longer exists: " + ", ".join(f"{e} {m}" for e, m in gone)
    adapter = app.url_map.bind("localhost")
    for (endpoint, method), (path, expected) in TABLE.items():
        assert set(expected) == set(ACTORS), f"{endpoint} {method}: the row must name every actor"
        concrete = string.Formatter().vformat(path.split("?")[0], (), _Ids())
        assert adapter.match(concrete, method=method)[0] == endpoint, f"{endpoint} {method}: {path} is another route"


class _Ids(dict):
    """Any id, to check which route a path reaches."""

    def __missing__(self, key):
        return "stored.jpg" if key == "stored_name" else "1"


def _url(path: str, world, actor: str) -> str:
    values = {**world.ids, **{f"{name}*": ids[actor] for name, ids in world.per_actor.items()}}
    return path.format(**values)


def _wanted(expected, got: int) -> bool:
    return got in expected if isinstance(expected, tuple) else got == expected


def _signed_in(app, world) -> dict[str, Browser]:
    browsers = {actor: Browser(app.test_client()) for actor in ACTORS}
    for actor in STAFF:
        browsers[actor].sign_in(world.users[actor])
    return browsers


def _send(browser: Browser, method: str, url: str, **kwargs):
    return browser.client.open(url, method=method, data={} if method == "POST" else None, **kwargs)


#: What only the ward's staff may read (its businesses, its tip and informant, its plan): a page
#: the sibling ward may open must not show it.
WARD_ONLY = ("Tạp hóa Minh Ánh", "Cửa hàng Giữ", "Cửa hàng Gộp", "Đại lý bán sữa bột giả", "Người Báo Tin",
             "01/KH-UBND", "Ban quản lý chợ Cột Cờ")
#: Pages whose key is a secret link, not a scope: whoever holds it reads them.
KEYED = {("internal.calendar.feed", "GET")}


def test_every_staff_route_answers_every_actor_as_the_table_says(app):
    world = build_access_world()
    browsers = _signed_in(app, world)
    routes = staff_routes(app)  # a row without its route is reported by the test above
    rows = [key for key in TABLE if key in routes and key not in LAST] + LAST
    mismatches = []
    for endpoint, method in rows:
        path, expected = TABLE[(endpoint, method)]
        # those refused go first: a refusal changes nothing, so those allowed then find the record intact
        for actor in sorted(ACTORS, key=lambda a: expected[a] not in (DENIED, LOGIN)):
            url = _url(path, world, actor)
            response = _send(browsers[actor], method, url)
            got, want = response.status_code, expected[actor]
            if not _wanted(want, got):
                mismatches.append(f"{endpoint} {method} {actor}: got {got} wanted {want}")
            elif actor in SIBLING_ROLES and response.mimetype.startswith("text/") and (endpoint, method) not in KEYED:
                shown = [text for text in WARD_ONLY if text in response.get_data(as_text=True)]
                if shown:
                    mismatches.append(f"{endpoint} {method} {actor}: shows the other ward's {shown}")
            elif got == LOGIN and actor == ANONYMOUS:
                if not response.headers["Location"].startswith("/internal/login"):
                    mismatches.append(f"{endpoint} {method} {actor}: sent to {response.headers['Location']}")
                htmx = _send(browsers[actor], method, url, headers={"HX-Request": "true"})
                if htmx.status_code != 401 or not htmx.headers.get("HX-Redirect", "").startswith("/internal/login"):
                    mismatches.append(f"{endpoint} {method} {actor} (htmx): got {htmx.status_code} wanted 401")
    assert not mismatches, f"{len(mismatches)} answers differ from the table:\n" + "\n".join(mismatches)
    # ending "a session" of another user ended nothing
    assert db.session.get(UserSession, world.ids["session"]).ended_at is None


#: Placeholders that are not records: kept as they are when the records are made up.
NOT_RECORDS = {"year", "ward_code"}
#: Rows that answer a made-up record otherwise than 404: a session that is not one's own "was
#: already over".
NOT_404 = {("internal.account.end_session", "POST"): 303}


class _Missing(dict):
    """Records that do not exist."""

    def __init__(self, world):
        super().__init__({k: v for k, v in world.ids.items() if k in NOT_RECORDS})

    def __missing__(self, key):
        return {"stored_name": "0" * 32 + ".jpg", "token": "no-such-link"}.get(key, str(2**31 - 1))


def test_a_record_that_does_not_exist_is_404_for_those_who_may_open_one(app):
    """Every route that names a record, asked by an actor the table lets in, about a record that
    is not there: 404, never a 500."""
    world = build_access_world()
    browsers = _signed_in(app, world)
    routes = staff_routes(app)
    mismatches = []
    for (endpoint, method), (path, expected) in TABLE.items():
        route, _mark, query = path.partition("?")
        records = {name for _text, name, _spec, _conv in string.Formatter().parse(route) if name} - NOT_RECORDS
        if not records or (endpoint, method) in LAST or (endpoint, method) not in routes:
            continue
        actor = next(a for a in ACTORS if expected[a] not in (DENIED, LOGIN))
        url = string.Formatter().vformat(route, (), _Missing(world)) + _mark + _url(query, world, actor)
        got = _send(browsers[actor], method, url).status_code
        if got != NOT_404.get((endpoint, method), 404):
            mismatches.append(f"{endpoint} {method} {actor}: got {got} wanted 404")
    assert not mismatches, "\n".join(mismatches)
