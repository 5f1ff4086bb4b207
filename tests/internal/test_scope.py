"""Scope: a user sees their unit and the units below it, never a sibling's."""
import pytest

from portal.extensions import db
from portal.services import scope, units
from portal.services.errors import AccessDenied


def test_ward_official_opens_own_ward_but_not_the_sibling_ward(web, world):
    web.sign_in(world.ward_official)
    assert "UBND phường Hàm Rồng" in web.get(f"/internal/units/{world.ward_a.id}").text()
    assert web.get(f"/internal/units/{world.ward_a_office.id}").status == 200
    page = web.get(f"/internal/units/{world.ward_b.id}", status=403)
    assert "Bạn không có quyền truy cập trang này" in page.text()
    assert "UBND phường Hạc Thành" not in page.text()
    web.get(f"/internal/units/{world.province.id}", status=403)  # not upwards either


def test_a_higher_unit_sees_everything_below_it(web, world):
    web.sign_in(world.leader)
    for unit in (world.province, world.ward_a, world.ward_a_office, world.ward_b):
        web.get(f"/internal/units/{unit.id}")
    web.get(f"/internal/units/{world.other_province.id}", status=403)


def test_unit_list_shows_only_the_scope(web, world):
    web.sign_in(world.ward_official)
    text = web.get("/internal/units/").text()
    assert "UBND phường Hàm Rồng" in text and "Phòng Kinh tế, Hạ tầng và Đô thị" in text
    assert "Hạc Thành" not in text and "Lào Cai" not in text and "quốc gia" not in text


def test_missing_record_is_404_and_malformed_id_is_404(web, world):
    web.sign_in(world.admin)
    web.get("/internal/units/999999", status=404)
    web.get("/internal/units/abc", status=404)


def test_scope_rule_in_the_service_layer(world):
    assert scope.covers(world.leader, world.ward_b)
    assert not scope.covers(world.ward_official, world.ward_b)
    assert not scope.covers(world.ward_official, world.province)
    with pytest.raises(AccessDenied):
        units.get_unit(world.ward_official, world.ward_b.id)
    visible = {u.id for u in units.list_units(world.ward_official)}
    assert visible == {world.ward_a.id, world.ward_a_office.id}


def test_prefix_of_an_id_is_not_a_parent(world):
    """Unit 1 must not see unit 12 just because '/1' is a prefix of '/12'."""
    from portal.demo import ensure_unit
    from portal.models import UnitKind

    lone = ensure_unit("Đơn vị khác", UnitKind.OFFICE, world.root)
    db.session.commit()
    for unit in units.list_units(world.ward_official):
        assert unit.path.startswith(world.ward_a.path)
    assert not scope.covers(world.ward_official, lone)


def test_non_administrators_cannot_reach_administration(web, world):
    web.sign_in(world.leader)
    web.get("/internal/users/", status=403)
    web.get("/internal/audit/", status=403)
    web.get("/internal/units/new", status=403)
    web.get(f"/internal/units/{world.ward_a.id}/edit", status=403)
    web.post(f"/internal/users/{world.ward_official.id}/lock", status=403)


def test_provincial_administrator_stays_in_the_province(web, world):
    web.sign_in(world.province_admin)
    web.get(f"/internal/units/{world.ward_b.id}/edit")
    web.get(f"/internal/units/{world.other_province.id}/edit", status=403)
    web.get(f"/internal/users/{world.ward_official.id}/edit")
    web.get(f"/internal/users/{world.viewer.id}/edit", status=403)
    web.post(f"/internal/users/{world.viewer.id}/lock", status=403)
    text = web.get("/internal/users/").text()
    assert "ward2" in text and "viewer" not in text
