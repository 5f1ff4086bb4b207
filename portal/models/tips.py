"""Citizens' tips (tin báo) and how staff handle them, keeping the sender safe (plan of
Hàm Rồng, section III.6): the sender's identity and contact are seen only by the staff member
handling the tip, and every such view is logged."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, StoredImageMixin, UTCDateTime, utcnow
from portal.models.accounts import User
from portal.models.areas import Province, Ward
from portal.models.org import Unit
from portal.models.plans import GoodsCategory, str_enum
from portal.models.registry import Business


class TipStatus(enum.StrEnum):
    RECEIVED = "received"
    VERIFYING = "verifying"
    FORWARDED = "forwarded"
    RESOLVED = "resolved"
    UNFOUNDED = "unfounded"


#: Statuses that end the handling of a tip (its waiting time stops).
CLOSED_TIP_STATUSES = frozenset({TipStatus.RESOLVED, TipStatus.UNFOUNDED})


class Tip(Base):
    __tablename__ = "tips"
    # open tips of a unit, and those it closed in a period (menus, dashboards, reports)
    __table_args__ = (Index("ix_tips_unit_id_status_closed_at", "unit_id", "status", "closed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the receipt code given to the sender; the code itself is never stored.
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    what: Mapped[str] = mapped_column(Text)
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), index=True)
    ward_code: Mapped[int | None] = mapped_column(ForeignKey("wards.code"))
    place: Mapped[str | None] = mapped_column(String(300))  # street, market, shop address
    goods_category_id: Mapped[int | None] = mapped_column(ForeignKey("goods_categories.id"))
    shop: Mapped[str | None] = mapped_column(String(300))  # shop name or link, as the sender wrote it
    business_id: Mapped[int | None] = mapped_column(ForeignKey("businesses.id"), index=True)
    #: Identity and contact: empty when the sender stays anonymous.
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[TipStatus] = mapped_column(str_enum(TipStatus), default=TipStatus.RECEIVED)
    #: The unit whose inbox holds the tip: first the one for its area, then the competent unit.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    #: The one staff member handling the tip: the only one who sees the sender's identity.
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    province: Mapped[Province] = relationship()
    ward: Mapped[Ward | None] = relationship()
    goods_category: Mapped[GoodsCategory | None] = relationship()
    business: Mapped[Business | None] = relationship()
    unit: Mapped[Unit] = relationship()
    handler: Mapped[User | None] = relationship()
    photos: Mapped[list[TipPhoto]] = relationship(
        back_populates="tip", cascade="all, delete-orphan", order_by="TipPhoto.id")
    notes: Mapped[list[TipNote]] = relationship(
        back_populates="tip", cascade="all, delete-orphan", order_by="TipNote.id")
    messages: Mapped[list[TipMessage]] = relationship(
        back_populates="tip", cascade="all, delete-orphan", order_by="TipMessage.id")

    @property
    def closed(self) -> bool:
        return self.status in CLOSED_TIP_STATUSES


class TipPhoto(StoredImageMixin, Base):
    """A photo sent with a tip: re-encoded on arrival, so no location or camera metadata is kept."""

    __tablename__ = "tip_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    tip_id: Mapped[int] = mapped_column(ForeignKey("tips.id", ondelete="CASCADE"), index=True)

    tip: Mapped[Tip] = relationship(back_populates="photos")


class TipNote(Base):
    """An internal note on a tip; never shown to the sender."""

    __tablename__ = "tip_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    tip_id: Mapped[int] = mapped_column(ForeignKey("tips.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    tip: Mapped[Tip] = relationship(back_populates="notes")
    author: Mapped[User] = relationship()


class TipMessage(Base):
    """A reply to the sender, shown to whoever holds the receipt code."""

    __tablename__ = "tip_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    tip_id: Mapped[int] = mapped_column(ForeignKey("tips.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    tip: Mapped[Tip] = relationship(back_populates="messages")
    author: Mapped[User] = relationship()
