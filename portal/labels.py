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

#: Readable names of the kinds of record the audit log names (AuditEntry.object_type).
AUDIT_OBJECT_LABELS = {
    "Agreement": _l("Coordination agreement"),
    "Business": _l("Business"),
    "BusinessChannel": _l("Sales channel of a business"),
    "BusinessReply": _l("Business's reply"),
    "BusinessStatusChange": _l("Business status change"),
    "Commendation": _l("Commendation"),
    "Commitment": _l("Signed commitment"),
    "EvidenceFile": _l("Evidence file"),
    "GoodsCategory": _l("Goods category"),
    "Guide": _l("Guide to spotting fakes"),
    "GuideImage": _l("Image of a guide"),
    "Hotline": _l("Hotline"),
    "Incident": _l("Seizure or incident"),
    "Inspection": _l("Inspection"),
    "OutreachSession": _l("Outreach session"),
    "Plan": _l("Plan or document"),
    "PlanCitation": _l("Document cited by a plan"),
    "ProgressUpdate": _l("Progress update"),
    "Province": _l("Province"),
    "PublicCorrection": _l("Correction of a published entry"),
    "PublicEntry": _l("Published entry"),
    "Publication": _l("Publication of a violation"),
    "Quota": _l("Quota"),
    "Report": _l("Report"),
    "ReportObligation": _l("Report deadline"),
    "ReportReminder": _l("Report reminder"),
    "ReportingRule": _l("Reporting rule"),
    "Target": _l("Target"),
    "Task": _l("Task"),
    "Tip": _l("Tip"),
    "TipMessage": _l("Reply to a tip's sender"),
    "TipNote": _l("Internal note on a tip"),
    "TipPhoto": _l("Photo of a tip"),
    "Unit": _l("Unit"),
    "User": _l("User"),
    "UserRole": _l("Role of a user"),
    "Violation": _l("Violation"),
    "Ward": _l("Ward or commune"),
}

AUDIT_ACTION_LABELS = {
    "auth.sign_in": _l("Signed in"),
    "auth.sign_in_failed": _l("Failed sign-in"),
    "auth.sign_in_throttled": _l("Sign-in refused: too many attempts"),
    "auth.sign_out": _l("Signed out"),
    "auth.session_ended": _l("Ended one of their other sessions"),
    "hotline.created": _l("Hotline added"),
    "hotline.changed": _l("Hotline changed"),
    "hotline.deleted": _l("Hotline removed"),
    "hotline.restored": _l("Removed hotline restored"),
    "guide.created": _l("Guide to spotting fakes written"),
    "guide.changed": _l("Guide changed"),
    "guide.published": _l("Guide published"),
    "guide.unpublished": _l("Guide withdrawn from the public site"),
    "guide.image_added": _l("Image added to a guide"),
    "guide.image_removed": _l("Image removed from a guide"),
    "guide.image_restored": _l("Removed image of a guide restored"),
    "commendation.proposed": _l("Commendation proposed"),
    "report.drafted": _l("Report drafted"),
    "report.saved": _l("Report saved"),
    "report.submitted": _l("Report submitted"),
    "report.correction_started": _l("Report correction started"),
    "report.reminder_queued": _l("Report reminder queued"),
    "tip.received": _l("Tip received from the public"),
    "tip.assigned": _l("Tip assigned"),
    "tip.taken": _l("Tip taken by a handler"),
    "tip.status": _l("Tip status changed"),
    "tip.note_added": _l("Internal note added to a tip"),
    "tip.replied": _l("Reply sent to a tip's sender"),
    "tip.contact_viewed": _l("Tip sender's contact viewed"),
    "auth.second_factor_failed": _l("Wrong second-factor code at sign-in"),
    "auth.two_factor_enabled": _l("Second factor turned on"),
    "auth.two_factor_disabled": _l("Second factor turned off"),
    "auth.recovery_codes_renewed": _l("Recovery codes renewed"),
    "auth.recovery_code_used": _l("Signed in with a recovery code"),
    "user.two_factor_reset": _l("Second factor cleared by an administrator"),
    "auth.other_sessions_ended": _l("Ended all their other sessions"),
    "user.created": _l("User created"),
    "user.updated": _l("User changed"),
    "user.locked": _l("User locked"),
    "user.unlocked": _l("User unlocked"),
    "user.password_reset": _l("Password reset by an administrator"),
    "user.password_changed": _l("Password changed"),
    "unit.created": _l("Unit created"),
    "unit.updated": _l("Unit changed"),
    "demo.loaded": _l("Demo data loaded"),
    "plan.created": _l("Plan created"),
    "plan.updated": _l("Plan changed"),
    "task.saved": _l("Task saved"),
    "task.progress": _l("Progress posted"),
    "rule.created": _l("Reporting rule added"),
    "rule.deleted": _l("Reporting rule removed"),
    "rule.restored": _l("Removed reporting rule restored"),
    "incident.started": _l("Quick-report deadline started"),
    "obligation.submitted": _l("Report marked as submitted"),
    "calendar.link_created": _l("Calendar link created"),
    "calendar.link_revoked": _l("Calendar link revoked"),
    "quota.saved": _l("Quota saved"),
    "target.created": _l("Target added"),
    "business.created": _l("Business recorded"),
    "business.updated": _l("Business changed"),
    "business.status": _l("Business status changed"),
    "business.merged": _l("Duplicate businesses merged"),
    "business.imported": _l("Businesses imported from a spreadsheet"),
    "outreach.recorded": _l("Outreach session recorded"),
    "outreach.batch": _l("Market meeting recorded"),
    "commitment.recorded": _l("Signed commitment recorded"),
    "commitment.scan": _l("Scan of a commitment saved"),
    "agreement.recorded": _l("Coordination agreement recorded"),
    "agreement.scan": _l("Scan of an agreement saved"),
    "inspection.recorded": _l("Inspection recorded"),
    "violation.recorded": _l("Violation recorded"),
    "violation.decision": _l("Sanction decision or state of a violation changed"),
    "publication.proposed": _l("Violation proposed for publication"),
    "publication.approved": _l("Publication approved"),
    "publication.rejected": _l("Publication rejected"),
    "publication.corrected": _l("Published entry corrected"),
    "publication.withdrawn": _l("Published entry withdrawn"),
    "reply.recorded": _l("Business's reply recorded"),
    "reply.vetted": _l("Business's reply vetted"),
    # the audit trail: every row the portal writes (portal/services/audit.py)
    "record.created": _l("Record created"),
    "record.updated": _l("Record changed"),
    "record.deleted": _l("Record deleted"),
    "record.bulk_updated": _l("Records changed in bulk"),
    "record.bulk_deleted": _l("Records deleted in bulk"),
    "audit.trail_paused": _l("Change trail paused for a bulk load"),
}


