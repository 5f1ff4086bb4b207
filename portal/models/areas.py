"""The official administrative areas in force since 1 July 2025: 34 provinces, 3,321 communes and wards."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base


class Province(Base):
    __tablename__ = "provinces"

    code: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(100))
    division_type: Mapped[str] = mapped_column(String(50))
    codename: Mapped[str] = mapped_column(String(100))

    wards: Mapped[list[Ward]] = relationship(back_populates="province", order_by="Ward.name")

    def __str__(self) -> str:
        return self.name


class Ward(Base):
    """A commune, ward or special zone (xã, phường, đặc khu)."""

    __tablename__ = "wards"

    code: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(100))
    division_type: Mapped[str] = mapped_column(String(50))
    codename: Mapped[str] = mapped_column(String(100))
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), index=True)

    province: Mapped[Province] = relationship(back_populates="wards")

    def __str__(self) -> str:
        return self.name
