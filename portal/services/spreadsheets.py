"""Spreadsheets people upload and download: reading XLSX and CSV into rows of text, and
writing both with text that a spreadsheet would run as a formula made inert.

The kind of an uploaded file is decided by its content (an XLSX workbook is a ZIP archive
holding xl/workbook.xml; anything else must be text), never by the type the browser sends.
A CSV file may be UTF-8, with or without a byte-order mark, or Windows-1258, the code page
of Vietnamese Windows, whose tone marks are separate characters: every text is composed
(NFC) after decoding, so "Hàm Rồng" is the same string whichever way it came.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from portal.services.files import FileRefused, clean_name, read_at_most, zip_names

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 10_000  # rows of data, the header not counted; a larger list is split into files
MAX_COLUMNS = 60  # columns read; anything to the right is ignored
EXCEL_LAST_ROW = 1_048_576
DELIMITERS = (",", ";", "\t")
#: A cell whose text starts with one of these is run as a formula by Excel or LibreOffice
#: (OWASP, CSV injection); the written text starts with an apostrophe instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv; charset=utf-8"

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ESCAPED = re.compile(r"^'[=+\-@\t\r]")


@dataclass
class Row:
    number: int  # as the spreadsheet shows it: 1 is the first row
    cells: list[str]

    def cell(self, index: int) -> str:
        return self.cells[index] if 0 <= index < len(self.cells) else ""


@dataclass
class Table:
    """The non-empty rows of a sheet, each cell as text (stripped, NFC)."""

    kind: str  # "xlsx" or "csv"
    rows: list[Row] = field(default_factory=list)
    encoding: str | None = None  # of a CSV file
    delimiter: str | None = None  # of a CSV file


# --- reading -------------------------------------------------------------------------------

def read_upload(upload) -> tuple[bytes, str]:
    """The bytes and the cleaned name of an upload (a werkzeug FileStorage); refuses a file
    that is empty or larger than MAX_BYTES, reading at most one byte more than that."""
    data = read_at_most(upload.stream, MAX_BYTES + 1)
    check_size(data)
    return data, clean_name(upload.filename) or "spreadsheet"


def check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise FileRefused(too_large_message())
    if not data.strip():
        raise FileRefused(_l("The file is empty."))


def too_large_message():
    return _l("The file is larger than %(size)s MB.", size=f"{MAX_BYTES / (1024 * 1024):.0f}")


def read(data: bytes, filename: str = "") -> Table:
    """Rows of text from the first sheet of an XLSX workbook or from a CSV file. Raises
    FileRefused saying why a file cannot be read."""
    check_size(data)
    ext = filename.rpartition(".")[2].lower() if "." in filename else ""
    if data.startswith(_ZIP):
        if not _is_xlsx(data):
            raise FileRefused(_l("This file is not an XLSX workbook or a CSV file. Save it from your "
                                 "spreadsheet as Excel Workbook (.xlsx) or CSV."))
        if ext == "csv":
            raise FileRefused(_l("The file's content does not match its name."))
        return _read_xlsx(data)
    if data.startswith(_OLE):
        raise FileRefused(_l("This is an old Excel file (.xls). Save it as Excel Workbook (.xlsx) or CSV and "
                             "upload that."))
    if ext in {"xlsx", "xlsm"}:
        raise FileRefused(_l("The file's content does not match its name."))
    return _read_csv(data)


def _is_xlsx(data: bytes) -> bool:
    """An OOXML workbook, and one safe to open (see files.zip_names)."""
    names = zip_names(io.BytesIO(data))
    return names is not None and "xl/workbook.xml" in names and "[Content_Types].xml" in names


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    table = Table("xlsx")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001  (openpyxl raises many kinds of error on a damaged workbook)
        raise FileRefused(_l("The workbook could not be opened: it may be damaged. Open it in your spreadsheet, "
                             "save it again as .xlsx and upload that.")) from None
    try:
        if not workbook.worksheets:
            raise FileRefused(_l("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # the stored size is often wrong; read what is there
        rows = sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
        _collect(table, enumerate(rows, start=1), cell_text)
    except FileRefused:
        raise
    except Exception:  # noqa: BLE001  (and while reading its cells)
        raise FileRefused(_l("The workbook could not be opened: it may be damaged. Open it in your spreadsheet, "
                             "save it again as .xlsx and upload that.")) from None
    finally:
        workbook.close()
    return table


def _collect(table: Table, numbered: Iterable[tuple[int, Sequence]], to_text) -> None:
    for number, values in numbered:
        if number > EXCEL_LAST_ROW:
            raise FileRefused(too_many_rows_message())
        cells = [to_text(v) for v in list(values)[:MAX_COLUMNS]]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        table.rows.append(Row(number, cells))
        if len(table.rows) > MAX_ROWS + 1:  # the header and MAX_ROWS rows of data
            raise FileRefused(too_many_rows_message())


def too_many_rows_message():
    return _l("The file has more than %(num)s rows. Split it into smaller files.", num=f"{MAX_ROWS:,}")


def cell_text(value) -> str:
    """A cell as text: numbers without a trailing '.0', dates as YYYY-MM-DD, text composed
    (NFC) and stripped, and an apostrophe put before a formula sign by an export taken off."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.15g}"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (time, timedelta)):
        return str(value)
    text = unicodedata.normalize("NFC", str(value)).replace("\x00", "").strip()
    return text[1:] if _ESCAPED.match(text) else text