def init_app(app) -> None:
    app.jinja_env.globals.update(ROLE_LABELS=ROLE_LABELS, UNIT_KIND_LABELS=UNIT_KIND_LABELS,
                                 AUDIT_ACTION_LABELS=AUDIT_ACTION_LABELS)
    init_plan_labels(app)
    init_registry_labels(app)


PLAN_KIND_LABELS = {
    "plan": _l("Plan"), "campaign": _l("Campaign"), "directive": _l("Directive"),
    "decision": _l("Decision"), "letter": _l("Letter"), "dispatch": _l("Dispatch"),
}
PLAN_STATUS_LABELS = {
    "draft": _l("Draft"), "in_force": _l("In force"), "finished": _l("Finished"), "replaced": _l("Replaced"),
}
RECURRENCE_LABELS = {
    "once": _l("Once"), "monthly": _l("Every month"), "quarterly": _l("Every quarter"),
    "yearly": _l("Every year"), "ongoing": _l("Ongoing"),
}
PROGRESS_LABELS = {
    "not_started": _l("Not started"), "in_progress": _l("In progress"), "done": _l("Done"),
    "blocked": _l("Blocked"),
}
RULE_KIND_LABELS = {
    "monthly": _l("Every month, by a day"), "yearly": _l("Every year, by a day and month"),
    "weekly": _l("Every week, before a weekday and hour"), "after_incident": _l("Within hours of an incident"),
    "once": _l("Once, by a date"),
}
WEEKDAY_LABELS = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
                  _l("Saturday"), _l("Sunday")]
OBLIGATION_STATE_LABELS = {
    "upcoming": _l("Upcoming"), "due_soon": _l("Due soon"), "overdue": _l("Overdue"),
    "submitted": _l("Submitted"), "submitted_late": _l("Submitted late"),
}
QUOTA_METRIC_LABELS = {
    "outreach_sessions": _l("Outreach sessions"), "businesses_signed": _l("Businesses signed"),
    "agreements_signed": _l("Coordination agreements signed"), "inspections": _l("Inspections"),
}
TARGET_CATEGORY_LABELS = {
    "importer": _l("Importers"), "supermarket": _l("Supermarkets and malls"),
    "ecommerce_seller": _l("Sellers on e-commerce platforms"), "website": _l("Websites"),
    "market_stall": _l("Market stalls"), "craft_village": _l("Craft-village producers"),
    "tourist_area": _l("Businesses in tourist areas"), "business": _l("All businesses"),
    "market_board": _l("Market boards, malls, streets and wards"),
    "sanctioned": _l("Businesses sanctioned before"), "general_store": _l("General stores"),
    "digital_platform_seller": _l("Sellers on digital platforms"),
}
TARGET_MEASURE_LABELS = {
    "commitment": _l("signed a commitment"), "outreach_commitment": _l("given outreach and signed"),
    "no_violation": _l("trade no fakes"), "coordination_agreement": _l("signed a coordination agreement"),
    "no_repeat": _l("did not offend again"),
}


