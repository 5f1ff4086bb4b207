"""Demo content of the public site: the hotlines and contacts the source documents publish, and a
few guides to spotting fakes. Idempotent: loading it again adds nothing twice.

Only the Cần Thơ campaign (seed 003) gives numbers: the two hotlines of the Director of the
Department of Industry and Trade (0908538844) and of the head of the Market Surveillance
Department (0913983323), and the contact that receives the campaign's reports (email
pnvth_ccqltt@cantho.gov.vn, 02923.810.481). The other plans ask units to publish their numbers
(Lạng Sơn 125/KH-UBND section III; Hàm Rồng section III.6: "công khai số điện thoại, địa chỉ tại
trụ sở UBND phường") without giving them, so no number is made up for them here.
"""
from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import Guide, Hotline, Unit, User
from portal.services import guides, hotlines

CAN_THO = 92

#: (unit name, label, numbers, email, address, hours): as the seed documents give them.
HOTLINES = (
    ("Sở Công Thương thành phố Cần Thơ",
     "Đường dây nóng của Giám đốc Sở Công Thương thành phố Cần Thơ", ["0908538844"], None, None,
     "Tiếp nhận phản ánh, tố giác buôn lậu, gian lận thương mại, hàng giả"),
    ("Chi cục Quản lý thị trường thành phố Cần Thơ",
     "Đường dây nóng của Chi cục trưởng Chi cục Quản lý thị trường thành phố Cần Thơ", ["0913983323"], None, None,
     "Tiếp nhận phản ánh, tố giác buôn lậu, gian lận thương mại, hàng giả"),
    ("Chi cục Quản lý thị trường thành phố Cần Thơ",
     "Chi cục Quản lý thị trường thành phố Cần Thơ – Phòng Nghiệp vụ - Tổng hợp (nhận báo cáo)",
     ["02923810481"], "pnvth_ccqltt@cantho.gov.vn", None, "Giờ hành chính"),
)

