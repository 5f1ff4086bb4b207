"""Reports as documents: the DOCX under Decree 30/2020/NĐ-CP read back with python-docx, the
XLSX read back with openpyxl, and hostile text that must stay inert."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from docx import Document
from docx.shared import Mm, Pt
from openpyxl import load_workbook

from portal.demo import ensure_unit
from portal.extensions import db
from portal.models import (
    NARRATIVE_SECTIONS,
    Report,
    ReportingRule,
    ReportKind,
    ReportObligation,
    ReportStatus,
    Role,
    RuleKind,
    Unit,
    UnitKind,
    User,
)
from portal.services import report_documents, reports
from tests.factories import make_plan, make_user

CAN_THO = 92
KEYS = [key for key, _label in reports.FIGURES]
NARRATIVE = {
    "market_situation": "Thị trường ổn định; hàng giả tập trung ở mặt hàng sữa và thực phẩm chức năng.",
    "outreach_results": "Tổ chức tuyên truyền tại chợ Tân An và chợ Xuân Khánh.",
    "enforcement_results": "Kiểm tra 12 cơ sở, phát hiện 3 vụ vi phạm.",
    "progress": "Đạt 80% chỉ tiêu ký cam kết.",
    "difficulties": "Lực lượng mỏng.",
    "proposals": "Đề nghị bổ sung kinh phí in tài liệu.",
}


def counts(seed: int) -> dict[str, int]:
    return {key: seed * (index + 1) for index, key in enumerate(KEYS)} | {"fines_total": seed * 1_500_000}


def by_type(seed: int) -> dict[str, int]:
    return {"counterfeit": seed, "unknown_origin": 2 * seed, "smuggled": 0}


@dataclass
class Docs:
    city: Unit  # UBND thành phố Cần Thơ
    department: Unit  # Chi cục QLTT, the standing office of the teams
    team1: Unit
    team2: Unit
    department_user: User
    team1_user: User
    team2_user: User
    outsider: User  # Thanh Hóa province
    team_report: Report  # team 1's weekly report, submitted, with figures frozen
    consolidated: Report  # the department's report compiled from both teams


def build_docs(world, *, hostile: bool = False) -> Docs:
    K = UnitKind
    city = ensure_unit("UBND thành phố Cần Thơ", K.PEOPLES_COMMITTEE, world.root, province=CAN_THO)
    department = ensure_unit("Chi cục Quản lý thị trường thành phố Cần Thơ", K.MARKET_SURVEILLANCE, city,
                             province=CAN_THO)
    team1 = ensure_unit("Đội Quản lý thị trường số 1", K.MARKET_SURVEILLANCE_TEAM, department, province=CAN_THO)
    team2 = ensure_unit("Đội Quản lý thị trường số 2", K.MARKET_SURVEILLANCE_TEAM, department, province=CAN_THO)
    department_user = make_user("chicuc", department, Role.LEADER)
    team1_user = make_user("doi1", team1, Role.LEADER)
    team2_user = make_user("doi2", team2, Role.OFFICER)
    plan = make_plan(department_user, number="125/KH-QLTT", unit=department,
                     title="Kế hoạch cao điểm chống hàng giả dịp cuối năm")
    db.session.autoflush = False  # the rows below are built together, then committed
    weekly = ReportingRule(plan=plan, name="Báo cáo tuần", kind=RuleKind.WEEKLY, weekday=2, hour=14, minute=0,
                           receiver_unit_id=department.id, reporters=[team1, team2])
    upward = ReportingRule(plan=plan, name="Báo cáo tuần của Chi cục", kind=RuleKind.WEEKLY, weekday=3, hour=14,
                           minute=0, receiver_unit_id=city.id, reporters=[department])
    db.session.add_all([weekly, upward])
    due = datetime(2026, 11, 25, 7, tzinfo=UTC)

    def report(unit, rule, kind, figures, **extra):
        obligation = ReportObligation(rule=rule, unit_id=unit.id, due_at=due, submitted_at=due)
        row = Report(obligation=obligation, unit=unit, kind=kind, status=ReportStatus.SUBMITTED,
                     period_start=date(2026, 11, 18), period_end=date(2026, 11, 24), revision=1,
                     created_by_id=department_user.id, submitted_at=due, figures=figures, **NARRATIVE, **extra)
        db.session.add(row)
        return row

    team_figures = {"counts": counts(1), "violations_by_type": by_type(1),
                    "targets": [{"id": 1, "label": "100% cơ sở kinh doanh tại chợ ký cam kết", "target": 100,
                                 "measured": 80, "met": False, "unit": "percent"}], "by_unit": []}
    team_fields = dict(number="15/BC-QLTT", place="Thành phố Cần Thơ", issued_on=date(2026, 11, 22),
                       recipients="Chi cục Quản lý thị trường thành phố Cần Thơ;\n- Ban Chỉ đạo 389 thành phố Cần Thơ",
                       signer_name="Trần Văn Bình", signer_title="Đội trưởng")
    if hostile:
        team_fields.update(number="=CMD()|' /C calc'!A0", signer_name="@SUM(1+1)\x07",
                           recipients="+cmd|' /C calc'!A0\n-2+3\x1b\n\x01Lưu trữ",
                           signer_title="Đội trưởng\x0b\x0c")
        team_figures["targets"][0]["label"] = '=HYPERLINK("http://evil.example","bấm")'
        team_figures["violations_by_type"] = by_type(1)
    team_report = report(team1, weekly, ReportKind.PERIODIC, team_figures, **team_fields)
    if hostile:
        team_report.market_situation = "=1+1\x08 thị trường\x1f ổn định\r\n\ttab"  # (PostgreSQL holds no NUL)
    total = {key: counts(1)[key] + counts(2)[key] for key in KEYS}
    consolidated = report(department, upward, ReportKind.CONSOLIDATED, {
        "counts": total, "violations_by_type": {k: by_type(1)[k] + by_type(2)[k] for k in by_type(1)},
        "targets": [], "source": {"rule_id": 0, "due_at": due.isoformat()},
        "by_unit": [{"unit_id": team1.id, "unit": team1.name, "report_id": 0, "counts": counts(1)},
                    {"unit_id": team2.id, "unit": team2.name, "report_id": 0, "counts": counts(2)}]},
        number="20/BC-QLTT", place="Cần Thơ", issued_on=date(2026, 11, 26), recipients="UBND thành phố Cần Thơ",
        signer_name="Lê Thị Cúc", signer_title="KT. Chi cục trưởng\nPhó Chi cục trưởng")
    db.session.commit()
    db.session.autoflush = True
    return Docs(city, department, team1, team2, department_user, team1_user, team2_user, world.viewer,
                team_report, consolidated)


@pytest.fixture
def docs(world):
    return build_docs(world)


# --- reading the document back ---------------------------------------------------------------

def mm(length) -> float:
    """A length in millimetres to a tenth (Word keeps lengths in twips)."""
    return round(length / Mm(1), 1)


def near(length, millimetres: float) -> bool:
    return abs(length - Mm(millimetres)) < Mm(0.1)


def cells_text(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def all_paragraphs(document):
    """Every paragraph, including those in table cells (the head and the closing are tables)."""
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def runs_with(document, text: str):
    return [run for p in all_paragraphs(document) for run in p.runs if text in run.text]


def full_text(document) -> str:
    return "\n".join(p.text for p in all_paragraphs(document))


def test_docx_is_an_administrative_document_under_decree_30(app, docs):
    data = report_documents.report_docx(docs.team_report)
    document = Document(BytesIO(data))

    # the head: the issuing body with the number below it; the national title and motto with the date line
    head = cells_text(document.tables[0])
    assert head[0][0].splitlines()[:2] == ["CHI CỤC QUẢN LÝ THỊ TRƯỜNG THÀNH PHỐ CẦN THƠ",
                                          "ĐỘI QUẢN LÝ THỊ TRƯỜNG SỐ 1"]
    assert head[1][0] == "Số: 15/BC-QLTT"
    assert head[0][1].splitlines()[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert head[1][1] == "Cần Thơ, ngày 22 tháng 11 năm 2026"
    [date_run] = runs_with(document, "Cần Thơ, ngày 22 tháng 11 năm 2026")
    assert date_run.italic
    assert all(r.bold for r in runs_with(document, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    assert all(r.bold for r in runs_with(document, "ĐỘI QUẢN LÝ THỊ TRƯỜNG SỐ 1"))
    [parent_run] = runs_with(document, "CHI CỤC QUẢN LÝ THỊ TRƯỜNG THÀNH PHỐ CẦN THƠ")
    assert not parent_run.bold

    # the title and the body: the six sections in order, each narrative, the figures
    body = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in body
    assert "Kết quả thực hiện Kế hoạch số 125/KH-QLTT" in body
    assert ("Thực hiện Kế hoạch số 125/KH-QLTT ngày 05/01/2026 của Chi cục Quản lý thị trường thành phố Cần Thơ về "
            "cao điểm chống hàng giả dịp cuối năm, Đội Quản lý thị trường số 1 báo cáo kết quả thực hiện từ ngày "
            "18/11/2026 đến ngày 24/11/2026 như sau:") in body
    assert "(Từ ngày 18/11/2026 đến ngày 24/11/2026)" in body
    headings = [t for t in body if t[:4] in {"I. T", "II. ", "III.", "IV. ", "V. K", "VI. "}]
    assert headings == ["I. TÌNH HÌNH THỊ TRƯỜNG, HOẠT ĐỘNG KINH DOANH TRÊN ĐỊA BÀN",
                        "II. KẾT QUẢ TUYÊN TRUYỀN, VẬN ĐỘNG KÝ CAM KẾT VÀ SỰ CHUYỂN BIẾN",
                        "III. KẾT QUẢ KIỂM TRA, KIỂM SOÁT, XỬ LÝ VI PHẠM VÀ SỰ CHUYỂN BIẾN",
                        "IV. TIẾN ĐỘ THỰC HIỆN CÁC CHỈ TIÊU", "V. KHÓ KHĂN, VƯỚNG MẮC", "VI. ĐỀ XUẤT, KIẾN NGHỊ"]
    for name in NARRATIVE_SECTIONS:
        assert NARRATIVE[name] in body
    assert "DỰ THẢO" not in body  # submitted

    tables = [cells_text(t) for t in document.tables]
    figures = {row[1]: row[2] for t in tables[1:] for row in t[1:] if len(row) == 3}
    assert figures["Tổng số cơ sở kinh doanh trên địa bàn"] == str(counts(1)["businesses_total"])
    assert figures["Số cuộc kiểm tra"] == str(counts(1)["inspections"])
    assert figures["Số tiền xử phạt (đồng)"] == "1.500.000"
    assert figures["Hàng không rõ nguồn gốc xuất xứ"] == "2" and figures["Tổng cộng"] == "3"
    [targets] = [t for t in tables if t[0] == ["TT", "Chỉ tiêu", "Mục tiêu", "Kết quả", "Đánh giá"]]
    assert targets[1] == ["1", "100% cơ sở kinh doanh tại chợ ký cam kết", "100%", "80%", "Chưa đạt"]

    # the closing: "Nơi nhận" bottom left (12 pt bold italic, then 11 pt), the signature bottom right
    closing = document.tables[-1]
    recipients, signature = closing.rows[0].cells
    assert [p.text for p in recipients.paragraphs] == [
        "Nơi nhận:", "- Chi cục Quản lý thị trường thành phố Cần Thơ;", "- Ban Chỉ đạo 389 thành phố Cần Thơ;",
        "- Lưu: VT."]
    head_run = recipients.paragraphs[0].runs[0]
    assert head_run.bold and head_run.italic and head_run.font.size == Pt(12)
    assert recipients.paragraphs[1].runs[0].font.size == Pt(11)
    lines = [p.text for p in signature.paragraphs if p.text]
    assert lines == ["ĐỘI TRƯỞNG", "Trần Văn Bình"]
    assert all(r.bold for p in signature.paragraphs for r in p.runs)

    # Times New Roman everywhere, 13–14 pt in the body, A4 and the decree's margins
    runs = [run for p in all_paragraphs(document) for run in p.runs if run.text.strip()]
    assert runs and all(run.font.name == "Times New Roman" for run in runs)
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert all(Pt(13) <= run.font.size <= Pt(14) for p in document.paragraphs for run in p.runs if run.text.strip())
    section = document.sections[0]
    assert near(section.page_width, 210) and near(section.page_height, 297)  # A4 (stored in twips)
    assert 20 <= mm(section.top_margin) <= 25 and 20 <= mm(section.bottom_margin) <= 25
    assert 30 <= mm(section.left_margin) <= 35 and 15 <= mm(section.right_margin) <= 20
    assert len(document.sections) == 1  # no appendix for a unit's own report


def test_consolidated_docx_breaks_the_figures_down_by_unit(app, docs):
    document = Document(BytesIO(report_documents.report_docx(docs.consolidated)))
    text = full_text(document)
    assert "Tổng hợp kết quả thực hiện Kế hoạch số 125/KH-QLTT" in text
    head = cells_text(document.tables[0])
    assert head[1][1] == "Cần Thơ, ngày 26 tháng 11 năm 2026" and head[1][0] == "Số: 20/BC-QLTT"
    signature = [p.text for p in document.tables[-2].rows[0].cells[1].paragraphs if p.text]
    assert signature == ["KT. CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG", "Lê Thị Cúc"]
    # the appendix: a landscape page with every figure by unit and the totals
    appendix = document.sections[-1]
    assert near(appendix.page_width, 297) and near(appendix.page_height, 210)
    table = cells_text(document.tables[-1])
    assert table[0] == ["TT", "Nội dung", "Đội Quản lý thị trường số 1", "Đội Quản lý thị trường số 2", "Tổng cộng"]
    assert len(table) == 1 + len(KEYS)
    for row in table[1:]:
        one, two, total = (int(v.replace(".", "")) for v in row[2:])
        assert one + two == total
    assert table[1][1:] == ["Tổng số cơ sở kinh doanh trên địa bàn", "1", "2", "3"]


def test_a_draft_is_marked_and_its_blank_date_is_left_for_the_hand(app, docs):
    docs.team_report.status, docs.team_report.issued_on, docs.team_report.number = ReportStatus.DRAFT, None, None
    docs.team_report.difficulties = None
    db.session.commit()
    document = Document(BytesIO(report_documents.report_docx(docs.team_report)))
    body = [p.text for p in document.paragraphs]
    assert "DỰ THẢO" in body and "(Chưa có nội dung.)" in body
    head = cells_text(document.tables[0])
    assert head[1][0] == "Số: ...../BC-"
    assert head[1][1] == "Cần Thơ, ngày ..... tháng ..... năm 20...."


def sheet_rows(workbook, title: str) -> list[tuple]:
    return [tuple(row) for row in workbook[title].iter_rows(values_only=True)]


def test_xlsx_tables_and_totals_match_the_figures(app, docs):
    workbook = load_workbook(BytesIO(report_documents.report_xlsx(docs.team_report)))
    assert workbook.sheetnames == ["Báo cáo", "Số liệu", "Vi phạm theo loại", "Chỉ tiêu"]
    about = dict(sheet_rows(workbook, "Báo cáo")[1:])
    assert about["Số, ký hiệu"] == "15/BC-QLTT" and about["Đơn vị báo cáo"] == "Đội Quản lý thị trường số 1"
    figures = sheet_rows(workbook, "Số liệu")
    assert figures[0] == ("TT", "Nội dung", "Số lượng")
    assert [row[2] for row in figures[1:]] == [counts(1)[key] for key in KEYS]
    assert all(isinstance(row[2], int) for row in figures[1:])
    types = sheet_rows(workbook, "Vi phạm theo loại")
    assert types[-1] == (None, "Tổng cộng", 3) and sum(row[2] for row in types[1:-1]) == 3
    targets = sheet_rows(workbook, "Chỉ tiêu")
    assert targets[1] == (1, "100% cơ sở kinh doanh tại chợ ký cam kết", 100, 80, "%", "Chưa đạt")


def test_consolidated_xlsx_by_unit_rows_sum_to_the_totals(app, docs):
    workbook = load_workbook(BytesIO(report_documents.report_xlsx(docs.consolidated)))
    assert workbook.sheetnames[-1] == "Theo đơn vị"
    rows = sheet_rows(workbook, "Theo đơn vị")
    assert rows[0][:3] == ("TT", "Đơn vị", "Tổng số cơ sở kinh doanh trên địa bàn")
    units, total = rows[1:-1], rows[-1]
    assert [row[1] for row in units] == ["Đội Quản lý thị trường số 1", "Đội Quản lý thị trường số 2"]
    assert total[1] == "Tổng cộng"
    expected = docs.consolidated.figures["counts"]
    for index, key in enumerate(KEYS, start=2):
        assert isinstance(total[index], int)  # a number, not a formula
        assert sum(row[index] for row in units) == total[index] == expected[key]
    sheet = workbook["Theo đơn vị"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    figures = dict((row[1], row[2]) for row in sheet_rows(workbook, "Số liệu")[1:])
    assert figures["Số cuộc kiểm tra"] == expected["inspections"]


def test_hostile_text_is_inert_in_both_files(app, world):
    docs = build_docs(world, hostile=True)
    document = Document(BytesIO(report_documents.report_docx(docs.team_report)))
    text = full_text(document)
    assert "Số: =CMD()|' /C calc'!A0" in text
    assert "=1+1 thị trường ổn định" in text and "tab" in text
    assert not any(ch in text for ch in "\x01\x07\x08\x0b\x0c\x1b\x1f")
    recipients = [p.text for p in document.tables[-1].rows[0].cells[0].paragraphs]
    assert recipients == ["Nơi nhận:", "- cmd|' /C calc'!A0;", "- 2+3;", "- Lưu trữ."]

    workbook = load_workbook(BytesIO(report_documents.report_xlsx(docs.team_report)))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value
                    assert not any(ch in cell.value for ch in "\x01\x07\x08\x0b\x0c\x1b\x1f")
    about = dict(sheet_rows(workbook, "Báo cáo")[1:])
    assert about["Số, ký hiệu"] == "'=CMD()|' /C calc'!A0"
    assert about["Người ký"] == "'@SUM(1+1)"
    assert sheet_rows(workbook, "Chỉ tiêu")[1][1] == "'=HYPERLINK(\"http://evil.example\",\"bấm\")"


def test_file_names_are_plain_and_telling(app, docs):
    assert report_documents.filename(docs.team_report, "docx") == \
        "bao-cao-15-bc-qltt-doi-quan-ly-thi-truong-so-1-2026-11-22.docx"
    docs.team_report.revision, docs.team_report.number = 2, None
    assert report_documents.filename(docs.team_report, "xlsx") == \
        "bao-cao-doi-quan-ly-thi-truong-so-1-2026-11-22-lan-2.xlsx"


def test_a_quick_report_shows_the_case_and_only_what_was_written(app, docs):
    report = docs.team_report
    report.kind = ReportKind.QUICK
    report.period_start = report.period_end = date(2026, 11, 21)
    for name in NARRATIVE_SECTIONS:
        setattr(report, name, None)
    report.enforcement_results = "Thu giữ 120 hộp sữa giả tại cơ sở Tạp hóa Minh Ánh."
    db.session.commit()
    body = [p.text for p in Document(BytesIO(report_documents.report_docx(report))).paragraphs]
    assert "BÁO CÁO NHANH" in body
    assert "(Ngày 21/11/2026)" in body
    assert [t for t in body if t.startswith("I. ") or t.startswith("II. ")] == [
        "I. KẾT QUẢ KIỂM TRA, KIỂM SOÁT, XỬ LÝ VI PHẠM VÀ SỰ CHUYỂN BIẾN"]
    assert "Thu giữ 120 hộp sữa giả tại cơ sở Tạp hóa Minh Ánh." in body
