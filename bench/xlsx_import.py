"""The time of importing a 10,000-row workbook into the registry of a national-size database:
both steps a user waits for (the check that shows the preview, then the import itself), in
this process, inside a transaction that is rolled back so the bench data stays as it was."""
from __future__ import annotations

import io
import secrets
import time
from dataclasses import dataclass

from flask import Flask
from openpyxl import Workbook
from sqlalchemy import select

from portal.extensions import db
from portal.models import User, Ward
from portal.services import registry_import

HEADER = ("Tên cơ sở", "Chủ cơ sở", "Địa chỉ", "Mã phường/xã", "Loại hình", "Mặt hàng", "Điện thoại")
TRADES = (("Tạp hóa", "Thực phẩm"), ("Cửa hàng mỹ phẩm", "Mỹ phẩm"), ("Cửa hàng sữa", "Sữa và sản phẩm từ sữa"),
          ("Nhà thuốc", "Dược phẩm"), ("Cửa hàng điện thoại", "Điện thoại"))


@dataclass(frozen=True)
class ImportTiming:
    rows: int
    check_seconds: float  # the upload: reading the file and the preview
    import_seconds: float  # the confirmation: the import (which checks again first)
    created: int

    @property
    def seconds(self) -> float:
        return self.check_seconds + self.import_seconds


def workbook(ward_codes: list[int], rows: int, tag: str) -> bytes:
    """A registry workbook of new businesses spread over the wards, as an official fills it."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Cơ sở")
    sheet.append(HEADER)
    for i in range(rows):
        trade, goods = TRADES[i % len(TRADES)]
        sheet.append((f"{trade} Thử tải {tag} {i + 1}", "Nguyễn Văn An", f"Số {i + 1} đường Thử tải {tag}",
                      str(ward_codes[i % len(ward_codes)]), "Cửa hàng" if i % 4 else "Shop", goods,
                      f"09{i:08d}"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def time_import(app: Flask, username: str, rows: int = 10_000) -> ImportTiming:
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.username == username))
        if actor is None:
            raise RuntimeError(f"No user {username} in the bench database")
        unit = actor.unit
        wards = [unit.ward_code] if unit.ward_code else list(db.session.scalars(
            select(Ward.code).where(Ward.province_code == unit.province_code)))
        data = workbook(wards, rows, secrets.token_hex(3))
        try:
            started = time.perf_counter()
            checked = registry_import.preview(actor, data, "bench.xlsx")
            middle = time.perf_counter()
            if not checked.ok:
                problem = checked.refused[0]
                raise RuntimeError(f"The bench workbook was refused at row {problem.row}: "
                                   f"{[str(p.message) for p in problem.problems]}")
            result = registry_import.apply(actor, data, "bench.xlsx", expected=checked.fingerprint)
            ended = time.perf_counter()
        finally:
            db.session.rollback()
    return ImportTiming(rows=rows, check_seconds=middle - started, import_seconds=ended - middle,
                        created=result.count(registry_import.CREATE))
