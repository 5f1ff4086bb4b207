"""Inspections of businesses, the violations found and their sanctions (plan 125/KH-UBND;
letter 100/QLTTLCA-NVTH)."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Column, Date, ForeignKey, Index, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, TimestampMixin, UTCDateTime, trigram_index
from portal.models.accounts import User
from portal.models.org import Unit
from portal.models.plans import GoodsCategory, Incident, Plan, str_enum
from portal.models.registry import Business, BusinessArea, area_list_indexes


class InspectionKind(enum.StrEnum):
    SCHEDULED = "scheduled"
    SURPRISE = "surprise"


class InspectionResult(enum.StrEnum):
    NO_VIOLATION = "no_violation"
    VIOLATION = "violation"
    REFERRED = "referred"  # to the police or another body


class ViolationType(enum.StrEnum):
    COUNTERFEIT = "counterfeit"
    UNKNOWN_ORIGIN = "unknown_origin"
    IP_INFRINGING = "ip_infringing"
    SMUGGLED = "smuggled"
    SUBSTANDARD = "substandard"
    FALSE_ADVERTISING = "false_advertising"
    INVOICE_FRAUD = "invoice_fraud"  # invoice or tax fraud


class ViolationState(enum.StrEnum):
    FOUND = "found"
    DECIDED = "decided"  # a sanction decision was issued
    COMPLIED = "complied"
    APPEALED = "appealed"
    OVERTURNED = "overturned"


inspection_members = Table(
    "inspection_members", Base.metadata,
    Column("inspection_id", ForeignKey("inspections.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True),
)

inspection_goods = Table(
    "inspection_goods", Base.metadata,
    Column("inspection_id", ForeignKey("inspections.id", ondelete="CASCADE"), primary_key=True),
    Column("goods_category_id", ForeignKey("goods_categories.id"), primary_key=True),
)


class Inspection(BusinessArea, TimestampMixin, Base):
    __tablename__ = "inspections"
    __table_args__ = (
        Index("ix_inspections_unit_id_inspected_on", "unit_id", "inspected_on"),
        Index("ix_inspections_created_by_id_inspected_on", "created_by_id", "inspected_on"),  # quotas
        *area_list_indexes("inspections", "inspected_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspected_on: Mapped[date] = mapped_column(Date)
    #: The inspecting unit: a market-surveillance team, or the lead of an interagency team whose
    #: other members are in ``members``.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), index=True)
    kind: Mapped[InspectionKind] = mapped_column(str_enum(InspectionKind))
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    result: Mapped[InspectionResult] = mapped_column(str_enum(InspectionResult))
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    unit: Mapped[Unit] = relationship()
    plan: Mapped[Plan | None] = relationship()
    business: Mapped[Business] = relationship()
    members: Mapped[list[Unit]] = relationship(secondary=inspection_members, order_by="Unit.name")
    goods: Mapped[list[GoodsCategory]] = relationship(secondary=inspection_goods, order_by="GoodsCategory.name_vi")
    violations: Mapped[list[Violation]] = relationship(back_populates="inspection", order_by="Violation.id")
    created_by: Mapped[User] = relationship()


class Violation(BusinessArea, TimestampMixin, Base):
    __tablename__ = "violations"
    __table_args__ = (
        Index("ix_violations_business_id_found_on", "business_id", "found_on"),
        Index("ix_violations_unit_id_found_on", "unit_id", "found_on"),  # the work of units over time
        *area_list_indexes("violations", "found_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    #: Copied from the inspection so that the facts worked out per business are single queries.
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"))
    found_on: Mapped[date] = mapped_column(Date)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    type: Mapped[ViolationType] = mapped_column(str_enum(ViolationType))
    goods_category_id: Mapped[int | None] = mapped_column(ForeignKey("goods_categories.id"))
    brand: Mapped[str | None] = mapped_column(String(120))
    openly_displayed: Mapped[bool] = mapped_column(Boolean, default=False)
    quantity: Mapped[str | None] = mapped_column(String(120))  # as counted: "120 hộp", "35 kg"
    seized_value: Mapped[int | None] = mapped_column(BigInteger)  # VND
    #: When goods were seized; a seizure starts the plan's quick-report deadline.
    seized_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))
    decision_number: Mapped[str | None] = mapped_column(String(60))
    decision_on: Mapped[date | None] = mapped_column(Date)
    decision_authority: Mapped[str | None] = mapped_column(String(200))
    fine: Mapped[int | None] = mapped_column(BigInteger)  # VND
    remedies: Mapped[str | None] = mapped_column(Text)
    state: Mapped[ViolationState] = mapped_column(str_enum(ViolationState), default=ViolationState.FOUND)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    inspection: Mapped[Inspection] = relationship(back_populates="violations")
    business: Mapped[Business] = relationship()
    goods_category: Mapped[GoodsCategory | None] = relationship()
    unit: Mapped[Unit] = relationship()
    incident: Mapped[Incident | None] = relationship()

    @property
    def sanctioned(self) -> bool:
        """A sanction decision stands: issued, and not overturned."""
        return bool(self.decision_number) and self.state != ViolationState.OVERTURNED


class PublicationState(enum.StrEnum):
    PROPOSED = "proposed"
    REJECTED = "rejected"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class Publication(TimestampMixin, Base):
    """The workflow that decides whether a violation is named in public: an officer proposes,
    a leader of the deciding unit (not the proposer) approves or rejects with a reason."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    violation_id: Mapped[int] = mapped_column(ForeignKey("violations.id"), unique=True)
    state: Mapped[PublicationState] = mapped_column(str_enum(PublicationState), default=PublicationState.PROPOSED)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposal_note: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)  # why rejected, or why withdrawn
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    violation: Mapped[Violation] = relationship()
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    entry: Mapped[PublicEntry | None] = relationship(back_populates="publication")


