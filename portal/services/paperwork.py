"""Printable papers, pre-filled so the official only has to sign: a business's commitment
(bản cam kết) and a coordination agreement (quy chế phối hợp) with a market, mall or street
board or a ward.

The papers are administrative documents, so they are always in Vietnamese, whatever the
language of the page they are printed from, and follow the layout of Decree 30/2020/NĐ-CP:
A4, Times New Roman, the issuing unit on the left and the national title and motto on the
right of the head, then the place and date line, the title, the text and the signatures.
The place and date are left as dots: the date is the day of signing, written by hand.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from flask import send_file

from portal.models import Business, BusinessChannel, ChannelKind, Counterpart, Unit, UnitKind, Ward
from portal.text import fold

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

FONT = "Times New Roman"
BODY_SIZE = Pt(13)  # Decree 30: 13 to 14 pt for the text
TITLE_SIZE = Pt(14)
PAGE = (Mm(210), Mm(297))  # A4
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
TEXT_WIDTH_MM = 210 - 30 - 15
HEAD_WIDTHS_MM = (62, TEXT_WIDTH_MM - 62)  # the unit on the left, the national title on the right

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
MOTTO_RULE_MM = 57  # as long as the motto in 13 pt bold
UNIT_RULE_MM = 22  # a third to a half of the unit's name
DOTS = "....."
BLANK_DATE = "ngày ..... tháng ..... năm 20...."  # the day of signing, written by hand
LONG_DOTS = "......................................................"
SIGN = "(Ký, ghi rõ họ tên)"
SIGN_AND_SEAL = "(Ký, ghi rõ họ tên, đóng dấu)"
SIGN_AND_SEAL_IF_ANY = "(Ký, ghi rõ họ tên, đóng dấu nếu có)"

#: Characters a Word document cannot hold (control characters other than tab and newlines).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str | None) -> str:
    """Text as it may go into the document: without control characters, on one line."""
    return " ".join(_NOT_XML.sub("", text or "").split())


def _safe(text: str | None) -> str:
    """Text as a run may hold it, spaces kept."""
    return _NOT_XML.sub("", text or "").replace("\n", " ")


def printable(text: str | None) -> bool:
    """True when the text holds nothing a Word document cannot hold."""
    return not _NOT_XML.search(text or "")


# --- names of places and units -----------------------------------------------------------------

def unit_title(name: str) -> str:
    """'UBND phường Hàm Rồng' -> 'Ủy ban nhân dân phường Hàm Rồng': full words on a paper."""
    return re.sub(r"^UBND\b", "Ủy ban nhân dân", clean(name))


def short_place(ward: Ward | None) -> str:
    """'Phường Hàm Rồng' -> 'Hàm Rồng', as the place of a date line."""
    if ward is None:
        return ""
    name = clean(ward.name)
    for prefix in ("Phường ", "Xã ", "Đặc khu ", "Thị trấn "):
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def short_place_name(name: str | None) -> str:
    """'Phường Hàm Rồng' -> 'Hàm Rồng', 'Thành phố Cần Thơ' -> 'Cần Thơ': a place written by
    hand, as the place of a date line (Decree 30: the proper name, without the kind of unit)."""
    name = clean(name)
    for prefix in ("Phường ", "Xã ", "Đặc khu ", "Thị trấn ", "Thành phố ", "Tỉnh "):
        if name.startswith(prefix) and len(name) > len(prefix):
            return name.removeprefix(prefix)
    return name


def date_words(day: date) -> str:
    """'ngày 05 tháng 02 năm 2026', 'ngày 22 tháng 11 năm 2026': Decree 30 writes a 0 before
    days under 10 and the months January and February."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_of(unit: Unit) -> str:
    """Where the unit sits: its ward, else its province, else the capital (national units)."""
    if unit.ward is not None:
        return short_place(unit.ward)
    if unit.province is not None:
        return clean(unit.province.name)
    return "Hà Nội"