def _read_csv(data: bytes) -> Table:
    text, encoding = decode(data)
    if _CONTROL.search(text):
        raise FileRefused(_l("This file is not an XLSX workbook or a CSV file. Save it from your "
                             "spreadsheet as Excel Workbook (.xlsx) or CSV."))
    text = unicodedata.normalize("NFC", text)
    delimiter = sniff_delimiter(text)
    table = Table("csv", encoding=encoding, delimiter=delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        _collect(table, enumerate(reader, start=1), cell_text)
    except csv.Error:
        raise FileRefused(_l("Line %(line)d of the file could not be read: check its quotation marks.",
                             line=reader.line_num)) from None
    return table


def decode(data: bytes) -> tuple[str, str]:
    """Text of a CSV file: UTF-8 (with or without a byte-order mark), UTF-16 with its mark
    (Excel's "Unicode text"), else Windows-1258. A file that is mostly UTF-8 but broken
    somewhere is refused with the line, not read as Windows-1258 into nonsense."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        loose = data.decode("utf-8", errors="replace")
        broken = loose.count("\ufffd")
        valid = sum(1 for ch in loose if ord(ch) > 127) - broken
        if valid > broken:
            raise FileRefused(_broken(data, error.start)) from None
    try:
        return data.decode("cp1258"), "cp1258"
    except UnicodeDecodeError as error:
        raise FileRefused(_broken(data, error.start)) from None


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise FileRefused(_broken(data, error.start)) from None


def _broken(data: bytes, position: int):
    return _l("The text of the file is damaged on line %(line)d: save it again as CSV UTF-8 and upload that.",
              line=data.count(b"\n", 0, position) + 1)


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the first lines into the most columns."""
    head = [line for line in text[:65536].splitlines() if line.strip()][:5]
    if not head:
        return ","

    def columns(delimiter: str) -> int:
        try:
            widths = [len(r) for r in csv.reader(head, delimiter=delimiter)]
        except csv.Error:
            return 0
        return widths[0] if widths else 0

    best = max(DELIMITERS, key=lambda d: (columns(d), d == ","))
    return best if columns(best) > 1 else ","


# --- writing -------------------------------------------------------------------------------

def inert(value):
    """A value safe to put in a cell: text that a spreadsheet would take for a formula gets
    an apostrophe before it; numbers and dates stay as they are; None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return value


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence], *, title: str = "Sheet1",
               widths: Sequence[int] = (), extra: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]] = ()
               ) -> bytes:
    """An XLSX workbook: a bold header row, then the rows; every text cell is stored as text
    (never a formula, whatever it starts with). ``extra`` adds sheets: (title, header, rows)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    _write_sheet(workbook, title, header, rows, widths)
    for sheet_title, sheet_header, sheet_rows in extra:
        _write_sheet(workbook, sheet_title, sheet_header, sheet_rows, ())
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_sheet(workbook, title: str, header: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int]):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=_sheet_title(title))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value, *, font=None):
        written = WriteOnlyCell(sheet, value=inert(value))
        if written.data_type == "f":  # belt and braces: text is never a formula
            written.data_type = "s"
        if isinstance(value, date):
            written.number_format = "DD/MM/YYYY"
        if font is not None:
            written.font = font
        return written

    sheet.append([cell(str(h), font=bold) for h in header])
    for row in rows:
        sheet.append([cell(v) for v in row])


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip() or "Sheet1"
    return cleaned[:31]


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """A CSV file line by line, to stream: UTF-8 with a byte-order mark (so that Excel shows
    Vietnamese letters), dates as DD/MM/YYYY, formula signs made inert."""
    first = True
    for line in csv_body([[str(h) for h in header]]):
        yield "\ufeff" + line if first else line
        first = False
    yield from csv_body(rows)


def csv_body(rows: Iterable[Sequence]) -> Iterator[str]:
    """Lines of CSV without the header and byte-order mark: the rest of a streamed file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_csv_value(v) for v in row])
        yield buffer.getvalue()


def _csv_value(value):
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return inert(value)