class PublicEntry(Base):
    """What the public sees of a published violation, and nothing more: copied from the records
    when a leader approves (never an individual's ID number, phone or home address)."""

    __tablename__ = "public_entries"
    __table_args__ = (
        # the public list, newest first (ORDER["newest"] in services/disclosure.py): only the entries
        # not withdrawn, so that the index gives that order; with ends_on, counting them reads the index alone
        Index("ix_public_entries_listed", "published_at", "id", "ends_on",
              postgresql_where=text("withdrawn_at IS NULL"), sqlite_where=text("withdrawn_at IS NULL")),
        trigram_index("ix_public_entries_search_folded_trgm", "search_folded"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)  # the permanent link: /violations/<id>
    publication_id: Mapped[int] = mapped_column(ForeignKey("publications.id"), unique=True)
    business_name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))  # the business's trading address
    ward_code: Mapped[int] = mapped_column(ForeignKey("wards.code"), index=True)
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), index=True)
    violation_type: Mapped[ViolationType] = mapped_column(str_enum(ViolationType))
    goods_category_id: Mapped[int | None] = mapped_column(ForeignKey("goods_categories.id"), index=True)
    brand: Mapped[str | None] = mapped_column(String(120))
    found_on: Mapped[date] = mapped_column(Date)
    decision_number: Mapped[str] = mapped_column(String(60))
    decision_on: Mapped[date] = mapped_column(Date, index=True)
    decision_authority: Mapped[str] = mapped_column(String(200))
    fine: Mapped[int | None] = mapped_column(BigInteger)
    after_commitment: Mapped[bool] = mapped_column(Boolean, default=False)
    after_outreach: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_on: Mapped[date | None] = mapped_column(Date)  # leaves the public lists after this day
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    #: Folded copy of name and address for diacritic-insensitive search.
    search_folded: Mapped[str] = mapped_column(String(520))

    publication: Mapped[Publication] = relationship(back_populates="entry")
    goods_category: Mapped[GoodsCategory | None] = relationship()
    corrections: Mapped[list[PublicCorrection]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="PublicCorrection.id")
    replies: Mapped[list[BusinessReply]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="BusinessReply.id")


class PublicCorrection(Base):
    """A correction of a published entry, shown on its public page with its date."""

    __tablename__ = "public_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("public_entries.id", ondelete="CASCADE"), index=True)
    corrected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text)  # what was corrected, in words the public reads
    corrected_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    entry: Mapped[PublicEntry] = relationship(back_populates="corrections")


class ReplyState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class BusinessReply(Base):
    """The business's reply to its entry, shown beside it once a leader has vetted it."""

    __tablename__ = "business_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("public_entries.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    received_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    state: Mapped[ReplyState] = mapped_column(str_enum(ReplyState), default=ReplyState.PENDING)
    vetted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    vetted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    entry: Mapped[PublicEntry] = relationship(back_populates="replies")
