"""The business registry: every business of an area, its channels, goods and status history."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, TimestampMixin, UTCDateTime, trigram_index, utcnow
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


#: The bit of each kind in Business.channel_kinds. Stored in the database: never renumber one.
CHANNEL_BITS: dict[ChannelKind, int] = {
    ChannelKind.MARKET_STALL: 1, ChannelKind.SHOP: 2, ChannelKind.SUPERMARKET: 4, ChannelKind.WHOLESALE: 8,
    ChannelKind.WAREHOUSE: 16, ChannelKind.CRAFT_VILLAGE: 32, ChannelKind.TOURIST_STREET: 64,
    ChannelKind.IMPORTER: 128, ChannelKind.WEBSITE: 256, ChannelKind.PLATFORM_SELLER: 512, ChannelKind.COURIER: 1024,
}

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
        # the public check of a business: name or address containing the words typed
        trigram_index("ix_businesses_name_folded_trgm", "name_folded"),
        trigram_index("ix_businesses_address_folded_trgm", "address_folded"),
        # coverage of a province (its targets, the dashboard, reports) read from the index alone
        Index("ix_businesses_province_coverage", "province_code", "ward_code", "recorded_on", "ceased_on",
              "first_outreach_on", "first_signed_on", "channel_kinds", "merged_into_id"),
        # the staff registry in name order, of a province or of the whole country
        Index("ix_businesses_name_folded_province_code", "name_folded", "province_code", "id"),
        # equality, and the prefix a search types ("0101234…"), which PostgreSQL's collations read
        # from a btree only with the pattern operator class
        Index("ix_businesses_tax_code", "tax_code", postgresql_ops={"tax_code": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    owner_name: Mapped[str | None] = mapped_column(String(120))
    #: 10 or 13 digits (10-digit code and a 3-digit branch suffix)
    tax_code: Mapped[str | None] = mapped_column(String(14))
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
    #: Kept from the outreach sessions and commitments (services/kept.py sets them after every
    #: flush that records, moves or removes one), so coverage on any day needs no look-up of the
    #: papers: the first day outreach reached the business, and the first day it signed.
    first_outreach_on: Mapped[date | None] = mapped_column(Date)
    first_signed_on: Mapped[date | None] = mapped_column(Date)
    #: The kinds of its channels as bits (CHANNEL_BITS), kept the same way, so that counting
    #: businesses by channel reads no other table.
    channel_kinds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
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


class BusinessArea:
    """The ward and province of a record's business, copied (services/kept.py) so that the list
    of an area reads one table: inspections, violations, commitments."""

    ward_code: Mapped[int | None] = mapped_column(ForeignKey("wards.code"))
    province_code: Mapped[int | None] = mapped_column(ForeignKey("provinces.code"))


def area_list_indexes(table: str, day: str) -> tuple[Index, ...]:
    """A BusinessArea table's lists, newest first: of the country, of a province, of a ward."""
    return (Index(f"ix_{table}_{day}_id", day, "id"), Index(f"ix_{table}_province_code_{day}", "province_code", day),
            Index(f"ix_{table}_ward_code_{day}", "ward_code", day))


class BusinessChannel(Base):
    """Where and how a business sells: a market stall, a shop, a shop on a platform…"""

    __tablename__ = "business_channels"
    __table_args__ = (trigram_index("ix_business_channels_link_normalised_trgm", "link_normalised"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ChannelKind] = mapped_column(str_enum(ChannelKind))
    place_name: Mapped[str | None] = mapped_column(String(200))  # the market, mall or village; the platform
    stall: Mapped[str | None] = mapped_column(String(40), index=True)  # stall number in the market
    link: Mapped[str | None] = mapped_column(String(500))  # shop link or website, as typed
    link_normalised: Mapped[str | None] = mapped_column(String(500), index=True)

    business: Mapped[Business] = relationship(back_populates="channels")


class BusinessStatusChange(Base):
    __tablename__ = "business_status_changes"
    # the businesses that opened, ceased or changed line in a period (reports)
    __table_args__ = (Index("ix_business_status_changes_status_on", "status", "on", "business_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    status: Mapped[BusinessStatus] = mapped_column(str_enum(BusinessStatus))
    on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    business: Mapped[Business] = relationship(back_populates="history")
