"""Every model, imported here so Alembic and the app see the whole schema."""
from portal.models.accounts import Role, SignInAttempt, User, UserRole, UserSession
from portal.models.areas import Province, Ward
from portal.models.audit import AuditEntry
from portal.models.org import Unit, UnitKind

__all__ = [
    "AuditEntry",
    "Province",
    "Role",
    "SignInAttempt",
    "Unit",
    "UnitKind",
    "User",
    "UserRole",
    "UserSession",
    "Ward",
]
