"""A national data set: every province and ward, about a million businesses and the records of
three years of work on them, for measuring the portal at the size it is meant to serve.

``flask --app portal demo --scale national`` loads it (``--fraction`` loads a proportional
share, for tests). The rows are generated from one seed (``random.Random(389)``) and written
with bulk inserts: PostgreSQL's COPY, or executemany on SQLite. Ids are chosen here, so rows
refer to each other without reading anything back; the PostgreSQL sequences are moved past
them at the end. Memory stays bounded: businesses are generated and written in chunks, and what
later tables need of each business is kept in compact arrays (a few bytes a business).

The invariants the services keep hold here too: folded names (portal.text.fold), recorded_on
and ceased_on as the status history says, materialised unit paths, violations copying their
inspection's business, day and unit, public entries holding exactly what
publication.public_fields computes (after_commitment/after_outreach from the dates), report
obligations from deadlines.deadlines. Loading is idempotent: a second run finds the marker the
first one left and adds nothing.
"""
from __future__ import annotations

import bisect
import time as clock
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from random import Random
from types import SimpleNamespace

import click
from flask import current_app
from sqlalchemy import func, select

from portal.db import utcnow
from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, enrol_with_demo_key
from portal.demo_registry import (
    FAMILY,
    FORTUNE,
    GIVEN_F,
    GIVEN_M,
    MIDDLE_F,
    MIDDLE_M,
    MOBILE,
    ONLINE_TRADES,
    PLATFORMS,
    SHOP_TRADES,
    SOUTHERN_FAMILY,
    STALL_TRADES,
    TRADES,
)
from portal.extensions import db
from portal.models import (
    AuditEntry,
    Business,
    BusinessChannel,
    BusinessStatusChange,
    Commitment,
    GoodsCategory,
    Inspection,
    Plan,
    PlanCitation,
    Province,
    Publication,
    PublicCorrection,
    PublicEntry,
    Quota,
    ReportingRule,
    ReportObligation,
    Target,
    Task,
    Tip,
    Unit,
    User,
    UserRole,
    Violation,
    Ward,
    business_goods,
    inspection_goods,
    inspection_members,
    outreach_businesses,
    outreach_officers,
)
from portal.models import OutreachSession as Session
from portal.models.plans import plan_goods, rule_reporters, task_coordinators
from portal.models.registry import CHANNEL_BITS, ChannelKind
from portal.services import deadlines
from portal.text import fold, normalise_link

SEED = 389
MARKER = "demo.national.loaded"
ADMIN = "nat.admin"

#: The national figures (issue 8); a fraction loads round(figure * fraction) of each.
TARGETS = {
    "businesses": 1_000_000, "commitments": 1_500_000, "outreach_sessions": 400_000, "inspections": 300_000,
    "violations": 100_000, "published": 50_000, "tips": 200_000, "plans": 5_000,
}

FIRST_DAY = date(2024, 1, 1)
LAST_DAY = date(2026, 11, 15)
VN = timedelta(hours=7)  # Vietnam keeps UTC+7 all year
#: First days of Tết (lunar new year): trade and enforcement peak in the weeks before it.
TET = (date(2024, 2, 10), date(2025, 1, 29), date(2026, 2, 17))
CHUNK = 20_000  # rows generated and written at a time

STREETS = (
    "Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Quang Trung", "Hai Bà Trưng", "Lý Thường Kiệt", "Nguyễn Trãi",
    "Hùng Vương", "Trần Phú", "Lê Duẩn", "Điện Biên Phủ", "Phan Đình Phùng", "Ngô Quyền", "Bà Triệu", "Nguyễn Du",
    "Hoàng Văn Thụ", "Võ Nguyên Giáp", "Nguyễn Văn Cừ", "Lê Thánh Tông", "Phạm Văn Đồng", "Cách Mạng Tháng 8",
    "30 Tháng 4", "Nguyễn Thị Minh Khai", "Lạc Long Quân", "Âu Cơ", "Trường Chinh", "Tôn Đức Thắng",
    "Lê Hồng Phong", "Phan Chu Trinh", "Nguyễn Chí Thanh", "Lý Thái Tổ", "Trần Quang Khải", "Nguyễn Văn Linh",
    "Hoàng Hoa Thám", "Phan Bội Châu", "Chu Văn An", "Lê Quý Đôn", "Nguyễn Đình Chiểu", "Yết Kiêu", "Kim Đồng",
    "Tô Hiến Thành", "Nguyễn Khuyến", "Lê Lai", "Đinh Tiên Hoàng", "Trần Nhân Tông", "Hàm Nghi", "Cao Thắng",
    "Nguyễn Thái Học", "Bạch Đằng", "Hồ Tùng Mậu", "Xuân Thủy", "Lê Văn Sỹ", "Nguyễn Oanh", "Tân Sơn Nhì")
HAMLETS = ("Đông", "Tây", "Nam", "Bắc", "Trung", "Tân Lập", "Tân Hòa", "Phú Thịnh", "An Phú", "Hòa Bình",
           "Đồng Tâm", "Thống Nhất", "Quyết Tiến", "Tiền Phong", "Hạnh Phúc", "Bình Minh", "Cầu", "Chợ", "Mới")
MARKET_WORDS = ("trung tâm", "Mới", "đêm", "đầu mối", "phiên")
MALLS = ("Siêu thị Co.opmart", "Siêu thị WinMart", "Trung tâm thương mại Vincom Plaza", "Siêu thị GO!",
         "Siêu thị Lotte Mart", "Trung tâm thương mại Aeon Mall")
CRAFTS = (("dệt thổ cẩm", ("clothing", "bags", "accessories")), ("mây tre đan", ("tools",)),
          ("bánh tráng", ("food",)), ("nước mắm", ("food",)), ("rượu truyền thống", ("alcohol",)),
          ("gốm", ("tools",)), ("chè", ("food",)), ("thuốc nam", ("medicinal_herbs", "supplements")))
#: Kinds of primary channel, with weights in urban wards and in communes.
KIND_WEIGHTS = {
    "market_stall": (28, 30), "shop": (30, 38), "platform_seller": (12, 6), "supermarket": (6, 0),
    "wholesale": (4, 3), "warehouse": (2, 2), "website": (4, 1), "courier": (3, 2), "tourist_street": (4, 2),
    "craft_village": (0, 10), "importer": (7, 6),
}
SOUTH = 75  # province codes from Đồng Nai down use "ấp" for hamlets and more southern family names
NORTH_HIGHLANDS = {4, 8, 11, 12, 14, 15, 19, 20}  # "bản" in the mountains of the north

METHODS = (("conference", 20, 30, 200), ("residential_meeting", 15, 20, 80), ("during_inspection", 25, 1, 5),
           ("leaflet", 20, 100, 500), ("loudspeaker", 10, 500, 5000), ("social_media", 10, 1000, 10000))
REACHING = {"conference", "residential_meeting", "during_inspection", "leaflet"}
VIOLATION_TYPES = (("counterfeit", 30), ("unknown_origin", 30), ("smuggled", 15), ("ip_infringing", 10),
                   ("substandard", 7), ("false_advertising", 4), ("invoice_fraud", 4))
BRANDS = {"milk": ("Ensure", "Similac", "Abbott Grow", "Vinamilk", "Enfamil"),
          "cosmetics": ("L'Oréal", "Innisfree", "Ohui", "The Face Shop", "Maybelline"),
          "food": ("Knorr", "Chinsu", "Hảo Hảo", "Ajinomoto", "Nestlé"), "clothing": ("Nike", "Adidas", "Gucci", "Uniqlo"),
          "footwear": ("Nike", "Adidas", "Converse", "Biti's"), "bags": ("Louis Vuitton", "Gucci", "Chanel"),
          "watches": ("Rolex", "Casio", "Omega"), "medicines": ("Panadol", "Efferalgan", "Berberin"),
          "phones": ("Apple", "Samsung", "Xiaomi"), "alcohol": ("Chivas", "Johnnie Walker", "Hennessy"),
          "tobacco": ("Marlboro", "555", "Esse"), "helmets": ("Protec", "Asia", "Nón Sơn"),
          "supplements": ("Blackmores", "Herbalife", "Nature's Way"), "farm_inputs": ("Đầu Trâu", "Bình Điền")}
