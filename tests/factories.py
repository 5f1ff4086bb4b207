"""Test data built through the same code the portal uses."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.db import utcnow
from portal.demo import ensure_unit
from portal.extensions import db
from portal.models import Role, Unit, UnitKind, User, UserRole, Ward
from portal.services import passwords, two_factor

PASSWORD = "correct horse battery staple"

LAO_CAI, THANH_HOA = 15, 38


def ward_code(province: int, name: str) -> int:
    return db.session.scalar(select(Ward.code).where(Ward.province_code == province, Ward.name == name))


def make_user(username: str, unit: Unit, *roles: Role, active: bool = True, enrol: bool | None = None,
              **extra) -> User:
    """A user; one whose role requires a second factor has it set up already (a random key that
    Browser.sign_in reads to type the code), unless ``enrol=False``."""
    user = User(username=username, full_name=extra.pop("full_name", username.title()), unit_id=unit.id,
                password_hash=passwords.hash_password(extra.pop("password", PASSWORD)), active=active,
                role_rows=[UserRole(role=r) for r in roles], **extra)
    if two_factor.required(user) if enrol is None else enrol:
        user.totp_secret, user.totp_confirmed_at = two_factor.new_secret(), utcnow()
    db.session.add(user)
    db.session.flush()
    return user


@dataclass
class World:
    root: Unit
    province: Unit  # UBND tỉnh Thanh Hóa
    ward_a: Unit  # UBND phường Hàm Rồng
    ward_a_office: Unit
    ward_b: Unit  # UBND phường Hạc Thành
    other_province: Unit  # UBND tỉnh Lào Cai
    admin: User  # national administrator
    province_admin: User
    leader: User  # provincial leader
    ward_official: User  # Hàm Rồng
    sibling_official: User  # Hạc Thành
    viewer: User  # Lào Cai


def build_world() -> World:
    K = UnitKind
    root = ensure_unit("Ban Chỉ đạo 389 quốc gia", K.NATIONAL_COMMITTEE, None)
    province = ensure_unit("UBND tỉnh Thanh Hóa", K.PEOPLES_COMMITTEE, root, province=THANH_HOA)
    ham_rong = ward_code(THANH_HOA, "Phường Hàm Rồng")
    hac_thanh = ward_code(THANH_HOA, "Phường Hạc Thành")
    ward_a = ensure_unit("UBND phường Hàm Rồng", K.WARD_COMMITTEE, province, province=THANH_HOA, ward=ham_rong)
    office = ensure_unit("Phòng Kinh tế, Hạ tầng và Đô thị", K.OFFICE, ward_a, province=THANH_HOA, ward=ham_rong)
    ward_b = ensure_unit("UBND phường Hạc Thành", K.WARD_COMMITTEE, province, province=THANH_HOA, ward=hac_thanh)
    other = ensure_unit("UBND tỉnh Lào Cai", K.PEOPLES_COMMITTEE, root, province=LAO_CAI)
    world = World(
        root=root, province=province, ward_a=ward_a, ward_a_office=office, ward_b=ward_b, other_province=other,
        admin=make_user("admin", root, Role.ADMIN),
        province_admin=make_user("tinh.admin", province, Role.ADMIN),
        leader=make_user("leader", province, Role.LEADER),
        ward_official=make_user("ward", ward_a, Role.WARD_OFFICIAL),
        sibling_official=make_user("ward2", ward_b, Role.WARD_OFFICIAL),
        viewer=make_user("viewer", other, Role.VIEWER),
    )
    db.session.commit()
    return world


def make_plan(actor: User, *, number="08/KH-UBND", unit=None, starts_on=None, ends_on=None, start_time=None,
              end_time=None, **extra):
    """A plan entered through the service, as a leader would."""
    from datetime import date

    from portal.models import PlanKind, PlanStatus
    from portal.services import plans

    data = plans.PlanData(number=number, kind=extra.pop("kind", PlanKind.PLAN), title=extra.pop("title", "Kế hoạch thử"),
                          unit_id=(unit or actor.unit).id, issued_on=extra.pop("issued_on", date(2026, 1, 5)),
                          starts_on=starts_on or date(2026, 1, 5), ends_on=ends_on or date(2030, 12, 31),
                          start_time=start_time, end_time=end_time,
                          status=extra.pop("status", PlanStatus.IN_FORCE), **extra)
    plan = plans.create_plan(actor, data)
    db.session.commit()
    return plan
