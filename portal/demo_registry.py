"""Demo businesses, outreach and commitments for the wards of the source documents, so that
the registry, coverage and plan targets show real numbers.

Everything is generated from one seed (``random.Random(389)``) with dates counted back from
today in Vietnam, and entered through the services staff use, acting as the demo user of
each area: invariants hold as they would for typed-in records. Loading is idempotent: when
the demo businesses are there already, nothing is added.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import click
from sqlalchemy import select

from portal.extensions import db
from portal.models import Business, BusinessStatus, ChannelKind, Counterpart, OutreachMethod, User, Ward
from portal.services import outreach, registry
from portal.services.deadlines import local_day
from portal.text import fold

SEED = 389
HISTORY_DAYS = 548  # about 18 months of records before today
SURVEY_DAYS = 45  # the first sweep of each area records most of its businesses
K = ChannelKind


@dataclass(frozen=True)
class WardSpec:
    name: str  # the official name, e.g. "Phường Hàm Rồng"
    count: int  # how many businesses
    streets: tuple[str, ...]
    markets: tuple[str, ...]
    malls: tuple[str, ...] = ()
    tourist: tuple[str, ...] = ()  # tourist streets and areas
    villages: tuple[tuple[str, str, tuple[str, ...], str], ...] = ()  # craft village, craft, goods, hamlet
    importers: bool = False  # near a border gate or a port
    wholesale: tuple[str, ...] = ()  # wholesale centres


@dataclass(frozen=True)
class AreaSpec:
    province: int
    actor: str  # the demo user who keeps the area's registry and holds its sessions
    batch_actor: str  # who records the market meetings (their unit holds them)
    officers: tuple[str, ...]  # who holds the sessions
    receivers: tuple[str, ...]  # who receives the commitments
    signed_share: float  # of the businesses, how many end up signed
    hall: str  # where the ward or unit holds its conferences
    media: str  # its page on social media
    wards: tuple[WardSpec, ...]
    boards: tuple[tuple[Counterpart, str, str, str], ...] = ()  # kind, name, ward, signatory


AREAS: tuple[AreaSpec, ...] = (
    AreaSpec(
        province=38, actor="ward", batch_actor="ward", officers=("ward", "ward.office"),
        receivers=("ward", "ward.office"), signed_share=0.78, hall="Hội trường UBND phường Hàm Rồng",
        media="Trang Facebook UBND phường Hàm Rồng",
        wards=(WardSpec(
            "Phường Hàm Rồng", 85,
            streets=("đường Bà Triệu", "đường Nguyễn Trãi", "đường Tô Vĩnh Diện", "đường Đình Hương",
                     "đường Lý Thái Tổ", "đường Hải Thượng Lãn Ông", "đường Nam Ngạn", "đường Hoàng Quốc Việt"),
            markets=("Chợ Hàm Rồng", "Chợ Nam Ngạn", "Chợ Đông Cương"),
            malls=("Siêu thị Hàm Rồng Mart",),
            tourist=("Khu di tích danh thắng Hàm Rồng",),
            wholesale=("Khu kho bãi Đình Hương",)),),
        boards=((Counterpart.MARKET_BOARD, "Ban quản lý chợ Hàm Rồng", "Phường Hàm Rồng", "Lê Văn Chính"),
                (Counterpart.MARKET_BOARD, "Ban quản lý chợ Nam Ngạn", "Phường Hàm Rồng", "Trịnh Thị Ngân")),
    ),
    AreaSpec(
        province=38, actor="ward2", batch_actor="ward2", officers=("ward2",), receivers=("ward2",),
        signed_share=0.62, hall="Hội trường UBND phường Hạc Thành", media="Trang Zalo UBND phường Hạc Thành",
        wards=(WardSpec(
            "Phường Hạc Thành", 80,
            streets=("đại lộ Lê Lợi", "đường Trần Phú", "đường Lê Hoàn", "phố Phan Chu Trinh", "đường Quang Trung",
                     "đường Tống Duy Tân", "đường Cao Thắng", "đường Lạc Long Quân", "đường Phan Bội Châu",
                     "đường Nguyễn Du"),
            markets=("Chợ Vườn Hoa", "Chợ Tây Thành", "Chợ Điện Biên"),
            malls=("Vincom Plaza Thanh Hóa", "Siêu thị GO! Thanh Hóa"),
            wholesale=("Chợ đầu mối Tây Thành",)),),
        boards=((Counterpart.MARKET_BOARD, "Ban quản lý chợ Vườn Hoa", "Phường Hạc Thành", "Phạm Văn Hòa"),
                (Counterpart.MALL_BOARD, "Ban quản lý Trung tâm thương mại Vincom Plaza Thanh Hóa", "Phường Hạc Thành",
                 "Ngô Thị Thanh")),
    ),
    AreaSpec(
        province=15, actor="leader", batch_actor="inspector", officers=("inspector", "leader"),
        receivers=("inspector",), signed_share=0.55, hall="Hội trường Chi cục Quản lý thị trường tỉnh Lào Cai",
        media="Trang Facebook Quản lý thị trường Lào Cai",
        wards=(
            WardSpec("Phường Lào Cai", 40,
                     streets=("đường Hoàng Liên", "đường Hồng Hà", "đường Nguyễn Huệ", "đường Hoàng Sào",
                              "đường Lê Thanh", "đường Phan Đình Phùng", "đường Thủy Hoa"),
                     markets=("Chợ Cốc Lếu", "Chợ Kim Tân"), malls=("Vincom Plaza Lào Cai",),
                     importers=True, wholesale=("Khu thương mại Kim Thành",)),
            WardSpec("Phường Cam Đường", 22,
                     streets=("đường Trần Hưng Đạo", "đường Điện Biên", "đường Võ Nguyên Giáp", "đường Hoàng Liên"),
                     markets=("Chợ Cam Đường", "Chợ Pom Hán")),
            WardSpec("Phường Sa Pa", 30,
                     streets=("phố Cầu Mây", "đường Thạch Sơn", "đường Xuân Viên", "đường Fansipan",
                              "đường Điện Biên Phủ", "đường Ngũ Chỉ Sơn"),
                     markets=("Chợ Sa Pa",), tourist=("Phố Cầu Mây", "Chợ đêm Sa Pa", "Quảng trường Sa Pa"),
                     villages=(("Làng nghề dệt thổ cẩm Cát Cát", "dệt thổ cẩm", ("clothing", "bags", "accessories"),
                                "bản Cát Cát"),
                               ("Làng nghề thổ cẩm Tả Van", "thêu thổ cẩm", ("clothing", "bags"), "bản Tả Van"))),
        ),
        boards=((Counterpart.MARKET_BOARD, "Ban quản lý chợ Cốc Lếu", "Phường Lào Cai", "Đỗ Văn Thắng"),
                (Counterpart.STREET_BOARD, "Ban quản lý phố Cầu Mây", "Phường Sa Pa", "Giàng A Páo"),
                (Counterpart.WARD, "UBND phường Sa Pa", "Phường Sa Pa", "Lý Thị Mai")),
    ),
    AreaSpec(
        province=92, actor="admin", batch_actor="admin", officers=("admin",), receivers=("admin",),
        signed_share=0.45, hall="Hội trường UBND phường Ninh Kiều", media="Trang Facebook Tổ công tác 1253 Cần Thơ",
        wards=(
            WardSpec("Phường Ninh Kiều", 40,
                     streets=("đường Hai Bà Trưng", "đường Nguyễn Trãi", "đường 30 Tháng 4", "đường Trần Hưng Đạo",
                              "đại lộ Hòa Bình", "đường Phan Đình Phùng", "đường Ngô Quyền", "đường Nguyễn An Ninh"),
                     markets=("Chợ Xuân Khánh",), malls=("Vincom Xuân Khánh", "Sense City Cần Thơ"),
                     tourist=("Chợ đêm Ninh Kiều", "Bến Ninh Kiều"), importers=True),
            WardSpec("Phường Cái Khế", 18,
                     streets=("đường Cách Mạng Tháng 8", "đường Trần Phú", "đường Nguyễn Trãi", "đường Lê Lợi"),
                     markets=("Chợ Cái Khế", "Chợ An Hòa"), malls=("Siêu thị Co.opmart Cần Thơ",),
                     wholesale=("Chợ đầu mối Cái Khế",)),
            WardSpec("Phường Tân An", 14,
                     streets=("đường Đề Thám", "đường Lý Tự Trọng", "đường Phan Văn Trị", "đường Châu Văn Liêm"),
                     markets=("Chợ Tân An",)),
            WardSpec("Phường Thuận Hưng", 12,
                     streets=("Quốc lộ 91", "đường Nguyễn Văn Linh", "đường Thuận Hưng"),
                     markets=("Chợ Thuận Hưng",),
                     villages=(("Làng nghề bánh tráng Thuận Hưng", "bánh tráng", ("food",), "khu vực Tân Phước"),)),
        ),
        boards=((Counterpart.MARKET_BOARD, "Ban quản lý chợ Tân An", "Phường Tân An", "Huỳnh Văn Tâm"),),
    ),
)

# --- names -------------------------------------------------------------------------------------

FAMILY = ("Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ",
          "Hồ", "Ngô", "Dương", "Lý", "Trịnh", "Mai", "Lương")
SOUTHERN_FAMILY = ("Huỳnh", "Võ", "Trương", "Phan", "Lâm", "Châu")
MIDDLE_M = ("Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu", "Thành", "Xuân", "Ngọc")
MIDDLE_F = ("Thị", "Thị", "Thu", "Ngọc", "Thanh", "Kim", "Minh", "Hồng", "Bích")
GIVEN_M = ("Anh", "Hùng", "Dũng", "Tuấn", "Nam", "Bình", "Phúc", "Long", "Sơn", "Hải", "Cường", "Thắng", "Khoa",
           "Tùng", "Quang", "Hiếu", "Toàn", "Lộc")
GIVEN_F = ("Hà", "Lan", "Hương", "Hoa", "Mai", "Thảo", "Linh", "Trang", "Yến", "Nga", "Hằng", "Huyền", "Ánh",
           "Oanh", "Nhung", "Phương", "Loan", "Vân")
FORTUNE = ("Minh Anh", "Bình An", "Phúc Lộc", "Thành Đạt", "Hưng Thịnh", "An Khang", "Tân Phát", "Hoàng Long",
           "Kim Ngân", "Thuận Phát", "Phương Nam", "Đức Tín", "Hải Đăng", "Bảo Ngọc", "Việt Hưng", "Quang Minh",
           "Tâm Đức", "Hồng Phúc", "Nhật Minh", "Gia Bảo", "Trường Thịnh", "Phú Quý", "An Bình", "Thiên Phú")

#: Lines of business: what the name says, the short word for a stall, and the goods.
TRADES = {
    "grocery": ("Tạp hóa", "tạp hóa", ("food", "milk", "sugar", "alcohol", "tobacco")),
    "cosmetics": ("Cửa hàng mỹ phẩm", "mỹ phẩm", ("cosmetics",)),
    "pharmacy": ("Nhà thuốc", "thuốc", ("medicines", "supplements")),
    "herbs": ("Cửa hàng thảo dược", "thảo dược", ("medicinal_herbs", "supplements")),
    "phones": ("Cửa hàng điện thoại", "điện thoại", ("phones", "electronics")),
    "fashion": ("Shop thời trang", "quần áo", ("clothing", "footwear", "bags")),
    "farm": ("Cửa hàng vật tư nông nghiệp", "vật tư nông nghiệp", ("farm_inputs",)),
    "gold": ("Tiệm vàng", "vàng bạc", ("gold", "accessories")),
    "helmets": ("Cửa hàng mũ bảo hiểm", "mũ bảo hiểm", ("helmets",)),
    "watches": ("Cửa hàng đồng hồ", "đồng hồ", ("watches", "accessories")),
    "milk": ("Cửa hàng sữa", "sữa", ("milk", "supplements")),
    "drinks": ("Đại lý bia rượu", "bia rượu", ("alcohol", "food")),
    "sports": ("Cửa hàng thể thao", "đồ thể thao", ("sports_goods", "footwear", "clothing")),
    "electrics": ("Cửa hàng điện máy", "điện máy", ("electronics", "tools")),
    "food": ("Cửa hàng thực phẩm", "thực phẩm", ("food", "sugar")),
}
SHOP_TRADES = ("grocery", "grocery", "grocery", "cosmetics", "cosmetics", "pharmacy", "phones", "fashion", "fashion",
               "farm", "gold", "helmets", "watches", "milk", "drinks", "sports", "electrics", "food")
STALL_TRADES = ("grocery", "grocery", "food", "food", "cosmetics", "fashion", "fashion", "milk", "herbs", "watches",
                "helmets", "drinks")
ONLINE_TRADES = ("cosmetics", "cosmetics", "fashion", "fashion", "milk", "herbs", "phones", "watches", "sports")
PLATFORMS = (("Shopee", "https://shopee.vn/{}"), ("Lazada", "https://www.lazada.vn/shop/{}"),
             ("TikTok Shop", "https://www.tiktok.com/@{}"))
#: Mobile prefixes of the Vietnamese networks.
MOBILE = ("032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098", "081", "082", "083",
          "084", "085", "088", "091", "094", "070", "076", "077", "078", "079", "089", "090", "093", "056", "058")
#: The first two digits of a tax code: the province's tax office (old numbering).
TAX_PREFIX = {38: "28", 15: "53", 92: "18"}

KIND_WEIGHTS = {K.MARKET_STALL: 30, K.SHOP: 30, K.PLATFORM_SELLER: 10, K.SUPERMARKET: 5, K.WHOLESALE: 4,
                K.WAREHOUSE: 2, K.WEBSITE: 3, K.COURIER: 3, K.TOURIST_STREET: 8, K.CRAFT_VILLAGE: 8, K.IMPORTER: 5}


# --- what is generated ----------------------------------------------------------------------

@dataclass
class Planned:
    """One business to record, with its history, before it exists."""

    area: AreaSpec
    ward: Ward
    data: registry.BusinessData
    markets: set[str]
    history: list[tuple[BusinessStatus, date]]
    ceased_on: date | None = None
    business: Business | None = None
    reached_on: date | None = None
    signed_on: date | None = None

    def trading(self, on: date) -> bool:
        return self.data.opened_on <= on and (self.ceased_on is None or on < self.ceased_on)


@dataclass
class Counts:
    businesses: int = 0
    sessions: int = 0
    commitments: int = 0
    agreements: int = 0
    wards: set[int] = field(default_factory=set)


class Generator:
    def __init__(self, today: date):
        self.rng = random.Random(SEED)
        self.today = today
        self.start = today - timedelta(days=HISTORY_DAYS)
        self.tax_codes: set[str] = set()
        self.phones: set[str] = set()
        self.handles: set[str] = set()
        self.addresses: set[tuple[int, str]] = set()
        self.stalls: dict[str, int] = {}

    # --- people and numbers

    def person(self, province: int) -> str:
        rng = self.rng
        families = FAMILY + SOUTHERN_FAMILY if province == 92 else FAMILY
        if rng.random() < 0.55:
            return f"{rng.choice(families)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
        return f"{rng.choice(families)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"

    @staticmethod
    def short_name(person: str) -> str:
        """'Nguyễn Thu Hà' -> 'Thu Hà', as shops are named; 'Trần Văn Hùng' -> 'Hùng'."""
        parts = person.split()
        return parts[-1] if parts[1] in ("Văn", "Thị") else " ".join(parts[1:])

    def tax_code(self, province: int) -> str:
        """A valid 10-digit code: the check digit of the tax office's formula."""
        weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
        while True:
            body = TAX_PREFIX[province] + "".join(str(self.rng.randint(0, 9)) for _ in range(7))
            check = 10 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
            if check < 10 and body + str(check) not in self.tax_codes:
                self.tax_codes.add(body + str(check))
                return body + str(check)

    def phone(self) -> str:
        while True:
            number = self.rng.choice(MOBILE) + "".join(str(self.rng.randint(0, 9)) for _ in range(7))
            if number not in self.phones:
                self.phones.add(number)
                return number

    def handle(self, words: str) -> str:
        base = re.sub(r"[^a-z0-9]", "", fold(words))[:24] or "shop"
        candidate = base
        while candidate in self.handles:
            candidate = f"{base}{self.rng.randint(10, 999)}"
        self.handles.add(candidate)
        return candidate

    def street_address(self, ward: Ward, spec: WardSpec) -> str:
        while True:
            street = self.rng.choice(spec.streets)
            number = self.rng.randint(1, 320)
            address = (f"Số {number} {street}" if self.rng.random() < 0.8
                       else f"Số {self.rng.randint(2, 40)} ngõ {number} {street}")
            if (ward.code, address) not in self.addresses:
                self.addresses.add((ward.code, address))
                return address

    def stall(self, market: str) -> str:
        self.stalls[market] = self.stalls.get(market, 0) + self.rng.randint(1, 4)
        return str(self.stalls[market])

    # --- businesses

    @staticmethod
    def kinds(spec: WardSpec) -> list[ChannelKind]:
        allowed = [K.MARKET_STALL, K.SHOP, K.PLATFORM_SELLER, K.WEBSITE, K.COURIER, K.WAREHOUSE, K.WHOLESALE]
        if spec.malls:
            allowed.append(K.SUPERMARKET)
        if spec.tourist:
            allowed.append(K.TOURIST_STREET)
        if spec.villages:
            allowed.append(K.CRAFT_VILLAGE)
        if spec.importers:
            allowed.append(K.IMPORTER)
        return allowed

    def opened_on(self) -> date:
        if self.rng.random() < 0.65:
            return self.start + timedelta(days=self.rng.randint(0, SURVEY_DAYS))
        return self.start + timedelta(days=self.rng.randint(SURVEY_DAYS, HISTORY_DAYS - 1))

    def history(self, opened_on: date) -> tuple[list[tuple[BusinessStatus, date]], date | None]:
        rng, last = self.rng, self.today - timedelta(days=1)
        history: list[tuple[BusinessStatus, date]] = []
        active_on = opened_on + timedelta(days=rng.randint(7, 45))
        if active_on > last:
            return history, None  # still newly opened
        history.append((BusinessStatus.ACTIVE, active_on))
        roll = rng.random()
        later = active_on + timedelta(days=rng.randint(30, 400))
        if later > last:
            return history, None
        if roll < 0.08:
            history.append((BusinessStatus.CHANGED_LINE, later))
        elif roll < 0.16:
            history.append((BusinessStatus.CEASED, later))
            return history, later
        return history, None

    def business(self, area: AreaSpec, ward: Ward, spec: WardSpec, kind: ChannelKind) -> Planned:
        rng = self.rng
        owner = self.person(area.province)
        short = self.short_name(owner)
        fortune = rng.choice(FORTUNE)
        company = False
        channels: list[registry.ChannelData] = []
        markets: set[str] = set()
        address = None
        if kind == K.MARKET_STALL:
            trade = rng.choice(STALL_TRADES)
            market = rng.choice(spec.markets)
            stall = self.stall(market)
            market_words = market[:1].lower() + market[1:]
            name = (f"Kiốt {stall} {market_words}" if rng.random() < 0.3
                    else f"Quầy {TRADES[trade][1]} {rng.choice((short, fortune))}")
            channels.append(registry.ChannelData(kind, place_name=market, stall=stall))
            address = f"Kiốt số {stall}, {market}"
            markets.add(market)
        elif kind == K.SHOP:
            trade = rng.choice(SHOP_TRADES)
            name = f"{TRADES[trade][0]} {rng.choice((short, short, fortune))}"
            channels.append(registry.ChannelData(kind))
        elif kind == K.PLATFORM_SELLER:
            trade = rng.choice(ONLINE_TRADES)
            name = f"{TRADES[trade][1].capitalize()} {short} {rng.choice(('Store', 'Official', 'Shop'))}"
        elif kind == K.WEBSITE:
            trade = rng.choice(ONLINE_TRADES)
            company = rng.random() < 0.6
            name = f"Công ty TNHH Thương mại điện tử {fortune}" if company else f"{TRADES[trade][0]} {short}"
            site = self.handle(f"{TRADES[trade][1]} {fortune if company else short}")
            channels.append(registry.ChannelData(kind, link=f"https://{site}{rng.choice(('.vn', '.com.vn', '.com'))}"))
        elif kind == K.COURIER:
            trade = None
            name = rng.choice((f"Bưu cục chuyển phát nhanh {fortune}", f"Điểm giao nhận hàng {fortune} Express",
                               f"Dịch vụ vận chuyển {fortune}"))
            channels.append(registry.ChannelData(kind))
            company = rng.random() < 0.5
        elif kind == K.WAREHOUSE:
            trade = rng.choice(("grocery", "fashion", "electrics", "farm", "drinks"))
            company = True
            name = f"Công ty TNHH Kho vận {fortune}"
            channels.append(registry.ChannelData(kind, place_name=rng.choice(spec.wholesale) if spec.wholesale
                                                 and rng.random() < 0.5 else None))
        elif kind == K.WHOLESALE:
            trade = rng.choice(("grocery", "food", "fashion", "drinks", "farm", "cosmetics"))
            company = rng.random() < 0.5
            name = f"{'Công ty TNHH' if company else 'Đại lý'} bán buôn {TRADES[trade][1]} {fortune}"
            place = rng.choice(spec.wholesale) if spec.wholesale else None
            channels.append(registry.ChannelData(kind, place_name=place))
            if place:
                address = f"Lô {rng.choice('ABCDE')}{rng.randint(1, 60)}, {place}"
        elif kind == K.SUPERMARKET:
            trade = rng.choice(("cosmetics", "fashion", "watches", "phones", "milk", "sports"))
            mall = rng.choice(spec.malls)
            name = f"Quầy {TRADES[trade][1]} {short} - {mall}"
            stall = f"{rng.choice(('L1', 'L2', 'L3', 'G'))}-{rng.randint(1, 80):02d}"
            channels.append(registry.ChannelData(kind, place_name=mall, stall=stall))
            address = f"Gian hàng {stall}, {mall}"
        elif kind == K.TOURIST_STREET:
            trade = rng.choice(("food", "herbs", "fashion", "drinks"))
            place = rng.choice(spec.tourist)
            name = rng.choice((f"Cửa hàng đặc sản {short}", f"Quầy lưu niệm {fortune}", f"{TRADES[trade][0]} {short}"))
            channels.append(registry.ChannelData(kind, place_name=place))
        elif kind == K.CRAFT_VILLAGE:
            village, craft, village_goods, hamlet = rng.choice(spec.villages)
            trade = None
            name = f"Cơ sở {craft} {short}"
            channels.append(registry.ChannelData(kind, place_name=village))
            address = f"Số {rng.randint(1, 120)}, {hamlet}"
        else:  # importer
            trade = rng.choice(("food", "electrics", "fashion", "farm", "phones"))
            company = True
            name = f"Công ty TNHH Xuất nhập khẩu {fortune} {ward.name.split(' ', 1)[1]}"
            channels.append(registry.ChannelData(kind))
            if rng.random() < 0.5:
                channels.append(registry.ChannelData(K.WAREHOUSE))
        goods = list(TRADES[trade][2]) if trade else list(village_goods) if kind == K.CRAFT_VILLAGE else []
        if len(goods) > 2:
            goods = rng.sample(goods, rng.randint(2, len(goods)))
        if kind == K.PLATFORM_SELLER or (kind in (K.SHOP, K.MARKET_STALL) and rng.random() < 0.2):
            platform, pattern = rng.choice(PLATFORMS)
            channels.append(registry.ChannelData(K.PLATFORM_SELLER, place_name=platform,
                                                 link=pattern.format(self.handle(f"{TRADES[trade][1]} {short}"))))
        if kind == K.WHOLESALE and rng.random() < 0.3:
            channels.append(registry.ChannelData(K.WAREHOUSE))
        if kind == K.SHOP and rng.random() < 0.03:
            channels.append(registry.ChannelData(K.COURIER))
        tax_code = household = None
        roll = rng.random()
        if company or roll < 0.35:
            tax_code = self.tax_code(area.province)
            if company and rng.random() < 0.1:
                tax_code += f"{rng.randint(1, 9):03d}"  # a branch
        elif roll < 0.85:
            household = f"{TAX_PREFIX[area.province]}{rng.choice('ABCDE')}8{rng.randint(0, 999999):06d}"
        phone = self.phone() if rng.random() < 0.9 else None
        opened_on = self.opened_on()
        history, ceased_on = self.history(opened_on)
        data = registry.BusinessData(
            name=name, address=address or self.street_address(ward, spec), ward_code=ward.code, owner_name=owner,
            tax_code=tax_code, household_reg_no=household, phone=phone, goods=goods, channels=channels,
            opened_on=opened_on)
        return Planned(area, ward, data, markets, history, ceased_on)

    def plan(self, wards: dict[str, Ward]) -> list[Planned]:
        planned = []
        for area in AREAS:
            for spec in area.wards:
                ward = wards[spec.name]
                allowed = self.kinds(spec)
                weights = [KIND_WEIGHTS[k] for k in allowed]
                for index in range(spec.count):
                    # every kind the ward has appears at least once, then as often as it is common
                    kind = allowed[index] if index < len(allowed) else self.rng.choices(allowed, weights)[0]
                    planned.append(self.business(area, ward, spec, kind))
        return planned