TIP_TEXTS = (
    "Cửa hàng {shop} bán {goods} giá rẻ bất thường, tem nhãn mờ, không có tem chống hàng giả.",
    "Tôi mua {goods} tại {shop}, sản phẩm có dấu hiệu là hàng giả, mã vạch quét không ra sản phẩm.",
    "{shop} nhập {goods} vào buổi tối, hàng không có hóa đơn, bao bì in chữ nước ngoài không có tem phụ.",
    "Cơ sở {shop} quảng cáo {goods} sai công dụng trên mạng xã hội, bán cho người già.",
    "Có điểm tập kết {goods} nhập lậu gần {place}, xe tải ra vào ban đêm.",
    "Gian hàng {shop} trên sàn thương mại điện tử bán {goods} nhái thương hiệu nổi tiếng.",
)
UNITS_COUNTED = ('sản phẩm', 'hộp', 'kg', 'chai', 'chiếc')
TIP_STATUSES = (("resolved", 40), ("unfounded", 18), ("forwarded", 10), ("verifying", 12), ("received", 20))
TASKS = ("Tuyên truyền, phổ biến pháp luật về chống buôn lậu, gian lận thương mại và hàng giả đến các cơ sở kinh doanh",
         "Vận động 100% cơ sở kinh doanh trên địa bàn ký cam kết không kinh doanh hàng giả, hàng không rõ nguồn gốc",
         "Kiểm tra, kiểm soát thị trường, xử lý nghiêm các hành vi vi phạm; công khai cơ sở vi phạm",
         "Ký quy chế phối hợp với ban quản lý chợ, trung tâm thương mại trên địa bàn",
         "Tiếp nhận, xác minh, xử lý tin báo của người dân qua đường dây nóng",
         "Tổng hợp, báo cáo kết quả thực hiện kế hoạch theo quy định")
TARGET_CATEGORIES = ("business", "market_stall", "supermarket", "ecommerce_seller", "website", "craft_village",
                     "importer", "general_store", "tourist_area")


def counts_for(fraction: float) -> dict[str, int]:
    """How many rows of each kind a load of that fraction writes."""
    return {name: round(figure * fraction) for name, figure in TARGETS.items()}


# --- days and seasons -----------------------------------------------------------------------

class Days:
    """The days of the loaded period with the weights of the activity on them: more before
    Tết and during the peak campaigns, almost nothing during the Tết holiday and on Sundays."""

    def __init__(self, first: date, last: date):
        self.days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        self.index = {d: i for i, d in enumerate(self.days)}
        self.work = self._cumulative(self._work_weight)
        self.opening = self._cumulative(self._opening_weight)

    def _work_weight(self, day: date) -> float:
        weight = (1.0, 1.0, 1.0, 1.0, 1.0, 0.45, 0.15)[day.weekday()]
        for tet in TET:
            before = (tet - day).days
            if 0 < before <= 45:
                weight *= 2.2  # the pre-Tết peak
            elif -6 <= before <= 0:
                weight *= 0.05  # the holiday
        if date(2025, 5, 15) <= day <= date(2025, 6, 15):
            weight *= 1.8  # the peak campaign of dispatch 65/CĐ-TTg
        if date(2024, 4, 1) <= day <= date(2024, 6, 30):
            weight *= 1.4  # the drive to have every business sign by the end of Q2 2024
        return weight

    def _opening_weight(self, day: date) -> float:
        # the first sweep of early 2024 records most businesses; openings follow, more before Tết
        weight = 12.0 if day < date(2024, 4, 1) else 1.0
        return weight * self._work_weight(day)

    def _cumulative(self, weight) -> list[float]:
        total, out = 0.0, []
        for day in self.days:
            total += weight(day)
            out.append(total)
        return out

    @property
    def last(self) -> int:
        return len(self.days) - 1

    def pick(self, rng: Random, lo: int = 0, hi: int | None = None, cw: list[float] | None = None) -> int:
        """A day index in [lo, hi], drawn by the weights."""
        cw = cw or self.work
        hi = self.last if hi is None else hi
        if hi <= lo:
            return lo
        low = cw[lo - 1] if lo else 0.0
        at = bisect.bisect_right(cw, low + rng.random() * (cw[hi] - low), lo, hi + 1)
        return min(at, hi)


def instant(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Vietnam as an aware UTC instant."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - VN


# --- writing --------------------------------------------------------------------------------

class Writer:
    """Bulk writes on one connection: COPY on PostgreSQL (or INSERT … VALUES executemany),
    executemany on SQLite; commits when asked; counts the rows and prints the rates."""

    def __init__(self, conn, method: str | None = None):
        self.conn = conn
        self.pg = conn.dialect.name == "postgresql"
        self.method = method or ("copy" if self.pg else "insert")
        self.counts: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()

    def write(self, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        started = clock.perf_counter()
        if not self.conn.in_transaction():
            self.conn.begin()
        if self.method == "copy":
            names = ", ".join(f'"{c}"' for c in columns)
            with self.conn.connection.driver_connection.cursor() as cursor:
                with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            self.conn.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in rows])
        self.counts[table.name] += len(rows)
        self.seconds[table.name] += clock.perf_counter() - started

    def commit(self) -> None:
        self.conn.commit()


