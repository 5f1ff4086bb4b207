"""Reports as the documents agencies send: DOCX laid out under Decree 30/2020/NĐ-CP, and XLSX
with the tables of figures.

The document is always in Vietnamese, whatever the language of the page it is downloaded from
(it is sent to other agencies), and is built on the layout of portal.services.paperwork: A4,
Times New Roman 13 pt, margins 20 mm top and bottom, 30 mm left, 15 mm right; the issuing body
(its governing body in capitals over its own name in bold capitals) with the number and symbol
under it on the left, the national title and motto with the place and date line in italics on
the right; the title (BÁO CÁO and what it is about); the body: the six sections of plan
125/KH-UBND IV.3.1 with the figures of letter 100/QLTTLCA-NVTH; "Nơi nhận" at the bottom left
and the signature block at the bottom right. A consolidated report adds an appendix, on a
landscape page, with every figure broken down by the units it compiles.

No PDF: making one faithfully (the fonts, the tables, the line breaking of Vietnamese) needs
LibreOffice or Word, which a fresh machine does not have. The DOCX prints as it is.
"""
from __future__ import annotations

import re
from datetime import date

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt
from flask_babel import force_locale

from portal.models import PlanKind, Report, ReportKind, ReportStatus
from portal.services import paperwork, spreadsheets
from portal.services.paperwork import FONT, Paper, clean

DOCX_MIME = paperwork.MEDIA_TYPE
XLSX_MIME = spreadsheets.XLSX_MIME
TABLE_SIZE = Pt(12)
APPENDIX_SIZE = Pt(11)
RECIPIENTS_HEAD_SIZE = Pt(12)  # Decree 30: "Nơi nhận:" 12 pt bold italic, the list 11 pt
RECIPIENTS_SIZE = Pt(11)
UNITS_PER_APPENDIX_TABLE = 8

#: The figures in the words of the documents (letter 100/QLTTLCA-NVTH and the plans).
FIGURE_WORDS = {
    "businesses_total": "Tổng số cơ sở kinh doanh trên địa bàn",
    "businesses_committed": "Số cơ sở đã ký cam kết",
    "businesses_opened": "Số cơ sở kinh doanh mới phát sinh",
    "businesses_ceased": "Số cơ sở ngừng kinh doanh",
    "businesses_changed_line": "Số cơ sở chuyển đổi ngành nghề kinh doanh",
    "violated_after_outreach_or_commitment": "Số cơ sở vi phạm sau khi được tuyên truyền, ký cam kết",
    "openly_displaying": "Số cơ sở bày bán công khai hàng hóa vi phạm",
    "outreach_sessions": "Số buổi tuyên truyền",
    "people_reached": "Số lượt người được tuyên truyền",
    "commitments_signed": "Số bản cam kết đã ký",
    "agreements_signed": "Số quy chế phối hợp đã ký",
    "inspections": "Số cuộc kiểm tra",
    "violations": "Số vụ vi phạm phát hiện",
    "fines_total": "Số tiền xử phạt (đồng)",
    "seized_value": "Trị giá hàng hóa tịch thu (đồng)",
    "tips_received": "Số tin báo tiếp nhận",
    "tips_resolved": "Số tin báo đã giải quyết",
}
MONEY = frozenset({"fines_total", "seized_value"})
VIOLATION_WORDS = {
    "counterfeit": "Hàng giả",
    "unknown_origin": "Hàng không rõ nguồn gốc xuất xứ",
    "ip_infringing": "Hàng xâm phạm quyền sở hữu trí tuệ",
    "smuggled": "Hàng nhập lậu",
    "substandard": "Hàng kém chất lượng",
    "false_advertising": "Quảng cáo sai sự thật",
    "invoice_fraud": "Gian lận hóa đơn, thuế",
}
#: The six sections of plan 125/KH-UBND IV.3.1, with the figures each one carries.
SECTIONS = (
    ("market_situation", "Tình hình thị trường, hoạt động kinh doanh trên địa bàn",
     ("businesses_total", "businesses_opened", "businesses_ceased", "businesses_changed_line",
      "openly_displaying")),
    ("outreach_results", "Kết quả tuyên truyền, vận động ký cam kết và sự chuyển biến",
     ("outreach_sessions", "people_reached", "commitments_signed", "agreements_signed", "businesses_committed")),
    ("enforcement_results", "Kết quả kiểm tra, kiểm soát, xử lý vi phạm và sự chuyển biến",
     ("inspections", "violations", "violated_after_outreach_or_commitment", "fines_total", "seized_value",
      "tips_received", "tips_resolved")),
    ("progress", "Tiến độ thực hiện các chỉ tiêu", ()),
    ("difficulties", "Khó khăn, vướng mắc", ()),
    ("proposals", "Đề xuất, kiến nghị", ()),
)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")
PLAN_WORDS = {PlanKind.PLAN: "Kế hoạch", PlanKind.CAMPAIGN: "Kế hoạch", PlanKind.DIRECTIVE: "Chỉ thị",
              PlanKind.DECISION: "Quyết định", PlanKind.LETTER: "Công văn", PlanKind.DISPATCH: "Công điện"}