# --- loading ------------------------------------------------------------------------------------

#: The demo users who act in the areas (portal/demo.py USERS).
ACTORS = frozenset(n for area in AREAS for n in (area.actor, area.batch_actor, *area.officers, *area.receivers))


def _users() -> dict[str, User]:
    return {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(ACTORS), User.active))}


def _wards() -> dict[str, Ward]:
    wards = {}
    for area in AREAS:
        for spec in area.wards:
            wards[spec.name] = db.session.scalar(select(Ward).where(Ward.province_code == area.province,
                                                                    Ward.name == spec.name))
    return wards


def _loaded(planned: list[Planned]) -> bool:
    """The demo businesses are there when any of the first ones is."""
    for item in planned[:10]:
        if db.session.scalar(select(Business.id).where(Business.ward_code == item.ward.code,
                                                       Business.name_folded == fold(item.data.name),
                                                       Business.address_folded == fold(item.data.address))):
            return True
    return False


def load_registry() -> Counts | None:
    """Record the demo businesses, their outreach and commitments; None when already there."""
    users, wards = _users(), _wards()
    if set(users) != ACTORS or not all(wards.values()):
        return None  # not the demo's users or areas
    today = registry.today()
    generator = Generator(today)
    planned = generator.plan(wards)
    if _loaded(planned):
        click.echo("Demo registry: already loaded.")
        return None
    counts = Counts()
    for item in planned:
        actor = users[item.area.actor]
        item.business = registry.create(actor, item.data, not_a_duplicate=True)
        for status, on in item.history:
            registry.record_status(actor, item.business, status, on, None)
        counts.businesses += 1
        counts.wards.add(item.ward.code)
    for area in AREAS:
        Outreach(generator.rng, today, area, users, [p for p in planned if p.area is area], counts).run()
        _agreements(generator.rng, today, area, users, wards, counts)
    db.session.flush()
    click.echo(f"Demo registry: {counts.businesses} businesses in {len(counts.wards)} wards, {counts.sessions} "
               f"outreach sessions, {counts.commitments} commitments, {counts.agreements} coordination agreements.")
    return counts


