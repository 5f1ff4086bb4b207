"""Importing the business registry from a spreadsheet, and the columns of its export.

An import is all or nothing: ``preview`` says what each row would do (create, update, leave
unchanged, or refused with the row, the column and the reason), and ``apply`` does it only
when no row is refused, through registry.create and registry.update so that the rules of the
form apply. A row is the same business as a recorded one when it has the same tax code, the
same shop link, or the same name and address in the same ward (as registry.duplicates); run
twice, the same file therefore changes nothing the second time. An empty cell leaves what is
recorded as it is.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.labels import BUSINESS_STATUS_LABELS, CHANNEL_LABELS
from portal.models import (
    Business,
    BusinessChannel,
    BusinessStatus,
    BusinessStatusChange,
    ChannelKind,
    GoodsCategory,
    User,
    Ward,
)
from portal.services import audit, registry, scope, spreadsheets
from portal.services.errors import ValidationFailed
from portal.services.files import FileRefused
from portal.text import fold, normalise_link

CREATE, UPDATE, UNCHANGED, REFUSED = "create", "update", "unchanged", "refused"
PHONE = re.compile(r"^0[0-9]{9,10}$")
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S")
LENGTHS = {"name": 200, "owner_name": 120, "household_reg_no": 40, "address": 300, "place": 200, "stall": 40,
           "link": 500}
CHUNK = 500


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # the header the export and the template write, in the user's language
    aliases: tuple[str, ...] = ()  # other headers accepted, Vietnamese or English
    imported: bool = True


COLUMNS = (
    Column("name", _l("Name of the business"), ("Tên cơ sở", "Tên", "Tên hộ kinh doanh", "Name", "Business name")),
    Column("owner_name", _l("Owner or representative"), ("Chủ cơ sở", "Chủ hộ", "Người đại diện", "Owner")),
    Column("tax_code", _l("Tax code"), ("Mã số thuế", "MST")),
    Column("household_reg_no", _l("Household business registration number"),
           ("Số GCN hộ kinh doanh", "Số GCN", "Số GCN ĐKHKD", "Household registration")),
    Column("address", _l("Address"), ("Địa chỉ",)),
    Column("ward", _l("Ward or commune"), ("Phường/xã", "Xã/phường", "Phường", "Xã", "Ward", "Commune")),
    Column("ward_code", _l("Ward code"), ("Mã phường/xã", "Mã xã/phường", "Mã đơn vị hành chính")),
    Column("channel", _l("Channel"), ("Loại hình", "Loại hình kinh doanh", "Hình thức kinh doanh")),
    Column("place", _l("Market, mall, village or platform"), ("Chợ/TTTM/Sàn", "Chợ, TTTM, sàn", "Place")),
    Column("stall", _l("Stall"), ("Ki-ốt", "Kiốt", "Ki ốt", "Quầy", "Sạp", "Số quầy/sạp")),
    Column("link", _l("Shop link or website"), ("Đường dẫn", "Website", "Link")),
    Column("goods", _l("Goods it trades"), ("Mặt hàng", "Mặt hàng kinh doanh", "Goods")),
    Column("phone", _l("Phone"), ("Điện thoại", "Số điện thoại", "SĐT")),
    Column("opened_on", _l("First recorded (opened) on"), ("Ngày thành lập", "Ngày bắt đầu kinh doanh", "Opened on")),
    Column("status", _l("Status"), ("Trạng thái",), imported=False),
)
BY_KEY = {c.key: c for c in COLUMNS}
EXPORTED = tuple(c.key for c in COLUMNS)
#: What a row must say; the ward may be given by its name or by its code.
REQUIRED = ("name", "address", "ward", "channel")
COMPARED = ("name", "owner_name", "tax_code", "household_reg_no", "address", "ward_code", "phone")
#: A refusal of registry._check, by the key it names, goes next to this column.
CHECK_COLUMNS = {"ward_code": "ward", "tax_code": "tax_code", "channels": "channel", "opened_on": "opened_on"}
#: Channel names seen in ward spreadsheets, beside the portal's own labels.
CHANNEL_ALIASES = {
    "Cửa hàng": ChannelKind.SHOP, "Tạp hóa": ChannelKind.SHOP, "Sạp chợ": ChannelKind.MARKET_STALL,
    "Ki-ốt chợ": ChannelKind.MARKET_STALL, "Quầy chợ": ChannelKind.MARKET_STALL, "Siêu thị": ChannelKind.SUPERMARKET,
    "Trung tâm thương mại": ChannelKind.SUPERMARKET, "Bán buôn": ChannelKind.WHOLESALE, "Kho": ChannelKind.WAREHOUSE,
    "Làng nghề": ChannelKind.CRAFT_VILLAGE, "Phố du lịch": ChannelKind.TOURIST_STREET,
    "Nhập khẩu": ChannelKind.IMPORTER, "Website": ChannelKind.WEBSITE, "Sàn TMĐT": ChannelKind.PLATFORM_SELLER,
    "Sàn thương mại điện tử": ChannelKind.PLATFORM_SELLER, "Chuyển phát": ChannelKind.COURIER,
    "Bưu chính": ChannelKind.COURIER,
}


@dataclass
class Problem:
    row: int
    key: str | None  # the column (a key of BY_KEY), or None for the whole row
    message: object

    @property
    def column(self):
        return BY_KEY[self.key].label if self.key else None


@dataclass
class RowResult:
    row: int
    name: str
    action: str = CREATE
    business: Business | None = None
    data: registry.BusinessData | None = None
    changes: list = field(default_factory=list)  # labels of the columns that change
    problems: list[Problem] = field(default_factory=list)
    given: dict = field(default_factory=dict, repr=False)  # the values of the non-empty cells

    def refuse(self, column: str | None, message) -> None:
        self.problems.append(Problem(self.row, column, message))


@dataclass
class ImportResult:
    filename: str
    rows: list[RowResult]
    ignored: list[str] = field(default_factory=list)  # headers of the columns not imported
    #: The wards the rows name, held so that the session keeps them (it holds loaded objects
    #: only while something refers to them) and checking each row asks the database nothing.
    wards: list[Ward] = field(default_factory=list, repr=False)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def refused(self) -> list[RowResult]:
        return [r for r in self.rows if r.action == REFUSED]

    @property
    def ok(self) -> bool:
        return not self.refused

    @property
    def to_change(self) -> int:
        return self.count(CREATE) + self.count(UPDATE)

    @property
    def fingerprint(self) -> str:
        """What the import would do, in short: the same while nobody changes the registry."""
        plan = [(r.row, r.action, r.business.id if r.business else None, r.business.version if r.business else None)
                for r in self.rows]
        return hashlib.sha256(repr(plan).encode()).hexdigest()[:32]


class ImportRefused(Exception):
    """At least one row is refused, so nothing is imported; ``result`` says which and why."""

    def __init__(self, result: ImportResult):
        super().__init__(result)
        self.result = result


class PreviewOutdated(ImportRefused):
    """The registry changed since the preview the user confirmed: nothing is imported, and
    ``result`` is the new preview to confirm instead."""


# --- the two steps -----------------------------------------------------------------------

def preview(actor: User, data: bytes, filename: str = "") -> ImportResult:
    """What importing the file would do, row by row; nothing is saved. Raises FileRefused
    when the file as a whole cannot be read (not a spreadsheet, too large, wrong columns)."""
    scope.ensure_role(actor, *registry.KEEPERS)
    table = spreadsheets.read(data, filename)
    header, index, ignored = _header(table)
    body = [r for r in table.rows if r.number > header.number]
    if not body:
        raise FileRefused(_l("The file has no rows below the row of column names."))
    width = len(header.cells)
    parser = _Parser(actor)
    rows = [parser.parse(r, index, extra=table.kind == "csv" and any(r.cells[width:])) for r in body]
    _match(actor, rows)
    for row in rows:
        if not row.problems:
            _check(actor, row)
        if row.problems:
            row.action = REFUSED
    return ImportResult(filename, rows, ignored, wards=[w for found in parser.wards.values() for w in found])


def apply(actor: User, data: bytes, filename: str = "", *, expected: str | None = None) -> ImportResult:
    """Import the file in the caller's transaction, or raise ImportRefused (nothing is kept:
    the caller rolls back) if any row is refused. With ``expected``, the fingerprint of the
    preview the user saw, raise PreviewOutdated if the import would now do something else."""
    result = preview(actor, data, filename)
    if not result.ok:
        raise ImportRefused(result)
    if expected is not None and result.fingerprint != expected:
        raise PreviewOutdated(result)
    goods = {g.code: g for g in db.session.scalars(select(GoodsCategory))}  # once, not once a row
    _create_all(actor, result, goods)
    for row in result.rows:
        if row.action == UPDATE:
            try:
                registry.update(actor, row.business, row.data, version=row.business.version, goods=goods)
            except ValidationFailed as refused:
                _refuse_late(result, row, refused)
    audit.record("business.imported", actor=actor, unit_id=actor.unit_id,
                 after={"file": filename, "created": result.count(CREATE), "updated": result.count(UPDATE),
                        "unchanged": result.count(UNCHANGED)})
    return result


def _create_all(actor: User, result: ImportResult, goods: dict[str, GoodsCategory]) -> None:
    """registry.create for every new row, with one flush for them all rather than one each
    (10,000 rows in seconds, not minutes): the same checks, fields, first status and audit
    entries. tests/services/test_registry_import.py compares the two record by record."""
    scope.ensure_role(actor, *registry.KEEPERS)
    rows = [row for row in result.rows if row.action == CREATE]
    with db.session.no_autoflush:
        for row in rows:
            try:
                ward = registry._check(actor, row.data)
            except ValidationFailed as refused:
                _refuse_late(result, row, refused)
            opened_on = row.data.opened_on or registry.today()
            business = Business(created_by_id=actor.id, status=BusinessStatus.NEW, recorded_on=opened_on)
            registry._apply(business, row.data, ward, goods)
            business.history = [BusinessStatusChange(status=BusinessStatus.NEW, on=opened_on,
                                                     recorded_by_id=actor.id)]
            db.session.add(business)
            row.business = business
    db.session.flush()
    for row in rows:
        audit.record("business.created", actor=actor, obj=row.business, unit_id=actor.unit_id,
                     after=audit.snapshot(row.business, registry.AUDITED))


def _refuse_late(result: ImportResult, row: RowResult, refused: ValidationFailed) -> None:
    """A rule the preview did not see refused a row while importing: the whole import goes."""
    _refusals(row, refused.errors)
    row.action = REFUSED
    raise ImportRefused(result) from None


# --- columns ---------------------------------------------------------------------------

def _names(label) -> set[str]:
    """A label as the user may have it: in Vietnamese and in English."""
    names = set()
    for locale in ("vi", "en"):
        with force_locale(locale):
            names.add(str(label))
    return names


def _header(table: spreadsheets.Table) -> tuple[spreadsheets.Row, dict[str, int], list[str]]:
    """The row that names the columns (a title may stand above it), which column holds what,
    and the headers that are not imported."""
    known = {fold(name): c.key for c in COLUMNS for name in (*_names(c.label), *c.aliases)}
    best: tuple[spreadsheets.Row, dict[str, int], list[str]] | None = None
    twice: tuple[str, int, int] | None = None
    for row in table.rows[:10]:
        index: dict[str, int] = {}
        ignored: list[str] = []
        repeated = None
        for position, text in enumerate(row.cells):
            key = known.get(fold(text))
            if key is None or not BY_KEY[key].imported:
                if text:
                    ignored.append(text)
            elif key in index:
                repeated = repeated or (text, index[key], position)
            else:
                index[key] = position
        if best is None or len(index) > len(best[1]):
            best, twice = (row, index, ignored), repeated
    if best is None or not best[1]:
        raise FileRefused(_l("No column names were found. The first row must name the columns: download the "
                             "template to see them."))
    if twice:
        raise FileRefused(_l("Two columns are named %(name)s (columns %(first)s and %(second)s).", name=twice[0],
                             first=get_column_letter(twice[1] + 1), second=get_column_letter(twice[2] + 1)))
    have = set(best[1]) | ({"ward"} if "ward_code" in best[1] else set())
    missing = [str(BY_KEY[key].label) for key in REQUIRED if key not in have]
    if missing:
        raise FileRefused(_l("These columns are missing: %(columns)s. Download the template to see the column "
                             "names.", columns=", ".join(missing)))
    return best


# --- one row ---------------------------------------------------------------------------

def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


class _Parser:
    """Turns the text of a row into BusinessData, knowing the wards, channels and goods."""

    def __init__(self, actor: User):
        self.actor = actor
        province = actor.unit.province_code
        wards = db.session.scalars(select(Ward).where(Ward.province_code == province) if province else select(Ward))
        self.wards: dict[str, list[Ward]] = {}
        for ward in wards:
            for key in {fold(ward.name), fold(ward.name).removeprefix(fold(ward.division_type) + " ")}:
                self.wards.setdefault(key, []).append(ward)
        self.channels = {fold(name): ChannelKind(value) for value, label in CHANNEL_LABELS.items()
                         for name in (*_names(label), value)}
        self.channels.update({fold(name): kind for name, kind in CHANNEL_ALIASES.items()})
        self.goods: dict[str, str] = {}
        for goods in db.session.scalars(select(GoodsCategory)):
            for name in (goods.code, goods.name_vi, goods.name_en, goods.name_vi.split("(")[0]):
                self.goods.setdefault(fold(name), goods.code)

    def parse(self, source: spreadsheets.Row, index: dict[str, int], *, extra: bool) -> RowResult:
        cells = {key: re.sub(r"\s*[\r\n]+\s*", " ", source.cell(position)).strip()
                 for key, position in index.items()}
        row = RowResult(source.number, cells.get("name", ""))
        given = row.given
        if extra:
            row.refuse(None, _l("This row has more cells than the row of column names. A value that contains "
                                "a comma or a semicolon must be in quotation marks."))
        for key in ("name", "address"):
            if not cells.get(key):
                row.refuse(key, _l("This field is required."))
        for key in ("name", "owner_name", "household_reg_no", "address"):
            if cells.get(key):
                given[key] = self._text(row, key, cells[key])
        if cells.get("tax_code"):
            tax_code = registry.normalise_tax_code(cells["tax_code"])
            given["tax_code"] = "0" + tax_code if _digits(tax_code) and len(tax_code) in (9, 12) else tax_code
            if not (_digits(given["tax_code"]) and len(given["tax_code"]) in (10, 13)):
                row.refuse("tax_code", _l("A tax code has 10 digits, or 13 for a branch (e.g. 0101234567-001)."))
        if cells.get("phone"):
            given["phone"] = self._phone(row, cells["phone"])
        ward = self._ward(row, cells.get("ward", ""), cells.get("ward_code", ""))
        if ward is not None:
            given["ward_code"] = ward.code
        channels = self._channels(row, cells)
        if channels is not None:
            given["channels"] = channels
        if cells.get("goods"):
            given["goods"] = self._goods(row, cells["goods"])
        if cells.get("opened_on"):
            given["opened_on"] = self._date(row, cells["opened_on"])
        return row

    def _text(self, row: RowResult, key: str, value: str) -> str:
        if len(value) > LENGTHS[key]:
            row.refuse(key, _l("Use at most %(num)d characters.", num=LENGTHS[key]))
        return value

    def _phone(self, row: RowResult, value: str) -> str:
        phone = re.sub(r"[\s.\-()]", "", value)
        if phone.startswith("+84"):
            phone = "0" + phone[3:]
        elif phone.startswith("84") and len(phone) in (11, 12):
            phone = "0" + phone[2:]
        elif _digits(phone) and len(phone) in (9, 10) and not phone.startswith("0"):
            phone = "0" + phone  # a spreadsheet dropped the leading zero of a number
        if not PHONE.match(phone):
            row.refuse("phone", _l("Enter a Vietnamese phone number: 10 or 11 digits starting with 0."))
        return phone

    def _ward(self, row: RowResult, name: str, code: str) -> Ward | None:
        ward = None
        if code or _digits(name):
            number = code or name
            ward = db.session.get(Ward, int(number)) if _digits(number) and len(number) < 10 else None
            if ward is None:
                row.refuse("ward_code" if code else "ward",
                           _l("No ward or commune has the code %(code)s.", code=number))
                return None
            if code and name and not _digits(name) and ward not in self.wards.get(fold(name), [ward]):
                row.refuse("ward", _l("The ward code %(code)s is %(name)s, not this ward.", code=code, name=ward.name))
                return None
        elif not name:
            row.refuse("ward", _l("This field is required."))
            return None
        else:
            key = fold(name)
            found = self.wards.get(key) or self.wards.get(re.sub(r"^(p|x|tt)\s+", "", key), [])
            if len(found) > 1:
                row.refuse("ward", _l("Several wards or communes are called %(name)s: write the full name "
                                      "(e.g. Phường %(name)s) or give the ward code.", name=name))
                return None
            if not found:
                row.refuse("ward", _l("No ward or commune called %(name)s was found in the official list.",
                                      name=name))
                return None
            ward = found[0]
        if not scope.covers_area(self.actor, ward.code, ward.province_code):
            row.refuse("ward", _l("%(ward)s is outside your area: you may import only businesses of your area.",
                                  ward=ward.name))
            return None
        return ward

    def _channels(self, row: RowResult, cells: dict[str, str]) -> list[registry.ChannelData] | None:
        kinds_text = [p.strip() for p in cells.get("channel", "").split(";") if p.strip()]
        parts = {key: [p.strip() for p in cells.get(key, "").split(";")] if cells.get(key) else []
                 for key in ("place", "stall", "link")}
        if not kinds_text:
            if any(parts.values()):
                row.refuse("channel", _l("Give the channel of this place, stall or link."))
            return None
        kinds = []
        for text in kinds_text:
            kind = self.channels.get(fold(text))
            if kind is None:
                row.refuse("channel", _l("%(value)s is not a channel. Use one of: %(choices)s.", value=text,
                                         choices="; ".join(str(label) for label in CHANNEL_LABELS.values())))
            kinds.append(kind)
        for key, values in parts.items():
            if len(values) > len(kinds):
                row.refuse(key, _l("There are more values here than channels. Separate them with a semicolon (;), "
                                   "in the same order as the channels."))
            for value in values:
                self._text(row, key, value)
        channels = []
        for position, kind in enumerate(kinds):
            place, stall, link = (parts[key][position] if position < len(parts[key]) else "" for key in parts)
            channels.append(registry.ChannelData(kind=kind, place_name=place or None, stall=stall or None,
                                                 link=link or None))
        return channels

    def _goods(self, row: RowResult, value: str) -> list[str]:
        codes, unknown = [], []
        for chunk in (c.strip() for c in value.split(";")):
            if not chunk:
                continue
            pieces = [chunk] if fold(chunk) in self.goods else re.split(r",(?![^()]*\))", chunk)
            for piece in (p.strip() for p in pieces):
                code = self.goods.get(fold(piece))
                if code and code not in codes:
                    codes.append(code)
                elif piece and not code:
                    unknown.append(piece)
        if unknown:
            row.refuse("goods", _l("Unknown goods: %(names)s. Use the names in the list of goods of the template.",
                                   names="; ".join(unknown)))
        return codes

    def _date(self, row: RowResult, value: str) -> date | None:
        for pattern in DATE_FORMATS:
            try:
                return datetime.strptime(value, pattern).date()
            except ValueError:
                continue
        row.refuse("opened_on", _l("Write the date as day/month/year, e.g. 19/03/2024."))
        return None


# --- matching and checking ----------------------------------------------------------------

def _keys(row: RowResult) -> list[tuple[str, str, object]]:
    """What makes a row the same business as another: (column, reason, value)."""
    given = row.given
    keys = []
    if given.get("tax_code"):
        keys.append(("tax_code", "tax_code", given["tax_code"]))
    for channel in given.get("channels", []):
        if normalise_link(channel.link):
            keys.append(("link", "link", normalise_link(channel.link)))
    if given.get("ward_code") and given.get("name") and given.get("address"):
        keys.append(("name", "name_address", (given["ward_code"], fold(given["name"]), fold(given["address"]))))
    return keys


def _chunks(values: Iterable) -> Iterator[list]:
    values = iter(values)
    while chunk := list(islice(values, CHUNK)):
        yield chunk


def _recorded(rows: list[RowResult]) -> dict[tuple[str, object], list[Business]]:
    """The recorded businesses that rows may be, found in a few queries for the whole file."""
    wanted: dict[str, set] = {"tax_code": set(), "link": set(), "name_address": set()}
    for row in rows:
        for _column, reason, value in _keys(row):
            wanted[reason].add(value)
    base = select(Business).where(Business.merged_into_id.is_(None)).options(
        selectinload(Business.channels), selectinload(Business.goods))
    found: dict[int, Business] = {}
    for chunk in _chunks(wanted["tax_code"]):
        found.update((b.id, b) for b in db.session.scalars(base.where(Business.tax_code.in_(chunk))))
    for chunk in _chunks(wanted["link"]):  # the channels by their link (an index), then their businesses
        found.update((b.id, b) for b in db.session.scalars(base.where(Business.id.in_(
            select(BusinessChannel.business_id).where(BusinessChannel.link_normalised.in_(chunk))))))
    wards = {ward for ward, _name, _address in wanted["name_address"]}
    for chunk in _chunks({name for _ward, name, _address in wanted["name_address"]}):
        found.update((b.id, b) for b in db.session.scalars(
            base.where(Business.name_folded.in_(chunk), Business.ward_code.in_(wards))))
    index: dict[tuple[str, object], list[Business]] = {}
    for business in found.values():
        keys = [("tax_code", business.tax_code), ("name_address", (business.ward_code, business.name_folded,
                                                                    business.address_folded))]
        keys += [("link", c.link_normalised) for c in business.channels if c.link_normalised]
        for key in keys:
            index.setdefault(key, []).append(business)
    return index


def _match(actor: User, rows: list[RowResult]) -> None:
    """Find the recorded business of each row, and refuse a row that repeats an earlier one."""
    recorded = _recorded(rows)
    seen: dict[tuple, int] = {}
    for row in rows:
        keys = _keys(row)
        matched: dict[int, Business] = {}
        for column, reason, value in keys:
            for business in recorded.get((reason, value), []):
                if scope.covers_area(actor, business.ward_code, business.province_code):
                    matched[business.id] = business
                else:
                    row.refuse(column, _l("A business recorded outside your area has the same value: ask the "
                                          "unit that keeps it."))
        if len(matched) > 1:
            row.refuse(None, _l("This row matches %(num)d recorded businesses (%(names)s): merge them first, then "
                                "import again.", num=len(matched), names="; ".join(b.name for b in matched.values())))
        elif matched:
            row.business = next(iter(matched.values()))
        own = [(column, (reason, value)) for column, reason, value in keys]
        if row.business is not None:
            own.append(("name", ("business", row.business.id)))
        for column, key in own:
            if key in seen:
                row.refuse(column, _l("This business is already in row %(row)d.", row=seen[key]))
                break
        for _column, key in own:
            seen.setdefault(key, row.row)


def _channels_of(business: Business) -> list[registry.ChannelData]:
    return [registry.ChannelData(c.kind, c.place_name, c.stall, c.link) for c in business.channels]


def _channel_set(channels: list[registry.ChannelData]) -> list[tuple]:
    return sorted((c.kind.value, c.place_name or "", c.stall or "", c.link or "") for c in channels)


def _check(actor: User, row: RowResult) -> None:
    """Decide create, update or unchanged, and check the result with the registry's rules."""
    given, business = row.given, row.business
    if business is None:
        row.data = registry.BusinessData(
            name=given["name"], address=given["address"], ward_code=given["ward_code"],
            owner_name=given.get("owner_name"), tax_code=given.get("tax_code"),
            household_reg_no=given.get("household_reg_no"), phone=given.get("phone"),
            goods=given.get("goods", []), channels=given.get("channels", []), opened_on=given.get("opened_on"))
    else:
        row.data = registry.BusinessData(
            **{key: given.get(key, getattr(business, key)) for key in COMPARED},
            goods=given.get("goods", [g.code for g in business.goods]),
            channels=given.get("channels", _channels_of(business)), opened_on=given.get("opened_on"))
        row.changes = [BY_KEY["ward" if key == "ward_code" else key].label for key in COMPARED
                       if getattr(row.data, key) != getattr(business, key)]
        if set(row.data.goods) != {g.code for g in business.goods}:
            row.changes.append(BY_KEY["goods"].label)
        if _channel_set(row.data.channels) != _channel_set(_channels_of(business)):
            row.changes.append(BY_KEY["channel"].label)
        if row.data.opened_on is not None and row.data.opened_on != business.recorded_on:
            row.changes.append(BY_KEY["opened_on"].label)
        row.action = UPDATE if row.changes else UNCHANGED
    try:
        registry._check(actor, row.data)
        if business is not None and row.data.opened_on not in (None, business.recorded_on):
            registry._check_opened_on(business, row.data.opened_on)
    except ValidationFailed as refused:
        _refusals(row, refused.errors)


