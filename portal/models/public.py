"""What staff write for the public site: hotlines and guides to spotting fakes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, SoftDeleteMixin, StoredImageMixin, TimestampMixin, UTCDateTime
from portal.models.areas import Province, Ward
from portal.models.org import Unit
from portal.models.plans import GoodsCategory


class Hotline(SoftDeleteMixin, TimestampMixin, Base):
    """A published way for citizens to reach a unit: numbers, email, address and hours, for an
    area (a province, a ward, or the whole country when both are empty)."""

    __tablename__ = "hotlines"
    __table_args__ = (Index("ix_hotlines_province_code_ward_code", "province_code", "ward_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    #: Normalised Vietnamese numbers ("0908538844"), separated by ", ".
    phones: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    hours: Mapped[str | None] = mapped_column(String(200))
    province_code: Mapped[int | None] = mapped_column(ForeignKey("provinces.code"))
    ward_code: Mapped[int | None] = mapped_column(ForeignKey("wards.code"))
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # order within its area
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[Unit] = relationship()
    province: Mapped[Province | None] = relationship()
    ward: Mapped[Ward | None] = relationship()

    @property
    def phone_list(self) -> list[str]:
        return [p for p in (part.strip() for part in self.phones.split(",")) if p]


class Guide(TimestampMixin, Base):
    """A guide to telling genuine goods from fakes, for a goods category and a brand, with the
    rights holder who supplied it. The body is plain text with a small markup that is escaped
    before it is formatted, so it cannot carry HTML or scripts."""

    __tablename__ = "guides"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    goods_category_id: Mapped[int | None] = mapped_column(ForeignKey("goods_categories.id"), index=True)
    brand: Mapped[str | None] = mapped_column(String(120))
    rights_holder: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    #: Folded title, brand, rights holder, summary and body, for diacritic-insensitive search.
    search_folded: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[Unit] = relationship()
    goods_category: Mapped[GoodsCategory | None] = relationship()
    images: Mapped[list[GuideImage]] = relationship(
        back_populates="guide", cascade="all, delete-orphan", order_by="GuideImage.position")


class GuideImage(SoftDeleteMixin, StoredImageMixin, Base):
    """An image of a guide, re-encoded on upload (no metadata) and stored under a random name."""

    __tablename__ = "guide_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    guide_id: Mapped[int] = mapped_column(ForeignKey("guides.id", ondelete="CASCADE"), index=True)
    caption: Mapped[str] = mapped_column(String(300), default="")  # also the image's alt text
    position: Mapped[int] = mapped_column(Integer, default=0)

    guide: Mapped[Guide] = relationship(back_populates="images")