class Outreach:
    """A year and a half of an area's outreach: ward conferences, market meetings where stalls
    sign on the spot, inspections, leaflets, loudspeakers and posts; then follow-up signings."""

    def __init__(self, rng: random.Random, today: date, area: AreaSpec, users: dict[str, User],
                 planned: list[Planned], counts: Counts):
        self.rng, self.today, self.area, self.users = rng, today, area, users
        self.planned, self.counts = planned, counts
        self.actor, self.batch_actor = users[area.actor], users[area.batch_actor]
        self.officers = [users[n] for n in area.officers]
        self.plans = {actor.id: [(local_day(p.starts_at), local_day(p.ends_at), p.id) for p in outreach.plans(actor)
                                 if p.unit.province_code == area.province]
                      for actor in (self.actor, self.batch_actor)}

    def plan_on(self, actor: User, on: date) -> int | None:
        """The area's plan in force that day, if the actor can see one."""
        return next((plan_id for starts, ends, plan_id in self.plans[actor.id]
                     if starts <= on <= ends), None)

    def trading(self, on: date, ward: Ward | None = None) -> list[Planned]:
        return [p for p in self.planned if p.trading(on) and (ward is None or p.ward.code == ward.code)]

    def day(self, first: date, spread: int) -> date | None:
        on = first + timedelta(days=self.rng.randint(0, spread))
        return on if on <= self.today else None

    def session(self, on: date, method: OutreachMethod, people: int, place: str, ward: Ward,
                reached: list[Planned], note: str | None = None) -> None:
        officers = self.rng.sample(self.officers, self.rng.randint(1, len(self.officers)))
        outreach.record_session(self.actor, outreach.SessionData(
            held_on=on, method=method, people_reached=people, plan_id=self.plan_on(self.actor, on), place=place,
            ward_code=ward.code, note=note, officer_ids=[u.id for u in officers],
            business_ids=[p.business.id for p in reached]))
        self.counts.sessions += 1
        for item in reached:
            item.reached_on = item.reached_on or on

    def market_meeting(self, on: date, market: str, ward: Ward) -> None:
        """The stalls of a market met at the market; most of those not yet signed sign there."""
        stalls = [p for p in self.trading(on, ward) if market in p.markets][:outreach.MAX_BATCH_ROWS]
        if not stalls:
            return
        rows = []
        for item in stalls:
            signs = item.signed_on is None and self.rng.random() < self.area.signed_share * 0.8
            rows.append(outreach.BatchRow(business_id=item.business.id, signed=signs,
                                          signatory=item.data.owner_name if signs else None))
        outreach.record_batch(self.batch_actor, outreach.SessionData(
            held_on=on, method=OutreachMethod.CONFERENCE, people_reached=len(stalls) + self.rng.randint(0, 10),
            plan_id=self.plan_on(self.batch_actor, on), place=market, ward_code=ward.code,
            note="Hội nghị tuyên truyền, ký cam kết với tiểu thương tại chợ", officer_ids=[self.batch_actor.id]),
            rows)
        self.counts.sessions += 1
        for item, row in zip(stalls, rows, strict=True):
            item.reached_on = item.reached_on or on
            if row.signed:
                item.signed_on = on
                self.counts.commitments += 1

    def run(self) -> None:
        first = self.today - timedelta(days=HISTORY_DAYS)
        wards = {p.ward.name: p.ward for p in self.planned}
        markets = [(market, wards[spec.name]) for spec in self.area.wards for market in spec.markets]
        for month in range(HISTORY_DAYS // 30 + 1):
            self.month(first + timedelta(days=30 * month), month, markets)
        self.follow_up()

    def month(self, begins: date, month: int, markets: list[tuple[str, Ward]]) -> None:
        rng = self.rng
        # the wards with the most businesses not yet reached invite them to a conference or a
        # meeting of a residential group
        on = self.day(begins + timedelta(days=10), 18)
        if on:
            waiting: dict[int, list[Planned]] = {}
            for item in self.trading(on):
                if item.reached_on is None:
                    waiting.setdefault(item.ward.code, []).append(item)
            for new in sorted(waiting.values(), key=len, reverse=True)[:2]:
                if len(new) < 3 and month % 3:
                    continue
                ward = new[0].ward
                method = rng.choice((OutreachMethod.CONFERENCE, OutreachMethod.RESIDENTIAL_MEETING))
                place = (self.area.hall if method == OutreachMethod.CONFERENCE
                         else f"Nhà văn hóa tổ dân phố số {rng.randint(1, 9)}, {ward.name.lower()}")
                self.session(on, method, min(len(new), 40) + rng.randint(5, 40), place, ward, new[:40],
                             "Phổ biến pháp luật về chống buôn lậu, gian lận thương mại và hàng giả")
        # one market meeting a month, the markets in turn
        market, ward = markets[month % len(markets)]
        on = self.day(begins, 27)
        if on:
            self.market_meeting(on, market, ward)
        # an inspection reaches a few businesses directly
        on = self.day(begins, 29)
        trading = self.trading(on) if on else []
        if trading:
            reached = rng.sample(trading, min(len(trading), rng.randint(1, 3)))
            self.session(on, OutreachMethod.DURING_INSPECTION, len(reached), reached[0].data.address,
                         reached[0].ward, reached, "Tuyên truyền trực tiếp khi kiểm tra")
        # every other month, leaflets, the loudspeakers or the unit's page reach the public
        on = self.day(begins, 29) if month % 2 == 0 else None
        if on:
            spec = rng.choice(self.area.wards)
            ward = next(p.ward for p in self.planned if p.ward.name == spec.name)
            method = rng.choice((OutreachMethod.LEAFLET, OutreachMethod.LOUDSPEAKER, OutreachMethod.SOCIAL_MEDIA))
            if method == OutreachMethod.LEAFLET:
                trading = self.trading(on, ward)
                reached = rng.sample(trading, min(len(trading), rng.randint(8, 20)))
                self.session(on, method, rng.randint(100, 400), rng.choice(spec.markets), ward, reached,
                             "Phát tờ rơi hướng dẫn phân biệt hàng thật, hàng giả")
            elif method == OutreachMethod.LOUDSPEAKER:
                self.session(on, method, rng.randint(500, 3000), f"Đài truyền thanh {ward.name.lower()}", ward, [])
            else:
                self.session(on, method, rng.randint(1000, 8000), self.area.media, ward, [])

    def follow_up(self) -> None:
        """Businesses reached but not yet signed sign later at the unit, some soon, some only after
        reminders, until each ward has the area's share of its trading businesses signed."""
        receivers = [self.users[n] for n in self.area.receivers]
        for spec in self.area.wards:
            ward_items = [p for p in self.planned if p.ward.name == spec.name and p.trading(self.today)]
            wanted = round(self.area.signed_share * len(ward_items))
            signed = sum(1 for p in ward_items if p.signed_on)
            waiting = [p for p in self.planned if p.ward.name == spec.name and p.reached_on and not p.signed_on]
            self.rng.shuffle(waiting)
            for item in waiting:
                if signed >= wanted:
                    break
                later = self.rng.randint(0, 20) if self.rng.random() < 0.6 else self.rng.randint(20, 300)
                on = min(item.reached_on + timedelta(days=later), self.today - timedelta(days=self.rng.randint(0, 6)))
                if on < item.reached_on or (item.ceased_on and on >= item.ceased_on):
                    continue
                outreach.record_commitment(self.actor, outreach.CommitmentData(
                    business_id=item.business.id, signed_on=on, signatory=item.data.owner_name,
                    received_by_id=self.rng.choice(receivers).id, plan_id=self.plan_on(self.actor, on)))
                item.signed_on = on
                signed += item.trading(self.today)
                self.counts.commitments += 1


def _agreements(rng: random.Random, today: date, area: AreaSpec, users: dict[str, User], wards: dict[str, Ward],
                counts: Counts) -> None:
    actor = users[area.batch_actor]
    receiver = users[area.receivers[0]]
    for index, (kind, name, ward_name, signatory) in enumerate(area.boards):
        # the first within the quarter (a quota counts it), the others earlier
        ago = rng.randint(5, 40) if index == 0 else rng.randint(60, HISTORY_DAYS - 30)
        outreach.record_agreement(actor, outreach.AgreementData(
            counterpart=kind, counterpart_name=name, ward_code=wards[ward_name].code,
            signed_on=today - timedelta(days=ago), signatory=signatory, received_by_id=receiver.id,
            note="Quy chế phối hợp trong công tác chống buôn lậu, gian lận thương mại và hàng giả"))
        counts.agreements += 1
