"""Plans and the documents that start or push them, with their tasks, targets, quotas and
reporting rules; the report obligations the rules produce."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, SoftDeleteMixin, TimestampMixin, UTCDateTime, utcnow
from portal.models.accounts import User
from portal.models.org import Unit


def str_enum(cls: type[enum.Enum], length: int = 30) -> Enum:
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class PlanKind(enum.StrEnum):
    PLAN = "plan"  # Kế hoạch
    CAMPAIGN = "campaign"  # Đợt cao điểm
    DIRECTIVE = "directive"  # Chỉ thị
    DECISION = "decision"  # Quyết định
    LETTER = "letter"  # Công văn
    DISPATCH = "dispatch"  # Công điện


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    IN_FORCE = "in_force"
    FINISHED = "finished"
    REPLACED = "replaced"


class Recurrence(enum.StrEnum):
    ONCE = "once"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"
    ONGOING = "ongoing"


class ProgressStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"


class RuleKind(enum.StrEnum):
    MONTHLY = "monthly"  # before day N of every month
    YEARLY = "yearly"  # before a day and month of every year (half-year and year reports)
    WEEKLY = "weekly"  # before a weekday and hour
    AFTER_INCIDENT = "after_incident"  # within N hours of a seizure or other incident
    ONCE = "once"  # a single deadline


class QuotaMetric(enum.StrEnum):
    OUTREACH_SESSIONS = "outreach_sessions"
    BUSINESSES_SIGNED = "businesses_signed"
    AGREEMENTS_SIGNED = "agreements_signed"
    INSPECTIONS = "inspections"


class GoodsCategory(Base):
    """The managed list of goods categories (mặt hàng)."""

    __tablename__ = "goods_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_vi: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def name(self, locale: str) -> str:
        return self.name_vi if locale == "vi" else self.name_en


plan_goods = Table(
    "plan_goods", Base.metadata,
    Column("plan_id", ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True),
    Column("goods_category_id", ForeignKey("goods_categories.id"), primary_key=True),
)

task_coordinators = Table(
    "task_coordinators", Base.metadata,
    Column("task_id", ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True),
)

rule_reporters = Table(
    "rule_reporters", Base.metadata,
    Column("rule_id", ForeignKey("reporting_rules.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True),
)


class Plan(TimestampMixin, Base):
    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("unit_id", "number", name="uq_plans_unit_id_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60))
    kind: Mapped[PlanKind] = mapped_column(str_enum(PlanKind))
    title: Mapped[str] = mapped_column(String(500))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the issuing unit
    issued_on: Mapped[date] = mapped_column(Date)
    #: The period, as instants in UTC; reporting deadlines are computed inside it only.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[PlanStatus] = mapped_column(str_enum(PlanStatus), default=PlanStatus.DRAFT)
    document_name: Mapped[str | None] = mapped_column(String(60))  # stored under a random name
    document_original_name: Mapped[str | None] = mapped_column(String(200))
    document_mime_type: Mapped[str | None] = mapped_column(String(100))
    document_size: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[Unit] = relationship()
    goods: Mapped[list[GoodsCategory]] = relationship(secondary=plan_goods, order_by="GoodsCategory.name_vi")
    citations: Mapped[list[PlanCitation]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", foreign_keys="PlanCitation.plan_id",
        order_by="PlanCitation.id")
    tasks: Mapped[list[Task]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                             order_by="Task.id")
    rules: Mapped[list[ReportingRule]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                      order_by="ReportingRule.id")
    targets: Mapped[list[Target]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                 order_by="(Target.year, Target.id)")

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


class PlanCitation(Base):
    """A document the plan implements or cites, by its number; linked when it is in the portal."""

    __tablename__ = "plan_citations"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    cited_number: Mapped[str] = mapped_column(String(60))
    cited_plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"), index=True)

    plan: Mapped[Plan] = relationship(back_populates="citations", foreign_keys=[plan_id])
    cited_plan: Mapped[Plan | None] = relationship(foreign_keys=[cited_plan_id])


class Task(TimestampMixin, Base):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    recurrence: Mapped[Recurrence | None] = mapped_column(str_enum(Recurrence))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    lead_unit: Mapped[Unit] = relationship()
    coordinators: Mapped[list[Unit]] = relationship(secondary=task_coordinators, order_by="Unit.name")
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="ProgressUpdate.id.desc()")


class ProgressUpdate(Base):
    __tablename__ = "progress_updates"
    __table_args__ = (Index("ix_progress_updates_task_id_id", "task_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[ProgressStatus] = mapped_column(str_enum(ProgressStatus))
    narrative: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    task: Mapped[Task] = relationship(back_populates="updates")
    unit: Mapped[Unit] = relationship()
    author: Mapped[User] = relationship()
    files: Mapped[list[EvidenceFile]] = relationship(cascade="all, delete-orphan", order_by="EvidenceFile.id")


class EvidenceFile(Base):
    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    progress_id: Mapped[int] = mapped_column(ForeignKey("progress_updates.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(60))
    original_name: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)


class Target(Base):
    """A percentage of a category of businesses in an area, by a date (plan 125/KH-UBND's table)."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(SmallInteger)
    due_on: Mapped[date] = mapped_column(Date)
    percent: Mapped[int] = mapped_column(SmallInteger)
    category: Mapped[str] = mapped_column(String(40))
    measure: Mapped[str] = mapped_column(String(40))
    province_code: Mapped[int | None] = mapped_column(ForeignKey("provinces.code"))
    ward_code: Mapped[int | None] = mapped_column(ForeignKey("wards.code"))
    text: Mapped[str] = mapped_column(Text)  # the target as the plan words it

    plan: Mapped[Plan] = relationship(back_populates="targets")


class ReportingRule(SoftDeleteMixin, TimestampMixin, Base):
    __tablename__ = "reporting_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[RuleKind] = mapped_column(str_enum(RuleKind))
    day: Mapped[int | None] = mapped_column(SmallInteger)
    month: Mapped[int | None] = mapped_column(SmallInteger)
    weekday: Mapped[int | None] = mapped_column(SmallInteger)  # 0 = Monday
    hour: Mapped[int | None] = mapped_column(SmallInteger)  # None: by the end of the day
    minute: Mapped[int | None] = mapped_column(SmallInteger)
    hours_after: Mapped[int | None] = mapped_column(SmallInteger)
    once_on: Mapped[date | None] = mapped_column(Date)
    receiver_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)

    plan: Mapped[Plan] = relationship(back_populates="rules")
    receiver: Mapped[Unit] = relationship()
    reporters: Mapped[list[Unit]] = relationship(secondary=rule_reporters, order_by="Unit.name")
    obligations: Mapped[list[ReportObligation]] = relationship(
        back_populates="rule", cascade="all, delete-orphan", order_by="ReportObligation.due_at")


