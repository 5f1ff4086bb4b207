"""The official areas and the demo content load once, completely, and idempotently."""
from sqlalchemy import func, select

from portal.demo import DEMO_PASSWORD, USERS, load_demo
from portal.extensions import db
from portal.models import Agreement, AuditEntry, Business, Commitment, OutreachSession, Province, Unit, User, Ward
from portal.services.areas import load_areas


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_official_areas_since_july_2025(app):
    assert count(Province) == 34
    assert count(Ward) == 3321
    assert db.session.get(Province, 38).name == "Thanh Hóa"
    assert db.session.scalar(select(Ward.name).where(Ward.province_code == 38, Ward.name == "Phường Hàm Rồng"))
    assert load_areas() == (0, 0)  # loaded once per database already: nothing to write again


def test_demo_loads_once_and_only_once(demo):
    units, users, audit = count(Unit), count(User), count(AuditEntry)
    assert users == len(USERS)
    records = [count(model) for model in (Business, OutreachSession, Commitment, Agreement)]
    assert all(records)  # the demo businesses, their outreach, commitments and agreements
    load_demo()
    db.session.commit()
    assert (count(Unit), count(User), count(AuditEntry)) == (units, users, audit)
    assert [count(model) for model in (Business, OutreachSession, Commitment, Agreement)] == records


def test_demo_has_the_units_of_the_source_documents(demo):
    names = set(db.session.scalars(select(Unit.name)))
    for expected in ("Ban Chỉ đạo 389 quốc gia", "Chi cục Quản lý thị trường tỉnh Lào Cai",
                     "Đội Quản lý thị trường số 4", "Ban Chỉ đạo 389 tỉnh Lạng Sơn", "UBND phường Hàm Rồng",
                     "Ban Chỉ đạo 389 phường Hàm Rồng", "Phòng Kinh tế, Hạ tầng và Đô thị", "Tổ dân phố số 1",
                     "Tổ công tác 1253 thành phố Cần Thơ", "Hải quan thành phố Hải Phòng",
                     "Bộ đội Biên phòng tỉnh Lạng Sơn", "Sở Y tế tỉnh Thanh Hóa"):
        assert expected in names, expected


def test_every_unit_lies_within_its_parent(demo):
    for unit in db.session.scalars(select(Unit).where(Unit.parent_id.is_not(None))):
        assert unit.path == f"{unit.parent.path}{unit.id}/"
        if unit.parent.province_code:
            assert unit.province_code == unit.parent.province_code
        if unit.parent.ward_code:
            assert unit.ward_code == unit.parent.ward_code


def test_demo_command_prints_the_credentials(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output
    assert "Demo registry:" in result.output and "businesses" in result.output  # portal/demo_registry.py
    for user in USERS:
        assert user.username in result.output


def test_demo_refuses_production(app):
    app.config["ENV"] = "production"
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code != 0 and "production" in result.output


def test_create_admin_command(app):
    result = app.test_cli_runner().invoke(args=["create-admin", "--username", "Chief", "--full-name", "Trưởng ban"],
                                          input="a long enough passphrase\na long enough passphrase\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "chief"))
    assert user.unit.parent_id is None and {r.value for r in user.roles} == {"admin"}
    result = app.test_cli_runner().invoke(args=["create-admin", "--username", "x", "--full-name", "X"],
                                          input="short\nshort\n")
    assert result.exit_code != 0
