"""Demo tips from citizens in Lào Cai, Thanh Hóa (Hàm Rồng) and Cần Thơ, in every status, a few
with contact details, internal notes and replies. Loading is idempotent.

The demo tips have fixed receipt codes (DEMO_CODES) so that a demonstration can follow them at
/tips/track; real tips get random ones.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from portal.db import utcnow
from portal.extensions import db
from portal.models import CLOSED_TIP_STATUSES, Tip, TipMessage, TipNote, TipStatus, Unit, User, Ward
from portal.services import tips

LAO_CAI, THANH_HOA, CAN_THO = 15, 38, 92


def _code(n: int) -> str:
    """A fixed, valid receipt code for demo tip n: DEMQ-… from the code alphabet."""
    rng = random.Random(f"demo-tip-{n}")
    return tips.grouped("DEMQ" + "".join(rng.choice(tips.ALPHABET) for _ in range(tips.CODE_LENGTH - 4)))


@dataclass
class DemoTip:
    code: str
    province: int
    ward: str | None
    what: str
    days_ago: float
    goods: str | None = None
    place: str | None = None
    shop: str | None = None
    contact: tuple[str | None, str | None, str | None] | None = None  # name, phone, email
    unit: str | None = None  # the unit it was assigned to, by name
    handler: str | None = None  # demo user name
    status: TipStatus = TipStatus.RECEIVED
    notes: list[str] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)
    closing: str | None = None  # the note that closes it


DEMO_TIPS = (
    DemoTip(_code(1), THANH_HOA, "Phường Hàm Rồng",
            "Cửa hàng tạp hóa gần chợ Hàm Rồng bán rượu ngoại (Chivas, Johnnie Walker) giá rẻ bất thường, "
            "tem nhãn mờ, nắp chai không có tem chống giả. Tôi thấy nhập hàng vào buổi tối.",
            6.2, goods="alcohol", place="Gần cổng chợ Hàm Rồng", shop="Tạp hóa (biển xanh, không tên)"),
    DemoTip(_code(2), THANH_HOA, "Phường Hàm Rồng",
            "Một đại lý bán sữa bột cho trẻ em có hộp in chữ nước ngoài nhưng không có tem phụ tiếng Việt, "
            "mã vạch quét không ra sản phẩm. Con tôi uống bị nôn.",
            3.5, goods="milk", place="Đường Nguyễn Trãi", shop="Đại lý sữa Minh Châu",
            contact=("Nguyễn Thị Lan", "0912345678", None), handler="ward", status=TipStatus.VERIFYING,
            notes=["Đã đối chiếu: cửa hàng có trong sổ đăng ký, đã ký cam kết năm 2025. Đề nghị Đội QLTT kiểm tra."],
            replies=["Cảm ơn bạn đã báo tin. UBND phường đã tiếp nhận và đang phối hợp xác minh."]),
    DemoTip(_code(3), THANH_HOA, "Phường Hàm Rồng",
            "Trang Facebook livestream bán mỹ phẩm 'hàng xách tay Hàn Quốc' giá chỉ bằng một phần ba giá "
            "chính hãng, giao hàng từ một nhà trong ngõ ở phường Hàm Rồng.",
            2.0, goods="cosmetics", shop="facebook.com/myphamxachtayhr (ví dụ)",
            unit="Công an phường Hàm Rồng", status=TipStatus.FORWARDED,
            notes=["Bán hàng qua mạng, nghi có kho: chuyển Công an phường xác minh."]),
    DemoTip(_code(4), THANH_HOA, "Phường Hạc Thành",
            "Quán nước đầu ngõ bán thuốc lá ngoại không có tem, bán cả cây cho khách quen.",
            1.1, goods="tobacco", place="Ngõ 12 phố Lê Hoàn"),
    DemoTip(_code(5), LAO_CAI, "Phường Lào Cai",
            "Ở chợ Cốc Lếu nhiều sạp bán quần áo, giày thể thao gắn nhãn Nike, Adidas, nghi hàng nhập lậu "
            "qua biên giới, không có hóa đơn.",
            8.0, goods="clothing", place="Chợ Cốc Lếu, tầng 2",
            contact=(None, None, "nguoibaotin@example.com"), unit="Chi cục Quản lý thị trường tỉnh Lào Cai",
            handler="leader", status=TipStatus.VERIFYING,
            notes=["Giao Đội QLTT số 1 lồng ghép vào đợt kiểm tra chợ tháng này."],
            replies=["Tin báo đã được chuyển đến Chi cục Quản lý thị trường tỉnh Lào Cai để xác minh."]),
    DemoTip(_code(6), LAO_CAI, "Phường Cam Đường",
            "Cửa hàng điện thoại bán iPhone 'chính hãng' nhưng hộp và sạc khác hàng thật, số IMEI trên máy "
            "không trùng với hộp.",
            12.0, goods="phones", shop="Cửa hàng di động (đường Hoàng Liên)",
            unit="Đội Quản lý thị trường số 1", handler="inspector", status=TipStatus.RESOLVED,
            notes=["Đã kiểm tra đột xuất ngày hôm qua."],
            replies=["Cơ quan chức năng đã kiểm tra cửa hàng và xử lý theo quy định. Cảm ơn bạn."],
            closing="Phát hiện 14 điện thoại giả nhãn hiệu; đã lập biên bản và tạm giữ hàng."),
    DemoTip(_code(7), LAO_CAI, "Xã Bát Xát",
            "Đại lý vật tư nông nghiệp bán phân bón NPK nghi giả, bao bì in sai địa chỉ nhà máy.",
            20.0, goods="farm_inputs", unit="Đội Quản lý thị trường số 1", handler="inspector",
            status=TipStatus.UNFOUNDED,
            replies=["Đã kiểm tra: lô phân bón có giấy tờ nguồn gốc hợp lệ. Cảm ơn bạn đã quan tâm."],
            closing="Kiểm tra hóa đơn, chứng nhận hợp quy: hàng hợp lệ, bao bì đời cũ của nhà sản xuất."),
    DemoTip(_code(8), CAN_THO, "Phường Ninh Kiều",
            "Một tài khoản bán thực phẩm chức năng giảm cân trên mạng, giao hàng từ Ninh Kiều, quảng cáo "
            "'chữa khỏi tiểu đường'. Sản phẩm không có số công bố.",
            2.3, goods="supplements", shop="Zalo 09xx (trang bán hàng 'Giảm cân Tây Đô')"),
    DemoTip(_code(9), CAN_THO, "Phường Ninh Kiều",
            "Chợ đêm Ninh Kiều có sạp bán túi xách, ví da nhãn hiệu Louis Vuitton, Gucci giá vài trăm nghìn.",
            4.0, goods="bags", place="Chợ đêm Ninh Kiều", contact=("Trần Văn Minh", "0987654321", None),
            status=TipStatus.VERIFYING, notes=["Đưa vào kế hoạch cao điểm của Tổ công tác 1253."]),
    DemoTip(_code(10), CAN_THO, "Phường Cái Răng",
            "Cây xăng trên quốc lộ bán xăng có màu lạ, xe máy nhiều người bị chết máy sau khi đổ.",
            0.4, goods="fuel", place="Quốc lộ 1, gần cầu Cái Răng"),
)

#: The demo tips' receipt codes, to show following a tip.
DEMO_CODES = tuple(t.code for t in DEMO_TIPS)


def _ward(province: int, name: str | None) -> Ward | None:
    if not name:
        return None
    return db.session.scalar(select(Ward).where(Ward.province_code == province, Ward.name == name))


def load_tips_demo() -> int:
    """Add the demo tips that are missing; returns how many were added."""
    users = {u.username: u for u in db.session.scalars(select(User))}
    added = 0
    for spec in DEMO_TIPS:
        if db.session.scalar(select(Tip.id).where(Tip.receipt_hash == tips.code_hash(spec.code))):
            continue
        ward = _ward(spec.province, spec.ward)
        name, phone, email = spec.contact or (None, None, None)
        tip, _code = tips.submit(tips.TipData(
            what=spec.what, province_code=spec.province, ward_code=ward.code if ward else None, place=spec.place,
            goods=spec.goods, shop=spec.shop, wants_contact=spec.contact is not None, contact_name=name,
            contact_phone=phone, contact_email=email))
        tip.receipt_hash = tips.code_hash(spec.code)
        received = utcnow() - timedelta(days=spec.days_ago)
        tip.received_at = received
        db.session.flush()
        handler = users.get(spec.handler) if spec.handler else None
        if spec.unit:
            unit = db.session.scalar(select(Unit).where(Unit.name == spec.unit, Unit.province_code == spec.province)
                                     .order_by(Unit.id))
            if unit is not None:
                tip.unit_id, tip.status = unit.id, TipStatus.FORWARDED
        tip.handler_id = handler.id if handler else None
        db.session.flush()
        db.session.expire(tip, ["unit"])
        author = handler or _someone_for(tip) or users.get("admin")
        if author is None:  # no demo users: the tip stays as received
            added += 1
            continue
        at = received
        for text in spec.notes:
            at += timedelta(hours=5)
            tip.notes.append(TipNote(author_id=author.id, text=text, at=at))
        for text in spec.replies:
            at += timedelta(hours=5)
            tip.messages.append(TipMessage(author_id=author.id, text=text, at=at))
        if spec.status != TipStatus.FORWARDED or not spec.unit:
            tip.status = spec.status
        if spec.closing:
            at += timedelta(hours=5)
            tip.notes.append(TipNote(author_id=author.id, text=spec.closing, at=at))
        if tip.status in CLOSED_TIP_STATUSES:
            tip.closed_at = at + timedelta(hours=1)
        db.session.flush()
        added += 1
    return added


def _someone_for(tip: Tip) -> User | None:
    """A demo user who may act on the tip (for notes written before anyone took it)."""
    for user in db.session.scalars(select(User).where(User.active).order_by(User.id)):
        if tips.can_handle(user, tip):
            return user
    return None
