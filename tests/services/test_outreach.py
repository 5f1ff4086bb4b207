"""Outreach sessions, commitments, agreements and the market meeting saved in one go."""
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from portal.extensions import db
from portal.models import (
    Business,
    ChannelKind,
    Commitment,
    Counterpart,
    OutreachMethod,
    OutreachSession,
    QuotaMetric,
)
from portal.services import outreach, quotas, registry
from portal.services.errors import AccessDenied, ValidationFailed
from tests.factories import make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def business(world, actor=None, name="Tạp hóa Minh Ánh", ward=None, opened_on=date(2025, 1, 10), **extra):
    actor = actor or world.ward_official
    created = registry.create(actor, registry.BusinessData(
        name=name, address=extra.pop("address", "12 Lê Lợi"), ward_code=(ward or world.ward_a).ward_code,
        channels=extra.pop("channels", [registry.ChannelData(ChannelKind.SHOP)]), opened_on=opened_on, **extra),
        not_a_duplicate=True)
    db.session.flush()
    return created


def session_data(**changes):
    values = dict(held_on=date(2026, 3, 15), method=OutreachMethod.CONFERENCE, people_reached=40, place="Chợ Hàm Rồng")
    values.update(changes)
    return outreach.SessionData(**values)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def test_a_session_records_its_businesses_and_officers(world):
    shop = business(world)
    session = outreach.record_session(world.ward_official, session_data(business_ids=[shop.id]))
    db.session.commit()
    assert session.businesses == [shop] and session.officers == [world.ward_official]
    assert session.ward_code == world.ward_a.ward_code and session.unit_id == world.ward_a.id


def test_a_session_cannot_name_a_business_of_another_ward(world):
    theirs = business(world, actor=world.sibling_official, ward=world.ward_b)
    with pytest.raises(ValidationFailed) as refused:
        outreach.record_session(world.ward_official, session_data(business_ids=[theirs.id]))
    assert "business_ids" in refused.value.errors


@pytest.mark.parametrize("signed_on,reason", [
    (date(2024, 12, 31), "before the business was first recorded"),
    (registry.today() + timedelta(days=1), "future"),
])
def test_a_commitment_cannot_predate_the_business_or_be_in_the_future(world, signed_on, reason):
    shop = business(world)
    with pytest.raises(ValidationFailed) as refused:
        outreach.record_commitment(world.ward_official, outreach.CommitmentData(
            business_id=shop.id, signed_on=signed_on, signatory="Nguyễn Minh Ánh", received_by_id=world.ward_official.id))
    assert "signed_on" in refused.value.errors


def test_a_commitment_keeps_its_scan_checked_by_content(app, world):
    shop = business(world)
    paper = outreach.record_commitment(world.ward_official, outreach.CommitmentData(
        business_id=shop.id, signed_on=date(2026, 3, 15), signatory="Nguyễn Minh Ánh",
        received_by_id=world.ward_official.id), scan=upload(PDF, "cam ket.pdf"))
    db.session.commit()
    assert paper.scan_original_name == "cam ket.pdf" and paper.scan_mime_type == "application/pdf"
    assert (outreach.scan_folder() / paper.scan_stored_name).read_bytes() == PDF
    with pytest.raises(ValidationFailed) as refused:
        outreach.attach_scan(world.ward_official, paper, upload(b"MZ not a pdf", "virus.pdf"))
    assert "scan" in refused.value.errors


def test_the_receiving_officer_must_be_of_the_unit(world):
    shop = business(world)
    with pytest.raises(ValidationFailed) as refused:
        outreach.record_commitment(world.ward_official, outreach.CommitmentData(
            business_id=shop.id, signed_on=date(2026, 3, 15), signatory="A", received_by_id=world.sibling_official.id))
    assert "received_by_id" in refused.value.errors


