"""Organisation units: the tree of bodies that carry out the plans, each with its area."""
from __future__ import annotations

import enum

from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, TimestampMixin
from portal.models.areas import Province, Ward


class UnitKind(enum.StrEnum):
    NATIONAL_COMMITTEE = "national_committee"  # Ban Chỉ đạo 389 quốc gia
    PEOPLES_COMMITTEE = "peoples_committee"  # UBND tỉnh / thành phố
    STEERING_COMMITTEE = "steering_committee"  # Ban Chỉ đạo 389 tỉnh / phường
    DEPARTMENT = "department"  # Sở Công Thương, Y tế, ...
    MARKET_SURVEILLANCE = "market_surveillance"  # Chi cục / Cục Quản lý thị trường
    MARKET_SURVEILLANCE_TEAM = "market_surveillance_team"  # Đội QLTT số N
    POLICE = "police"
    CUSTOMS = "customs"
    BORDER_GUARD = "border_guard"
    TAX = "tax"
    WORKING_GROUP = "working_group"  # tổ công tác, đoàn kiểm tra liên ngành
    WARD_COMMITTEE = "ward_committee"  # UBND phường / xã
    OFFICE = "office"  # phòng, division of a body (e.g. a ward People's Committee)
    RESIDENTIAL_GROUP = "residential_group"  # tổ dân phố, làng


class Unit(TimestampMixin, Base):
    __tablename__ = "units"
    # Scope checks are prefix searches on path; text_pattern_ops lets PostgreSQL use the index for them.
    __table_args__ = (Index("ix_units_path", "path", postgresql_ops={"path": "text_pattern_ops"}),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[UnitKind] = mapped_column(Enum(UnitKind, native_enum=False, length=40,
                                                values_callable=lambda e: [m.value for m in e]))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    #: "/1/4/9/": the ids from the root down to this unit; scope checks are prefix tests on it.
    path: Mapped[str] = mapped_column(String(400), default="")
    province_code: Mapped[int | None] = mapped_column(ForeignKey("provinces.code"), index=True)
    ward_code: Mapped[int | None] = mapped_column(ForeignKey("wards.code"), index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(300))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.name")
    province: Mapped[Province | None] = relationship()
    ward: Mapped[Ward | None] = relationship()

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def __str__(self) -> str:
        return self.name