class Incident(Base):
    """A seizure or other case that starts a quick-report deadline."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("reporting_rules.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    description: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReportObligation(Base):
    """One report one unit owes by one deadline."""

    __tablename__ = "report_obligations"
    __table_args__ = (
        # one scheduled report per unit and deadline; reports started by incidents may share a time
        Index("uq_report_obligations_rule_unit_due", "rule_id", "unit_id", "due_at", unique=True,
              sqlite_where=text("incident_id IS NULL"), postgresql_where=text("incident_id IS NULL")),
        Index("ix_report_obligations_unit_id_due_at", "unit_id", "due_at"),
        Index("ix_report_obligations_rule_id", "rule_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("reporting_rules.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    rule: Mapped[ReportingRule] = relationship(back_populates="obligations")
    unit: Mapped[Unit] = relationship()
    incident: Mapped[Incident | None] = relationship()


class Quota(TimestampMixin, Base):
    """A count a team leader asks of one inspector for a period (letter 100/QLTTLCA-NVTH)."""

    __tablename__ = "quotas"
    __table_args__ = (Index("ix_quotas_user_id_ends_on", "user_id", "ends_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the inspector's unit then
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    metric: Mapped[QuotaMetric] = mapped_column(str_enum(QuotaMetric))
    amount: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    assigned_by: Mapped[User] = relationship(foreign_keys=[assigned_by_id])


class CalendarFeed(Base):
    """A private iCalendar link of one user; only the hash of its token is kept."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
