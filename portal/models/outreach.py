"""Outreach to businesses, their signed commitments, and coordination agreements with the
boards of markets, malls and streets (plan 125/KH-UBND; letter 100/QLTTLCA-NVTH)."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow
from portal.models.accounts import User
from portal.models.areas import Ward
from portal.models.org import Unit
from portal.models.plans import Plan, str_enum
from portal.models.registry import Business, BusinessArea, area_list_indexes


class OutreachMethod(enum.StrEnum):
    CONFERENCE = "conference"
    LEAFLET = "leaflet"
    LOUDSPEAKER = "loudspeaker"  # loudspeaker or radio
    DURING_INSPECTION = "during_inspection"  # directly, during an inspection
    SOCIAL_MEDIA = "social_media"
    RESIDENTIAL_MEETING = "residential_meeting"  # meeting of a residential group


class Counterpart(enum.StrEnum):
    """Who signs a coordination agreement (quy chế phối hợp) with the market-surveillance team."""

    MARKET_BOARD = "market_board"
    MALL_BOARD = "mall_board"  # supermarket or mall management
    STREET_BOARD = "street_board"  # board of a tourist or trading street
    WARD = "ward"  # people's committee of a ward or commune
    OTHER = "other"


outreach_officers = Table(
    "outreach_officers", Base.metadata,
    Column("session_id", ForeignKey("outreach_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    Index("ix_outreach_officers_user_id", "user_id"),  # an officer's sessions (quotas, evaluation)
)

outreach_businesses = Table(
    "outreach_businesses", Base.metadata,
    Column("session_id", ForeignKey("outreach_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("business_id", ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_outreach_businesses_business_id", "business_id"),
)


class OutreachSession(Base):
    __tablename__ = "outreach_sessions"
    __table_args__ = (
        Index("ix_outreach_sessions_unit_id_held_on", "unit_id", "held_on"),
        Index("ix_outreach_sessions_held_on_id", "held_on", "id"),  # the list, newest first
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(Date)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    method: Mapped[OutreachMethod] = mapped_column(str_enum(OutreachMethod))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), index=True)
    #: Where it was held (a market, a cultural house…), and its ward for the area's figures.
    place: Mapped[str | None] = mapped_column(String(200))
    ward_code: Mapped[int | None] = mapped_column(ForeignKey("wards.code"), index=True)
    people_reached: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()
    plan: Mapped[Plan | None] = relationship()
    ward: Mapped[Ward | None] = relationship()
    officers: Mapped[list[User]] = relationship(secondary=outreach_officers, order_by="User.full_name")
    businesses: Mapped[list[Business]] = relationship(secondary=outreach_businesses, order_by="Business.name_folded")
    commitments: Mapped[list[Commitment]] = relationship(back_populates="session", order_by="Commitment.id")


class SignedPaper:
    """What a commitment and a coordination agreement share: who signed, who received it,
    for which plan, and the scan of the signed paper."""

    id: Mapped[int] = mapped_column(primary_key=True)
    signed_on: Mapped[date] = mapped_column(Date)
    signatory: Mapped[str] = mapped_column(String(120))  # who signed for the business or board
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))  # the receiving unit
    received_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))
    scan_stored_name: Mapped[str | None] = mapped_column(String(60))
    scan_original_name: Mapped[str | None] = mapped_column(String(200))
    scan_mime_type: Mapped[str | None] = mapped_column(String(100))
    scan_size: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @declared_attr
    def unit(cls) -> Mapped[Unit]:
        return relationship(Unit)

    @declared_attr
    def received_by(cls) -> Mapped[User]:
        return relationship(User, foreign_keys=[cls.received_by_id])

    @declared_attr
    def plan(cls) -> Mapped[Plan | None]:
        return relationship(Plan)


class Commitment(BusinessArea, SignedPaper, Base):
    """A business's signed commitment not to trade fakes, smuggled goods, goods of unknown
    origin or goods that infringe intellectual property."""

    __tablename__ = "commitments"
    __table_args__ = (
        Index("ix_commitments_business_id_signed_on", "business_id", "signed_on"),
        # the work of units and of officers over time (dashboards, reports, quotas)
        Index("ix_commitments_unit_id_signed_on", "unit_id", "signed_on"),
        Index("ix_commitments_received_by_id_signed_on", "received_by_id", "signed_on"),
        *area_list_indexes("commitments", "signed_on"),
    )

    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("outreach_sessions.id"), index=True)

    business: Mapped[Business] = relationship()
    session: Mapped[OutreachSession | None] = relationship(back_populates="commitments")


class Agreement(SignedPaper, Base):
    """A coordination agreement (quy chế phối hợp) with a market, mall or street board or a ward."""

    __tablename__ = "agreements"
    __table_args__ = (
        Index("ix_agreements_unit_id_signed_on", "unit_id", "signed_on"),
        Index("ix_agreements_received_by_id_signed_on", "received_by_id", "signed_on"),
    )

    counterpart: Mapped[Counterpart] = mapped_column(str_enum(Counterpart))
    counterpart_name: Mapped[str] = mapped_column(String(200))
    ward_code: Mapped[int] = mapped_column(ForeignKey("wards.code"), index=True)
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), index=True)
    note: Mapped[str | None] = mapped_column(Text)

    ward: Mapped[Ward] = relationship()
