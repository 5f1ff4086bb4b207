"""Translated names of the values stored as codes."""
from flask_babel import lazy_gettext as _l

from portal.models import Role, UnitKind

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.LEADER: _l("Leader"),
    Role.OFFICER: _l("Officer / inspector"),
    Role.WARD_OFFICIAL: _l("Ward official"),
    Role.VIEWER: _l("Viewer"),
}

UNIT_KIND_LABELS = {
    UnitKind.NATIONAL_COMMITTEE: _l("National steering committee 389"),
    UnitKind.PEOPLES_COMMITTEE: _l("Provincial People's Committee"),
    UnitKind.STEERING_COMMITTEE: _l("Steering committee 389"),
    UnitKind.DEPARTMENT: _l("Department"),
    UnitKind.MARKET_SURVEILLANCE: _l("Market surveillance department"),
    UnitKind.MARKET_SURVEILLANCE_TEAM: _l("Market surveillance team"),
    UnitKind.POLICE: _l("Police"),
    UnitKind.CUSTOMS: _l("Customs"),
    UnitKind.BORDER_GUARD: _l("Border guard"),
    UnitKind.TAX: _l("Tax"),
    UnitKind.WORKING_GROUP: _l("Working group or interagency team"),
    UnitKind.WARD_COMMITTEE: _l("Ward or commune People's Committee"),
    UnitKind.OFFICE: _l("Office or division"),
    UnitKind.RESIDENTIAL_GROUP: _l("Residential group or village"),
}

AUDIT_ACTION_LABELS = {
    "auth.sign_in": _l("Signed in"),
    "auth.sign_in_failed": _l("Failed sign-in"),
    "auth.sign_in_throttled": _l("Sign-in refused: too many attempts"),
    "auth.sign_out": _l("Signed out"),
    "user.created": _l("User created"),
    "user.updated": _l("User changed"),
    "user.locked": _l("User locked"),
    "user.unlocked": _l("User unlocked"),
    "user.password_reset": _l("Password reset by an administrator"),
    "user.password_changed": _l("Password changed"),
    "unit.created": _l("Unit created"),
    "unit.updated": _l("Unit changed"),
    "demo.loaded": _l("Demo data loaded"),
}


def init_app(app) -> None:
    app.jinja_env.globals.update(ROLE_LABELS=ROLE_LABELS, UNIT_KIND_LABELS=UNIT_KIND_LABELS,
                                 AUDIT_ACTION_LABELS=AUDIT_ACTION_LABELS)