def test_an_agreement_is_kept_by_ward(world):
    agreement = outreach.record_agreement(world.ward_official, outreach.AgreementData(
        counterpart=Counterpart.MARKET_BOARD, counterpart_name="Ban quản lý chợ Hàm Rồng",
        ward_code=world.ward_a.ward_code, signed_on=date(2026, 2, 1), signatory="Lê Văn Chợ",
        received_by_id=world.ward_official.id))
    db.session.commit()
    assert outreach.get_agreement(world.province_admin, agreement.id) is agreement
    with pytest.raises(AccessDenied):
        outreach.get_agreement(world.sibling_official, agreement.id)
    with pytest.raises(ValidationFailed):
        outreach.record_agreement(world.ward_official, outreach.AgreementData(
            counterpart=Counterpart.WARD, counterpart_name="UBND phường Hạc Thành", ward_code=world.ward_b.ward_code,
            signed_on=date(2026, 2, 1), signatory="X", received_by_id=world.ward_official.id))


def test_a_market_meeting_of_thirty_stalls_saves_in_one_go(world):
    stalls = [business(world, name=f"Quầy số {i}", address=f"Kiốt {i}, chợ Hàm Rồng") for i in range(28)]
    rows = [outreach.BatchRow(business_id=b.id, signed=i % 3 != 0, signatory=f"Chủ quầy {i}" if i % 3 else None)
            for i, b in enumerate(stalls)]
    rows += [outreach.BatchRow(new_business=registry.BusinessData(
        name=f"Quầy mới {i}", address=f"Kiốt mới {i}", ward_code=world.ward_a.ward_code,
        channels=[registry.ChannelData(ChannelKind.MARKET_STALL, place_name="Chợ Hàm Rồng", stall=f"M{i}")]),
        signed=True, signatory=f"Người mới {i}") for i in range(2)]
    rows.append(outreach.BatchRow())  # an empty row left on the page
    session = outreach.record_batch(world.ward_official, session_data(), rows)
    db.session.commit()
    assert len(session.businesses) == 30
    assert count(Commitment) == len([r for r in rows if r.signed]) == 20
    assert all(c.signed_on == date(2026, 3, 15) and c.session_id == session.id for c in session.commitments)


def test_one_bad_row_refuses_the_whole_meeting_and_names_the_row(world):
    stalls = [business(world, name=f"Quầy số {i}", address=f"Kiốt {i}") for i in range(3)]
    db.session.commit()
    before = count(Business)
    rows = [outreach.BatchRow(business_id=stalls[0].id, signed=True, signatory="A"),
            outreach.BatchRow(new_business=registry.BusinessData(
                name="Quầy mới", address="Kiốt 9", ward_code=world.ward_a.ward_code,
                channels=[registry.ChannelData(ChannelKind.SHOP)]), signed=True, signatory="B"),
            outreach.BatchRow(business_id=stalls[1].id, signed=True, signatory=""),  # who signed?
            outreach.BatchRow(business_id=stalls[0].id)]  # twice
    with pytest.raises(ValidationFailed) as refused:
        outreach.record_batch(world.ward_official, session_data(), rows)
    db.session.rollback()
    assert set(refused.value.errors) == {"rows-2-signatory", "rows-3-query"}
    assert count(OutreachSession) == 0 and count(Commitment) == 0 and count(Business) == before


def test_a_new_stall_that_is_already_recorded_is_flagged_in_its_row(app, world):
    business(world, name="Tạp hóa Minh Ánh", address="12 Lê Lợi")
    rows = [outreach.BatchRow(new_business=registry.BusinessData(
        name="Tap hoa Minh Anh", address="12 Le Loi", ward_code=world.ward_a.ward_code,
        channels=[registry.ChannelData(ChannelKind.SHOP)]))]
    with pytest.raises(ValidationFailed) as refused:
        outreach.record_batch(world.ward_official, session_data(), rows)
    with app.test_request_context("/?lang=vi"):
        assert "Tạp hóa Minh Ánh" in str(refused.value.errors["rows-0-new_name"][0])


def test_a_viewer_cannot_record(world):
    with pytest.raises(AccessDenied):
        outreach.record_session(world.viewer, session_data())


