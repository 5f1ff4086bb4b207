"""Backup and restore: the round trip gives back every row of every table and every uploaded
file exactly, on SQLite and on PostgreSQL; unsafe or mismatched archives are refused whole."""
from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from portal.extensions import db
from portal.models import AuditEntry, Business, Unit
from portal.services.backup import BackupRefused, restore_backup, snapshot_rows, write_backup


def instance_files(instance: Path) -> dict[str, bytes]:
    return {p.relative_to(instance).as_posix(): p.read_bytes()
            for p in sorted(instance.rglob("*")) if p.is_file() and p.parts[len(instance.parts)] in
            ("scans", "evidence", "uploads", "tip-photos", "guide-images")}


@pytest.fixture
def filled(app, demo):
    instance = Path(app.instance_path)
    (instance / "scans").mkdir()
    (instance / "scans" / "a1.pdf").write_bytes(b"%PDF-1.7 scan")
    (instance / "tip-photos").mkdir()
    (instance / "tip-photos" / "b2.jpg").write_bytes(b"\xff\xd8\xff photo")
    return instance


def test_round_trip_restores_every_table_and_file_exactly(app, filled, tmp_path_factory):
    before = snapshot_rows()
    files_before = instance_files(filled)
    assert sum(len(rows) for rows in before.values()) > 1_000 and len(files_before) == 2
    archive = tmp_path_factory.mktemp("backups") / "portal.tar.gz"
    counts = write_backup(archive, filled)
    assert counts["businesses"] == len(before["businesses"]) and counts["files"] == 2

    # Everything changes after the backup: rows deleted, changed and added, files replaced.
    db.session.execute(text("DELETE FROM business_channels"))
    first = db.session.scalar(select(Unit).order_by(Unit.id))
    first.name = "Changed after the backup"
    db.session.add(AuditEntry(action="after.backup", actor_name="test"))
    db.session.commit()
    (filled / "scans" / "a1.pdf").write_bytes(b"tampered")
    (filled / "scans" / "new.pdf").write_bytes(b"%PDF new")
    assert snapshot_rows() != before

    restored = restore_backup(archive, filled)
    db.session.expire_all()
    assert snapshot_rows() == before
    assert instance_files(filled) == files_before
    assert restored["files"] == 2

    # New rows get fresh ids after a restore (PostgreSQL's sequences moved on).
    db.session.add(AuditEntry(action="after.restore", actor_name="test"))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == len(before["audit_entries"]) + 1


def test_self_references_are_restored_whatever_the_order(app, filled, tmp_path_factory):
    """A unit moved under a unit created after it, and a business merged into a later one."""
    units = list(db.session.scalars(select(Unit).order_by(Unit.id)))
    oldest_child = next(u for u in units if u.parent_id is not None)
    newest = units[-1]
    oldest_child.parent_id = newest.id  # only the pointer matters here, not the path
    older, newer = db.session.scalars(select(Business).order_by(Business.id).limit(2)).all()[0], \
        db.session.scalars(select(Business).order_by(Business.id.desc()).limit(1)).one()
    older.merged_into_id = newer.id
    db.session.commit()
    before = snapshot_rows()
    archive = tmp_path_factory.mktemp("backups") / "portal.tar.gz"
    write_backup(archive, filled)
    restore_backup(archive, filled)
    db.session.expire_all()
    assert snapshot_rows() == before


def _archive(tmp_path: Path, lines: list[dict | list], extra: dict[str, bytes] | None = None) -> Path:
    path = tmp_path / "crafted.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        for name, data in {"data.jsonl": "\n".join(json.dumps(x) for x in lines).encode(), **(extra or {})}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_refuses_another_schema_revision_and_changes_nothing(app, filled, tmp_path):
    before = snapshot_rows()
    crafted = _archive(tmp_path, [{"format": "portal-backup/1", "revision": "0000old"}, {"table": "units",
                                                                                         "columns": ["id"]}])
    with pytest.raises(BackupRefused, match="revision"):
        restore_backup(crafted, filled)
    db.session.rollback()
    assert snapshot_rows() == before


def test_refuses_paths_outside_the_instance_folder(app, filled, tmp_path):
    revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    crafted = _archive(tmp_path, [{"format": "portal-backup/1", "revision": revision}],
                       {"files/../../escape.txt": b"x"})
    with pytest.raises(BackupRefused, match="unsafe path"):
        restore_backup(crafted, filled)
    assert not (filled.parent / "escape.txt").exists()


def test_a_failed_restore_leaves_the_database_as_it_was(app, filled, tmp_path):
    before = snapshot_rows()
    revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    crafted = _archive(tmp_path, [{"format": "portal-backup/1", "revision": revision},
                                  {"table": "units", "columns": ["id", "no_such_column"]}, [1, 2]])
    with pytest.raises(BackupRefused):
        restore_backup(crafted, filled)
    db.session.rollback()
    assert snapshot_rows() == before


def test_commands_back_up_and_restore(app, filled, tmp_path):
    runner = app.test_cli_runner()
    target = tmp_path / "cli-backup.tar.gz"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output and target.is_file()
    before = snapshot_rows()
    db.session.execute(text("DELETE FROM business_goods"))
    db.session.commit()
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert snapshot_rows() == before
    refused = runner.invoke(args=["restore", str(tmp_path / "cli-backup.tar.gz")], input="n\n")
    assert refused.exit_code != 0  # not confirmed: nothing happens
