"""Backups an operator can restore: every table of the database and every uploaded file, in one
archive that works the same for SQLite and PostgreSQL (and can move data from one to the other).

The archive is a gzip'd tar file holding ``data.jsonl`` (a header line, then for each table a line
naming its columns followed by one line per row) and ``files/`` (the upload folders of the
instance folder: scans, evidence, tip photos, guide images). A restore refuses an archive made at
another schema revision, replaces every row in one transaction, and only then puts the files in
place, so a failed restore leaves the database as it was.
"""
from __future__ import annotations

import enum
import json
import shutil
import tarfile
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import IO, Iterator

from sqlalchemy import Date, Integer, Table, delete, func, insert, select, text, update
from sqlalchemy.types import JSON

from portal.db import Base, UTCDateTime, utcnow
from portal.extensions import db

FORMAT = "portal-backup/1"
BATCH = 1_000
#: The instance sub-folders that hold uploaded files (the SQLite database and the development
#: secret key beside them are not part of a backup; import previews are temporary).
UPLOAD_FOLDERS = ("scans", "evidence", "uploads", "tip-photos", "guide-images")
#: Alembic's own table is not backed up: the restored database is already at the same revision.
SKIPPED_TABLES = {"alembic_version"}


class BackupRefused(Exception):
    pass


def tables() -> list[Table]:
    """Every table, parents before children."""
    return [t for t in Base.metadata.sorted_tables if t.name not in SKIPPED_TABLES]


def revision() -> str | None:
    return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _plain(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _typed(column, value):
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    enum_class = getattr(kind, "enum_class", None)
    if enum_class is not None and not isinstance(kind, JSON):
        return enum_class(value)
    return value


def _lines() -> Iterator[str]:
    yield json.dumps({"format": FORMAT, "revision": revision(), "created_at": utcnow().isoformat(),
                      "dialect": db.engine.dialect.name})
    for table in tables():
        columns = [c.name for c in table.columns]
        yield json.dumps({"table": table.name, "columns": columns})
        order = list(table.primary_key.columns) or list(table.columns)
        result = db.session.execute(select(table).order_by(*order).execution_options(yield_per=BATCH))
        for row in result:
            yield json.dumps([_plain(v) for v in row], ensure_ascii=False)


def upload_folders(instance: Path) -> list[Path]:
    return [Path(instance) / name for name in UPLOAD_FOLDERS if (Path(instance) / name).is_dir()]


def write_backup(target: Path, instance: Path) -> dict[str, int]:
    """Write the archive; returns the number of rows per table (and of files as "files")."""
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "data.jsonl"
        current = None
        with data.open("w", encoding="utf-8") as out:
            for line in _lines():
                if line.startswith('{"table"'):
                    current = json.loads(line)["table"]
                    counts[current] = 0
                elif current is not None:
                    counts[current] += 1
                out.write(line + "\n")
        files = 0
        partial = Path(str(target) + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(data, arcname="data.jsonl")
            for folder in upload_folders(instance):
                for path in sorted(folder.rglob("*")):
                    if path.is_file() and not path.is_symlink():
                        archive.add(path, arcname=f"files/{path.relative_to(instance).as_posix()}")
                        files += 1
        partial.replace(target)
    counts["files"] = files
    return counts


def _read_data(stream: IO[str]) -> Iterator[tuple[Table, list[str], list[list]]]:
    header = json.loads(stream.readline() or "{}")
    if header.get("format") != FORMAT:
        raise BackupRefused("This file is not a portal backup.")
    if header.get("revision") != revision():
        raise BackupRefused(f"The backup is of schema revision {header.get('revision')}, the database is at "
                            f"{revision()}: run `flask db upgrade` or restore into a matching version.")
    known = {t.name: t for t in tables()}
    table, columns, rows = None, [], []
    for line in stream:
        item = json.loads(line)
        if isinstance(item, dict):
            if table is not None:
                yield table, columns, rows
            if item["table"] not in known:
                raise BackupRefused(f"Unknown table in the backup: {item['table']}")
            table, columns, rows = known[item["table"]], item["columns"], []
        else:
            rows.append(item)
    if table is not None:
        yield table, columns, rows


def _restore_rows(stream: IO[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in reversed(tables()):
        db.session.execute(delete(table))
    for table, columns, rows in _read_data(stream):
        unknown = set(columns) - set(table.c.keys())
        if unknown:
            raise BackupRefused(f"Unknown columns in {table.name}: {sorted(unknown)}")
        # Rows that point at rows of their own table (a unit's parent, a merged business) are
        # inserted without the pointer first, then the pointers are set.
        self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
        records = [{name: _typed(table.c[name], value) for name, value in zip(columns, row)} for row in rows]
        pointers = []
        for record in records:
            if any(record.get(name) is not None for name in self_refs):
                # (columns with an update default, such as updated_at, keep their saved value)
                kept = {c.name: record.get(c.name) for c in table.columns if c.onupdate is not None}
                pointers.append(({c.name: record[c.name] for c in table.primary_key.columns},
                                 {**kept, **{name: record[name] for name in self_refs}}))
                record.update({name: None for name in self_refs})
        for start in range(0, len(records), BATCH):
            db.session.execute(insert(table), records[start:start + BATCH])
        for key, values in pointers:
            db.session.execute(update(table).where(*(table.c[k] == v for k, v in key.items())).values(**values))
        counts[table.name] = len(records)
    _reset_sequences()
    return counts


def _reset_sequences() -> None:
    """PostgreSQL hands out ids from sequences, which a restore does not move on."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in tables():
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and isinstance(pk[0].type, Integer):
            sequence = db.session.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": pk[0].name}).scalar()
            if sequence:
                highest = db.session.execute(select(func.max(pk[0]))).scalar()
                db.session.execute(text("SELECT setval(:s, :v, :called)"),
                                   {"s": sequence, "v": highest or 1, "called": highest is not None})


def restore_backup(source: Path, instance: Path) -> dict[str, int]:
    """Replace every row and every uploaded file with those of the archive."""
    with tarfile.open(source, "r:gz") as archive, tempfile.TemporaryDirectory() as work:
        members = archive.getmembers()
        for member in members:
            name = Path(member.name)
            if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
                raise BackupRefused(f"Refusing an unsafe path in the backup: {member.name}")
        archive.extractall(work, filter="data")
        data = Path(work) / "data.jsonl"
        if not data.is_file():
            raise BackupRefused("This file is not a portal backup.")
        try:
            with data.open(encoding="utf-8") as stream:
                counts = _restore_rows(stream)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        files = Path(work) / "files"
        counts["files"] = 0
        for folder in upload_folders(instance):
            shutil.rmtree(folder)
        if files.is_dir():
            for path in sorted(files.rglob("*")):
                if path.is_file():
                    relative = path.relative_to(files)
                    if relative.parts[0] not in UPLOAD_FOLDERS:
                        continue
                    target = Path(instance) / relative
                    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                    shutil.copyfile(path, target)
                    target.chmod(0o600)
                    counts["files"] += 1
    return counts


def snapshot_rows() -> dict[str, list[tuple]]:
    """Every row of every table, for comparing two databases (used by the round-trip test)."""
    result = {}
    for table in tables():
        order = list(table.primary_key.columns) or list(table.columns)
        result[table.name] = [tuple(_plain(v) for v in row) for row in db.session.execute(
            select(table).order_by(*order))]
    return result