def init_plan_labels(app) -> None:
    app.jinja_env.globals.update(
        PLAN_KIND_LABELS=PLAN_KIND_LABELS, PLAN_STATUS_LABELS=PLAN_STATUS_LABELS,
        RECURRENCE_LABELS=RECURRENCE_LABELS, PROGRESS_LABELS=PROGRESS_LABELS, RULE_KIND_LABELS=RULE_KIND_LABELS,
        WEEKDAY_LABELS=WEEKDAY_LABELS, OBLIGATION_STATE_LABELS=OBLIGATION_STATE_LABELS,
        QUOTA_METRIC_LABELS=QUOTA_METRIC_LABELS, TARGET_CATEGORY_LABELS=TARGET_CATEGORY_LABELS,
        TARGET_MEASURE_LABELS=TARGET_MEASURE_LABELS)


BUSINESS_STATUS_LABELS = {
    "new": _l("Newly opened"), "active": _l("Active"), "changed_line": _l("Changed line of business"),
    "ceased": _l("Ceased trading"),
}
CHANNEL_LABELS = {
    "market_stall": _l("Market stall"), "shop": _l("Shop"), "supermarket": _l("Supermarket or mall"),
    "wholesale": _l("Wholesale or gathering point"), "warehouse": _l("Warehouse"),
    "craft_village": _l("Craft-village producer"), "tourist_street": _l("Tourist street"),
    "importer": _l("Importer"), "website": _l("E-commerce website"), "platform_seller": _l("Seller on a digital platform"),
    "courier": _l("Postal or courier service"),
}
DUPLICATE_REASON_LABELS = {
    "tax_code": _l("same tax code"), "link": _l("same shop link"), "name_address": _l("same name and address"),
}

OUTREACH_METHOD_LABELS = {
    "conference": _l("Conference"), "leaflet": _l("Leaflets"), "loudspeaker": _l("Loudspeaker or radio"),
    "during_inspection": _l("Directly, during an inspection"), "social_media": _l("Social media"),
    "residential_meeting": _l("Meeting of a residential group"),
}
COUNTERPART_LABELS = {
    "market_board": _l("Market board"), "mall_board": _l("Supermarket or mall management"),
    "street_board": _l("Board of a trading or tourist street"), "ward": _l("People's committee of a ward or commune"),
    "other": _l("Other body"),
}

INSPECTION_KIND_LABELS = {"scheduled": _l("Scheduled"), "surprise": _l("Surprise")}
INSPECTION_RESULT_LABELS = {
    "no_violation": _l("No violation"), "violation": _l("Violation found"),
    "referred": _l("Referred to the police or another body"),
}
VIOLATION_TYPE_LABELS = {
    "counterfeit": _l("Counterfeit goods"), "unknown_origin": _l("Goods of unknown origin"),
    "ip_infringing": _l("Goods infringing intellectual property"), "smuggled": _l("Smuggled goods"),
    "substandard": _l("Substandard quality"), "false_advertising": _l("False advertising"),
    "invoice_fraud": _l("Invoice or tax fraud"),
}
PUBLICATION_STATE_LABELS = {
    "proposed": _l("Proposed"), "rejected": _l("Rejected"), "published": _l("Published"),
    "withdrawn": _l("Withdrawn"),
}
REPLY_STATE_LABELS = {"pending": _l("Waiting to be vetted"), "approved": _l("Shown"), "rejected": _l("Not shown")}
VIOLATION_STATE_LABELS = {
    "found": _l("Found"), "decided": _l("Sanction decided"), "complied": _l("Complied"),
    "appealed": _l("Appealed"), "overturned": _l("Overturned"),
}


def init_registry_labels(app) -> None:
    app.jinja_env.globals.update(BUSINESS_STATUS_LABELS=BUSINESS_STATUS_LABELS, CHANNEL_LABELS=CHANNEL_LABELS,
                                 DUPLICATE_REASON_LABELS=DUPLICATE_REASON_LABELS,
                                 OUTREACH_METHOD_LABELS=OUTREACH_METHOD_LABELS, COUNTERPART_LABELS=COUNTERPART_LABELS,
                                 INSPECTION_KIND_LABELS=INSPECTION_KIND_LABELS,
                                 INSPECTION_RESULT_LABELS=INSPECTION_RESULT_LABELS,
                                 VIOLATION_TYPE_LABELS=VIOLATION_TYPE_LABELS,
                                 VIOLATION_STATE_LABELS=VIOLATION_STATE_LABELS,
                                 PUBLICATION_STATE_LABELS=PUBLICATION_STATE_LABELS, REPLY_STATE_LABELS=REPLY_STATE_LABELS)