GUIDES = (
    {
        "unit": "Chi cục Quản lý thị trường thành phố Cần Thơ",
        "title": "Nhận biết sữa bột giả mạo nhãn hiệu Vinamilk",
        "goods": "milk", "brand": "Vinamilk", "rights_holder": "Công ty Cổ phần Sữa Việt Nam (Vinamilk)",
        "summary": "Sữa giả thường được bán giá rẻ qua mạng và ở các cửa hàng nhỏ. Kiểm tra bao bì, "
                   "mã vạch, hạn sử dụng và nơi bán trước khi mua sữa cho trẻ.",
        "body": """## Kiểm tra bao bì

- Hộp, lon nguyên vẹn, không móp méo, không có dấu hiệu bóc mở hoặc dán lại.
- Chữ in **sắc nét**, không nhòe, không sai chính tả; màu sắc đồng đều.
- Nắp và màng seal kín, không rách.

## Kiểm tra thông tin trên nhãn

1. Tên và địa chỉ nhà sản xuất, số công bố sản phẩm.
2. Ngày sản xuất và hạn sử dụng in liền, rõ ràng, không bị tẩy xóa hoặc dán đè.
3. Mã vạch của hàng sản xuất tại Việt Nam bắt đầu bằng **893**.

## Mua ở đâu

Chỉ mua tại hệ thống phân phối chính thức, siêu thị, nhà thuốc và gian hàng chính hãng trên sàn thương mại điện tử.
Cẩn trọng với sản phẩm **giá rẻ bất thường** hoặc bán qua tin nhắn.

Tra cứu thông tin an toàn thực phẩm tại https://vfa.gov.vn""",
    },
    {
        "unit": "Chi cục Quản lý thị trường tỉnh Lạng Sơn",
        "title": "Phân biệt mỹ phẩm Thorakao thật và giả",
        "goods": "cosmetics", "brand": "Thorakao",
        "rights_holder": "Công ty TNHH Sản xuất Mỹ phẩm Lan Hảo",
        "summary": "Mỹ phẩm giả có thể gây kích ứng, bỏng da. Hãy xem kỹ bao bì, số công bố và chất kem.",
        "body": """## Bao bì và nhãn

- Nhãn phụ tiếng Việt đầy đủ: tên sản phẩm, thành phần, công dụng, cách dùng.
- Có **số tiếp nhận phiếu công bố** mỹ phẩm và tên, địa chỉ tổ chức chịu trách nhiệm.
- Hạn sử dụng và số lô in rõ ràng.

## Chất kem

- Mùi thơm nhẹ, đồng nhất, không có mùi lạ hoặc mùi hóa chất nồng.
- Kem mịn, không vón cục, không tách nước.

## Khi nghi ngờ

Ngừng sử dụng, giữ lại sản phẩm và hóa đơn, rồi báo cho đường dây nóng hoặc gửi tin báo qua cổng thông tin này.""",
    },
    {
        "unit": "Sở Y tế thành phố Cần Thơ",
        "title": "Cảnh giác thuốc và thực phẩm chức năng giả mạo Hoạt huyết dưỡng não Traphaco",
        "goods": "medicines", "brand": "Traphaco", "rights_holder": "Công ty Cổ phần Traphaco",
        "summary": "Thuốc giả không chữa được bệnh và có thể gây hại. Kiểm tra số đăng ký, nơi bán và "
                   "không mua thuốc qua mạng xã hội.",
        "body": """## Số đăng ký

Thuốc lưu hành hợp pháp có **số đăng ký** in trên hộp.
Tra cứu số đăng ký tại trang của Cục Quản lý Dược: https://dav.gov.vn

## Dấu hiệu nghi ngờ

- Hộp thuốc in mờ, màu nhạt hoặc khác với hộp đã mua trước đây.
- Vỉ thuốc không in số lô, hạn dùng hoặc in lệch.
- Viên thuốc khác màu, dễ vỡ, có mùi lạ.
- Quảng cáo **chữa khỏi mọi bệnh**, bán kèm quà tặng, giá thấp bất thường.

## Lời khuyên

1. Mua tại nhà thuốc có giấy phép, yêu cầu hóa đơn.
2. Không mua thuốc, thực phẩm chức năng qua livestream hoặc tin nhắn không rõ người bán.
3. Hỏi ý kiến dược sĩ khi thấy khác thường.""",
    },
    {
        "unit": "Sở Nông nghiệp và Môi trường thành phố Cần Thơ",
        "title": "Nhận biết phân bón giả nhãn hiệu Đạm Phú Mỹ",
        "goods": "farm_inputs", "brand": "Đạm Phú Mỹ",
        "rights_holder": "Tổng công ty Phân bón và Hóa chất Dầu khí – CTCP (PVFCCo)",
        "summary": "Phân bón giả làm mất mùa và hại đất. Kiểm tra bao bì, hạt phân và đại lý bán.",
        "body": """## Bao bì

- Bao dệt chắc, đường may đều, in rõ tên, logo, **thành phần và hàm lượng** dinh dưỡng.
- Có số quyết định công nhận phân bón lưu hành, ngày sản xuất, khối lượng tịnh.
- Bao không có dấu hiệu may lại, sang chiết.

## Hạt phân

- Hạt tròn, đều, màu trắng; tan nhanh trong nước.
- Hạt lẫn tạp chất, vón cục, màu lạ là dấu hiệu nghi ngờ.

## Đại lý

Mua tại đại lý có giấy chứng nhận đủ điều kiện buôn bán phân bón.
Giữ lại hóa đơn và một ít mẫu phân để đối chiếu khi cần.""",
    },
    {
        "unit": "Chi cục Quản lý thị trường tỉnh Lào Cai",
        "title": "Thuốc lá điếu nhập lậu và giả mạo nhãn hiệu Vinataba",
        "goods": "tobacco", "brand": "Vinataba", "rights_holder": "Tổng công ty Thuốc lá Việt Nam",
        "summary": "Thuốc lá nhập lậu và thuốc lá giả là mặt hàng trọng điểm ở các tỉnh biên giới. "
                   "Bao thuốc hợp pháp có cảnh báo sức khỏe bằng hình ảnh và chữ tiếng Việt.",
        "body": """## Bao thuốc hợp pháp

- Có **cảnh báo sức khỏe bằng hình ảnh** và chữ tiếng Việt chiếm phần lớn mặt bao.
- Ghi tên, địa chỉ nhà sản xuất, số lô, ngày sản xuất.
- Giấy bóng kính bọc bao phẳng, dây xé in rõ.

## Dấu hiệu thuốc lá giả, nhập lậu

1. Bao không có cảnh báo bằng tiếng Việt hoặc chỉ có chữ nước ngoài.
2. Giá rẻ hơn nhiều so với giá bán lẻ thông thường.
3. Điếu thuốc lỏng, giấy cuốn ngả màu, đầu lọc không đều.

Kinh doanh thuốc lá nhập lậu là vi phạm pháp luật. Hãy báo cho lực lượng quản lý thị trường khi phát hiện.""",
    },
)


def _unit(name: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.name == name).order_by(Unit.id).limit(1))


def load_public_demo() -> None:
    """Create the hotlines and guides that are missing (needs the demo units and the admin user)."""
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    if admin is None:
        return
    for unit_name, label, numbers, email, address, hours in HOTLINES:
        unit = _unit(unit_name)
        if unit is None or db.session.scalar(select(Hotline.id).where(Hotline.unit_id == unit.id,
                                                                      Hotline.label == label)):
            continue
        hotlines.create(admin, hotlines.HotlineData(
            unit_id=unit.id, label=label, phones=numbers, email=email, address=address, hours=hours,
            province_code=unit.province_code, ward_code=unit.ward_code, published=True))
    for spec in GUIDES:
        unit = _unit(spec["unit"])
        if unit is None or db.session.scalar(select(Guide.id).where(Guide.title == spec["title"])):
            continue
        guide = guides.create(admin, guides.GuideData(
            unit_id=unit.id, title=spec["title"], body=spec["body"], goods_code=spec["goods"],
            brand=spec["brand"], rights_holder=spec["rights_holder"], summary=spec["summary"]))
        guides.publish(admin, guide)
    db.session.flush()