def province_words(ward: Ward) -> str:
    """'tỉnh Thanh Hóa', 'thành phố Cần Thơ'."""
    province = ward.province
    kind = "thành phố" if (province.division_type or "").lower().startswith("thành phố") else "tỉnh"
    return f"{kind} {clean(province.name)}"


def ward_words(ward: Ward) -> str:
    """'phường Hàm Rồng, tỉnh Thanh Hóa': a ward inside a sentence."""
    name = clean(ward.name)
    return f"{name[:1].lower()}{name[1:]}, {province_words(ward)}"


def format_tax_code(code: str | None) -> str | None:
    """13 digits are a branch: '0101234567-001'."""
    if code and len(code) == 13 and code.isdigit():
        return f"{code[:10]}-{code[10:]}"
    return code


def slug(text: str, fallback: str) -> str:
    """A file-name part without diacritics: 'Tạp hóa Minh Ánh' -> 'tap-hoa-minh-anh'."""
    return "-".join(fold(text).split())[:60].strip("-") or fallback


# --- the shared layout ----------------------------------------------------------------------

@dataclass
class Signer:
    title: str  # in capitals, e.g. "CÁN BỘ TIẾP NHẬN"
    note: str = SIGN
    name: str | None = None
    above: str | None = None  # a line above the title, e.g. the side of an agreement


