"""The publication pages, and what the public sees of an entry."""
from datetime import timedelta

from portal.extensions import db
from portal.models import PublicEntry, Role
from portal.services import publication, registry
from tests.factories import make_user
from tests.services.test_publication import signed_then_sanctioned


def test_propose_approve_and_the_entry_is_public_without_private_fields(web, world):
    inspector = make_user("doi.qltt", world.province, Role.OFFICER)
    violation = signed_then_sanctioned(world, inspector)
    db.session.commit()
    web.sign_in(inspector)
    web.post(f"/internal/violations/{violation.id}/publication", {"note": "Vi phạm sau cam kết"}, status=303)
    proposal = publication.of_violation(violation)
    page = web.get(f"/internal/publications/{proposal.id}")
    assert page.soup.find("form", action=f"/internal/publications/{proposal.id}/approve") is None
    web.post(f"/internal/publications/{proposal.id}/approve", {"version": proposal.version}, status=403)
    web.sign_out()
    web.sign_in(world.leader)
    web.post(f"/internal/publications/{proposal.id}/approve", {"version": proposal.version, "ends_on": ""},
             status=303)
    entry = db.session.query(PublicEntry).one()
    web.sign_out()

    listing = web.get("/violations?q=tap+hoa+minh+anh").soup.find(id="entries").get_text(" ")
    assert "Tạp hóa Minh Ánh" in listing and "05/QĐ-XPHC" in listing
    page = web.get(f"/violations/{entry.id}")
    text = page.text()
    assert "Tạp hóa Minh Ánh" in text and "15.000.000" in text
    for private in ("Nguyễn Văn Chủ", "0912345678", "0912 345 678", "0101234567"):
        assert private not in page.html


def test_the_proposer_is_told_another_leader_must_decide(web, world):
    inspector = make_user("doi.qltt", world.province, Role.OFFICER)
    proposal = publication.propose(world.leader, signed_then_sanctioned(world, inspector), None)
    db.session.commit()
    web.sign_in(world.leader)
    page = web.post(f"/internal/publications/{proposal.id}/approve", {"version": proposal.version}, status=422)
    assert "lãnh đạo khác" in page.text()
    assert db.session.query(PublicEntry).count() == 0


def test_a_withdrawn_entry_says_so_at_its_permanent_link(web, world):
    inspector = make_user("doi.qltt", world.province, Role.OFFICER)
    leader2 = make_user("pho.truong", world.province, Role.LEADER)
    entry = publication.approve(leader2, publication.propose(inspector, signed_then_sanctioned(world, inspector),
                                                             None), version=1)
    db.session.commit()
    web.sign_in(world.leader)
    page = web.post(f"/internal/publications/{entry.publication_id}/withdraw", {"reason": ""}, status=422)
    assert page.field_error("reason")
    web.post(f"/internal/publications/{entry.publication_id}/correct", {"note": "Sửa địa chỉ"}, status=303)
    web.sign_out()
    assert "Sửa địa chỉ" in web.get(f"/violations/{entry.id}").soup.find(id="corrections").get_text()
    web.sign_in(world.leader)
    web.post(f"/internal/publications/{entry.publication_id}/withdraw", {"reason": "Quyết định bị xem xét lại"},
             status=303)
    web.sign_out()
    page = web.get(f"/violations/{entry.id}", status=410)
    assert "Quyết định bị xem xét lại" in page.text() and "Tạp hóa Minh Ánh" not in page.text()
    assert "Tạp hóa Minh Ánh" not in web.get("/violations").text()
    web.get("/violations/999999", status=404)


def test_publication_pages_keep_scope(web, world):
    inspector = make_user("doi.qltt", world.province, Role.OFFICER)
    proposal = publication.propose(inspector, signed_then_sanctioned(world, inspector), None)
    db.session.commit()
    web.sign_in(world.viewer)  # Lào Cai
    web.get(f"/internal/publications/{proposal.id}", status=403)
    assert web.get("/internal/publications/").soup.find(id="publications").find("a") is None


def test_an_entry_past_its_end_of_publication_leaves_the_list_and_its_page_says_so(web, world):
    inspector = make_user("doi.qltt", world.province, Role.OFFICER)
    leader2 = make_user("pho.truong", world.province, Role.LEADER)
    entry = publication.approve(leader2, publication.propose(inspector, signed_then_sanctioned(world, inspector),
                                                             None), version=1, ends_on=registry.today() + timedelta(1))
    entry.ends_on = registry.today() - timedelta(days=1)  # as if that day had come and gone
    db.session.commit()
    assert "Tạp hóa Minh Ánh" not in web.get("/violations").text()
    page = web.get(f"/violations/{entry.id}", status=410)
    assert "Tạp hóa Minh Ánh" not in page.text() and f"{entry.id}" in page.soup.find("h1").get_text()
