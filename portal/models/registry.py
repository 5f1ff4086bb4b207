"""The business registry: every business of an area, its channels, goods and status history."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, TimestampMixin, UTCDateTime, utcnow
from portal.models.areas import Province, Ward
from portal.models.plans import GoodsCategory, str_enum


class BusinessStatus(enum.StrEnum):
    NEW = "new"  # first recorded: newly opened
    ACTIVE = "active"
    CHANGED_LINE = "changed_line"  # changed line of business
    CEASED = "ceased"  # ceased trading


class ChannelKind(enum.StrEnum):
    MARKET_STALL = "market_stall"
    SHOP = "shop"
    SUPERMARKET = "supermarket"  # supermarket or mall
    WHOLESALE = "wholesale"  # wholesale or gathering point
    WAREHOUSE = "warehouse"
    CRAFT_VILLAGE = "craft_village"
    TOURIST_STREET = "tourist_street"
    IMPORTER = "importer"
    WEBSITE = "website"  # e-commerce website
    PLATFORM_SELLER = "platform_seller"  # seller on a digital platform
    COURIER = "courier"  # postal or courier service


business_goods = Table(
    "business_goods", Base.metadata,
    Column("business_id", ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True),
    Column("goods_category_id", ForeignKey("goods_categories.id"), primary_key=True),
)


class Business(TimestampMixin, Base):
    __tablename__ = "businesses"
    __table_args__ = (
        Index("ix_businesses_ward_code_name_folded", "ward_code", "name_folded"),
        Index("ix_businesses_province_code_status", "province_code", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    owner_name: Mapped[str | None] = mapped_column(String(120))
    #: 10 or 13 digits (10-digit code and a 3-digit branch suffix)
    tax_code: Mapped[str | None] = mapped_column(String(14), index=True)
    household_reg_no: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(300))
    ward_code: Mapped[int] = mapped_column(ForeignKey("wards.code"))
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"))  # the ward's, kept for scope
    phone: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[BusinessStatus] = mapped_column(str_enum(BusinessStatus), default=BusinessStatus.NEW)
    #: Kept from the status history so coverage over time is one query: the day the business
    #: was first recorded, and the day it ceased trading while that is its status.
    recorded_on: Mapped[date] = mapped_column(Date)
    ceased_on: Mapped[date | None] = mapped_column(Date)
    #: Folded copies for diacritic-insensitive search and duplicate checks ("tap hoa minh anh").
    name_folded: Mapped[str] = mapped_column(String(200))
    address_folded: Mapped[str] = mapped_column(String(300))
    #: Set when this record was merged into another; it then stays only as history.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("businesses.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    ward: Mapped[Ward] = relationship()
    province: Mapped[Province] = relationship()
    channels: Mapped[list[BusinessChannel]] = relationship(
        back_populates="business", cascade="all, delete-orphan", order_by="BusinessChannel.id")
    goods: Mapped[list[GoodsCategory]] = relationship(secondary=business_goods, order_by="GoodsCategory.name_vi")
    history: Mapped[list[BusinessStatusChange]] = relationship(
        back_populates="business", cascade="all, delete-orphan",
        order_by="(BusinessStatusChange.on, BusinessStatusChange.id)")
    merged_into: Mapped[Business | None] = relationship(remote_side=[id])

    def __str__(self) -> str:
        return self.name


class BusinessChannel(Base):
    """Where and how a business sells: a market stall, a shop, a shop on a platform…"""

    __tablename__ = "business_channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ChannelKind] = mapped_column(str_enum(ChannelKind))
    place_name: Mapped[str | None] = mapped_column(String(200))  # the market, mall or village; the platform
    stall: Mapped[str | None] = mapped_column(String(40))  # stall number in the market
    link: Mapped[str | None] = mapped_column(String(500))  # shop link or website, as typed
    link_normalised: Mapped[str | None] = mapped_column(String(500), index=True)

    business: Mapped[Business] = relationship(back_populates="channels")


class BusinessStatusChange(Base):
    __tablename__ = "business_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    status: Mapped[BusinessStatus] = mapped_column(str_enum(BusinessStatus))
    on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    business: Mapped[Business] = relationship(back_populates="history")