def underlined(paragraph):
    """A thin black line under the paragraph (Decree 30's short rules); set before its spacing and
    indentation, as the schema orders them."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    return paragraph


class Paper:
    """A Vietnamese administrative paper under construction."""

    def __init__(self, title: str, today: date):
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = PAGE
        for side, value in MARGINS.items():
            setattr(section, f"{side}_margin", value)
        section.header_distance = section.footer_distance = Mm(10)
        self._fonts()
        props = self.doc.core_properties
        props.title, props.language, props.author = title, "vi-VN", "Cổng thông tin 389"
        props.created = props.modified = datetime.combine(today, time(0, 0))
        props.last_modified_by, props.comments, props.keywords, props.subject = "", "", "", ""
        props.revision = 1

    def _fonts(self) -> None:
        """Times New Roman everywhere, Vietnamese for the spelling checker; no theme fonts."""
        styles = self.doc.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        targets = [defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))] if defaults is not None else []
        normal = self.doc.styles["Normal"]
        targets.append(normal.element.get_or_add_rPr())
        for rpr in targets:
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = OxmlElement("w:rFonts")
                rpr.insert(0, fonts)
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attr), None)
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(attr), FONT)
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:val"), "vi-VN")
        normal.font.name, normal.font.size = FONT, BODY_SIZE
        fmt = normal.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.15

    # --- building blocks

    @staticmethod
    def _run(paragraph, text: str, *, bold=False, italic=False, size=None):
        run = paragraph.add_run(_safe(text))
        run.bold, run.italic = bold or None, italic or None
        run.font.name = FONT
        run.font.size = size or BODY_SIZE
        return run

    @staticmethod
    def _tight(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER):
        fmt = paragraph.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
        paragraph.alignment = align
        return paragraph

    @staticmethod
    def _cell_line(cell, text: str = "", *, first=False, **style):
        paragraph = Paper._tight(cell.paragraphs[0] if first else cell.add_paragraph())
        if text:
            Paper._run(paragraph, text, **style)
        return paragraph

    @staticmethod
    def _rule(cell, length_mm: float, cell_mm: float) -> None:
        """A short centred line under the line above (Decree 30: under the unit and the motto)."""
        paragraph = underlined(cell.add_paragraph())
        Paper._tight(paragraph)
        inset = Mm(max((cell_mm - 4 - length_mm) / 2, 0))  # 4 mm: the cell's own margins
        paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = inset
        mark = OxmlElement("w:rPr")  # a 2-pt paragraph mark, so the line sits just under the text
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), "4")
        mark.append(size)
        paragraph._p.get_or_add_pPr().append(mark)

    def _table(self, widths_mm: tuple[float, ...], rows: int = 1):
        table = self.doc.add_table(rows=rows, cols=len(widths_mm))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tblpr = table._tbl.tblPr
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:val"), "nil")
            borders.append(edge)
        # in the schema's order: before the fixed layout that autofit=False has set
        tblpr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                    "w:tblCaption", "w:tblDescription", "w:tblPrChange")
        for index, width in enumerate(widths_mm):
            table.columns[index].width = Mm(width)
            for cell in table.columns[index].cells:
                cell.width = Mm(width)
        return table

    # --- the parts of every paper

    def head(self, unit: Unit, place: str, *, number: str | None = None, day: date | None = None) -> None:
        """The unit (under its parent) beside the national title and motto; under them the
        document's number, if any, and the place and date line: the given day, else dots for it."""
        left_mm, right_mm = HEAD_WIDTHS_MM
        table = self._table(HEAD_WIDTHS_MM, rows=2)
        left, right = table.rows[0].cells
        parent = parent_shown(unit)
        lines = [(unit_title(parent.name).upper(), False)] if parent else []
        lines.append((unit_title(unit.name).upper(), True))
        for index, (text, bold) in enumerate(lines):
            self._cell_line(left, text, first=index == 0, bold=bold)
        self._rule(left, UNIT_RULE_MM, left_mm)
        self._cell_line(right, NATIONAL_TITLE, first=True, bold=True)
        self._cell_line(right, MOTTO, bold=True)
        self._rule(right, MOTTO_RULE_MM, right_mm)
        below_left, below_right = table.rows[1].cells
        self._cell_line(below_left, number or "", first=True)
        date_line = self._cell_line(below_right, f"{place}, {date_words(day) if day else BLANK_DATE}",
                                    first=True, italic=True)
        date_line.paragraph_format.space_before = Pt(6)

    def title(self, title: str, subtitle: str | None = None) -> None:
        paragraph = self._tight(self.doc.add_paragraph())
        paragraph.paragraph_format.space_before = Pt(18)
        self._run(paragraph, title, bold=True, size=TITLE_SIZE)
        if subtitle:
            paragraph = self._tight(self.doc.add_paragraph())
            self._run(paragraph, subtitle, bold=True, size=TITLE_SIZE)
        self._spacer(Pt(6))

    def _spacer(self, after) -> None:
        self._tight(self.doc.add_paragraph()).paragraph_format.space_after = after

    def centred(self, *parts: tuple[str, dict]) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for text, style in parts:
            self._run(paragraph, text, **style)

    def text(self, *parts: str | tuple[str, dict], indent: bool = True, bullet: bool = False) -> None:
        """A justified paragraph; parts are plain text or (text, style) pairs."""
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            paragraph.paragraph_format.first_line_indent = Mm(10)
        if bullet:
            paragraph.paragraph_format.left_indent = Mm(10)
            paragraph.paragraph_format.first_line_indent = Mm(-4)
        for part in parts:
            text, style = (part, {}) if isinstance(part, str) else part
            self._run(paragraph, text, **style)

    def field(self, label: str, value: str | None) -> None:
        """'Label: value', the value in bold; dots for the official to fill when unknown."""
        value = clean(value)
        self.text(f"{label}: ", (value, {"bold": True}) if value else LONG_DOTS)

    def heading(self, text: str) -> None:
        """An article's heading ('Điều 1. Mục đích')."""
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Mm(10)
        paragraph.paragraph_format.keep_with_next = True
        self._run(paragraph, text, bold=True)

    def signatures(self, left: Signer, right: Signer) -> None:
        half = TEXT_WIDTH_MM / 2
        self._spacer(Pt(6))
        table = self._table((half, half))
        keep = OxmlElement("w:cantSplit")  # the signatures stay on one page
        table.rows[0]._tr.get_or_add_trPr().append(keep)
        for cell, signer in zip(table.rows[0].cells, (left, right), strict=True):
            first = True
            if signer.above:
                self._cell_line(cell, signer.above.upper(), first=True, bold=True)
                first = False
            self._cell_line(cell, signer.title.upper(), first=first, bold=True)
            self._cell_line(cell, signer.note, italic=True)
            for _ in range(5):
                self._cell_line(cell)
            self._cell_line(cell, signer.name or "", bold=True)

    def content(self) -> bytes:
        out = BytesIO()
        self.doc.save(out)
        return out.getvalue()