NOT_WRITTEN = "(Chưa có nội dung.)"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


# --- the figures -----------------------------------------------------------------------------

def figures(report: Report) -> dict:
    """The report's figures as the reports service gives them (frozen once submitted)."""
    from portal.services import reports

    found = reports.figures_of(report) or {}
    return {"counts": dict(found.get("counts") or {}), "violations_by_type": dict(found.get("violations_by_type") or {}),
            "targets": list(found.get("targets") or []), "by_unit": list(found.get("by_unit") or [])}


def figure_keys(counts: dict) -> list[str]:
    """The keys in the order of the reports service, then any it adds that this module does not know."""
    from portal.services import reports

    known = [key for key, _label in reports.FIGURES]
    return known + [key for key in counts if key not in known]


def figure_words(key: str) -> str:
    if key in FIGURE_WORDS:
        return FIGURE_WORDS[key]
    from portal.services import reports

    label = dict(reports.FIGURES).get(key, key)
    with force_locale("vi"):
        return str(label)


def violation_words(kind: str) -> str:
    return VIOLATION_WORDS.get(kind, kind)


def number_words(value) -> str:
    """'1.500.000': Vietnamese digit grouping."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return clean(str(value))


def period_words(report: Report) -> str:
    start, end = report.period_start, report.period_end
    if start == end:
        return f"ngày {start:%d/%m/%Y}"
    return f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


def number_line(report: Report) -> str:
    number = clean(report.number)
    if not number:
        return f"Số: {paperwork.DOTS}/BC-"
    return number if number.lower().startswith("số") else f"Số: {number}"


def target_rows(targets: list[dict]) -> list[tuple[str, str, str, str]]:
    rows = []
    for item in targets:
        percent = item.get("unit", "percent") == "percent"
        goal = item.get("target")
        measured = item.get("measured")
        rows.append((clean(item.get("label")), "" if goal is None else f"{goal}%",
                     "" if measured is None else (f"{measured}%" if percent else number_words(measured)),
                     "Đạt" if item.get("met") else "Chưa đạt"))
    return rows


# --- DOCX ------------------------------------------------------------------------------------

class ReportPaper(Paper):
    """The report as an administrative document: Paper's head and fonts, plus bordered tables,
    headings, the recipients list and one signature block."""

    def heading(self, text: str, *, size=None) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_before = Pt(6)
        self._run(paragraph, text, bold=True, size=size)

    def lines(self, text: str | None) -> None:
        """A narrative as written: one justified, indented paragraph per line."""
        written = [clean(line) for line in _NOT_XML.sub("", text or "").splitlines()]
        written = [line for line in written if line]
        if not written:
            self.text((NOT_WRITTEN, {"italic": True}))
        for line in written:
            self.text(line)

    def short_rule(self, length_mm: float) -> None:
        """The short line under the title's subject (Decree 30)."""
        paragraph = paperwork.underlined(self._tight(self.doc.add_paragraph()))
        inset = Mm(max((paperwork.TEXT_WIDTH_MM - length_mm) / 2, 0))
        paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = inset
        paragraph.paragraph_format.space_after = Pt(12)

    def grid(self, header: list[str], rows: list[list[str]], widths_mm: list[float], *,
             size=TABLE_SIZE, numeric_from: int = 1, bold_last: bool = False) -> None:
        """A table with borders: a bold header row repeated on every page, numbers to the right."""
        table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        header_row = table.rows[0]
        header_row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for r, values in enumerate([header, *rows]):
            last = bold_last and r == len(rows)
            for c, value in enumerate(values):
                cell = table.rows[r].cells[c]
                cell.width = Mm(widths_mm[c])
                paragraph = self._tight(cell.paragraphs[0], WD_ALIGN_PARAGRAPH.CENTER if r == 0 else (
                    WD_ALIGN_PARAGRAPH.RIGHT if c >= numeric_from else WD_ALIGN_PARAGRAPH.LEFT))
                self._run(paragraph, value, bold=r == 0 or last, size=size)
        for c, width in enumerate(widths_mm):
            table.columns[c].width = Mm(width)
        self._tight(self.doc.add_paragraph()).paragraph_format.space_after = Pt(6)

    def closing(self, report: Report) -> None:
        """'Nơi nhận' on the left, the signature block on the right (Decree 30)."""
        half = paperwork.TEXT_WIDTH_MM / 2
        self._tight(self.doc.add_paragraph()).paragraph_format.space_after = Pt(6)
        table = self._table((half - 10, half + 10))
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        left, right = table.rows[0].cells
        head = self._tight(left.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
        self._run(head, "Nơi nhận:", bold=True, italic=True, size=RECIPIENTS_HEAD_SIZE)
        items = recipients_list(report.recipients)
        for index, item in enumerate(items):
            end = "." if index == len(items) - 1 else ";"
            line = self._tight(left.add_paragraph(), WD_ALIGN_PARAGRAPH.LEFT)
            self._run(line, f"- {item}{end}", size=RECIPIENTS_SIZE)
        titles = [clean(t).upper() for t in _NOT_XML.sub("", report.signer_title or "").splitlines() if clean(t)]
        first = True
        for title in titles or [paperwork.DOTS * 4]:
            self._cell_line(right, title, first=first, bold=True)
            first = False
        for _ in range(4):
            self._cell_line(right)
        self._cell_line(right, clean(report.signer_name), bold=True)

    def landscape_section(self) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = paperwork.PAGE[1], paperwork.PAGE[0]
        # the top of the portrait page is the binding edge: on the turned page it is the left
        section.top_margin, section.bottom_margin = Mm(30), Mm(15)
        section.left_margin, section.right_margin = Mm(20), Mm(20)


def recipients_list(text: str | None) -> list[str]:
    """The recipients one per line, without the dashes and end marks someone may have typed, and
    'Lưu: VT' last, as every administrative document keeps a copy in its records."""
    items = []
    for line in _NOT_XML.sub("", text or "").splitlines():
        item = clean(line).lstrip("-–•+* ").rstrip(";,. ").strip()
        if item:
            items.append(item)
    if not any(item.lower().startswith("lưu") for item in items):
        items.append("Lưu: VT")
    return items


def _title(report: Report) -> tuple[str, str]:
    plan = report.obligation.rule.plan
    if report.kind == ReportKind.QUICK:
        return "BÁO CÁO NHANH", f"Vụ việc phát hiện, thu giữ hàng hóa vi phạm {period_words(report)}"
    subject = ("Tổng hợp kết quả" if report.kind == ReportKind.CONSOLIDATED else "Kết quả") + (
        f" thực hiện {PLAN_WORDS.get(plan.kind, 'văn bản')} số {clean(plan.number)}")
    return "BÁO CÁO", subject


def _about(plan) -> str:
    """' về cao điểm chống hàng giả dịp cuối năm': the plan's title after its number, without the
    kind of document it may repeat ('Kế hoạch cao điểm…' after 'Kế hoạch số …')."""
    title = clean(plan.title)
    word = PLAN_WORDS.get(plan.kind, "")
    if word and title.lower().startswith(word.lower() + " "):
        title = title[len(word) + 1:]
    return f" về {title[:1].lower()}{title[1:]}" if title else ""


def report_docx(report: Report) -> bytes:
    """The report as a Word document, ready to sign and send."""
    found = figures(report)
    counts = found["counts"]
    unit = report.unit
    plan = report.obligation.rule.plan
    paper = ReportPaper(f"Báo cáo - {clean(unit.name)}", report.issued_on or report.period_end)
    place = paperwork.short_place_name(report.place) or paperwork.place_of(unit)
    paper.head(unit, place, number=number_line(report), day=report.issued_on)
    kind, subject = _title(report)
    paper.title(kind, subject)
    paper.centred((f"({period_words(report)[:1].upper()}{period_words(report)[1:]})", {"italic": True}))
    if report.status != ReportStatus.SUBMITTED:
        paper.centred(("DỰ THẢO", {"bold": True}))
    if report.revision > 1:
        paper.centred((f"(Bản điều chỉnh lần {report.revision - 1})", {"italic": True}))
    paper.short_rule(40)
    issued = f" ngày {plan.issued_on:%d/%m/%Y}" if plan.issued_on else ""
    compiled = (", trên cơ sở tổng hợp báo cáo của các đơn vị" if report.kind == ReportKind.CONSOLIDATED else "")
    paper.text(f"Thực hiện {PLAN_WORDS.get(plan.kind, 'văn bản')} số {clean(plan.number)}{issued} của "
               f"{paperwork.unit_title(plan.unit.name)}{_about(plan)}{compiled}, {paperwork.unit_title(unit.name)} báo cáo kết "
               f"quả thực hiện {period_words(report)} như sau:")
    sections = SECTIONS
    if report.kind == ReportKind.QUICK:  # the case, and whatever else the unit chose to write
        sections = tuple(s for s in SECTIONS if s[0] == "enforcement_results" or clean(getattr(report, s[0], None)))
    for index, (name, heading, keys) in enumerate(sections):
        paper.heading(f"{ROMAN[index]}. {heading.upper()}")
        paper.lines(getattr(report, name, None))
        shown = [key for key in keys if key in counts]
        if shown:
            paper.text(("Số liệu tổng hợp từ dữ liệu trên Cổng thông tin:", {"italic": True}))
            paper.grid(["TT", "Nội dung", "Số lượng"],
                       [[str(i), figure_words(k), number_words(counts[k])] for i, k in enumerate(shown, start=1)],
                       [12, 123, 30], numeric_from=2)
        if name == "enforcement_results" and any(found["violations_by_type"].values()):
            paper.text(("Vi phạm theo loại:", {"italic": True}))
            by_type = [(k, v) for k, v in found["violations_by_type"].items() if v]
            rows = [[str(i), violation_words(k), number_words(v)] for i, (k, v) in enumerate(by_type, start=1)]
            rows.append(["", "Tổng cộng", number_words(sum(int(v) for _k, v in by_type))])
            paper.grid(["TT", "Loại vi phạm", "Số vụ"], rows, [12, 123, 30], numeric_from=2, bold_last=True)
        if name == "progress" and found["targets"]:
            paper.text(("Chỉ tiêu và kết quả đạt được:", {"italic": True}))
            paper.grid(["TT", "Chỉ tiêu", "Mục tiêu", "Kết quả", "Đánh giá"],
                       [[str(i), *row] for i, row in enumerate(target_rows(found["targets"]), start=1)],
                       [10, 85, 22, 22, 26], numeric_from=2)
    if report.kind == ReportKind.CONSOLIDATED and found["by_unit"]:
        paper.text(f"(Số liệu chi tiết của từng đơn vị tại Phụ lục kèm theo; tổng số {len(found['by_unit'])} "
                   "đơn vị đã gửi báo cáo.)")
    paper.text(f"Trên đây là báo cáo kết quả thực hiện {period_words(report)} của {paperwork.unit_title(unit.name)}"
               "./.")
    paper.closing(report)
    if report.kind == ReportKind.CONSOLIDATED and found["by_unit"]:
        _appendix(paper, report, found)
    return paper.content()


def _appendix(paper: ReportPaper, report: Report, found: dict) -> None:
    """Every figure by unit, on landscape pages: a few units per table, the total in the last."""
    paper.landscape_section()
    paragraph = paper._tight(paper.doc.add_paragraph())
    paper._run(paragraph, "PHỤ LỤC", bold=True, size=paperwork.TITLE_SIZE)
    paragraph = paper._tight(paper.doc.add_paragraph())
    paper._run(paragraph, f"SỐ LIỆU THEO ĐƠN VỊ {period_words(report).upper()}", bold=True)
    paragraph = paper._tight(paper.doc.add_paragraph())
    paper._run(paragraph, f"(Kèm theo Báo cáo {number_line(report)[:1].lower()}{number_line(report)[1:]} của "
                          f"{paperwork.unit_title(report.unit.name)})", italic=True)
    paragraph.paragraph_format.space_after = Pt(12)
    counts, units = found["counts"], found["by_unit"]
    keys = figure_keys(counts)
    width = 297 - 40
    for start in range(0, len(units), UNITS_PER_APPENDIX_TABLE):
        chunk = units[start:start + UNITS_PER_APPENDIX_TABLE]
        last = start + UNITS_PER_APPENDIX_TABLE >= len(units)
        header = ["TT", "Nội dung", *[clean(u.get("unit")) for u in chunk]] + (["Tổng cộng"] if last else [])
        rows = [[str(i), figure_words(key), *[number_words((u.get("counts") or {}).get(key, 0)) for u in chunk]]
                + ([number_words(counts.get(key, 0))] if last else []) for i, key in enumerate(keys, start=1)]
        columns = len(header) - 2
        figure_width = 72
        paper.grid(header, rows, [10, figure_width] + [(width - 10 - figure_width) / columns] * columns,
                   size=APPENDIX_SIZE, numeric_from=2)


# --- XLSX ------------------------------------------------------------------------------------

def _text(value):
    """A cell's value: text without the control characters a workbook cannot hold (formula
    signs are made inert by spreadsheets.write_xlsx)."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
    return value


def _rows(rows):
    return [[_text(v) for v in row] for row in rows]


def report_xlsx(report: Report) -> bytes:
    """The report's tables: about the report; the counts; violations by type with their total;
    targets against measured values; for a consolidated report, every count by unit with the
    totals. Totals are numbers, never formulas."""
    found = figures(report)
    counts = found["counts"]
    keys = figure_keys(counts)
    plan = report.obligation.rule.plan
    about = [
        ["Đơn vị báo cáo", report.unit.name],
        ["Số, ký hiệu", report.number or ""],
        ["Loại báo cáo", {ReportKind.PERIODIC: "Định kỳ", ReportKind.QUICK: "Báo cáo nhanh",
                          ReportKind.CONSOLIDATED: "Tổng hợp"}[report.kind]],
        ["Kỳ báo cáo", period_words(report)],
        ["Từ ngày", report.period_start],
        ["Đến ngày", report.period_end],
        ["Theo văn bản", f"{PLAN_WORDS.get(plan.kind, '')} số {plan.number}".strip()],
        ["Nơi nhận", report.obligation.rule.receiver.name],
        ["Địa danh", report.place or ""],
        ["Ngày ban hành", report.issued_on],
        ["Người ký", report.signer_name or ""],
        ["Chức vụ", report.signer_title or ""],
        ["Trạng thái", "Đã gửi" if report.status == ReportStatus.SUBMITTED else "Dự thảo"],
        ["Lần", report.revision],
    ]
    count_rows = [[i, figure_words(k), int(counts.get(k, 0) or 0)] for i, k in enumerate(keys, start=1)]
    by_type = list(found["violations_by_type"].items())
    type_rows = [[i, violation_words(k), int(v or 0)] for i, (k, v) in enumerate(by_type, start=1)]
    type_rows.append(["", "Tổng cộng", sum(int(v or 0) for _k, v in by_type)])
    target_table = [[i, clean(t.get("label")), t.get("target"), t.get("measured"),
                     "%" if t.get("unit", "percent") == "percent" else "cơ sở",
                     "Đạt" if t.get("met") else "Chưa đạt"] for i, t in enumerate(found["targets"], start=1)]
    extra = [
        ("Số liệu", ["TT", "Nội dung", "Số lượng"], _rows(count_rows)),
        ("Vi phạm theo loại", ["TT", "Loại vi phạm", "Số vụ"], _rows(type_rows)),
        ("Chỉ tiêu", ["TT", "Chỉ tiêu", "Mục tiêu (%)", "Kết quả", "Đơn vị tính", "Đánh giá"], _rows(target_table)),
    ]
    if report.kind == ReportKind.CONSOLIDATED:
        unit_rows = [[i, u.get("unit") or "", *[int((u.get("counts") or {}).get(k, 0) or 0) for k in keys]]
                     for i, u in enumerate(found["by_unit"], start=1)]
        unit_rows.append(["", "Tổng cộng", *[int(counts.get(k, 0) or 0) for k in keys]])
        extra.append(("Theo đơn vị", ["TT", "Đơn vị", *[figure_words(k) for k in keys]], _rows(unit_rows)))
    return spreadsheets.write_xlsx(["Thông tin", "Nội dung"], _rows(about), title="Báo cáo", widths=(24, 70),
                                   extra=extra)


# --- file names ------------------------------------------------------------------------------

def filename(report: Report, ext: str) -> str:
    """'bao-cao-15-bc-qltt-ubnd-phuong-ham-rong-2026-11-22.docx'."""
    number = paperwork.slug(report.number or "", "")
    parts = ["bao-cao", number, paperwork.slug(report.unit.name, str(report.unit_id))[:40],
             (report.issued_on or report.period_end or date.today()).isoformat()]
    if report.revision > 1:
        parts.append(f"lan-{report.revision}")
    return "-".join(part for part in parts if part) + f".{ext}"


__all__ = ["DOCX_MIME", "FONT", "XLSX_MIME", "filename", "report_docx", "report_xlsx"]
