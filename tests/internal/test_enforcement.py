"""The inspection and violation pages: recording, the facts shown, decisions, follow-up, scope."""
from datetime import date

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Inspection, Role, Violation, ViolationState
from portal.services import enforcement
from tests.factories import make_user
from tests.internal.test_query_counts import queries_for
from tests.services.test_enforcement import inspect, sign, violate
from tests.services.test_outreach import business


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def violation_form(**changes):
    values = {"type": "counterfeit", "goods": "milk", "brand": "Ensure", "quantity": "", "seized_value": "",
              "seized_on": "", "seized_time": "", "decision_number": "", "decision_on": "", "decision_authority": "",
              "fine": "", "remedies": "", "state": "found"}
    values.update(changes)
    return values


def test_an_inspector_records_an_inspection_and_a_violation_after_a_commitment(web, world):
    inspector = make_user("doi.qltt", world.province, Role.OFFICER)
    shop = business(world)
    sign(world, shop, date(2026, 1, 10))
    db.session.commit()
    web.sign_in(inspector)
    page = web.post(f"/internal/businesses/{shop.id}/inspections/new", {
        "inspected_on": "2026-04-01", "kind": "surprise", "result": "violation", "plan_id": "", "goods": ["milk"],
        "note": ""}, status=303)
    inspection = db.session.scalar(select(Inspection))
    assert page.response.headers["Location"] == f"/internal/inspections/{inspection.id}"
    page = web.post(f"/internal/inspections/{inspection.id}/violations/new", violation_form(
        decision_number="15/QĐ-XPHC", decision_on="2026-03-30", decision_authority="Đội QLTT", fine="-5"),
        status=422)
    assert page.field_error("decision_on") or page.field_error("fine")
    assert page.value("brand") == "Ensure" and count(Violation) == 0
    web.post(f"/internal/inspections/{inspection.id}/violations/new", violation_form(
        decision_number="15/QĐ-XPHC", decision_on="2026-04-05", decision_authority="Đội QLTT", fine="15000000"),
        status=303)
    violation = db.session.scalar(select(Violation))
    assert violation.state == ViolationState.DECIDED and violation.fine == 15_000_000
    facts = web.get(f"/internal/violations/{violation.id}").soup.find(class_="facts").get_text(" ")
    assert "10 tháng 1 năm 2026" in facts
    listed = web.get("/internal/violations/").soup.find(id="violations").get_text(" ")
    assert "Tạp hóa Minh Ánh" in listed


def test_a_ward_sees_its_businesses_violations_but_cannot_record(web, world):
    inspector = make_user("doi.qltt", world.province, Role.OFFICER)
    shop = business(world)
    violation = violate(inspector, shop, date(2026, 4, 1), decided=date(2026, 4, 5))
    theirs = violate(inspector, business(world, actor=world.sibling_official, ward=world.ward_b, name="Khác"),
                     date(2026, 4, 1))
    db.session.commit()
    web.sign_in(world.ward_official)
    web.get(f"/internal/violations/{violation.id}")
    web.get(f"/internal/violations/{theirs.id}", status=403)
    web.get(f"/internal/inspections/{violation.inspection_id}/violations/new", status=403)
    web.post(f"/internal/violations/{violation.id}", {"state": "complied"}, status=403)
    assert "Tạp hóa Minh Ánh" in web.get("/internal/violations/follow-up").soup.find(id="follow-up").get_text()


def test_a_decision_is_updated_and_a_stale_one_refused(web, world):
    inspector = make_user("doi.qltt", world.province, Role.OFFICER)
    violation = violate(inspector, business(world), date(2026, 4, 1), decided=date(2026, 4, 5))
    db.session.commit()
    web.sign_in(inspector)
    data = {"decision_number": violation.decision_number, "decision_on": "2026-04-05",
            "decision_authority": violation.decision_authority, "fine": "15000000", "remedies": "Tiêu hủy hàng",
            "state": "complied", "version": violation.version}
    web.post(f"/internal/violations/{violation.id}", data, status=303)
    db.session.refresh(violation)
    assert violation.state == ViolationState.COMPLIED and violation.remedies == "Tiêu hủy hàng"
    page = web.post(f"/internal/violations/{violation.id}", {**data, "state": "appealed"}, status=409)
    assert page.value("remedies") == "Tiêu hủy hàng"


def test_enforcement_lists_make_a_fixed_number_of_queries(web, world):
    inspector = make_user("doi.qltt", world.province, Role.OFFICER)
    shop = business(world)
    violate(inspector, shop, date(2026, 2, 1), decided=date(2026, 2, 3))
    db.session.commit()
    pages = ("/internal/inspections/", "/internal/violations/", "/internal/violations/follow-up")
    web.sign_in(world.leader)
    before = {url: queries_for(web, url) for url in pages}
    for i in range(6):
        other = business(world, name=f"Cơ sở {i}", address=f"{i} Lê Lợi")
        sign(world, other, date(2026, 1, 2))
        violate(inspector, other, date(2026, 3, 1 + i), decided=date(2026, 3, 10))
        inspect(inspector, other, date(2026, 4, 1))
    db.session.commit()
    assert {url: queries_for(web, url) for url in pages} == before
    assert len(enforcement.follow_up(world.leader)) == 7