def _refusals(row: RowResult, errors: dict) -> None:
    for key, messages in errors.items():
        column = CHECK_COLUMNS.get(key)
        if column is None and key.startswith("channels-"):
            column = "place" if key.endswith("place_name") else "link" if key.endswith("link") else "channel"
        for message in messages:
            row.refuse(column, message)


# --- export ----------------------------------------------------------------------------

def export_header() -> list[str]:
    return [str(BY_KEY[key].label) for key in EXPORTED]


def export_rows(businesses: Iterable[Business], locale: str) -> Iterator[list]:
    """One row per business, in the columns the import reads back: channels, places, stalls
    and links side by side, separated by semicolons."""
    def joined(values: list) -> str:
        return "; ".join(v or "" for v in values) if any(values) else ""

    for b in businesses:
        channels = b.channels
        yield [b.name, b.owner_name, b.tax_code, b.household_reg_no, b.address, b.ward.name, b.ward_code,
               joined([str(CHANNEL_LABELS[c.kind]) for c in channels]), joined([c.place_name for c in channels]),
               joined([c.stall for c in channels]), joined([c.link for c in channels]),
               "; ".join(g.name(locale) for g in b.goods), b.phone, b.recorded_on,
               str(BUSINESS_STATUS_LABELS[b.status])]


def template_lists(actor: User, locale: str) -> tuple[list[str], list[list[str]]]:
    """The values the import accepts, for the second sheet of the template."""
    unit = actor.unit
    if unit.ward_code:
        wards = [db.session.get(Ward, unit.ward_code)]
    elif unit.province_code:
        wards = list(db.session.scalars(select(Ward).where(Ward.province_code == unit.province_code)
                                        .order_by(Ward.name)))
    else:
        wards = []
    goods = list(db.session.scalars(select(GoodsCategory).where(GoodsCategory.active)
                                    .order_by(GoodsCategory.name_vi)))
    columns = [[str(label) for label in CHANNEL_LABELS.values()], [g.name(locale) for g in goods],
               [w.name for w in wards], [str(w.code) for w in wards]]
    height = max(len(c) for c in columns)
    rows = [[c[i] if i < len(c) else "" for c in columns] for i in range(height)]
    header = [str(BY_KEY[key].label) for key in ("channel", "goods", "ward", "ward_code")]
    return header, rows