def parent_shown(unit: Unit) -> Unit | None:
    """The governing body written above a unit's name. A People's Committee heads its own
    level, so nothing is written above it (nor above the national committee)."""
    if unit.parent is None or unit.kind in {UnitKind.NATIONAL_COMMITTEE, UnitKind.PEOPLES_COMMITTEE,
                                            UnitKind.WARD_COMMITTEE}:
        return None
    if unit.parent.kind == UnitKind.NATIONAL_COMMITTEE:
        return None
    return unit.parent


def download(content: bytes, filename: str):
    """A paper as a download: never shown inline, never kept in a cache."""
    response = send_file(BytesIO(content), mimetype=MEDIA_TYPE, as_attachment=True, download_name=filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the commitment ---------------------------------------------------------------------------

COMMITMENT_TITLE = "BẢN CAM KẾT"
COMMITMENT_SUBTITLE = ("Không sản xuất, kinh doanh hàng giả, hàng nhập lậu, hàng không rõ nguồn gốc xuất xứ, "
                       "hàng xâm phạm quyền sở hữu trí tuệ")

#: What the business undertakes; the wording follows the plans (125/KH-UBND of Lạng Sơn, the
#: Hàm Rồng ward plan and the Cần Thơ campaign) where they say what a commitment contains.
COMMITMENT_CLAUSES = (
    ("Không sản xuất, buôn bán, tàng trữ, vận chuyển hàng lậu, hàng giả, hàng cấm, hàng không rõ nguồn gốc "
     "xuất xứ, hàng hóa xâm phạm quyền sở hữu trí tuệ; không kinh doanh, quảng bá, đăng tải các loại hàng hóa đó "
     "tại địa điểm kinh doanh, trên sàn giao dịch thương mại điện tử, trang thông tin điện tử và mạng xã hội."),
    ("Không tham gia, không tiếp tay, không chứa chấp, vận chuyển hộ cho các đối tượng buôn lậu, kinh doanh "
     "hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng xâm phạm quyền sở hữu trí tuệ."),
    ("Hàng hóa kinh doanh có đầy đủ hóa đơn, chứng từ chứng minh nguồn gốc, xuất xứ hợp pháp và nhãn hàng hóa "
     "theo quy định; lưu giữ hóa đơn, chứng từ tại nơi kinh doanh và xuất trình khi cơ quan có thẩm quyền yêu cầu."),
    ("Niêm yết giá hàng hóa, dịch vụ và bán đúng giá niêm yết; không quảng cáo, giới thiệu thông tin sai lệch, "
     "thiếu cơ sở, căn cứ khoa học, phóng đại tính năng, công dụng của sản phẩm."),
    ("Chấp hành nghiêm việc kiểm tra, kiểm soát của các cơ quan chức năng; cung cấp đầy đủ, trung thực thông tin, "
     "tài liệu khi được yêu cầu; kịp thời thông báo cho cơ quan chức năng khi phát hiện hành vi buôn lậu, gian lận "
     "thương mại, hàng giả."),
    ("Nếu vi phạm, cơ sở kinh doanh xin chịu hoàn toàn trách nhiệm trước pháp luật, chấp hành các hình thức xử lý "
     "theo quy định và cam kết không tái phạm."),
)


def channel_words(channel: BusinessChannel) -> str:
    """Where and how the business sells, as a line of the paper."""
    place, stall, link = clean(channel.place_name), clean(channel.stall), clean(channel.link)
    at = f" tại {place}" if place else ""
    kind = channel.kind
    if kind == ChannelKind.MARKET_STALL:
        text = f"Quầy, ki-ốt{f' số {stall}' if stall else ''}{at}"
    elif kind == ChannelKind.PLATFORM_SELLER:
        text = f"Gian hàng trên {place or 'nền tảng số'}{f': {link}' if link else ''}"
    elif kind == ChannelKind.WEBSITE:
        text = f"Trang thông tin điện tử bán hàng{f': {link}' if link else ''}"
    else:
        words = {
            ChannelKind.SHOP: "Cửa hàng", ChannelKind.SUPERMARKET: "Quầy hàng trong siêu thị, trung tâm thương mại",
            ChannelKind.WHOLESALE: "Điểm bán buôn, tập kết hàng hóa", ChannelKind.WAREHOUSE: "Kho hàng",
            ChannelKind.CRAFT_VILLAGE: "Cơ sở sản xuất trong làng nghề",
            ChannelKind.TOURIST_STREET: "Cửa hàng tại khu, tuyến phố du lịch",
            ChannelKind.IMPORTER: "Nhập khẩu hàng hóa", ChannelKind.COURIER: "Dịch vụ bưu chính, chuyển phát",
        }[kind]
        text = f"{words}{f' số {stall}' if stall else ''}{at}{f' ({link})' if link else ''}"
    return text


def commitment_form(business: Business, unit: Unit, *, today: date) -> bytes:
    """The commitment of one business to the receiving unit, pre-filled with what the registry
    knows; what it does not know is left as dots."""
    paper = Paper(f"Bản cam kết - {clean(business.name)}", today)
    paper.head(unit, place_of(unit))
    paper.title(COMMITMENT_TITLE, COMMITMENT_SUBTITLE)
    paper.centred(("Kính gửi: ", {}), (unit_title(unit.name), {}))
    paper.field("Tên cơ sở kinh doanh", business.name)
    paper.field("Họ và tên chủ cơ sở hoặc người đại diện", business.owner_name)
    paper.field("Số định danh cá nhân (căn cước)", None)
    tax_code, registration = format_tax_code(business.tax_code), business.household_reg_no
    if tax_code or not registration:
        paper.field("Mã số thuế", tax_code)
    if registration:
        paper.field("Số Giấy chứng nhận đăng ký hộ kinh doanh", registration)
    address = ", ".join(part for part in (clean(business.address), ward_words(business.ward)) if part)
    paper.field("Địa chỉ kinh doanh", address)
    paper.field("Điện thoại", business.phone)
    if business.channels:
        paper.text("Địa điểm, hình thức kinh doanh:")
        for channel in business.channels:
            paper.text("- ", (channel_words(channel), {"bold": True}), indent=False, bullet=True)
    else:
        paper.field("Địa điểm, hình thức kinh doanh", None)
    paper.field("Mặt hàng kinh doanh", "; ".join(clean(g.name_vi) for g in business.goods))
    paper.text("Sau khi được tuyên truyền, phổ biến các quy định của pháp luật về phòng, chống buôn lậu, gian lận "
               "thương mại và hàng giả, cơ sở kinh doanh chúng tôi xin cam kết:")
    for number, clause in enumerate(COMMITMENT_CLAUSES, start=1):
        paper.text(f"{number}. {clause}")
    paper.text(f"Bản cam kết được lập thành 02 bản: cơ sở kinh doanh giữ 01 bản, {unit_title(unit.name)} giữ "
               "01 bản để theo dõi, kiểm tra việc thực hiện.")
    paper.signatures(Signer("CÁN BỘ TIẾP NHẬN"),
                     Signer("ĐẠI DIỆN CƠ SỞ KINH DOANH", SIGN_AND_SEAL_IF_ANY, clean(business.owner_name) or None))
    return paper.content()


def commitment_filename(business: Business) -> str:
    return f"cam-ket-{slug(business.name, str(business.id))}.docx"


# --- the coordination agreement ----------------------------------------------------------------

AGREEMENT_TITLE = "QUY CHẾ PHỐI HỢP"

#: For each kind of counterpart: the place it manages, and who trades there.
COUNTERPART_SCOPE = {
    Counterpart.MARKET_BOARD: ("chợ", "các tổ chức, cá nhân kinh doanh tại chợ (ki-ốt, quầy, sạp hàng)"),
    Counterpart.MALL_BOARD: ("trung tâm thương mại, siêu thị",
                             "các tổ chức, cá nhân thuê quầy, gian hàng tại trung tâm thương mại, siêu thị"),
    Counterpart.STREET_BOARD: ("tuyến phố", "các tổ chức, cá nhân kinh doanh trên tuyến phố"),
    Counterpart.WARD: ("địa bàn", "các hộ, cơ sở sản xuất, kinh doanh trên địa bàn"),
    Counterpart.OTHER: ("địa bàn quản lý", "các tổ chức, cá nhân kinh doanh thuộc phạm vi quản lý"),
}


def _counterpart_duties(kind: Counterpart, place: str, traders: str) -> list[str]:
    if kind == Counterpart.WARD:
        first = [
            ("Chỉ đạo các tổ dân phố, làng tổ chức tuyên truyền tại khu dân cư, theo dõi việc ký cam kết của các hộ "
             "kinh doanh; vận động các hộ, cơ sở sản xuất, kinh doanh ký cam kết không buôn bán hàng lậu, hàng giả, "
             "hàng cấm, hàng không rõ nguồn gốc xuất xứ."),
            ("Nắm bắt, cập nhật danh sách hộ, cơ sở kinh doanh trên địa bàn; thông báo cho Bên A các cơ sở mới phát "
             "sinh, ngừng kinh doanh, chuyển đổi ngành nghề."),
        ]
    else:
        first = [
            (f"Yêu cầu {traders} thực hiện cam kết không kinh doanh, quảng bá, đăng tải hàng giả, hàng không rõ "
             "nguồn gốc xuất xứ, hàng xâm phạm quyền sở hữu trí tuệ; đưa nội dung này vào nội quy và hợp đồng "
             f"thuê địa điểm kinh doanh tại {place}."),
            (f"Lập, cập nhật danh sách {traders}; thông báo cho Bên A các cơ sở mới phát sinh, ngừng kinh doanh, "
             "chuyển đổi ngành nghề."),
        ]
    return first + [
        ("Niêm yết công khai số điện thoại đường dây nóng tiếp nhận phản ánh, tố giác; kịp thời cung cấp cho Bên A "
         "thông tin về dấu hiệu buôn lậu, gian lận thương mại, hàng giả."),
        ("Phối hợp, tạo điều kiện để Bên A tuyên truyền, kiểm tra, kiểm soát; không bao che, tiếp tay cho hành vi "
         "vi phạm."),
    ]


def agreement_form(counterpart_kind: Counterpart, counterpart_name: str, ward: Ward, unit: Unit, *,
                   today: date) -> bytes:
    """A coordination agreement between the unit (party A) and a board or a ward (party B)."""
    name = clean(counterpart_name)
    where = ward_words(ward)
    place, traders = COUNTERPART_SCOPE[counterpart_kind]
    unit_name = unit_title(unit.name)
    paper = Paper(f"Quy chế phối hợp - {name}", today)
    paper.head(unit, place_of(unit), number=f"Số: {DOTS}/QCPH")
    paper.title(AGREEMENT_TITLE,
                f"Giữa {unit_name} và {name} trong công tác đấu tranh phòng, chống buôn lậu, gian lận thương mại, "
                f"hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng xâm phạm quyền sở hữu trí tuệ tại {where}")
    paper.text("Căn cứ các quy định của pháp luật về phòng, chống buôn lậu, gian lận thương mại và hàng giả;")
    paper.text("Căn cứ chức năng, nhiệm vụ, quyền hạn của mỗi bên;")
    paper.text(f"Hôm nay, {BLANK_DATE}, tại {LONG_DOTS[:30]}, chúng tôi gồm:")
    paper.text(("BÊN A: ", {"bold": True}), (unit_name.upper(), {"bold": True}))
    paper.text(f"Đại diện: {LONG_DOTS[:36]} Chức vụ: {LONG_DOTS[:30]}")
    paper.text(("BÊN B: ", {"bold": True}), (name.upper(), {"bold": True}))
    paper.text(f"Địa chỉ: {where[:1].upper()}{where[1:]}")
    paper.text(f"Đại diện: {LONG_DOTS[:36]} Chức vụ: {LONG_DOTS[:30]}")
    paper.text("Hai bên thống nhất ban hành Quy chế phối hợp với các nội dung sau:")

    paper.heading("Điều 1. Mục đích")
    paper.text(f"1. Tăng cường phối hợp giữa hai bên để phát hiện, ngăn chặn, xử lý kịp thời các hành vi buôn lậu, "
               f"gian lận thương mại, kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng xâm phạm quyền sở "
               f"hữu trí tuệ tại {place} do Bên B quản lý; không để hình thành điểm nóng trên địa bàn.")
    paper.text(f"2. Tuyên truyền, vận động, phổ biến pháp luật để 100% {traders} ký cam kết không kinh doanh hàng "
               "giả, hàng không rõ nguồn gốc xuất xứ, hàng xâm phạm quyền sở hữu trí tuệ và không tái phạm.")
    paper.heading("Điều 2. Phạm vi và đối tượng áp dụng")
    paper.text(f"Quy chế này quy định nội dung, trách nhiệm và cách thức phối hợp giữa Bên A và Bên B; áp dụng "
               f"đối với {traders} thuộc phạm vi quản lý của Bên B tại {where}.")
    paper.heading("Điều 3. Trách nhiệm của Bên A")
    for number, duty in enumerate((
        ("Chủ trì tuyên truyền, phổ biến pháp luật, hướng dẫn phân biệt hàng thật, hàng giả; cung cấp tài liệu "
         "tuyên truyền và mẫu bản cam kết cho Bên B."),
        "Kiểm tra, kiểm soát, xử lý vi phạm theo thẩm quyền; thông báo kết quả xử lý các vụ việc cho Bên B.",
        ("Tiếp nhận, xác minh, xử lý thông tin, phản ánh do Bên B cung cấp; giữ bí mật và bảo đảm an toàn cho "
         "người cung cấp thông tin."),
    ), start=1):
        paper.text(f"{number}. {duty}")
    paper.heading("Điều 4. Trách nhiệm của Bên B")
    for number, duty in enumerate(_counterpart_duties(counterpart_kind, place, traders), start=1):
        paper.text(f"{number}. {duty}")
    paper.heading("Điều 5. Chế độ trao đổi thông tin")
    paper.text("1. Hai bên cử cán bộ đầu mối, trao đổi thông tin thường xuyên qua điện thoại, văn bản hoặc thư điện "
               "tử; khi phát hiện vụ việc phức tạp, có dấu hiệu vi phạm thì thông báo ngay cho bên kia.")
    paper.text("2. Định kỳ 06 tháng và hằng năm, hai bên tổ chức họp đánh giá kết quả thực hiện Quy chế, thống nhất "
               "nhiệm vụ cho thời gian tiếp theo.")
    paper.heading("Điều 6. Hiệu lực thi hành")
    paper.text("1. Quy chế này có hiệu lực kể từ ngày ký. Trong quá trình thực hiện, nếu có vướng mắc, hai bên trao "
               "đổi, thống nhất sửa đổi, bổ sung cho phù hợp.")
    paper.text("2. Quy chế được lập thành 04 bản có giá trị như nhau, mỗi bên giữ 02 bản để thực hiện.")
    paper.signatures(Signer(name, SIGN_AND_SEAL, above="ĐẠI DIỆN BÊN B"),
                     Signer(unit_name, SIGN_AND_SEAL, above="ĐẠI DIỆN BÊN A"))
    return paper.content()


def agreement_filename(counterpart_name: str) -> str:
    return f"quy-che-phoi-hop-{slug(counterpart_name, 'ban-quan-ly')}.docx"
