"""Demo content: the units and areas of the five source documents and one user per role.

Loading is idempotent: running it again finds what is there and adds nothing twice.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.extensions import db
from portal.models import Role, Unit, UnitKind, User, UserRole, Ward
from portal.services import audit, passwords

DEMO_PASSWORD = "Chong-hang-gia-389"

K = UnitKind

#: (code, short name) of the provinces in the source documents
PROVINCES = {
    15: "Lào Cai",
    20: "Lạng Sơn",
    38: "Thanh Hóa",
    92: "Cần Thơ",
    31: "Hải Phòng",
}

#: Departments every province has (Sở); the key is used below to hang contacts on them.
DEPARTMENTS = (
    ("industry", "Sở Công Thương"),
    ("health", "Sở Y tế"),
    ("science", "Sở Khoa học và Công nghệ"),
    ("agriculture", "Sở Nông nghiệp và Môi trường"),
    ("finance", "Sở Tài chính"),
    ("culture", "Sở Văn hóa, Thể thao và Du lịch"),
)

#: Numbered market-surveillance teams per province (Lào Cai's letter 100 names teams 1, 2 and 4).
TEAMS = {15: (1, 2, 4), 20: (1, 2, 3), 38: (1, 2, 3), 92: (1, 2), 31: (1, 2, 3)}

#: Wards with their own People's Committee in the demo; Hàm Rồng is the ward of the seed plan.
WARDS = {38: ("Phường Hàm Rồng", "Phường Hạc Thành"), 92: ("Phường Ninh Kiều",)}

CONTACTS = {
    # Cần Thơ campaign (seed 003): two hotlines and the unit that receives the reports
    (92, "industry"): {"hotline": "0908538844"},
    (92, "market"): {"hotline": "0913983323", "email": "pnvth_ccqltt@cantho.gov.vn", "phone": "02923810481"},
}


@dataclass
class DemoUser:
    username: str
    full_name: str
    role: Role
    unit_key: str


USERS = (
    DemoUser("admin", "Quản trị hệ thống", Role.ADMIN, "national"),
    DemoUser("leader", "Nguyễn Văn Lãnh", Role.LEADER, "15:market"),
    DemoUser("inspector", "Trần Thị Kiểm", Role.OFFICER, "15:team1"),
    DemoUser("ward", "Lê Văn Phường", Role.WARD_OFFICIAL, "ward:Phường Hàm Rồng"),
    DemoUser("ward2", "Phạm Thị Hạc", Role.WARD_OFFICIAL, "ward:Phường Hạc Thành"),
    DemoUser("viewer", "Hoàng Thị Xem", Role.VIEWER, "92:pc"),
)


def ensure_unit(name: str, kind: UnitKind, parent: Unit | None, *, province: int | None = None,
                ward: int | None = None, **contact) -> Unit:
    """The unit of that name under that parent, created when missing."""
    stmt = select(Unit).where(Unit.name == name)
    stmt = stmt.where(Unit.parent_id == parent.id) if parent else stmt.where(Unit.parent_id.is_(None))
    unit = db.session.scalar(stmt)
    if unit is None:
        unit = Unit(name=name, kind=kind, parent_id=parent.id if parent else None,
                    province_code=province, ward_code=ward, **contact)
        db.session.add(unit)
        db.session.flush()
        unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    return unit


def _province_units(root: Unit, code: int, short: str) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    city = code in (92, 31)
    pc = ensure_unit(f"UBND {'thành phố' if city else 'tỉnh'} {short}", K.PEOPLES_COMMITTEE, root, province=code)
    units["pc"] = pc
    where = f"{'thành phố' if city else 'tỉnh'} {short}"
    units["steering"] = ensure_unit(f"Ban Chỉ đạo 389 {where}", K.STEERING_COMMITTEE, pc, province=code)
    for key, name in DEPARTMENTS:
        units[key] = ensure_unit(f"{name} {where}", K.DEPARTMENT, pc, province=code,
                                 **CONTACTS.get((code, key), {}))
    market = ensure_unit(f"Chi cục Quản lý thị trường {where}", K.MARKET_SURVEILLANCE, units["industry"],
                         province=code, **CONTACTS.get((code, "market"), {}))
    units["market"] = market
    units["market_office"] = ensure_unit("Phòng Nghiệp vụ - Tổng hợp", K.OFFICE, market, province=code)
    for n in TEAMS[code]:
        units[f"team{n}"] = ensure_unit(f"Đội Quản lý thị trường số {n}", K.MARKET_SURVEILLANCE_TEAM,
                                        market, province=code)
    units["police"] = ensure_unit(f"Công an {where}", K.POLICE, pc, province=code)
    units["customs"] = ensure_unit(f"Hải quan {where}", K.CUSTOMS, pc, province=code)
    units["border"] = ensure_unit(f"Bộ đội Biên phòng {where}", K.BORDER_GUARD, pc, province=code)
    units["tax"] = ensure_unit(f"Thuế {where}", K.TAX, pc, province=code)
    if code == 92:
        units["wg1253"] = ensure_unit("Tổ công tác 1253 thành phố Cần Thơ", K.WORKING_GROUP, pc, province=code)
    return units


def _ward_units(pc: Unit, province: int, ward_name: str) -> Unit:
    ward = db.session.scalar(select(Ward).where(Ward.province_code == province, Ward.name == ward_name))
    short = ward_name.removeprefix("Phường ").removeprefix("Xã ")
    kind_word = "phường" if ward_name.startswith("Phường") else "xã"
    wpc = ensure_unit(f"UBND {kind_word} {short}", K.WARD_COMMITTEE, pc, province=province, ward=ward.code)
    ensure_unit(f"Ban Chỉ đạo 389 {kind_word} {short}", K.STEERING_COMMITTEE, wpc, province=province, ward=ward.code)
    for office in ("Phòng Kinh tế, Hạ tầng và Đô thị", "Phòng Văn hóa - Xã hội", "Trung tâm Cung ứng dịch vụ công"):
        ensure_unit(office, K.OFFICE, wpc, province=province, ward=ward.code)
    ensure_unit(f"Công an {kind_word} {short}", K.POLICE, wpc, province=province, ward=ward.code)
    for n in (1, 2, 3):
        ensure_unit(f"Tổ dân phố số {n}", K.RESIDENTIAL_GROUP, wpc, province=province, ward=ward.code)
    return wpc


def load_demo() -> list[DemoUser]:
    """Create what is missing; returns the demo users (all share DEMO_PASSWORD)."""
    units: dict[str, Unit] = {}
    root = ensure_unit("Ban Chỉ đạo 389 quốc gia", K.NATIONAL_COMMITTEE, None)
    units["national"] = root
    for code, short in PROVINCES.items():
        for key, unit in _province_units(root, code, short).items():
            units[f"{code}:{key}"] = unit
        for ward_name in WARDS.get(code, ()):
            units[f"ward:{ward_name}"] = _ward_units(units[f"{code}:pc"], code, ward_name)
    created = False
    for demo in USERS:
        if db.session.scalar(select(User.id).where(User.username == demo.username)):
            continue
        db.session.add(User(username=demo.username, full_name=demo.full_name,
                            unit_id=units[demo.unit_key].id, password_hash=passwords.hash_password(DEMO_PASSWORD),
                            role_rows=[UserRole(role=demo.role)]))
        created = True
    if created:
        audit.record("demo.loaded", actor=None, actor_name="system", unit_id=root.id)
    db.session.flush()
    return list(USERS)
