"""Demo content: the units and areas of the five source documents and one user per role.

Loading is idempotent: running it again finds what is there and adds nothing twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from flask import current_app
from sqlalchemy import select

from portal.db import utcnow
from portal.demo_enforcement import load_enforcement
from portal.demo_public import load_public_demo
from portal.demo_registry import load_registry
from portal.demo_tips import load_tips_demo
from portal.extensions import db
from portal.models import Role, Unit, UnitKind, User, UserRole, Ward
from portal.services import audit, passwords, two_factor
from portal.services.deadlines import local_day

DEMO_PASSWORD = "Chong-hang-gia-389"

#: DEMO ONLY, published in the README: the authenticator key (TOTP, base32) of every demo
#: administrator and leader, who must sign in with a second factor. Add it to an authenticator
#: app or print the current code with `flask --app portal demo-code <user name>`. A real account
#: never has it: each sets up its own key at its first sign-in.
DEMO_TOTP_SECRET = "DEMOCHONGHANGGIADEMOCHONGHANGGIA"

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
    # Cần Thơ campaign (seed 003): the unit that receives the reports (its hotlines: demo_public)
    (92, "market"): {"email": "pnvth_ccqltt@cantho.gov.vn", "phone": "02923810481"},
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
    DemoUser("ward.office", "Đỗ Thị Hoa", Role.WARD_OFFICIAL, "hr:culture"),
    # Cần Thơ's campaign: a reporting unit's leader and the standing office's leader
    DemoUser("cantho.police", "Võ Văn Công", Role.LEADER, "92:police"),
    DemoUser("cantho.market", "Lý Thị Trường", Role.LEADER, "92:market"),
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
    _load_extra_units(units)
    created = False
    for demo in USERS:
        if db.session.scalar(select(User.id).where(User.username == demo.username)):
            continue
        user = User(username=demo.username, full_name=demo.full_name, unit_id=units[demo.unit_key].id,
                    password_hash=passwords.hash_password(DEMO_PASSWORD), role_rows=[UserRole(role=demo.role)])
        if two_factor.required(user):
            user.totp_secret, user.totp_confirmed_at = DEMO_TOTP_SECRET, utcnow()
        db.session.add(user)
        created = True
    if created:
        audit.record("demo.loaded", actor=None, actor_name="system", unit_id=root.id)
    db.session.flush()
    enrol_with_demo_key([demo.username for demo in USERS])  # a demo database made before it was required
    _load_plans(units)
    _load_registry()
    return list(USERS)


def enrol_with_demo_key(usernames: list[str]) -> int:
    """The administrators and leaders among these demo accounts get DEMO_TOTP_SECRET as their
    second factor, unless they have one already (a demo database made before the second factor
    was required); how many did."""
    required = [Role(role) for role in current_app.config["TWO_FACTOR_REQUIRED_ROLES"]]
    users = db.session.scalars(select(User).where(
        User.username.in_(usernames), User.totp_secret.is_(None),
        User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(required))))).all()
    for user in users:
        user.totp_secret, user.totp_confirmed_at, user.totp_last_step = DEMO_TOTP_SECRET, utcnow(), None
    return len(users)


def demo_code(username: str) -> str | None:
    """The code a demo account's authenticator shows now; None for an account whose key is not
    the published demo key (a real account's codes are never printed)."""
    secret = db.session.scalar(select(User.totp_secret).where(User.username == username))
    if secret != DEMO_TOTP_SECRET:
        return None
    return two_factor.code_at(secret, two_factor.current_step())


def _load_registry() -> None:
    """A few hundred businesses with their outreach and commitments (portal/demo_registry.py),
    then inspections, violations and published cases over them (portal/demo_enforcement.py)."""
    load_registry()
    load_enforcement()
    load_tips_demo()
    load_public_demo()


def _load_extra_units(units: dict[str, Unit]) -> None:
    from portal.demo_plans import EXTRA_UNITS

    for key, name, kind, parent_key in EXTRA_UNITS:
        parent = units[parent_key]
        units[key] = ensure_unit(name, UnitKind(kind), parent, province=parent.province_code, ward=parent.ward_code)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _hour(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def _load_plans(units: dict[str, Unit]) -> None:
    """The five source documents as plans, entered through the same services staff use."""
    from portal.demo_plans import PLANS
    from portal.models import Plan, PlanKind, PlanStatus, RuleKind, Target
    from portal.services import plans

    admin = db.session.scalar(select(User).where(User.username == "admin"))
    for spec in PLANS:
        issuer = units[spec["issuer"]]
        if db.session.scalar(select(Plan.id).where(Plan.unit_id == issuer.id, Plan.number == spec["number"])):
            continue
        starts_on = _day(spec["starts_on"])
        plan = plans.create_plan(admin, plans.PlanData(
            number=spec["number"], kind=PlanKind(spec["kind"]), title=spec["title"], unit_id=issuer.id,
            issued_on=_day(spec["issued_on"]), starts_on=starts_on,
            ends_on=_day(spec["ends_on"]) or date(2030, 12, 31),  # a directive has no end of its own
            start_time=_hour(spec["start_time"]), end_time=_hour(spec["end_time"]),
            status=PlanStatus(spec["status"]), goods=spec["goods"], cites=spec["cites"]))
        for task in spec["tasks"]:
            plans.save_task(admin, plan, plans.TaskData(
                description=task["description"], lead_unit_id=units[task["lead"]].id,
                coordinator_ids=[units[k].id for k in task["coordinators"] if k != task["lead"]],
                due_on=_day(task["due_on"]),
                recurrence=None if task["due_on"] else (task["recurrence"] or "ongoing")))
        for target in spec["targets"]:
            db.session.add(Target(plan=plan, year=target["year"], due_on=date(target["year"], 12, 31),
                                  percent=target["percent"], category=target["category"], measure=target["measure"],
                                  province_code=issuer.province_code, ward_code=issuer.ward_code,
                                  text=target["text"]))
        for rule in spec["rules"]:
            plans.add_rule(admin, plan, plans.RuleData(
                name=rule["name"], kind=RuleKind(rule["kind"]), receiver_unit_id=units[rule["receiver"]].id,
                reporter_ids=[units[k].id for k in rule["reporters"]], day=rule.get("day"), month=rule.get("month"),
                weekday=rule.get("weekday"), at=_hour(rule.get("time")), hours_after=rule.get("hours"),
                once_on=_day(rule.get("date"))))
    _settle_the_past()
    _give_quotas(units)
    db.session.flush()


def _settle_the_past() -> None:
    """Reports due more than a month ago were sent on time, as a unit's history would show."""
    from portal.models import ReportObligation

    cutoff = utcnow() - timedelta(days=30)
    for obligation in db.session.scalars(select(ReportObligation).where(
            ReportObligation.due_at < cutoff, ReportObligation.submitted_at.is_(None))):
        obligation.submitted_at = obligation.due_at - timedelta(days=1)


def _give_quotas(units: dict[str, Unit]) -> None:
    """The Lào Cai team leader's quotas for this quarter (letter 100/QLTTLCA-NVTH)."""
    from portal.models import Quota, QuotaMetric
    from portal.services import quotas

    leader = db.session.scalar(select(User).where(User.username == "leader"))
    inspector = db.session.scalar(select(User).where(User.username == "inspector"))
    if db.session.scalar(select(Quota.id).where(Quota.user_id == inspector.id)):
        return
    today = local_day(utcnow())
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last = (date(first.year + (first.month + 3 > 12), (first.month + 2) % 12 + 1, 1) - timedelta(days=1))
    for metric, amount in ((QuotaMetric.OUTREACH_SESSIONS, 10), (QuotaMetric.BUSINESSES_SIGNED, 40),
                           (QuotaMetric.AGREEMENTS_SIGNED, 2), (QuotaMetric.INSPECTIONS, 8)):
        quotas.assign(leader, inspector, metric, amount, first, last)