class Progress:
    def __init__(self, label: str, total: int):
        self.label, self.total, self.started, self.done, self.shown = label, total, clock.perf_counter(), 0, 0

    def step(self, n: int) -> None:
        self.done += n
        if self.done - self.shown >= max(self.total // 5, 1) and self.done < self.total:
            self.shown = self.done
            click.echo(f"    {self.label}: {self.done:,}/{self.total:,} ({self.rate():,.0f}/s)")

    def rate(self) -> float:
        return self.done / max(clock.perf_counter() - self.started, 1e-6)

    def finish(self, extra: str = "") -> None:
        seconds = clock.perf_counter() - self.started
        click.echo(f"  {self.label}: {self.done:,} in {seconds:,.1f} s ({self.rate():,.0f}/s){extra}")


# --- the areas and the units ----------------------------------------------------------------

@dataclass
class WardInfo:
    index: int
    code: int
    name: str
    short: str
    kind: str  # phường, xã, đặc khu
    province: int
    committee: int = 0  # unit id of its People's Committee
    team: int = 0  # unit id of the market-surveillance team covering it
    team_no: int = 0
    official: int = 0  # user id of its ward official, when it has one
    urban: bool = False


@dataclass
class ProvinceInfo:
    code: int
    name: str
    short: str
    city: bool
    wards: list[WardInfo]
    pc: int = 0
    steering: int = 0
    industry: int = 0
    market: int = 0
    police: int = 0
    teams: list[int] = None  # unit ids
    officers: dict[int, list[int]] = None  # team unit id -> user ids
    leader: int = 0  # LEADER at the People's Committee
    market_leader: int = 0  # LEADER at market surveillance: approves publication
    viewer: int = 0
    plans_by_day: array = None  # market-surveillance plan in force on each day (0: none)


class NationalLoad:
    def __init__(self, fraction: float, method: str | None = None, echo=click.echo):
        self.fraction = fraction
        self.counts = counts_for(fraction)
        self.rng = Random(SEED)
        self.echo = echo
        self.method = method
        today = utcnow().date()
        self.span = Days(FIRST_DAY, min(LAST_DAY, today - timedelta(days=1)))
        self.now = instant(self.span.days[-1], 18)

    # --- entry point

    def run(self) -> dict[str, int] | None:
        if db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == MARKER).limit(1)):
            self.echo("National data: already loaded, nothing added.")
            # a set loaded before the second factor was required: its administrators and leaders get the key
            provinces = db.session.scalars(select(Province.code))
            enrol_with_demo_key([ADMIN] + [f"p{code:02d}.{job}" for code in provinces for job in ("leader", "market")])
            db.session.commit()
            return None
        if db.session.scalar(select(User.id).where(User.username == ADMIN)):
            raise click.ClickException(
                "National data: a previous load did not finish (its accounts are there but not its end "
                "marker). Load it into an empty database: flask db downgrade base && flask db upgrade.")
        if not db.session.scalar(select(func.count()).select_from(Ward)):
            raise click.ClickException("National data: load the areas first (flask --app portal areas).")
        db.session.commit()
        started = clock.perf_counter()
        with db.engine.connect() as conn:
            self.out = Writer(conn, self.method)
            if self.out.pg:
                conn.exec_driver_sql("SET synchronous_commit TO off")
            self.echo(f"National data ({self.fraction:g} of the national figures, "
                      f"{'COPY' if self.out.method == 'copy' else 'INSERT'} on {conn.dialect.name}):")
            self.next_ids = {}
            self.prepare()
            self.units()
            self.users()
            self.plans()
            self.sessions()
            self.businesses()
            self.inspections()
            self.violations()
            self.tips()
            self.quotas()
            self.finish(conn)
            if self.out.pg:
                conn.exec_driver_sql("RESET synchronous_commit")
        total = sum(self.out.counts.values())
        self.echo(f"National data: {total:,} rows in {clock.perf_counter() - started:,.0f} s "
                  f"({sum(self.out.seconds.values()):,.0f} s of them writing). Rows per table:")
        for name, rows in sorted(self.out.counts.items(), key=lambda item: -item[1]):
            self.echo(f"  {name:<24} {rows:>10,}  written in {self.out.seconds[name]:6.1f} s")
        return dict(self.out.counts)

    def ids(self, model, n: int) -> range:
        """n fresh ids of the model's table, after every id already there."""
        table = model.__table__
        if table.name not in self.next_ids:
            self.next_ids[table.name] = (self.out.conn.scalar(select(func.max(table.c.id))) or 0) + 1
        first = self.next_ids[table.name]
        self.next_ids[table.name] += n
        return range(first, first + n)

    # --- reference data

    def prepare(self) -> None:
        conn = self.out.conn
        self.goods = {row.code: row for row in conn.execute(select(GoodsCategory).where(GoodsCategory.active))}
        self.goods_by_id = {row.id: row for row in self.goods.values()}
        provinces = {code: name for code, name in conn.execute(select(Province.code, Province.name))}
        wards = list(conn.execute(select(Ward.code, Ward.name, Ward.division_type, Ward.province_code)
                                  .order_by(Ward.code)))
        self.provinces: dict[int, ProvinceInfo] = {}
        self.wards: list[WardInfo] = []
        for code, name in sorted(provinces.items()):
            city = name.startswith("Thành phố")
            self.provinces[code] = ProvinceInfo(code, name, name.removeprefix("Thành phố "), city, [])
        rng = self.rng
        weights = []
        for code, name, kind, province in wards:
            short = next((name.removeprefix(f"{word} ") for word in ("Phường", "Xã", "Đặc khu")
                          if name.startswith(f"{word} ")), name)
            info = WardInfo(len(self.wards), code, name, short,
                            kind, province, urban=kind == "phường")
            self.wards.append(info)
            self.provinces[province].wards.append(info)
            weight = (4.0 if info.urban else 1.5 if kind == "đặc khu" else 1.0) * rng.lognormvariate(0, 0.5)
            weights.append(weight * (1.6 if province in (1, 79) else 1.0))
        self.ward_cw = []
        total = 0.0
        for weight in weights:
            total += weight
            self.ward_cw.append(total)
        self.ward_weights = weights

    def pick_ward(self) -> WardInfo:
        return self.wards[bisect.bisect_right(self.ward_cw, self.rng.random() * self.ward_cw[-1])]

    # --- units: a steering committee, market surveillance with teams and police per province,
    #     a People's Committee per ward. Units already there (the small demo's) are reused.

    def units(self) -> None:
        conn = self.out.conn
        existing = {(parent, name): (uid, path) for uid, parent, name, path in conn.execute(
            select(Unit.id, Unit.parent_id, Unit.name, Unit.path))}
        rows = []
        now = self.now

        def unit(name, kind, parent, province=None, ward=None) -> tuple[int, str]:
            parent_id, parent_path = parent if parent else (None, "/")
            found = existing.get((parent_id, name))
            if found:
                return found
            uid = self.ids(Unit, 1)[0]
            path = f"{parent_path}{uid}/"
            rows.append((uid, name, kind, parent_id, path, province, ward, None, None, None, 1, now, now))
            existing[(parent_id, name)] = (uid, path)
            return uid, path

        root = unit("Ban Chỉ đạo 389 quốc gia", "national_committee", None)
        self.root = root[0]
        for p in self.provinces.values():
            where = f"{'thành phố' if p.city else 'tỉnh'} {p.short}"
            pc = unit(f"UBND {where}", "peoples_committee", root, p.code)
            p.pc = pc[0]
            p.steering = unit(f"Ban Chỉ đạo 389 {where}", "steering_committee", pc, p.code)[0]
            industry = unit(f"Sở Công Thương {where}", "department", pc, p.code)
            p.industry = industry[0]
            market = unit(f"Chi cục Quản lý thị trường {where}", "market_surveillance", industry, p.code)
            p.market = market[0]
            n_teams = max(3, min(10, len(p.wards) // 20))
            p.teams = [unit(f"Đội Quản lý thị trường số {n}", "market_surveillance_team", market, p.code)[0]
                       for n in range(1, n_teams + 1)]
            p.police = unit(f"Công an {where}", "police", pc, p.code)[0]
            for i, w in enumerate(p.wards):
                word = {"phường": "phường", "xã": "xã"}.get(w.kind, "đặc khu")
                w.committee = unit(f"UBND {word} {w.short}", "ward_committee", pc, p.code, w.code)[0]
                w.team_no = i * n_teams // len(p.wards)
                w.team = p.teams[w.team_no]
        columns = ("id", "name", "kind", "parent_id", "path", "province_code", "ward_code", "email", "phone",
                   "address", "version", "created_at", "updated_at")
        for start in range(0, len(rows), CHUNK):
            self.out.write(Unit.__table__, columns, rows[start:start + CHUNK])
        self.out.commit()
        self.echo(f"  units: {len(rows):,}")

    def users(self) -> None:
        from portal.services import passwords

        hashed = passwords.hash_password(DEMO_PASSWORD)  # one hash for every national account
        required = current_app.config["TWO_FACTOR_REQUIRED_ROLES"]  # they get the demo's published key
        users, roles = [], []
        now = self.now
        rng = Random(SEED + 1)  # names of staff do not shift the data when the staff change

        def user(username, role, unit, province) -> int:
            uid = self.ids(User, 1)[0]
            family = FAMILY + SOUTHERN_FAMILY if province and province >= SOUTH else FAMILY
            female = rng.random() < 0.5
            full = (f"{rng.choice(family)} {rng.choice(MIDDLE_F if female else MIDDLE_M)} "
                    f"{rng.choice(GIVEN_F if female else GIVEN_M)}")
            secret, confirmed = (DEMO_TOTP_SECRET, now) if role in required else (None, None)
            users.append((uid, username, full, None, unit, hashed, True, False, None, now, None, 1, now, now,
                          secret, confirmed))
            roles.append((uid, role))
            return uid

        user(ADMIN, "admin", self.root, None)
        for p in self.provinces.values():
            tag = f"p{p.code:02d}"
            p.leader = user(f"{tag}.leader", "leader", p.pc, p.code)
            p.market_leader = user(f"{tag}.market", "leader", p.market, p.code)
            p.viewer = user(f"{tag}.viewer", "viewer", p.steering, p.code)
            p.officers = {team: [user(f"{tag}.team{n}.{k}", "officer", team, p.code) for k in (1, 2)]
                          for n, team in enumerate(p.teams, 1)}
            # the two busiest wards of the province have a ward official
            busiest = sorted(p.wards, key=lambda w: -self.ward_weights[w.index])[:2]
            for n, w in enumerate(busiest, 1):
                w.official = user(f"{tag}.ward{n}", "ward_official", w.committee, p.code)
        columns = ("id", "username", "full_name", "email", "unit_id", "password_hash", "active",
                   "must_change_password", "locale", "password_changed_at", "last_sign_in_at", "version",
                   "created_at", "updated_at", "totp_secret", "totp_confirmed_at")
        self.out.write(User.__table__, columns, users)
        self.out.write(UserRole.__table__, ("user_id", "role"), roles)
        self.out.commit()
        self.unit_user = {}  # a unit's first user: who acts for it
        for row in users:
            self.unit_user.setdefault(row[4], row[0])
        self.echo(f"  users: {len(users):,} (password {DEMO_PASSWORD}; e.g. {ADMIN}, p01.leader, p01.market, "
                  f"p01.team1.1, p01.ward1; administrators and leaders: demo key {DEMO_TOTP_SECRET})")

    # --- plans, their tasks, targets, rules and report obligations

    def plans(self) -> None:
        rng, span = self.rng, self.span
        n = self.counts["plans"]
        ids = iter(self.ids(Plan, n))
        numbers: Counter[int] = Counter()
        rows, goods_rows, task_rows, coord_rows, target_rows, rule_rows, reporter_rows, obligations = (
            [], [], [], [], [], [], [], [])
        citations = []
        province_plans: dict[int, list[tuple[int, int, int, str]]] = defaultdict(list)  # market plans in force
        pc_plans: dict[int, list[tuple[int, str]]] = defaultdict(list)
        provinces = list(self.provinces.values())
        now = self.now
        specs = []
        for i in range(n):
            if i < len(provinces) * 3 or rng.random() < 0.45:  # every province has a few of its own
                p = provinces[i % len(provinces)] if i < len(provinces) * 3 else rng.choice(provinces)
                level = rng.choices(("pc", "steering", "market", "team"), (2, 2, 4, 2))[0]
                if i < len(provinces) * 3:
                    level = ("market", "pc", "steering")[i // len(provinces)]
                unit = {"pc": p.pc, "steering": p.steering, "market": p.market}.get(level) or rng.choice(p.teams)
                ward = None
            else:
                ward = self.pick_ward()
                p, level, unit = self.provinces[ward.province], "ward", ward.committee
            specs.append((next(ids), p, level, unit, ward))
        for plan_id, p, level, unit, ward in specs:
            year = rng.choice((2024, 2024, 2025, 2025, 2026))
            shape = rng.random()
            if level == "market" and shape < 0.3:  # a peak campaign before Tết
                tet = TET[min(year - 2024, 2)]
                starts, ends = tet - timedelta(days=rng.randint(50, 70)), tet + timedelta(days=15)
                kind, title = "campaign", (f"Kế hoạch cao điểm đấu tranh chống buôn lậu, gian lận thương mại và "
                                           f"hàng giả trước, trong và sau Tết Nguyên đán {tet.year} {self._where(p)}")
            elif level in ("pc", "steering") and shape < 0.4:  # a multi-year plan
                starts, ends = date(2024, 1, 1), date(2026, 12, 31)
                kind, title = "plan", (f"Kế hoạch thực hiện công tác đấu tranh phòng, chống buôn lậu, gian lận "
                                       f"thương mại và hàng giả giai đoạn 2024–2026 {self._where(p)}")
            elif level == "market" and shape < 0.55:
                starts = date(year, rng.randint(1, 10), rng.randint(1, 28))
                ends = starts + timedelta(days=rng.randint(60, 120))
                kind, title = "letter", ("Về việc đẩy mạnh tuyên truyền, vận động cơ sở kinh doanh ký cam kết "
                                         "không kinh doanh hàng giả, hàng không rõ nguồn gốc")
            else:
                starts, ends = date(year, 1, 1), date(year, 12, 31)
                where = f"{'phường' if ward and ward.urban else 'xã'} {ward.short}" if ward else self._where(p)
                kind, title = "plan", (f"Kế hoạch tuyên truyền, phổ biến pháp luật và kiểm tra, kiểm soát thị "
                                       f"trường năm {year} {where}")
            ends = min(ends, date(2026, 12, 31))
            issued = starts - timedelta(days=rng.randint(3, 20))
            numbers[unit] += 1
            symbol = {"pc": "KH-UBND", "steering": "KH-BCĐ389", "market": "KH-QLTT" if kind != "letter"
                      else "QLTT-NVTH", "team": "KH-ĐQLTT", "ward": "KH-UBND"}[level]
            number = f"{numbers[unit] * 7 + rng.randint(0, 6)}/{symbol}"
            starts_at = deadlines.local_instant(starts, time(0, 0))
            ends_at = deadlines.local_instant(ends, None)
            today = span.days[-1]
            status = ("draft" if starts > today and rng.random() < 0.5 else "finished" if ends < today
                      else "in_force")
            creator = p.leader if level in ("pc", "steering") else p.market_leader if level != "ward" else (
                ward.official or p.leader)
            if level == "team":
                creator = self.unit_user[unit]
            rows.append((plan_id, number, kind, title[:500], unit, issued, starts_at, ends_at, status, None, None,
                         None, None, creator, 1, instant(issued, 9), instant(issued, 9)))
            for code in rng.sample(sorted(self.goods), rng.randint(0, 3)):
                goods_rows.append((plan_id, self.goods[code].id))
            if level == "market" and status != "draft":
                province_plans[p.code].append((span.index.get(starts, 0) if starts >= span.days[0] else 0,
                                               span.index.get(ends, span.last) if ends <= span.days[-1]
                                               else span.last, plan_id, number))
            if level == "pc":
                pc_plans[p.code].append((plan_id, number))
            # who does the work and reports: the teams and police, or the ward itself
            if level == "ward":
                reporters, receiver = [unit], p.steering
            elif level == "team":
                reporters, receiver = [unit], p.market
            else:
                reporters = list(p.teams) + [p.police] if level != "market" else list(p.teams)
                receiver = unit if level != "pc" else p.steering
            for description in rng.sample(TASKS, rng.randint(2, 4)):
                tid = self.ids(Task, 1)[0]
                lead = rng.choice(reporters)
                task_rows.append((tid, plan_id, description, lead, None, rng.choice(("ongoing", "monthly",
                                                                                     "quarterly")), 1,
                                  instant(issued, 10), instant(issued, 10)))
                for other in rng.sample(reporters, min(len(reporters), rng.randint(0, 2))):
                    if other != lead:
                        coord_rows.append((tid, other))
            if kind == "plan" and level != "team":
                for y in range(starts.year, ends.year + 1):
                    for category in (["business"] if level == "ward" else
                                     rng.sample(TARGET_CATEGORIES, rng.randint(2, 4))):
                        measure = rng.choice(("commitment", "outreach_commitment"))
                        percent = rng.choice((60, 70, 80, 90, 100, 100))
                        target_rows.append((self.ids(Target, 1)[0], plan_id, y, date(y, 12, 31), percent, category,
                                            measure, p.code, ward.code if ward else None,
                                            f"Năm {y}: {percent}% cơ sở thuộc nhóm {category} được tuyên truyền và "
                                            f"ký cam kết."))
            rules = [("Báo cáo tháng", "monthly", dict(day=20))]
            if kind == "campaign":
                rules = [("Báo cáo tuần", "weekly", dict(weekday=2, hour=14)),
                         ("Báo cáo tổng kết", "once", dict(once_on=ends))]
            elif kind == "letter":
                rules = [("Báo cáo kết quả", "once", dict(once_on=ends))]
            elif level in ("pc", "steering"):
                rules.append(("Báo cáo năm", "yearly", dict(day=15, month=12)))
            elif level == "ward":
                rules = [("Báo cáo năm", "yearly", dict(day=25, month=9))]
            for name, rule_kind, fields in rules:
                rid = self.ids(ReportingRule, 1)[0]
                rule_rows.append((rid, plan_id, name, rule_kind, fields.get("day"), fields.get("month"),
                                  fields.get("weekday"), fields.get("hour"), 0 if "hour" in fields else None, None,
                                  fields.get("once_on"), receiver, instant(issued, 10), instant(issued, 10)))
                at = time(fields["hour"], 0) if "hour" in fields else None
                due = deadlines.deadlines(deadlines.RuleSpec(
                    kind=rule_kind, day=fields.get("day"), month=fields.get("month"), weekday=fields.get("weekday"),
                    at=at, once_on=fields.get("once_on")), starts_at, ends_at)
                if status == "finished":
                    due = [d for d in due if d <= now]
                for reporter in reporters:
                    reporter_rows.append((rid, reporter))
                    for d in due:
                        submitted = submitted_by = None
                        age = (now - d).days
                        roll = rng.random()
                        if (age > 30 and roll < 0.96) or (0 < age <= 30 and roll < 0.6):
                            submitted = d - timedelta(hours=rng.randint(2, 120)) if roll < 0.85 else (
                                d + timedelta(hours=rng.randint(2, 240)))
                            submitted = min(submitted, now)
                            submitted_by = self.unit_user.get(reporter)
                        obligations.append((rid, reporter, d, None, submitted, submitted_by))
        for plan_id, p, level, unit, ward in specs:
            if level == "ward" and pc_plans.get(p.code):
                cited_id, cited_number = rng.choice(pc_plans[p.code])
                citations.append((self.ids(PlanCitation, 1)[0], plan_id, cited_number, cited_id))
        w = self.out.write
        w(Plan.__table__, ("id", "number", "kind", "title", "unit_id", "issued_on", "starts_at", "ends_at", "status",
                           "document_name", "document_original_name", "document_mime_type", "document_size",
                           "created_by_id", "version", "created_at", "updated_at"), rows)
        w(plan_goods, ("plan_id", "goods_category_id"), goods_rows)
        w(PlanCitation.__table__, ("id", "plan_id", "cited_number", "cited_plan_id"), citations)
        w(Task.__table__, ("id", "plan_id", "description", "lead_unit_id", "due_on", "recurrence", "version",
                           "created_at", "updated_at"), task_rows)
        w(task_coordinators, ("task_id", "unit_id"), coord_rows)
        w(Target.__table__, ("id", "plan_id", "year", "due_on", "percent", "category", "measure", "province_code",
                             "ward_code", "text"), target_rows)
        w(ReportingRule.__table__, ("id", "plan_id", "name", "kind", "day", "month", "weekday", "hour", "minute",
                                    "hours_after", "once_on", "receiver_unit_id", "created_at", "updated_at"),
          rule_rows)
        w(rule_reporters, ("rule_id", "unit_id"), reporter_rows)
        ob_ids = self.ids(ReportObligation, len(obligations))
        for start in range(0, len(obligations), CHUNK):
            w(ReportObligation.__table__, ("id", "rule_id", "unit_id", "due_at", "incident_id", "submitted_at",
                                           "submitted_by_id"),
              [(ob_ids[start + k], *row) for k, row in enumerate(obligations[start:start + CHUNK])])
        self.out.commit()
        # the market-surveillance plan in force on each day, for the records made under it
        for p in self.provinces.values():
            by_day = array("I", [0]) * len(span.days)
            for lo, hi, plan_id, _number in sorted(province_plans.get(p.code, ()), key=lambda t: t[0]):
                for d in range(lo, hi + 1):
                    by_day[d] = plan_id
            p.plans_by_day = by_day
        self.echo(f"  plans: {len(rows):,} with {len(task_rows):,} tasks, {len(target_rows):,} targets, "
                  f"{len(rule_rows):,} reporting rules, {len(obligations):,} report obligations")

    @staticmethod
    def _where(p: ProvinceInfo) -> str:
        return f"{'thành phố' if p.city else 'tỉnh'} {p.short}"

    def plan_on(self, ward: WardInfo, day: int) -> int | None:
        return self.provinces[ward.province].plans_by_day[day] or None

    def actor(self, ward: WardInfo, by_ward: bool, pick: int) -> tuple[int, int]:
        """(unit, user) acting in the ward: its People's Committee when it has an official, else
        one of the two officers of the team covering it."""
        if by_ward and ward.official:
            return ward.committee, ward.official
        return ward.team, self.provinces[ward.province].officers[ward.team][pick & 1]

    # --- outreach sessions (before the businesses: these refer to them)

    def sessions(self) -> None:
        rng, span = self.rng, self.span
        n = self.counts["outreach_sessions"]
        progress = Progress("outreach sessions", n)
        methods = [m[0] for m in METHODS]
        weights = [m[1] for m in METHODS]
        self.ward_sessions: dict[int, tuple[array, array, array]] = {}
        per_ward: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        ids = self.ids(Session, n)
        columns = ("id", "held_on", "unit_id", "method", "plan_id", "place", "ward_code", "people_reached", "note",
                   "created_by_id", "created_at")
        for start in range(0, n, CHUNK):
            rows, officers = [], []
            for sid in ids[start:start + CHUNK]:
                ward = self.pick_ward()
                day = span.pick(rng)
                method = rng.choices(methods, weights)[0]
                low, high = next((m[2], m[3]) for m in METHODS if m[0] == method)
                by_ward = rng.random() < 0.5
                unit, creator = self.actor(ward, by_ward, sid)
                where = f"{'phường' if ward.urban else 'xã'} {ward.short}"
                place = {"conference": f"Hội trường UBND {where}",
                         "residential_meeting": f"Nhà văn hóa {'tổ dân phố' if ward.urban else 'thôn'} số "
                                                f"{rng.randint(1, 12)}, {where}",
                         "during_inspection": f"Chợ {ward.short}", "leaflet": f"Chợ {ward.short}",
                         "loudspeaker": f"Đài truyền thanh {where}",
                         "social_media": f"Trang Facebook UBND {where}"}[method]
                on = span.days[day]
                rows.append((sid, on, unit, method, self.plan_on(ward, day) if rng.random() < 0.7 else None, place,
                             ward.code, rng.randint(low, high), None, creator, instant(on, rng.randint(8, 17))))
                officers.append((sid, creator))
                if unit == ward.team and rng.random() < 0.3:
                    other = self.provinces[ward.province].officers[ward.team][(sid + 1) & 1]
                    officers.append((sid, other))
                if method in REACHING:
                    per_ward[ward.index].append((day, sid, 1 if unit == ward.committee else 0))
            self.out.write(Session.__table__, columns, rows)
            self.out.write(outreach_officers, ("session_id", "user_id"), officers)
            self.out.commit()
            progress.step(len(rows))
        for index, items in per_ward.items():
            items.sort()
            self.ward_sessions[index] = (array("H", (d for d, _, _ in items)), array("I", (s for _, s, _ in items)),
                                         array("B", (w for _, _, w in items)))
        progress.finish()

    # --- businesses, their channels, goods, history, outreach and commitments

    def businesses(self) -> None:
        rng = self.rng
        n, wanted = self.counts["businesses"], self.counts["commitments"]
        # how many commitments each business signs (a few re-sign every year): exactly `wanted` in all
        signs = array("B", rng.choices((0, 1, 2, 3), (20, 27, 36, 17), k=n))
        diff = sum(signs) - wanted
        while diff:
            i = rng.randrange(n)
            if diff > 0 and signs[i]:
                signs[i] -= 1
                diff -= 1
            elif diff < 0 and signs[i] < 3:
                signs[i] += 1
                diff += 1
        self.b_ward = array("H")
        self.b_rec = array("H")
        self.b_end = array("H")  # the last day it traded
        self.b_signed = array("H")  # the first day it signed (NONE: never)
        self.b_reached = array("H")  # the first day outreach reached it (NONE: never)
        self.b_goods = array("H")  # its first goods category (0: none)
        self.b_first = self.ids(Business, n).start
        progress = Progress("businesses", n)
        fold_part = lru_cache(maxsize=200_000)(fold)
        self._fold = lambda parts: " ".join(f for f in map(fold_part, parts) if f)
        b_cols = ("id", "name", "owner_name", "tax_code", "household_reg_no", "address", "ward_code",
                  "province_code", "phone", "status", "recorded_on", "ceased_on", "name_folded", "address_folded",
                  "merged_into_id", "created_by_id", "version", "created_at", "updated_at", "first_outreach_on",
                  "first_signed_on", "channel_kinds")
        for start in range(0, n, CHUNK):
            self.rows = defaultdict(list)
            for i in range(start, min(start + CHUNK, n)):
                self.business(i, signs[i])
            r = self.rows
            w = self.out.write
            w(Business.__table__, b_cols, r["businesses"])
            w(BusinessChannel.__table__, ("id", "business_id", "kind", "place_name", "stall", "link",
                                          "link_normalised"),
              [(cid, *row) for cid, row in zip(self.ids(BusinessChannel, len(r["channels"])), r["channels"],
                                                strict=True)])
            w(business_goods, ("business_id", "goods_category_id"), r["goods"])
            w(BusinessStatusChange.__table__, ("id", "business_id", "status", "on", "note", "recorded_by_id",
                                               "recorded_at"),
              [(hid, *row) for hid, row in zip(self.ids(BusinessStatusChange, len(r["history"])), r["history"],
                                                strict=True)])
            w(outreach_businesses, ("session_id", "business_id"), r["reached"])
            w(Commitment.__table__, ("id", "business_id", "session_id", "signed_on", "signatory", "unit_id",
                                     "received_by_id", "plan_id", "scan_stored_name", "scan_original_name",
                                     "scan_mime_type", "scan_size", "created_by_id", "created_at", "ward_code",
                                     "province_code"),
              [(cid, *row) for cid, row in zip(self.ids(Commitment, len(r["commitments"])), r["commitments"],
                                                strict=True)])
            self.out.commit()
            progress.step(len(r["businesses"]))
        del self.rows
        progress.finish(f"; {self.out.counts['commitments']:,} commitments, "
                        f"{self.out.counts['outreach_businesses']:,} outreach links, "
                        f"{self.out.counts['business_channels']:,} channels, "
                        f"{self.out.counts['business_status_changes']:,} status changes")

    def person(self, province: int) -> str:
        rng = self.rng
        families = FAMILY + SOUTHERN_FAMILY if province >= SOUTH else FAMILY
        if rng.random() < 0.55:
            return f"{rng.choice(families)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
        return f"{rng.choice(families)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"

    def tax_code(self, province: int) -> str:
        weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
        while True:
            body = f"{province % 90 + 1:02d}{self.rng.randrange(10_000_000):07d}"
            check = 10 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
            if check < 10:
                return body + str(check)

    def business(self, i: int, signs: int) -> None:
        rng, span, rows = self.rng, self.span, self.rows
        bid = self.b_first + i
        ward = self.pick_ward()
        p = self.provinces[ward.province]
        kinds = list(KIND_WEIGHTS)
        kind = rng.choices(kinds, [KIND_WEIGHTS[k][0 if ward.urban else 1] for k in kinds])[0]
        owner = self.person(p.code)
        parts = owner.split()
        short = parts[-1] if parts[1] in ("Văn", "Thị") else " ".join(parts[1:])
        fortune = rng.choice(FORTUNE)
        channels = []
        company = False
        hamlet_word = "Ấp" if p.code >= SOUTH else "Bản" if p.code in NORTH_HIGHLANDS and rng.random() < 0.4 else (
            "Thôn")
        address = None
        goods: tuple[str, ...] = ()
        if kind == "market_stall":
            trade = rng.choice(STALL_TRADES)
            market = f"Chợ {ward.short}" if rng.random() < 0.7 else f"Chợ {rng.choice(MARKET_WORDS)} {ward.short}"
            stall = str(rng.randint(1, 400))
            name = [f"Kiốt {stall}", market[:1].lower() + market[1:]] if rng.random() < 0.3 else [
                f"Quầy {TRADES[trade][1]}", rng.choice((short, fortune))]
            address = [f"Kiốt số {stall},", market]
            channels.append((kind, market, stall, None, None))
        elif kind == "shop":
            trade = rng.choice(SHOP_TRADES)
            name = [TRADES[trade][0], rng.choice((short, short, fortune))]
            channels.append((kind, None, None, None, None))
        elif kind == "platform_seller":
            trade = rng.choice(ONLINE_TRADES)
            name = [TRADES[trade][1].capitalize(), short, rng.choice(("Store", "Official", "Shop"))]
        elif kind == "website":
            trade = rng.choice(ONLINE_TRADES)
            company = rng.random() < 0.6
            name = ["Công ty TNHH Thương mại điện tử", fortune] if company else [TRADES[trade][0], short]
            site = fold(f"{TRADES[trade][1]} {fortune if company else short}").replace(" ", "")[:24]
            link = f"https://{site}{bid}{rng.choice(('.vn', '.com.vn', '.com'))}"
            channels.append((kind, None, None, link, normalise_link(link)))
        elif kind == "courier":
            trade = None
            name = rng.choice((["Bưu cục chuyển phát nhanh", fortune], ["Điểm giao nhận hàng", fortune, "Express"],
                               ["Dịch vụ vận chuyển", fortune]))
            company = rng.random() < 0.5
            channels.append((kind, None, None, None, None))
        elif kind == "warehouse":
            trade = rng.choice(("grocery", "fashion", "electrics", "farm", "drinks"))
            company = True
            name = ["Công ty TNHH Kho vận", fortune, ward.short]
            channels.append((kind, None, None, None, None))
        elif kind == "wholesale":
            trade = rng.choice(("grocery", "food", "fashion", "drinks", "farm", "cosmetics"))
            company = rng.random() < 0.5
            name = ["Công ty TNHH" if company else "Đại lý", "bán buôn", TRADES[trade][1], fortune]
            place = f"Chợ đầu mối {ward.short}" if rng.random() < 0.4 else None
            channels.append((kind, place, None, None, None))
            if place:
                address = [f"Lô {rng.choice('ABCDE')}{rng.randint(1, 60)},", place]
        elif kind == "supermarket":
            trade = rng.choice(("cosmetics", "fashion", "watches", "phones", "milk", "sports"))
            mall = f"{rng.choice(MALLS)} {ward.short}"
            stall = f"{rng.choice(('L1', 'L2', 'L3', 'G'))}-{rng.randint(1, 80):02d}"
            name = [f"Quầy {TRADES[trade][1]}", short, "-", mall]
            address = ["Gian hàng", f"{stall},", mall]
            channels.append((kind, mall, stall, None, None))
        elif kind == "tourist_street":
            trade = rng.choice(("food", "herbs", "fashion", "drinks"))
            place = f"Phố đi bộ {ward.short}" if ward.urban else f"Khu du lịch {ward.short}"
            name = rng.choice((["Cửa hàng đặc sản", short], ["Quầy lưu niệm", fortune], [TRADES[trade][0], short]))
            channels.append((kind, place, None, None, None))
        elif kind == "craft_village":
            craft, goods = rng.choice(CRAFTS)
            trade = None
            name = [f"Cơ sở {craft}", short]
            village = f"Làng nghề {craft} {ward.short}"
            channels.append((kind, village, None, None, None))
            address = [f"Số {rng.randint(1, 120)},", f"{hamlet_word} {rng.choice(HAMLETS)}"]
        else:  # importer
            trade = rng.choice(("food", "electrics", "fashion", "farm", "phones"))
            company = True
            name = ["Công ty TNHH Xuất nhập khẩu", fortune, ward.short]
            channels.append((kind, None, None, None, None))
            if rng.random() < 0.5:
                channels.append(("warehouse", None, None, None, None))
        if trade:
            goods = TRADES[trade][2]
        if len(goods) > 2:
            goods = rng.sample(goods, rng.randint(2, len(goods)))
        if kind == "platform_seller" or (kind in ("shop", "market_stall") and rng.random() < 0.2):
            platform, pattern = rng.choice(PLATFORMS)
            handle = fold(f"{TRADES[trade][1]} {short}").replace(" ", "")[:20] + str(bid)
            link = pattern.format(handle)
            channels.append(("platform_seller", platform, None, link, normalise_link(link)))
        if address is None:
            if ward.urban or rng.random() < 0.3:
                street, number = f"đường {rng.choice(STREETS)}", rng.randint(1, 480)
                address = [f"Số {number}", street] if rng.random() < 0.8 else [
                    f"Số {rng.randint(2, 60)} ngõ {number}", street]
            else:
                address = [f"{hamlet_word} {rng.choice(HAMLETS)}"] if rng.random() < 0.6 else [
                    f"{hamlet_word} {rng.randint(1, 15)}"]
        tax_code = household = None
        roll = rng.random()
        if company or roll < 0.35:
            tax_code = self.tax_code(p.code)
            if company and rng.random() < 0.1:
                tax_code += f"{rng.randint(1, 9):03d}"
        elif roll < 0.85:
            household = f"{p.code % 90 + 1:02d}{rng.choice('ABCDE')}8{rng.randrange(1_000_000):06d}"
        phone = f"{rng.choice(MOBILE)}{rng.randrange(10_000_000):07d}" if rng.random() < 0.9 else None
        # history: recorded, active some days later, then perhaps a new line or the end of trading
        rec = span.pick(rng, cw=span.opening)
        last = span.last
        unit, creator = self.actor(ward, True, bid)
        history = [("new", rec)]
        ceased = None
        active = rec + rng.randint(7, 45)
        if active <= last:
            history.append(("active", active))
            later = active + rng.randint(30, 500)
            roll = rng.random()
            if later <= last and roll < 0.06:
                history.append(("changed_line", later))
            elif later <= last and roll < 0.14:
                history.append(("ceased", later))
                ceased = later
        end = ceased - 1 if ceased is not None else last
        name_text, address_text = " ".join(name), " ".join(address)
        status = history[-1][0]
        created = instant(span.days[rec], 8 + rng.randrange(9), rng.randrange(60))
        rows["businesses"].append((
            bid, name_text, owner, tax_code, household, address_text, ward.code, p.code, phone, status,
            span.days[rec], span.days[ceased] if ceased is not None else None, self._fold(name),
            self._fold(address), None, creator, len(history), created,
            instant(span.days[history[-1][1]], 9) if len(history) > 1 else created))
        for change, day in history:
            rows["history"].append((bid, change, span.days[day], None, creator,
                                    created if day == rec else instant(span.days[day], 10)))
        for channel in channels:
            rows["channels"].append((bid, *channel))
        goods_ids = [self.goods[c].id for c in dict.fromkeys(goods) if c in self.goods]
        for gid in goods_ids:
            rows["goods"].append((bid, gid))
        # outreach: sessions held in its ward while it traded
        reached_days = []
        sessions = self.ward_sessions.get(ward.index)
        chosen = []
        if sessions:
            days, sids, by_ward = sessions
            lo, hi = bisect.bisect_left(days, rec), bisect.bisect_right(days, end)
            k = rng.choices((0, 1, 2, 3), (12, 45, 30, 13))[0]
            if hi > lo and k:
                chosen = sorted(rng.sample(range(lo, hi), min(k, hi - lo)))
                for at in chosen:
                    rows["reached"].append((sids[at], bid))
                    reached_days.append(days[at])
        first_reached = reached_days[0] if reached_days else 0xFFFF
        # commitments: the first at a session it attended or later at the unit, then once a year
        signed_days = []
        if signs:
            if chosen and rng.random() < 0.6:
                at = chosen[0]
                first = (days[at], sids[at], by_ward[at])
            else:
                first = (span.pick(rng, first_reached if chosen else rec, end), None, 0)
            signed_days.append(first)
            day = first[0]
            for _ in range(signs - 1):
                day = min(day + rng.randint(200, 420), end)
                signed_days.append((day, None, 0))
        for day, sid, at_ward in signed_days:
            if sid is not None:
                s_unit, s_user = self.actor(ward, bool(at_ward), sid)
            else:
                s_unit, s_user = unit, creator
            on = span.days[day]
            rows["commitments"].append((
                bid, sid, on, owner, s_unit, s_user, self.plan_on(ward, day) if rng.random() < 0.8 else None,
                None, None, None, None, s_user, instant(on, 8 + rng.randrange(9), rng.randrange(60)), ward.code,
                p.code))
        self.b_ward.append(ward.index)
        self.b_rec.append(rec)
        self.b_end.append(end)
        self.b_signed.append(signed_days[0][0] if signed_days else 0xFFFF)
        self.b_reached.append(first_reached)
        # the first outreach, the first commitment and the kinds of channels, kept on the business
        # as services/kept.py keeps them
        rows["businesses"][-1] += (span.days[first_reached] if reached_days else None,
                                   span.days[signed_days[0][0]] if signed_days else None,
                                   sum(CHANNEL_BITS[ChannelKind(k)] for k in {c[0] for c in channels}))
        self.b_goods.append(goods_ids[0] if goods_ids else 0)

    # --- inspections, violations and what is published of them

    def inspections(self) -> None:
        rng, span = self.rng, self.span
        n, n_viol = self.counts["inspections"], self.counts["violations"]
        n_businesses = len(self.b_rec)
        doubles = n_viol // 20  # inspections that find two violations
        finding = set(rng.sample(range(n), min(n, n_viol - doubles)))
        twice = set(rng.sample(sorted(finding), min(len(finding), doubles)))
        self.found = []  # (inspection id, business index, day, unit, creator, count)
        progress = Progress("inspections", n)
        ids = self.ids(Inspection, n)
        columns = ("id", "inspected_on", "unit_id", "plan_id", "kind", "business_id", "result", "note",
                   "created_by_id", "version", "created_at", "updated_at", "ward_code", "province_code")
        for start in range(0, n, CHUNK):
            rows, members, goods = [], [], []
            for j in range(start, min(start + CHUNK, n)):
                iid = ids[j]
                b = rng.randrange(n_businesses)
                ward = self.wards[self.b_ward[b]]
                p = self.provinces[ward.province]
                rec, end = self.b_rec[b], self.b_end[b]
                first = min(self.b_signed[b], self.b_reached[b])
                if j in finding and first != 0xFFFF and first < end and rng.random() < 0.85:
                    day = span.pick(rng, first + 1, end)  # most violators had been reached before
                else:
                    day = span.pick(rng, rec, end)
                unit, creator = ward.team, p.officers[ward.team][iid & 1]
                result = "violation" if j in finding else "referred" if rng.random() < 0.04 else "no_violation"
                on = span.days[day]
                at = instant(on, 8 + rng.randrange(9), rng.randrange(60))
                rows.append((iid, on, unit, self.plan_on(ward, day) if rng.random() < 0.6 else None,
                             "surprise" if rng.random() < 0.3 else "scheduled", self.b_first + b, result, None,
                             creator, 1, at, at, ward.code, p.code))  # the area copied as services/kept.py does
                if rng.random() < 0.15:  # an interagency team: the police join
                    members.append((iid, p.police))
                if self.b_goods[b]:
                    goods.append((iid, self.b_goods[b]))
                if j in finding:
                    self.found.append((iid, b, day, unit, creator, 2 if j in twice else 1))
            self.out.write(Inspection.__table__, columns, rows)
            self.out.write(inspection_members, ("inspection_id", "unit_id"), members)
            self.out.write(inspection_goods, ("inspection_id", "goods_category_id"), goods)
            self.out.commit()
            progress.step(len(rows))
        progress.finish()

    def violations(self) -> None:
        from portal.services import publication

        rng, span = self.rng, self.span
        started = clock.perf_counter()
        types = [t for t, _ in VIOLATION_TYPES]
        type_weights = [w for _, w in VIOLATION_TYPES]
        rows, eligible = [], []
        ids = iter(self.ids(Violation, self.counts["violations"]))
        for iid, b, day, unit, creator, count in self.found:
            ward = self.wards[self.b_ward[b]]
            p = self.provinces[ward.province]
            for k in range(count):
                vid = next(ids)
                on = span.days[day]
                goods_id = self.b_goods[b] or None
                code = self.goods_by_id[goods_id].code if goods_id else None
                brand = rng.choice(BRANDS[code]) if code in BRANDS and rng.random() < 0.8 else None
                seized = rng.random() < 0.7
                value = rng.randint(2, 400) * 1_000_000 if seized else None
                decided = rng.random() < 0.9
                number = decided_on = authority = fine = remedies = None
                state = "found"
                if decided:
                    decided_on = min(day + rng.randint(2, 20), span.last)
                    fine = rng.choice((3, 5, 8, 10, 12, 15, 20, 25, 30, 40, 50, 70, 100)) * 1_000_000
                    team_no = p.teams.index(unit) + 1
                    authority = (f"Đội trưởng Đội Quản lý thị trường số {team_no}" if fine <= 50_000_000 else
                                 f"Chi cục trưởng Chi cục Quản lý thị trường {self._where(p)}")
                    number = f"{rng.randint(1, 999)}/QĐ-XPHC"
                    remedies = "Buộc tiêu hủy hàng hóa vi phạm." if rng.random() < 0.7 else (
                        "Tịch thu tang vật vi phạm.")
                    state = rng.choices(("decided", "complied", "appealed", "overturned"), (40, 50, 7, 3))[0]
                at = instant(on, 8 + rng.randrange(9), rng.randrange(60))
                rows.append([vid, iid, self.b_first + b, on, unit, rng.choices(types, type_weights)[0], goods_id,
                             brand, rng.random() < 0.6, f"{rng.randint(5, 800)} {rng.choice(UNITS_COUNTED)}",
                             value, at + timedelta(hours=1) if seized else None, None, number,
                             span.days[decided_on] if decided else None, authority, fine, remedies, state, creator,
                             1, at, at, ward.code, p.code])
                after_commitment = self.b_signed[b] < day
                after_outreach = self.b_reached[b] < day
                if decided and state != "overturned" and (after_commitment or after_outreach):
                    eligible.append((len(rows) - 1, after_commitment, after_outreach))
        wanted = self.counts["published"]
        if len(eligible) < wanted:
            raise click.ClickException(f"Only {len(eligible)} violations can be published; {wanted} wanted.")
        chosen = rng.sample(eligible, wanted)
        chosen_rows = {c[0] for c in chosen}
        others = [e for e in eligible if e[0] not in chosen_rows]
        proposed = rng.sample(others, min(len(others), max(1, wanted // 25) if wanted else 0))
        columns = ("id", "inspection_id", "business_id", "found_on", "unit_id", "type", "goods_category_id", "brand",
                   "openly_displayed", "quantity", "seized_value", "seized_at", "incident_id", "decision_number",
                   "decision_on", "decision_authority", "fine", "remedies", "state", "created_by_id", "version",
                   "created_at", "updated_at", "ward_code", "province_code")
        for start in range(0, len(rows), CHUNK):
            self.out.write(Violation.__table__, columns, [tuple(r) for r in rows[start:start + CHUNK]])
        self.out.commit()
        # the published entries, in the order they were published (their ids are permanent links)
        details = {}
        business_ids = sorted({rows[c[0]][2] for c in chosen})
        table = Business.__table__
        for start in range(0, len(business_ids), 5000):
            for row in self.out.conn.execute(
                    select(table.c.id, table.c.name, table.c.address, table.c.ward_code, table.c.province_code)
                    .where(table.c.id.in_(business_ids[start:start + 5000]))):
                details[row.id] = row
        ward_names = {w.code: w.name for w in self.wards}
        province_names = {p.code: p.name for p in self.provinces.values()}
        planned = []
        for index, after_commitment, after_outreach in chosen:
            row = rows[index]
            decided = (row[14] - span.days[0]).days
            day = min(decided + rng.randint(3, 40), span.last)
            published_at = instant(span.days[day], 9 + rng.randrange(8), rng.randrange(60))
            planned.append((published_at, index, after_commitment, after_outreach))
        planned.sort()
        pub_ids = iter(self.ids(Publication, len(planned) + len(proposed)))
        entry_ids = iter(self.ids(PublicEntry, len(planned)))
        publications, entries, corrections = [], [], []
        entry_fields: tuple[str, ...] = ()
        for published_at, index, after_commitment, after_outreach in planned:
            row = rows[index]
            vid, unit, creator, found_on = row[0], row[4], row[19], row[3]
            b = details[row[2]]
            p = self.provinces[b.province_code]
            goods = self.goods_by_id.get(row[6])
            violation = SimpleNamespace(  # what public_fields reads of a violation and its business
                business=SimpleNamespace(name=b.name, address=b.address, ward_code=b.ward_code,
                                         province_code=b.province_code,
                                         ward=SimpleNamespace(name=ward_names[b.ward_code]),
                                         province=SimpleNamespace(name=province_names[b.province_code])),
                type=row[5], goods_category_id=row[6], brand=row[7], found_on=found_on, decision_number=row[13],
                decision_on=row[14], decision_authority=row[15], fine=row[16],
                goods_category=SimpleNamespace(name_vi=goods.name_vi, name_en=goods.name_en) if goods else None)
            facts = SimpleNamespace(commitment=True if after_commitment else None,
                                    outreach=True if after_outreach else None)
            fields = publication.public_fields(violation, facts)
            pid, eid = next(pub_ids), next(entry_ids)
            roll = rng.random()
            withdrawn = roll < 0.01
            corrected = 0.01 <= roll < 0.06
            later = min(published_at + timedelta(days=rng.randint(3, 90)), self.now)
            ends_on = (published_at + timedelta(days=rng.choice((365, 730, 1095)))).date() if rng.random() < 0.2 else None
            reason = "Quyết định xử phạt đang được xem xét lại theo khiếu nại." if withdrawn else None
            publications.append((pid, vid, "withdrawn" if withdrawn else "published", creator,
                                 "Vi phạm sau khi đã được tuyên truyền, ký cam kết", p.market_leader, published_at,
                                 reason, 1, published_at - timedelta(days=2), later if withdrawn else published_at))
            entry_fields = tuple(fields)
            entries.append((eid, pid, *fields.values(), published_at,
                            later if corrected else None, ends_on, later if withdrawn else None, reason))
            if corrected:
                corrections.append((self.ids(PublicCorrection, 1)[0], eid, later,
                                    "Đính chính số tiền phạt theo quyết định sửa đổi.", p.market_leader))
        for index, _, _ in proposed:
            row = rows[index]
            p = self.provinces[self.wards[self.b_ward[row[2] - self.b_first]].province]
            rejected = rng.random() < 0.3
            at = instant(row[14], 15)
            publications.append((next(pub_ids), row[0], "rejected" if rejected else "proposed", row[19],
                                 "Đề nghị công khai", p.market_leader if rejected else None, at if rejected else None,
                                 "Chưa đủ căn cứ xác định đã ký cam kết." if rejected else None, 1, at, at))
        self.out.write(Publication.__table__, ("id", "violation_id", "state", "proposed_by_id", "proposal_note",
                                               "decided_by_id", "decided_at", "reason", "version", "created_at",
                                               "updated_at"), publications)
        self.out.write(PublicEntry.__table__, ("id", "publication_id", *entry_fields, "published_at",
                                               "corrected_at", "ends_on", "withdrawn_at", "withdrawal_reason"),
                       entries)
        self.out.write(PublicCorrection.__table__, ("id", "entry_id", "corrected_at", "note", "corrected_by_id"),
                       corrections)
        self.out.commit()
        seconds = clock.perf_counter() - started
        self.echo(f"  violations: {len(rows):,}, {len(entries):,} published ({len(corrections):,} corrected, "
                  f"{sum(1 for e in entries if e[-2]):,} withdrawn), {len(proposed):,} proposed or rejected, "
                  f"in {seconds:,.1f} s")

    # --- tips from citizens

    def tips(self) -> None:
        rng, span = self.rng, self.span
        n = self.counts["tips"]
        progress = Progress("tips", n)
        statuses = [s for s, _ in TIP_STATUSES]
        weights = [w for _, w in TIP_STATUSES]
        codes = list(self.goods)
        ids = self.ids(Tip, n)
        columns = ("id", "receipt_hash", "what", "province_code", "ward_code", "place", "goods_category_id", "shop",
                   "business_id", "anonymous", "contact_name", "contact_phone", "contact_email", "status", "unit_id",
                   "handler_id", "received_at", "closed_at", "updated_at", "version")
        for start in range(0, n, CHUNK):
            rows = []
            for tid in ids[start:start + CHUNK]:
                business_id = None
                if rng.random() < 0.15:  # from a business's sticker: it names the business
                    b = rng.randrange(len(self.b_rec))
                    ward = self.wards[self.b_ward[b]]
                    business_id = self.b_first + b
                else:
                    ward = self.pick_ward()
                p = self.provinces[ward.province]
                day = span.pick(rng)
                received = instant(span.days[day], rng.choice((7, 9, 11, 13, 15, 19, 20, 21, 22)), rng.randrange(60))
                code = rng.choice(codes)
                goods = self.goods[code]
                shop = (f"{rng.choice(('Cửa hàng', 'Tạp hóa', 'Shop', 'Đại lý'))} {rng.choice(FORTUNE)}"
                        if rng.random() < 0.7 else None)
                place = f"{'Đường ' + rng.choice(STREETS) if ward.urban else 'Chợ ' + ward.short}"
                what = rng.choice(TIP_TEXTS).format(shop=shop or "một cửa hàng", goods=goods.name_vi.lower(),
                                                    place=place)
                with_ward = business_id is not None or rng.random() < 0.9
                anonymous = rng.random() < 0.65
                name = phone = email = None
                if not anonymous:
                    name = self.person(p.code) if rng.random() < 0.8 else None
                    phone = f"{rng.choice(MOBILE)}{rng.randrange(10_000_000):07d}" if rng.random() < 0.85 else None
                    if phone is None or rng.random() < 0.25:
                        email = f"nguoidan{tid}@example.vn"
                age = (span.last - day) / max(span.last, 1)  # old tips are mostly closed
                status = rng.choices(statuses, weights)[0]
                if age > 0.1 and status in ("received", "verifying") and rng.random() < 0.8:
                    status = rng.choice(("resolved", "unfounded"))
                handler = closed = None
                if status == "received":
                    unit = ward.committee if with_ward else p.steering
                else:
                    unit, handler = self.actor(ward, True, tid)
                    if status == "forwarded":
                        handler = None
                    if status in ("resolved", "unfounded"):
                        closed = min(received + timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 8)),
                                     self.now)
                updated = closed or min(received + timedelta(days=rng.randint(0, 5)), self.now)
                rows.append((tid, f"{rng.getrandbits(256):064x}", what, p.code, ward.code if with_ward else None,
                             place, goods.id, shop, business_id, anonymous, name, phone, email, status, unit, handler,
                             received, closed, updated, 1))
            self.out.write(Tip.__table__, columns, rows)
            self.out.commit()
            progress.step(len(rows))
        progress.finish()

    def quotas(self) -> None:
        """This quarter's quotas of every team officer, set by the market-surveillance leader."""
        today = self.span.days[-1]
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        after = first.month + 3
        last = date(first.year + (after > 12), (after - 1) % 12 + 1, 1) - timedelta(days=1)
        rows = []
        for p in self.provinces.values():
            for team, officers in p.officers.items():
                for officer in officers:
                    for metric, amount in (("outreach_sessions", 10), ("businesses_signed", 40),
                                           ("agreements_signed", 2), ("inspections", 8)):
                        rows.append((self.ids(Quota, 1)[0], officer, team, p.market_leader, metric,
                                     amount + self.rng.randint(0, amount), first, last, 1, self.now, self.now))
        self.out.write(Quota.__table__, ("id", "user_id", "unit_id", "assigned_by_id", "metric", "amount",
                                         "starts_on", "ends_on", "version", "created_at", "updated_at"), rows)
        self.out.commit()

    # --- the end: the marker, the sequences, the planner's statistics

    def finish(self, conn) -> None:
        self.out.write(AuditEntry.__table__, ("id", "at", "actor_id", "actor_name", "action", "object_type",
                                              "object_id", "unit_id", "before", "after", "ip"),
                       [(self.ids(AuditEntry, 1)[0], utcnow(), None, "system", MARKER, None, None, self.root, None,
                         {"fraction": self.fraction, "rows": dict(self.out.counts)} if not self.out.pg else
                         _json({"fraction": self.fraction, "rows": dict(self.out.counts)}), None)])
        self.out.commit()
        if self.out.pg:
            started = clock.perf_counter()
            for name in self.next_ids:  # table names from the models, never from input
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # nosec B608
                    f"(SELECT COALESCE(MAX(id), 0) + 1 FROM \"{name}\"), false)")
            conn.commit()
            # VACUUM too, not only ANALYZE: a server whose autovacuum is off (or not yet round) would
            # leave the visibility map empty, and every index-only scan of the staff pages would read
            # the tables instead (several times slower than on a database autovacuum keeps)
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM (ANALYZE)")
            self.echo(f"  sequences moved and VACUUM ANALYZE in {clock.perf_counter() - started:,.1f} s")


def _json(value) -> str:
    import json

    return json.dumps(value)


def load_national(fraction: float = 1.0, *, method: str | None = None) -> dict[str, int] | None:
    """Load the national data set (or that fraction of it); None when it is there already."""
    return NationalLoad(fraction, method).run()
