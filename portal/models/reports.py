"""Reports: drafted from the records, submitted and frozen, corrected by new revisions, rolled up
the chain (letter 100/QLTTLCA-NVTH; plan 125/KH-UBND section IV.3.1), and the reminders sent
before and after their deadlines."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, TimestampMixin, UTCDateTime, utcnow
from portal.models.accounts import User
from portal.models.org import Unit
from portal.models.plans import ReportObligation, str_enum


class ReportKind(enum.StrEnum):
    PERIODIC = "periodic"  # weekly, monthly, quarterly, yearly… under a reporting rule
    QUICK = "quick"  # the 24-hour report after a seizure
    CONSOLIDATED = "consolidated"  # the standing office's report compiled from its units' reports


class ReportStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


#: The narrative sections of a report (plan 125/KH-UBND, IV.3.1), in order.
NARRATIVE_SECTIONS = ("market_situation", "outreach_results", "enforcement_results", "progress",
                      "difficulties", "proposals")


class Report(TimestampMixin, Base):
    """One unit's report for one obligation. While a draft its figures are computed from the
    records; at submission they are frozen in ``figures``. A correction after submission is a
    new revision that points at the one it corrects."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("obligation_id", "revision", name="uq_reports_obligation_id_revision"),
        Index("ix_reports_unit_id_period_end", "unit_id", "period_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("report_obligations.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    kind: Mapped[ReportKind] = mapped_column(str_enum(ReportKind))
    status: Mapped[ReportStatus] = mapped_column(str_enum(ReportStatus), default=ReportStatus.DRAFT)
    #: The period the figures cover (both days included).
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    # The administrative document (Decree 30/2020/NĐ-CP): number and symbol, place and date,
    # recipients ("Nơi nhận", one per line), signature block.
    number: Mapped[str | None] = mapped_column(String(60))
    place: Mapped[str | None] = mapped_column(String(100))
    issued_on: Mapped[date | None] = mapped_column(Date)
    recipients: Mapped[str | None] = mapped_column(Text)
    signer_name: Mapped[str | None] = mapped_column(String(120))
    signer_title: Mapped[str | None] = mapped_column(String(120))
    # The six narrative sections, written by the unit.
    market_situation: Mapped[str | None] = mapped_column(Text)
    outreach_results: Mapped[str | None] = mapped_column(Text)
    enforcement_results: Mapped[str | None] = mapped_column(Text)
    progress: Mapped[str | None] = mapped_column(Text)
    difficulties: Mapped[str | None] = mapped_column(Text)
    proposals: Mapped[str | None] = mapped_column(Text)
    #: The figures as submitted (None while a draft: they are computed from the records).
    figures: Mapped[dict | None] = mapped_column(JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    obligation: Mapped[ReportObligation] = relationship()
    unit: Mapped[Unit] = relationship()
    previous: Mapped[Report | None] = relationship(remote_side=[id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])


class ReminderKind(enum.StrEnum):
    BEFORE_DUE = "before_due"  # to the reporting unit, some days before the deadline
    MISSED = "missed"  # to the reporting unit, once the deadline has passed
    LATE_LIST = "late_list"  # to the receiving unit (the standing office): who is late


class ReportReminder(Base):
    """One email to send (and, once sent, sent). ``key`` names what it is about and to whom, so
    running the reminders again never sends the same message twice; a failed send is retried."""

    __tablename__ = "report_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(250), unique=True)
    kind: Mapped[ReminderKind] = mapped_column(str_enum(ReminderKind))
    obligation_id: Mapped[int | None] = mapped_column(ForeignKey("report_obligations.id", ondelete="CASCADE"),
                                                      index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # whose inbox it is for
    recipient: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class Commendation(Base):
    """A proposal to commend a team or an inspector, with the evaluation figures it rests on."""

    __tablename__ = "commendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    proposing_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))  # a team…
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # …or an inspector
    reason: Mapped[str] = mapped_column(Text)
    figures: Mapped[dict] = mapped_column(JSON)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposing_unit: Mapped[Unit] = relationship(foreign_keys=[proposing_unit_id])
    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
