"""Every model, imported here so Alembic and the app see the whole schema."""
from portal.models.accounts import RecoveryCode, Role, SignInAttempt, User, UserRole, UserSession
from portal.models.areas import Province, Ward
from portal.models.audit import AuditEntry
from portal.models.enforcement import (
    BusinessReply,
    Inspection,
    InspectionKind,
    InspectionResult,
    Publication,
    PublicationState,
    PublicCorrection,
    PublicEntry,
    ReplyState,
    Violation,
    ViolationState,
    ViolationType,
    inspection_goods,
    inspection_members,
)
from portal.models.org import Unit, UnitKind
from portal.models.outreach import (
    Agreement,
    Commitment,
    Counterpart,
    OutreachMethod,
    OutreachSession,
    outreach_businesses,
    outreach_officers,
)
from portal.models.plans import (
    CalendarFeed,
    EvidenceFile,
    GoodsCategory,
    Incident,
    Plan,
    PlanCitation,
    PlanKind,
    PlanStatus,
    ProgressStatus,
    ProgressUpdate,
    Quota,
    QuotaMetric,
    Recurrence,
    ReportingRule,
    ReportObligation,
    RuleKind,
    Target,
    Task,
)
from portal.models.public import Guide, GuideImage, Hotline
from portal.models.reports import (
    NARRATIVE_SECTIONS,
    Commendation,
    ReminderKind,
    Report,
    ReportKind,
    ReportReminder,
    ReportStatus,
)
from portal.models.registry import (
    Business,
    BusinessChannel,
    BusinessStatus,
    BusinessStatusChange,
    ChannelKind,
    business_goods,
)
from portal.models.tips import CLOSED_TIP_STATUSES, Tip, TipMessage, TipNote, TipPhoto, TipStatus

__all__ = [
    "NARRATIVE_SECTIONS", "Commendation", "ReminderKind", "Report", "ReportKind", "ReportReminder", "ReportStatus",
    "Guide", "GuideImage", "Hotline",
    "CLOSED_TIP_STATUSES", "Tip", "TipMessage", "TipNote", "TipPhoto", "TipStatus",
    "Inspection", "InspectionKind", "InspectionResult", "Violation", "ViolationState", "ViolationType",
    "inspection_goods", "inspection_members", "BusinessReply", "Publication", "PublicationState",
    "PublicCorrection", "PublicEntry", "ReplyState",
    "Agreement", "Commitment", "Counterpart", "OutreachMethod", "OutreachSession", "outreach_businesses",
    "outreach_officers",
    "Business", "BusinessChannel", "BusinessStatus", "BusinessStatusChange", "ChannelKind", "business_goods",
    "CalendarFeed", "EvidenceFile", "GoodsCategory", "Incident", "Plan", "PlanCitation", "PlanKind",
    "PlanStatus", "ProgressStatus", "ProgressUpdate", "Quota", "QuotaMetric", "Recurrence",
    "ReportingRule", "ReportObligation", "RuleKind", "Target", "Task",
    "AuditEntry",
    "Province",
    "RecoveryCode",
    "Role",
    "SignInAttempt",
    "Unit",
    "UnitKind",
    "User",
    "UserRole",
    "UserSession",
    "Ward",
]