def test_quotas_count_the_inspectors_own_records(world):
    inspector = make_user("inspector", world.ward_a, registry.Role.OFFICER)
    shops = [business(world, name=f"Cửa hàng {i}", address=f"{i} Trần Phú") for i in range(3)]
    outreach.record_batch(world.ward_official, session_data(officer_ids=[inspector.id], held_on=date(2026, 4, 2)), [
        outreach.BatchRow(business_id=b.id) for b in shops])
    for shop, on in zip(shops, (date(2026, 4, 2), date(2026, 4, 20), date(2026, 6, 1)), strict=True):
        outreach.record_commitment(world.ward_official, outreach.CommitmentData(
            business_id=shop.id, signed_on=on, signatory="Chủ", received_by_id=inspector.id))
    april = [quotas.assign(world.leader, inspector, metric, 10, date(2026, 4, 1), date(2026, 4, 30))
             for metric in (QuotaMetric.OUTREACH_SESSIONS, QuotaMetric.BUSINESSES_SIGNED, QuotaMetric.AGREEMENTS_SIGNED)]
    done = {p.quota.metric: p.done for p in quotas.progress(april)}
    assert done == {QuotaMetric.OUTREACH_SESSIONS: 1, QuotaMetric.BUSINESSES_SIGNED: 2,
                    QuotaMetric.AGREEMENTS_SIGNED: 0}


def test_a_business_signs_once_a_day_and_not_after_it_ceased(world):
    shop = business(world)
    paper = outreach.CommitmentData(business_id=shop.id, signed_on=date(2026, 3, 15), signatory="A",
                                    received_by_id=world.ward_official.id)
    outreach.record_commitment(world.ward_official, paper)
    with pytest.raises(ValidationFailed) as refused:
        outreach.record_commitment(world.ward_official, paper)
    assert "signed_on" in refused.value.errors
    registry.record_status(world.ward_official, shop, registry.BusinessStatus.CEASED, date(2026, 5, 1), None)
    with pytest.raises(ValidationFailed):
        outreach.record_commitment(world.ward_official, outreach.CommitmentData(
            business_id=shop.id, signed_on=date(2026, 6, 1), signatory="A", received_by_id=world.ward_official.id))


def test_merging_moves_commitments_and_outreach_to_the_kept_record(world):
    from portal.services import coverage

    kept, other = business(world, name="Tạp hóa An"), business(world, name="Tap hoa An (trùng)")
    outreach.record_session(world.ward_official, session_data(business_ids=[other.id, kept.id]))
    outreach.record_commitment(world.ward_official, outreach.CommitmentData(
        business_id=other.id, signed_on=date(2026, 3, 15), signatory="A", received_by_id=world.ward_official.id))
    db.session.commit()
    ward = coverage.Area(world.ward_a.ward_code, None)
    before = coverage.figures(ward, coverage.Category(), date(2026, 6, 1))
    registry.merge(world.ward_official, kept, other)
    db.session.commit()
    after = coverage.figures(ward, coverage.Category(), date(2026, 6, 1))
    assert (before.businesses, before.signed, before.outreach) == (2, 1, 2)
    assert (after.businesses, after.signed, after.outreach) == (1, 1, 1)
    assert db.session.scalar(select(Commitment.business_id)) == kept.id


def test_the_first_recorded_date_can_be_corrected_but_not_past_what_is_recorded(world):
    shop = business(world, opened_on=date(2026, 5, 1))
    db.session.commit()
    data = registry.BusinessData(name=shop.name, address=shop.address, ward_code=shop.ward_code,
                                 channels=[registry.ChannelData(ChannelKind.SHOP)], opened_on=date(2024, 4, 1))
    registry.update(world.ward_official, shop, data, version=shop.version)
    db.session.commit()
    assert shop.recorded_on == date(2024, 4, 1) and shop.history[0].on == date(2024, 4, 1)
    outreach.record_commitment(world.ward_official, outreach.CommitmentData(
        business_id=shop.id, signed_on=date(2024, 6, 1), signatory="A", received_by_id=world.ward_official.id))
    db.session.commit()
    data.opened_on = date(2025, 1, 1)
    with pytest.raises(ValidationFailed) as refused:
        registry.update(world.ward_official, shop, data, version=shop.version)
    assert "opened_on" in refused.value.errors
