"""The five source documents as plans: their tasks, targets and reporting rules (demo data)."""
from __future__ import annotations

#: Units the plans need that portal/demo.py does not create yet: (key, name, kind, parent_key).
#: kind is one of: peoples_committee, steering_committee, department, market_surveillance,
#: market_surveillance_team, police, customs, border_guard, tax, working_group, ward_committee,
#: office, residential_group. parent_key is an existing key (see below) or a key defined earlier here.
EXTRA_UNITS: list[tuple[str, str, str, str]] = [
    # Lạng Sơn (plan 125/KH-UBND, section IV.2)
    ("20:ict", "Sở Thông tin và Truyền thông tỉnh Lạng Sơn", "department", "20:pc"),
    ("20:districts", "UBND các huyện, thành phố tỉnh Lạng Sơn", "peoples_committee", "20:pc"),
    ("20:mass_orgs", "Các tổ chức đoàn thể, hiệp hội, hội tỉnh Lạng Sơn", "office", "20:pc"),
    ("20:market_boards", "Ban quản lý các chợ trên địa bàn tỉnh Lạng Sơn", "office", "20:pc"),
    # Hàm Rồng ward: these six carry the names portal/demo.py already gives them, so no duplicate
    ("hr:economy", "Phòng Kinh tế, Hạ tầng và Đô thị", "office", "ward:Phường Hàm Rồng"),
    ("hr:culture", "Phòng Văn hóa - Xã hội", "office", "ward:Phường Hàm Rồng"),
    ("hr:services", "Trung tâm Cung ứng dịch vụ công", "office", "ward:Phường Hàm Rồng"),
    ("hr:police", "Công an phường Hàm Rồng", "police", "ward:Phường Hàm Rồng"),
    ("hr:steering", "Ban Chỉ đạo 389 phường Hàm Rồng", "steering_committee", "ward:Phường Hàm Rồng"),
    ("hr:group1", "Tổ dân phố số 1", "residential_group", "ward:Phường Hàm Rồng"),
    ("hr:group2", "Tổ dân phố số 2", "residential_group", "ward:Phường Hàm Rồng"),
    ("hr:group3", "Tổ dân phố số 3", "residential_group", "ward:Phường Hàm Rồng"),
    # ... and these three are new
    ("hr:office", "Văn phòng HĐND và UBND", "office", "ward:Phường Hàm Rồng"),
    ("hr:front", "Ủy ban Mặt trận Tổ quốc Việt Nam phường Hàm Rồng", "office", "ward:Phường Hàm Rồng"),
    ("hr:mass_orgs", "Các đoàn thể chính trị - xã hội phường Hàm Rồng", "office", "ward:Phường Hàm Rồng"),
    # Cần Thơ (campaign of Tổ công tác 1253, section II.2 i, k, l)
    ("92:districts", "UBND các quận, huyện thành phố Cần Thơ", "peoples_committee", "92:pc"),
    ("92:front", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Cần Thơ", "office", "92:pc"),
    ("92:radio_tv", "Đài Phát thanh và Truyền hình thành phố Cần Thơ", "office", "92:pc"),
    # Hải Phòng (directive)
    ("31:districts", "UBND các quận, huyện thành phố Hải Phòng", "peoples_committee", "31:pc"),
]

PLANS: list[dict] = [
    # ------------------------------------------------------------------ 000: Lào Cai, letter 100
    {
        "number": "100/QLTTLCA-NVTH",
        "kind": "letter",
        "issuer": "15:market",
        "issued_on": "2024-03-19",
        "title": "V/v tiếp tục thực hiện Quyết định số 90/QĐ-QLTT ngày 31/3/2021 phê duyệt Kế hoạch đấu tranh "
                 "phòng chống hàng giả, hàng không rõ nguồn gốc xuất xứ và hàng hoá xâm phạm quyền SHTT trên "
                 "địa bàn tỉnh Lào Cai giai đoạn 2021-2025",
        # the letter pushes the 2024 targets of Kế hoạch 23
        "starts_on": "2024-03-19", "ends_on": "2024-12-31",
        "start_time": None, "end_time": None,
        "status": "finished",
        "cites": ["90/QĐ-QLTT", "548/TCQLTT-CNV", "888", "23/KH-QLTTLCA", "277/QLTT-NV"],
        "goods": [],
        "tasks": [
            {"description": "Phân công, giao chỉ tiêu cụ thể cho kiểm soát viên; nắm bắt cơ sở kinh doanh, tuyên "
                            "truyền, vận động, phổ biến pháp luật, ký cam kết với cơ sở kinh doanh và ký quy chế phối "
                            "hợp; bảo đảm 100% cơ sở được ký kết trong quý II năm 2024.",
             "lead": "15:team1", "coordinators": [], "due_on": "2024-06-30", "recurrence": "once"},
            {"description": "Phân công, giao chỉ tiêu cụ thể cho kiểm soát viên; nắm bắt cơ sở kinh doanh, tuyên "
                            "truyền, vận động, phổ biến pháp luật, ký cam kết với cơ sở kinh doanh và ký quy chế phối "
                            "hợp; bảo đảm 100% cơ sở được ký kết trong quý II năm 2024.",
             "lead": "15:team2", "coordinators": [], "due_on": "2024-06-30", "recurrence": "once"},
            {"description": "Phân công, giao chỉ tiêu cụ thể cho kiểm soát viên; nắm bắt cơ sở kinh doanh, tuyên "
                            "truyền, vận động, phổ biến pháp luật, ký cam kết với cơ sở kinh doanh và ký quy chế phối "
                            "hợp; bảo đảm 100% cơ sở được ký kết trong quý II năm 2024.",
             "lead": "15:team4", "coordinators": [], "due_on": "2024-06-30", "recurrence": "once"},
            {"description": "Kiểm tra chuyên đề hàng giả, hàng xâm phạm quyền, hàng không rõ nguồn gốc xuất xứ theo "
                            "Kế hoạch 23, tập trung vào địa bàn trọng điểm; đưa tổ chức, cá nhân kinh doanh thương mại "
                            "điện tử vào nhóm đối tượng kiểm tra trọng điểm.",
             "lead": "15:team1", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Kiểm tra chuyên đề hàng giả, hàng xâm phạm quyền, hàng không rõ nguồn gốc xuất xứ theo "
                            "Kế hoạch 23, tập trung vào địa bàn trọng điểm; đưa tổ chức, cá nhân kinh doanh thương mại "
                            "điện tử vào nhóm đối tượng kiểm tra trọng điểm.",
             "lead": "15:team2", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Kiểm tra chuyên đề hàng giả, hàng xâm phạm quyền, hàng không rõ nguồn gốc xuất xứ theo "
                            "Kế hoạch 23, tập trung vào địa bàn trọng điểm; đưa tổ chức, cá nhân kinh doanh thương mại "
                            "điện tử vào nhóm đối tượng kiểm tra trọng điểm.",
             "lead": "15:team4", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Báo cáo định kỳ theo Kế hoạch 23 và Công văn 277/QLTT-NV, đủ số liệu: cơ sở ký cam kết, "
                            "phát sinh mới, ngừng kinh doanh, chuyển đổi ngành nghề, vi phạm sau khi được tuyên "
                            "truyền, ký cam kết, bày bán công khai hàng vi phạm; theo dõi mọi cơ sở trên địa bàn được "
                            "giao.",
             "lead": "15:team1", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Báo cáo định kỳ theo Kế hoạch 23 và Công văn 277/QLTT-NV, đủ số liệu: cơ sở ký cam kết, "
                            "phát sinh mới, ngừng kinh doanh, chuyển đổi ngành nghề, vi phạm sau khi được tuyên "
                            "truyền, ký cam kết, bày bán công khai hàng vi phạm; theo dõi mọi cơ sở trên địa bàn được "
                            "giao.",
             "lead": "15:team2", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Báo cáo định kỳ theo Kế hoạch 23 và Công văn 277/QLTT-NV, đủ số liệu: cơ sở ký cam kết, "
                            "phát sinh mới, ngừng kinh doanh, chuyển đổi ngành nghề, vi phạm sau khi được tuyên "
                            "truyền, ký cam kết, bày bán công khai hàng vi phạm; theo dõi mọi cơ sở trên địa bàn được "
                            "giao.",
             "lead": "15:team4", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Đưa kết quả thực hiện Kế hoạch 23 vào chỉ tiêu đánh giá mức độ hoàn thành nhiệm vụ của "
                            "các Đội, gắn trách nhiệm người đứng đầu, công chức với quản lý địa bàn; làm căn cứ đánh "
                            "giá, xếp loại công chức hằng năm.",
             "lead": "15:market", "coordinators": [], "due_on": None, "recurrence": "yearly"},
            {"description": "Đôn đốc, tổng hợp, báo cáo kết quả thực hiện Kế hoạch 23; theo dõi sát việc báo cáo của "
                            "các Đội QLTT trực thuộc theo các chỉ tiêu, hằng quý báo cáo Lãnh đạo Cục.",
             "lead": "15:market_office", "coordinators": [], "due_on": None, "recurrence": "quarterly"},
        ],
        "targets": [
            {"year": 2024, "percent": 100, "category": "business", "measure": "commitment",
             "text": "Đội trưởng Đội QLTT số 1,2,4 khẩn trương phân công, giao chỉ tiêu cụ thể cho các kiểm soát "
                     "viên, tiếp tục triển khai công tác tuyên truyền, vận động, phổ biến pháp luật, ký cam kết với "
                     "các cơ sở kinh doanh và ký quy chế phối hợp với các đơn vị liên quan phù hợp, hoàn thành trong "
                     "quý II năm 2024 đảm bảo 100% các cơ sở được ký kết."},
        ],
        # "hàng quý báo cáo Lãnh đạo Cục": the letter names no day, so each quarter's last day is used.
        # The teams' own periodic reports follow Kế hoạch 23, whose frequency the letter does not state.
        "rules": [
            {"name": "Báo cáo quý I", "kind": "yearly", "day": 31, "month": 3, "time": None,
             "reporters": ["15:market_office"], "receiver": "15:market"},
            {"name": "Báo cáo quý II", "kind": "yearly", "day": 30, "month": 6, "time": None,
             "reporters": ["15:market_office"], "receiver": "15:market"},
            {"name": "Báo cáo quý III", "kind": "yearly", "day": 30, "month": 9, "time": None,
             "reporters": ["15:market_office"], "receiver": "15:market"},
            {"name": "Báo cáo quý IV", "kind": "yearly", "day": 31, "month": 12, "time": None,
             "reporters": ["15:market_office"], "receiver": "15:market"},
        ],
    },
    # ------------------------------------------------------------------ 001: Lạng Sơn, plan 125
    {
        "number": "125/KH-UBND",
        "kind": "plan",
        "issuer": "20:pc",
        "issued_on": "2021-05-29",
        "title": "Phòng ngừa, đấu tranh các hoạt động kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng "
                 "xâm phạm quyền sở hữu trí tuệ trên địa bàn tỉnh Lạng Sơn giai đoạn 2021 - 2025",
        "starts_on": "2021-05-29", "ends_on": "2025-12-31",
        "start_time": None, "end_time": None,
        "status": "finished",
        "cites": ["11-CT/TU", "888/QĐ-TCQLTT"],
        "goods": ["food", "medicines", "medicinal_herbs", "cosmetics", "supplements", "footwear", "clothing",
                  "accessories", "watches", "bags", "phones", "electronics", "tools", "sports_goods", "helmets"],
        "tasks": [
            # III. Nội dung thực hiện: asked of every agency; led through the provincial steering committee
            {"description": "Công khai số điện thoại đường dây nóng tại trụ sở hoặc trên trang thông tin điện tử của "
                            "cơ quan, đơn vị để tiếp nhận thông tin về hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng "
                            "xâm phạm quyền sở hữu trí tuệ.",
             "lead": "20:steering", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Công khai trên trang thông tin điện tử của cơ quan, đơn vị danh tính các tổ chức, cá nhân "
                            "đã được tuyên truyền nhưng cố tình buôn bán, vận chuyển, kinh doanh hàng giả, hàng không "
                            "rõ nguồn gốc xuất xứ, hàng hóa xâm phạm quyền sở hữu trí tuệ.",
             "lead": "20:steering", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Phối hợp với doanh nghiệp, đại diện chủ sở hữu quyền tiếp nhận thông tin, hình ảnh, tài "
                            "liệu hướng dẫn nhận biết hàng thật, hàng giả để cung cấp cho tổ chức, cá nhân kinh doanh "
                            "và người tiêu dùng.",
             "lead": "20:steering", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Kết nối với các chủ sàn thương mại điện tử để thu thập thông tin về tổ chức, cá nhân trên "
                            "địa bàn tỉnh quảng bá, kinh doanh trên các sàn, phục vụ tuyên truyền, quản lý.",
             "lead": "20:steering", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            # IV.2.1 Bộ Chỉ huy Bộ đội Biên phòng
            {"description": "Tăng cường tuần tra, kiểm soát cửa khẩu, đường mòn, lối mở, kho bãi, điểm tập kết hàng "
                            "hóa khu vực biên giới; kịp thời phát hiện, xử lý đối tượng vận chuyển, kinh doanh hàng "
                            "giả, hàng không rõ nguồn gốc xuất xứ, hàng xâm phạm quyền sở hữu trí tuệ.",
             "lead": "20:border", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Tuyên truyền, vận động quần chúng nhân dân khu vực biên giới ký cam kết không tham gia, "
                            "không tiếp tay cho đối tượng kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng "
                            "xâm phạm quyền sở hữu trí tuệ.",
             "lead": "20:border", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Trao đổi thông tin với các lực lượng chức năng về tình hình kinh doanh hàng giả, hàng "
                            "không rõ nguồn gốc xuất xứ, hàng xâm phạm quyền sở hữu trí tuệ khu vực biên giới (khi có "
                            "yêu cầu).",
             "lead": "20:border", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            # IV.2.2 Cục Hải quan
            {"description": "Kiểm tra, kiểm soát tại cửa khẩu và địa bàn hoạt động hải quan; giám sát chặt chẽ các lô "
                            "hàng nhập khẩu có nguy cơ bị lợi dụng để sản xuất hàng giả, hàng xâm phạm quyền sở hữu "
                            "trí tuệ qua các cửa khẩu trên địa bàn tỉnh.",
             "lead": "20:customs", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Phối hợp với Bộ đội Biên phòng kiểm soát khu vực biên giới, nắm chắc tình hình đối tượng "
                            "buôn lậu; kịp thời thông tin, phối hợp với lực lượng chống buôn lậu nội địa ngăn chặn.",
             "lead": "20:customs", "coordinators": ["20:border"], "due_on": None, "recurrence": "ongoing"},
            # IV.2.3 Công an tỉnh
            {"description": "Triển khai biện pháp nghiệp vụ phòng ngừa, phát hiện, đấu tranh, xử lý triệt để đường "
                            "dây, ổ nhóm, đối tượng chủ mưu sản xuất, buôn bán hàng giả; phối hợp Viện kiểm sát, Tòa "
                            "án nhân dân tỉnh điều tra, truy tố, xét xử.",
             "lead": "20:police", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Phối hợp với các lực lượng chức năng đấu tranh, ngăn chặn, xử lý đối tượng vi phạm hành "
                            "chính khi có yêu cầu.",
             "lead": "20:police", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            # IV.2.4 Cục Quản lý thị trường (standing office of the provincial steering committee, IV.3.2)
            {"description": "Chủ trì rà soát, tuyên truyền, ký cam kết và kiểm tra định kỳ, chuyên đề, đột xuất tổ "
                            "chức, cá nhân sản xuất, kinh doanh; xử lý nghiêm, kịp thời vi phạm về hàng giả, hàng "
                            "không rõ nguồn gốc xuất xứ, xâm phạm quyền sở hữu trí tuệ.",
             "lead": "20:market", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Có biện pháp, kế hoạch xử lý triệt để tổ chức, cá nhân đã được tuyên truyền, ký cam kết "
                            "hoặc xử lý nhưng vẫn cố tình vi phạm, tái phạm; phối hợp cơ quan Thuế xác định đối tượng "
                            "sử dụng hóa đơn để kinh doanh hàng giả.",
             "lead": "20:market", "coordinators": ["20:tax"], "due_on": None, "recurrence": "ongoing"},
            {"description": "Phối hợp Công an tỉnh, Sở Thông tin và Truyền thông đề xuất phương pháp phát hiện, quản "
                            "lý tổ chức, cá nhân trên địa bàn tỉnh kinh doanh trên các sàn thương mại điện tử để kịp "
                            "thời xử lý vi phạm.",
             "lead": "20:market", "coordinators": ["20:police", "20:ict"], "due_on": None, "recurrence": "ongoing"},
            {"description": "Đăng tải trên phương tiện thông tin đại chúng mọi vụ việc đã xử lý về hàng giả, hàng "
                            "không rõ nguồn gốc xuất xứ, hàng xâm phạm quyền sở hữu trí tuệ, hàng không bảo đảm an "
                            "toàn thực phẩm.",
             "lead": "20:market", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Cơ quan thường trực Ban Chỉ đạo 389 tỉnh: chủ trì, phối hợp tham mưu đôn đốc, tổng hợp, "
                            "báo cáo kết quả triển khai thực hiện Kế hoạch.",
             "lead": "20:market", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            # IV.2.5 Cục Thuế tỉnh
            {"description": "Tăng cường thanh tra, kiểm tra chế độ kế toán, hóa đơn, chứng từ của doanh nghiệp nhập "
                            "khẩu, sản xuất, kinh doanh; xử lý tổ chức, cá nhân lợi dụng hóa đơn, chứng từ để kinh "
                            "doanh hàng giả, hàng không rõ nguồn gốc xuất xứ.",
             "lead": "20:tax", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Rà soát, phối hợp lực lượng chức năng báo cáo, đề xuất biện pháp quản lý thuế đối với tổ "
                            "chức, cá nhân hoạt động thương mại điện tử, kinh doanh trên mọi nền tảng số.",
             "lead": "20:tax", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            # IV.2.6 Sở Công Thương
            {"description": "Quản lý các chợ, đưa tiêu chí “Không kinh doanh hàng giả, hàng không rõ nguồn gốc xuất "
                            "xứ, hàng vi phạm quyền sở hữu trí tuệ” thành nghĩa vụ trong hợp đồng thuê địa điểm kinh "
                            "doanh tại chợ.",
             "lead": "20:industry", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Tăng cường quản lý thương mại điện tử; chủ động cung cấp thông tin tổ chức, cá nhân trên "
                            "địa bàn tỉnh có trang thông tin, sàn giao dịch thương mại điện tử để phối hợp quản lý, "
                            "ngăn chặn vi phạm.",
             "lead": "20:industry", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Hỗ trợ doanh nghiệp, hội, hiệp hội phối hợp chống hàng giả; tham mưu thành lập Văn phòng "
                            "đại diện VATAP tại Lạng Sơn hoặc Chi hội Chống hàng giả và Bảo vệ Thương hiệu thuộc Hội "
                            "Bảo vệ người tiêu dùng tỉnh.",
             "lead": "20:industry", "coordinators": [], "due_on": None, "recurrence": "once"},
            # IV.2.7 Sở Thông tin và Truyền thông
            {"description": "Quản lý tổ chức, cá nhân kinh doanh dịch vụ bưu chính, chuyển phát nhanh; yêu cầu cam kết "
                            "không vận chuyển hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng xâm phạm quyền sở hữu "
                            "trí tuệ.",
             "lead": "20:ict", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Tăng cường rà soát tổ chức, cá nhân sử dụng nền tảng số để đăng tin quảng bá, giới thiệu, "
                            "kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng xâm phạm quyền sở hữu trí tuệ.",
             "lead": "20:ict", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Chỉ đạo các cơ quan báo chí trên địa bàn tỉnh tăng cường tuyên truyền pháp luật về đấu "
                            "tranh, phòng ngừa kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng xâm phạm "
                            "quyền sở hữu trí tuệ giai đoạn 2021 - 2025.",
             "lead": "20:ict", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Chủ trì rà soát, thanh tra, kiểm tra, xử lý nghiêm hành vi lợi dụng thương mại điện tử, "
                            "dịch vụ bưu chính, chuyển phát để kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, "
                            "hàng xâm phạm quyền sở hữu trí tuệ.",
             "lead": "20:ict", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            # IV.2.8 Sở Khoa học và Công nghệ
            {"description": "Tuyên truyền văn bản quy phạm pháp luật về sở hữu trí tuệ đến người tiêu dùng, nâng cao "
                            "nhận thức về quyền sở hữu đối với tài sản trí tuệ.",
             "lead": "20:science", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Chủ trì thanh tra, kiểm tra, xử lý theo thẩm quyền vi phạm về tiêu chuẩn, đo lường, chất "
                            "lượng sản phẩm, hàng hóa và sở hữu trí tuệ.",
             "lead": "20:science", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Phối hợp, hỗ trợ cơ quan chức năng thực hiện biện pháp nghiệp vụ xác minh, phát hiện, xử "
                            "lý vi phạm về sản xuất, kinh doanh hàng giả, hàng xâm phạm quyền sở hữu trí tuệ, không rõ "
                            "nguồn gốc xuất xứ.",
             "lead": "20:science", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            # IV.2.9 UBND các huyện, thành phố
            {"description": "Chỉ đạo cơ quan, đơn vị trên địa bàn phối hợp lực lượng chức năng tuyên truyền, ký cam "
                            "kết, kiểm tra tổ chức, cá nhân kinh doanh; kiên quyết thực hiện các mục tiêu của Kế "
                            "hoạch.",
             "lead": "20:districts", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Chỉ đạo UBND cấp xã phối hợp cơ quan Quản lý thị trường tổng hợp danh sách tổ chức, cá "
                            "nhân đã bị xử phạt về hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng xâm phạm quyền sở "
                            "hữu trí tuệ để theo dõi, tuyên truyền và ký cam kết không tái phạm.",
             "lead": "20:districts", "coordinators": ["20:market"], "due_on": None, "recurrence": "ongoing"},
            # IV.2.10 Các sở, ngành khác và các tổ chức đoàn thể, hiệp hội, hội
            {"description": "Các sở, ngành khác, tổ chức đoàn thể, hiệp hội, hội tuyên truyền tác hại của hàng giả, "
                            "hàng không rõ nguồn gốc xuất xứ đối với sức khỏe, quyền lợi người tiêu dùng; cán bộ, đoàn "
                            "viên, hội viên gương mẫu chấp hành pháp luật.",
             "lead": "20:mass_orgs", "coordinators": ["20:health", "20:agriculture", "20:finance", "20:culture"],
             "due_on": None, "recurrence": "ongoing"},
            {"description": "Ban quản lý các chợ, chủ sàn giao dịch thương mại điện tử yêu cầu tổ chức, cá nhân kinh "
                            "doanh tại chợ, trên sàn cam kết không kinh doanh, quảng bá, đăng tải hàng giả, hàng không "
                            "rõ nguồn gốc xuất xứ, hàng xâm phạm quyền sở hữu trí tuệ.",
             "lead": "20:market_boards", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
        ],
        "targets": [
            # 2.1. Đến hết năm 2021
            {"year": 2021, "percent": 100, "category": "importer", "measure": "outreach_commitment",
             "text": "100% tổ chức, cá nhân có hoạt động nhập khẩu qua địa bàn tỉnh được tuyên truyền, thực hiện ký "
                     "cam kết không nhập khẩu, kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng hóa xâm "
                     "phạm quyền sở hữu trí tuệ."},
            {"year": 2021, "percent": 100, "category": "supermarket", "measure": "no_violation",
             "text": "100% siêu thị, trung tâm thương mại không kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, "
                     "hàng hóa xâm phạm quyền sở hữu trí tuệ."},
            {"year": 2021, "percent": 100, "category": "ecommerce_seller", "measure": "commitment",
             "text": "100% tổ chức, cá nhân trên địa bàn tỉnh tham gia hoạt động trên các sàn giao dịch thương mại "
                     "điện tử đều ký cam kết và thực hiện không kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, "
                     "hàng hóa xâm phạm quyền sở hữu trí tuệ."},
            {"year": 2021, "percent": 50, "category": "website", "measure": "commitment",
             "text": "50% tổ chức, cá nhân có trang thông tin điện tử đã đăng ký hoặc thông báo thực hiện ký cam kết "
                     "không kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng hóa xâm phạm quyền sở hữu trí "
                     "tuệ."},
            {"year": 2021, "percent": 100, "category": "market_stall", "measure": "commitment",
             "text": "100% cơ sở kinh doanh tại các chợ truyền thống, cơ sở sản xuất trong các làng nghề đều ký cam "
                     "kết không sản xuất, kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng hóa xâm phạm "
                     "quyền sở hữu trí tuệ."},
            {"year": 2021, "percent": 100, "category": "craft_village", "measure": "commitment",
             "text": "100% cơ sở kinh doanh tại các chợ truyền thống, cơ sở sản xuất trong các làng nghề đều ký cam "
                     "kết không sản xuất, kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng hóa xâm phạm "
                     "quyền sở hữu trí tuệ."},
            {"year": 2021, "percent": 80, "category": "tourist_area", "measure": "no_violation",
             "text": "80% cơ sở kinh doanh tại các khu vực, tuyến phố du lịch và các huyện, thị trấn có địa điểm du "
                     "lịch không kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng hóa xâm phạm quyền sở "
                     "hữu trí tuệ."},
            {"year": 2021, "percent": 60, "category": "business", "measure": "outreach_commitment",
             "text": "60% cơ sở kinh doanh được tuyên truyền, vận động, phổ biến pháp luật, ký cam kết không kinh "
                     "doanh hàng giả, không rõ nguồn gốc xuất xứ, xâm phạm quyền sở hữu trí tuệ và không tái phạm."},
            {"year": 2021, "percent": 60, "category": "market_board", "measure": "coordination_agreement",
             "text": "60% ban quản lý chợ, trung tâm thương mại, tuyến phố, phường, xã, thị trấn được tuyên truyền, "
                     "phổ biến pháp luật, ký quy chế phối hợp không để kinh doanh hàng giả, hàng không rõ nguồn gốc "
                     "xuất xứ, xâm phạm quyền sở hữu trí tuệ trên địa bàn."},
            # 2.2. Đến hết năm 2022
            {"year": 2022, "percent": 100, "category": "sanctioned", "measure": "no_repeat",
             "text": "100% tổ chức, cá nhân có hành vi vi phạm về sản xuất, kinh doanh, nhập khẩu hàng giả, không rõ "
                     "nguồn gốc xuất xứ, xâm phạm quyền sở hữu trí tuệ đã bị xử lý trong năm 2021 (đã bị xử lý theo "
                     "yêu cầu của chủ thể quyền) không tái phạm."},
            {"year": 2022, "percent": 100, "category": "general_store", "measure": "no_violation",
             "text": "100% cửa hàng kinh doanh hàng hóa tiêu dùng tổng hợp không kinh doanh hàng giả, hàng không rõ "
                     "nguồn gốc xuất xứ, hàng hóa xâm phạm quyền sở hữu trí tuệ."},
            {"year": 2022, "percent": 100, "category": "tourist_area", "measure": "no_violation",
             "text": "100% cơ sở kinh doanh tại các khu vực, tuyến phố du lịch và các huyện, thị trấn có địa điểm du "
                     "lịch không kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng hóa xâm phạm quyền sở "
                     "hữu trí tuệ."},
            {"year": 2022, "percent": 100, "category": "business", "measure": "outreach_commitment",
             "text": "100% sở kinh doanh được tuyên truyền, vận động, phổ biến pháp luật, ký cam kết không kinh doanh "
                     "hàng giả, không rõ nguồn gốc xuất xứ, xâm phạm quyền sở hữu trí tuệ và không tái phạm."},
            {"year": 2022, "percent": 100, "category": "market_board", "measure": "coordination_agreement",
             "text": "100% ban Quản lý chợ, trung tâm thương mại, tuyến phố, phường, xã, thị trấn được tuyên truyền, "
                     "phổ biến pháp luật, ký quy chế phối hợp không để kinh doanh hàng giả, hàng không rõ nguồn gốc "
                     "xuất xứ, xâm phạm quyền sở hữu trí tuệ trên địa bàn."},
            {"year": 2022, "percent": 60, "category": "craft_village", "measure": "no_violation",
             "text": "60% cơ sở sản xuất trong các làng nghề không sản xuất kinh doanh hàng giả, hàng không rõ nguồn "
                     "gốc xuất xứ, hàng hóa xâm phạm quyền sở hữu trí tuệ."},
            {"year": 2022, "percent": 80, "category": "website", "measure": "no_violation",
             "text": "80% tổ chức, cá nhân có trang thông tin điện tử, sàn giao dịch thương mại điện tử không đăng, "
                     "quảng bá, kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng hóa xâm phạm quyền sở hữu "
                     "trí tuệ."},
            {"year": 2022, "percent": 30, "category": "digital_platform_seller", "measure": "outreach_commitment",
             "text": "30% tổ chức, các cá nhân kinh doanh trên nền tảng số được tuyên truyền, vận động ký cam kết "
                     "không kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng hóa xâm phạm quyền sở hữu trí "
                     "tuệ."},
            # 2.3. Đến hết năm 2023
            {"year": 2023, "percent": 100, "category": "sanctioned", "measure": "no_repeat",
             "text": "100% cơ sở kinh doanh có hành vi nhập khẩu, sản xuất, kinh doanh hàng giả, không rõ nguồn gốc "
                     "xuất xứ, xâm phạm quyền sở hữu trí tuệ đã bị xử lý trong năm 2022 không tái phạm."},
            {"year": 2023, "percent": 100, "category": "business", "measure": "no_violation",
             "text": "100% cơ sở kinh doanh tại thành phố Lạng Sơn không kinh doanh hàng giả, hàng không rõ nguồn gốc "
                     "xuất xứ, hàng hóa xâm phạm quyền sở hữu trí tuệ."},
            {"year": 2023, "percent": 100, "category": "website", "measure": "commitment",
             "text": "100% tổ chức, cá nhân có trang thông tin điện tử, sàn giao dịch thương mại điện tử đã đăng ký "
                     "hoặc thông báo đều thực hiện ký cam kết không đăng, quảng bá, kinh doanh hàng giả, hàng không rõ "
                     "nguồn gốc xuất xứ, hàng hóa xâm phạm quyền sở hữu trí tuệ."},
            {"year": 2023, "percent": 80, "category": "craft_village", "measure": "no_violation",
             "text": "80% cơ sở sản xuất trong các làng nghề không sản xuất kinh doanh hàng giả, hàng không rõ nguồn "
                     "gốc xuất xứ, hàng hóa xâm phạm quyền sở hữu trí tuệ."},
            {"year": 2023, "percent": 60, "category": "digital_platform_seller", "measure": "outreach_commitment",
             "text": "60% tổ chức, các cá nhân kinh doanh trên nền tảng số được tuyên truyền, vận động ký cam kết "
                     "không kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng hóa xâm phạm quyền sở hữu trí "
                     "tuệ."},
            # 2.4. Đến hết năm 2024
            {"year": 2024, "percent": 100, "category": "sanctioned", "measure": "no_repeat",
             "text": "100% cơ sở kinh doanh có hành vi nhập khẩu, sản xuất, kinh doanh hàng giả, không rõ nguồn gốc "
                     "xuất xứ, xâm phạm quyền sở hữu trí tuệ đã bị xử lý trong năm 2023 không tái phạm."},
            {"year": 2024, "percent": 90, "category": "business", "measure": "no_violation",
             "text": "90% cơ sở kinh doanh tại tỉnh Lạng Sơn không kinh doanh hàng giả, hàng không rõ nguồn gốc xuất "
                     "xứ, hàng hóa xâm phạm quyền sở hữu trí tuệ."},
            {"year": 2024, "percent": 100, "category": "website", "measure": "commitment",
             "text": "100% tổ chức, cá nhân có trang thông tin điện tử, sàn giao dịch thương mại điện tử đều thực hiện "
                     "ký cam kết không đăng, quảng bá, kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng hóa "
                     "xâm phạm quyền sở hữu trí tuệ."},
            {"year": 2024, "percent": 100, "category": "craft_village", "measure": "no_violation",
             "text": "100% cơ sở sản xuất trong các làng nghề không sản xuất và không kinh doanh hàng giả, hàng không "
                     "rõ nguồn gốc xuất xứ, hàng hóa xâm phạm quyền sở hữu trí tuệ."},
            {"year": 2024, "percent": 90, "category": "digital_platform_seller", "measure": "outreach_commitment",
             "text": "90% tổ chức, các cá nhân kinh doanh trên nền tảng số được tuyên truyền, vận động ký cam kết "
                     "không kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng hóa xâm phạm quyền sở hữu trí "
                     "tuệ."},
            # 2.5. Đến hết năm 2025
            {"year": 2025, "percent": 100, "category": "sanctioned", "measure": "no_repeat",
             "text": "100% cơ sở kinh doanh có hành vi nhập khẩu, sản xuất, kinh doanh hàng giả, không rõ nguồn gốc "
                     "xuất xứ, xâm phạm quyền sở hữu trí tuệ đã bị xử lý trong các năm trước không tiếp tục vi phạm "
                     "hoặc tái phạm."},
            {"year": 2025, "percent": 100, "category": "business", "measure": "no_violation",
             "text": "100% cơ sở kinh doanh tại tỉnh Lạng Sơn không kinh doanh hàng giả, hàng không rõ nguồn gốc xuất "
                     "xứ, hàng hóa xâm phạm quyền sở hữu trí tuệ."},
            {"year": 2025, "percent": 100, "category": "website", "measure": "no_violation",
             "text": "100% tổ chức, cá nhân trên địa bàn tỉnh Lạng Sơn có trang thông tin điện tử, sàn giao dịch "
                     "thương mại điện tử không thực hiện đăng, quảng bá, kinh doanh hàng giả, hàng không rõ nguồn gốc "
                     "xuất xứ, hàng hóa xâm phạm quyền sở hữu trí tuệ."},
            {"year": 2025, "percent": 100, "category": "craft_village", "measure": "no_violation",
             "text": "100% cơ sở sản xuất trong các làng nghề không sản xuất và không kinh doanh hàng giả, hàng không "
                     "rõ nguồn gốc xuất xứ, hàng hóa xâm phạm quyền sở hữu trí tuệ."},
            {"year": 2025, "percent": 100, "category": "digital_platform_seller", "measure": "outreach_commitment",
             "text": "100% tổ chức, các cá nhân kinh doanh trên nền tảng số được tuyên truyền, vận động ký cam kết "
                     "không kinh doanh hàng giả, hàng không rõ nguồn gốc xuất xứ, hàng hóa xâm phạm quyền sở hữu trí "
                     "tuệ."},
        ],
        # IV.3: members of the provincial steering committee and the district/city committees report to the
        # standing office (Cục Quản lý thị trường). "Thông tin nhanh, báo cáo đột xuất" follows rules of the
        # provincial committee that the plan does not give (no hours), so it is not encoded.
        "rules": [
            {"name": "Báo cáo tháng", "kind": "monthly", "day": 20, "time": None,
             "reporters": ["20:border", "20:customs", "20:police", "20:tax", "20:industry", "20:ict", "20:science",
                           "20:health", "20:agriculture", "20:finance", "20:culture", "20:districts"],
             "receiver": "20:market"},
            {"name": "Báo cáo 6 tháng đầu năm", "kind": "yearly", "day": 20, "month": 6, "time": None,
             "reporters": ["20:border", "20:customs", "20:police", "20:tax", "20:industry", "20:ict", "20:science",
                           "20:health", "20:agriculture", "20:finance", "20:culture", "20:districts"],
             "receiver": "20:market"},
            {"name": "Báo cáo năm", "kind": "yearly", "day": 20, "month": 12, "time": None,
             "reporters": ["20:border", "20:customs", "20:police", "20:tax", "20:industry", "20:ict", "20:science",
                           "20:health", "20:agriculture", "20:finance", "20:culture", "20:districts"],
             "receiver": "20:market"},
            {"name": "Báo cáo tổng kết giai đoạn 2021 - 2025", "kind": "once", "date": "2025-12-20", "time": None,
             "reporters": ["20:border", "20:customs", "20:police", "20:tax", "20:industry", "20:ict", "20:science",
                           "20:health", "20:agriculture", "20:finance", "20:culture", "20:districts"],
             "receiver": "20:market"},
        ],
    },
    # ------------------------------------------------------------------ 002: Hàm Rồng ward plan to 2030
    {
        "number": "/KH-UBND",  # the document leaves the number blank ("Số: /KH-UBND")
        "kind": "plan",
        "issuer": "ward:Phường Hàm Rồng",
        # "ngày tháng 01 năm 2026": the day is blank; it implements 08/KH-UBND of 10/01/2026, so it cannot be
        # earlier than 10 January: the earliest possible day is used.
        "issued_on": "2026-01-10",
        "title": "Đấu tranh ngăn chặn, đẩy lùi tình trạng buôn lậu, gian lận thương mại, hàng giả, xâm phạm quyền "
                 "sở hữu trí tuệ đến năm 2030 trên địa bàn phường Hàm Rồng",
        "starts_on": "2026-01-10", "ends_on": "2030-12-31",
        "start_time": None, "end_time": None,
        "status": "in_force",
        "cites": ["08/KH-UBND"],
        "goods": [],
        "tasks": [
            # III.1 Tuyên truyền, phổ biến pháp luật
            {"description": "Chủ trì tham mưu nội dung tuyên truyền; tuyên truyền thường xuyên trên hệ thống truyền "
                            "thanh phường, tại hội nghị, sinh hoạt tổ dân phố về chính sách, pháp luật và Kế hoạch số "
                            "08/KH-UBND; vận động hộ, cơ sở kinh doanh ký cam kết.",
             "lead": "hr:economy", "coordinators": ["hr:services", "hr:front", "hr:mass_orgs"],
             "due_on": None, "recurrence": "ongoing"},
            {"description": "Tổ chức tuyên truyền tại khu dân cư; theo dõi việc ký cam kết không buôn bán hàng lậu, "
                            "hàng giả, hàng cấm, hàng không rõ nguồn gốc xuất xứ của các hộ kinh doanh.",
             "lead": "hr:group1", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Tổ chức tuyên truyền tại khu dân cư; theo dõi việc ký cam kết không buôn bán hàng lậu, "
                            "hàng giả, hàng cấm, hàng không rõ nguồn gốc xuất xứ của các hộ kinh doanh.",
             "lead": "hr:group2", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Tổ chức tuyên truyền tại khu dân cư; theo dõi việc ký cam kết không buôn bán hàng lậu, "
                            "hàng giả, hàng cấm, hàng không rõ nguồn gốc xuất xứ của các hộ kinh doanh.",
             "lead": "hr:group3", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            # III.2 Quản lý địa bàn
            {"description": "Thường xuyên rà soát, cập nhật danh sách hộ, cơ sở sản xuất, kinh doanh, dịch vụ, kho "
                            "bãi, điểm tập kết hàng hóa trên địa bàn phường; phối hợp quản lý hoạt động sản xuất, kinh "
                            "doanh, tổng hợp thông tin báo cáo UBND phường.",
             "lead": "hr:economy", "coordinators": ["hr:police"], "due_on": None, "recurrence": "ongoing"},
            {"description": "Chủ trì nắm tình hình an ninh, trật tự; phát hiện, xác minh dấu hiệu vi phạm liên quan "
                            "đến buôn lậu, gian lận thương mại, hàng giả, xâm phạm quyền sở hữu trí tuệ; tham mưu hoặc "
                            "phối hợp xử lý theo thẩm quyền.",
             "lead": "hr:police", "coordinators": ["hr:economy"], "due_on": None, "recurrence": "ongoing"},
            # III.3 Kiểm tra, kiểm soát
            {"description": "Chủ trì tham mưu thành lập đoàn kiểm tra liên ngành phường; phối hợp Đội Quản lý thị "
                            "trường số 1, Công an phường kiểm tra theo kế hoạch, đột xuất và trong các đợt cao điểm; "
                            "tổng hợp, báo cáo kết quả kiểm tra, xử lý vi phạm.",
             "lead": "hr:economy", "coordinators": ["38:team1", "hr:police", "hr:culture", "hr:services"],
             "due_on": None, "recurrence": "ongoing"},
            # III.4 Hệ thống chính trị và Nhân dân
            {"description": "Chủ trì giám sát, phản biện xã hội; tiếp nhận ý kiến, kiến nghị của Nhân dân; vận động "
                            "đoàn viên, hội viên tham gia giám sát, phòng ngừa vi phạm.",
             "lead": "hr:front", "coordinators": ["hr:mass_orgs"], "due_on": None, "recurrence": "ongoing"},
            # III.5 Kỷ luật, kỷ cương
            {"description": "Chủ trì theo dõi, đôn đốc thực hiện kỷ luật, kỷ cương hành chính; tham mưu kiểm tra việc "
                            "chấp hành quy chế làm việc của cán bộ, công chức; tổng hợp, báo cáo, đề xuất xử lý trách "
                            "nhiệm các trường hợp vi phạm.",
             "lead": "hr:office", "coordinators": ["hr:culture", "hr:police", "hr:front"],
             "due_on": None, "recurrence": "ongoing"},
            {"description": "Tổng hợp, đề xuất biểu dương, khen thưởng kịp thời tập thể, cá nhân có thành tích tiêu "
                            "biểu trong phòng, chống buôn lậu, gian lận thương mại, hàng giả; phối hợp đánh giá kỷ "
                            "luật, đạo đức công vụ.",
             "lead": "hr:culture", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Tuyên truyền, phổ biến quy định pháp luật về kỷ luật, kỷ cương hành chính và phòng, chống "
                            "buôn lậu, gian lận thương mại, hàng giả; phối hợp theo dõi việc chấp hành pháp luật của "
                            "tổ chức, cá nhân.",
             "lead": "hr:services", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            # III.6 Phản ánh, tố giác
            {"description": "Chủ trì tiếp nhận, xác minh ban đầu nguồn tin phản ánh, tố giác về buôn lậu, gian lận "
                            "thương mại, hàng giả; bảo đảm bí mật, an toàn cho người cung cấp thông tin; tham mưu hoặc "
                            "phối hợp xử lý theo quy định.",
             "lead": "hr:police", "coordinators": ["hr:economy"], "due_on": None, "recurrence": "ongoing"},
            {"description": "Công khai số điện thoại, địa chỉ tiếp nhận phản ánh, tố giác tại trụ sở UBND phường, nhà "
                            "văn hóa tổ dân phố, hệ thống thông tin cơ sở; tổng hợp, báo cáo, theo dõi, đôn đốc kết "
                            "quả xử lý các vụ việc.",
             "lead": "hr:economy", "coordinators": ["hr:culture", "hr:services", "hr:office"],
             "due_on": None, "recurrence": "ongoing"},
            {"description": "Thường xuyên nắm tình hình khu dân cư; tiếp nhận phản ánh, tố giác của Nhân dân và kịp "
                            "thời báo cáo UBND phường hoặc Công an phường các dấu hiệu buôn lậu, gian lận thương mại, "
                            "hàng giả, xâm phạm quyền sở hữu trí tuệ.",
             "lead": "hr:group1", "coordinators": ["hr:police"], "due_on": None, "recurrence": "ongoing"},
            {"description": "Thường xuyên nắm tình hình khu dân cư; tiếp nhận phản ánh, tố giác của Nhân dân và kịp "
                            "thời báo cáo UBND phường hoặc Công an phường các dấu hiệu buôn lậu, gian lận thương mại, "
                            "hàng giả, xâm phạm quyền sở hữu trí tuệ.",
             "lead": "hr:group2", "coordinators": ["hr:police"], "due_on": None, "recurrence": "ongoing"},
            {"description": "Thường xuyên nắm tình hình khu dân cư; tiếp nhận phản ánh, tố giác của Nhân dân và kịp "
                            "thời báo cáo UBND phường hoặc Công an phường các dấu hiệu buôn lậu, gian lận thương mại, "
                            "hàng giả, xâm phạm quyền sở hữu trí tuệ.",
             "lead": "hr:group3", "coordinators": ["hr:police"], "due_on": None, "recurrence": "ongoing"},
            # V. Tổ chức thực hiện
            {"description": "Cơ quan Thường trực Ban Chỉ đạo 389 phường: chủ trì triển khai Kế hoạch; đầu mối theo "
                            "dõi, đôn đốc, kiểm tra các phòng, đơn vị; tổng hợp, báo cáo, tham mưu xử lý khó khăn, "
                            "vướng mắc.",
             "lead": "hr:economy", "coordinators": ["hr:police", "hr:culture", "hr:services", "hr:office"],
             "due_on": None, "recurrence": "ongoing"},
            {"description": "Các phòng, đơn vị, lực lượng chức năng thành viên Ban Chỉ đạo 389 phường chủ động xây "
                            "dựng kế hoạch triển khai của đơn vị; tăng cường phối hợp quản lý địa bàn, kiểm tra, xử lý "
                            "vi phạm.",
             "lead": "hr:steering", "coordinators": [], "due_on": None, "recurrence": "once"},
        ],
        # The plan's percentages (100% of officials, of health-related businesses given outreach, of consumers
        # given outreach) have no category or measure code: outreach alone, without a commitment, is not one.
        "targets": [],
        "rules": [
            {"name": "Báo cáo năm của các phòng, đơn vị", "kind": "yearly", "day": 25, "month": 9, "time": None,
             "reporters": ["hr:police", "hr:culture", "hr:services", "hr:office"], "receiver": "hr:economy"},
            # issued by the ward steering committee, compiled by its standing office; sent to the provincial
            # steering committee and to Sở Công Thương (only the first can be the receiver here)
            {"name": "Báo cáo kết quả thực hiện Kế hoạch trong năm", "kind": "yearly", "day": 30, "month": 9,
             "time": None, "reporters": ["hr:steering"], "receiver": "38:steering"},
        ],
    },
    # ------------------------------------------------------------------ 003: Cần Thơ peak campaign 2025
    {
        # The text carries no number: a placeholder, not the real one.
        "number": "KH-TCT1253-2025",
        "kind": "campaign",
        "issuer": "92:wg1253",
        # The signing date is not in the text; it cites Decision 1253/QĐ-UBND of 21/5/2025, so it is no earlier.
        "issued_on": "2025-05-21",
        "title": "Mở đợt cao điểm đấu tranh ngăn chặn, đẩy lùi tình trạng buôn lậu, gian lận thương mại, hàng giả, "
                 "xâm phạm quyền sở hữu trí tuệ trên địa bàn thành phố Cần Thơ",
        "starts_on": "2025-05-21", "ends_on": "2025-06-15",
        "start_time": None, "end_time": None,
        "status": "finished",
        "cites": ["65/CĐ-TTg", "1253/QĐ-UBND"],
        "goods": ["medicines", "milk", "supplements", "farm_inputs", "fuel", "gold", "sugar"],
        "tasks": [
            # II.1 Tổ Công tác
            {"description": "Trực tiếp chỉ đạo, đôn đốc các sở, ngành, UBND quận, huyện kiểm tra tổ chức, cá nhân sản "
                            "xuất, kinh doanh, tập trung vào thuốc chữa bệnh, sữa chế biến, thực phẩm chức năng, vật "
                            "tư nông nghiệp, xăng dầu, vàng, đường cát và hàng thiết yếu.",
             "lead": "92:wg1253", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Chỉ đạo tăng cường quản lý, giám sát thương mại điện tử và kinh doanh trên nền tảng số; "
                            "xử lý nghiêm tổ chức, cá nhân dùng mạng xã hội kinh doanh hàng giả, hàng không rõ nguồn "
                            "gốc, xâm phạm quyền sở hữu trí tuệ.",
             "lead": "92:wg1253", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Chỉ đạo, hướng dẫn biện pháp nghiệp vụ; tăng cường tuyên truyền, phổ biến, giáo dục pháp "
                            "luật, nâng cao trách nhiệm của người dân, doanh nghiệp, nhất là về an toàn thực phẩm.",
             "lead": "92:wg1253", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            # II.2 a) Sở Công Thương
            {"description": "Chủ trì thành lập 02 Đoàn kiểm tra liên ngành kiểm tra tổ chức, cá nhân sản xuất, kinh "
                            "doanh hàng hóa, dịch vụ thương mại từ ngày ký ban hành Kế hoạch đến hết ngày 15/6/2025; "
                            "Giám đốc Sở đôn đốc, giám sát 02 Đoàn.",
             "lead": "92:industry",
             "coordinators": ["92:police", "92:health", "92:science", "92:agriculture", "92:finance"],
             "due_on": "2025-06-15", "recurrence": "ongoing"},
            {"description": "Theo chỉ đạo của Sở Công Thương, tăng cường kiểm tra, xử lý nghiêm hàng nhập lậu, hàng "
                            "giả, hàng xâm phạm quyền sở hữu trí tuệ, hàng không rõ nguồn gốc, nhất là trên thương mại "
                            "điện tử; chỉ ra nguyên nhân, kiến nghị giải pháp, hoàn thiện thể chế.",
             "lead": "92:market", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            # IV.1 and IV.3
            {"description": "Công bố hai số điện thoại đường dây nóng (Giám đốc Sở Công Thương 0908538844, Chi cục "
                            "trưởng Chi cục Quản lý thị trường 0913983323) để tiếp nhận phản ánh, tố giác của người "
                            "dân.",
             "lead": "92:industry", "coordinators": ["92:market"], "due_on": None, "recurrence": "once"},
            {"description": "Theo dõi, kiểm tra, đôn đốc thực hiện Kế hoạch; tổng hợp tình hình, kết quả, thực hiện "
                            "chế độ thông tin, báo cáo; tổ chức sơ kết, tổng kết, đề xuất khen thưởng tập thể, cá nhân "
                            "có thành tích xuất sắc.",
             "lead": "92:industry", "coordinators": ["92:market"], "due_on": "2025-06-15", "recurrence": "ongoing"},
            # b) Công an thành phố
            {"description": "Nhận diện tổ chức, cá nhân có dấu hiệu buôn lậu, gian lận thương mại, sản xuất, buôn bán "
                            "hàng giả, xâm phạm sở hữu trí tuệ; áp dụng biện pháp nghiệp vụ, xử lý hình sự các vi phạm "
                            "nghiêm trọng.",
             "lead": "92:police", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Phối hợp cơ quan tư pháp, cơ quan giám định điều tra, xử lý triệt để các vụ án trong đợt "
                            "cao điểm, không để kéo dài; làm rõ trách nhiệm trong quản lý, cấp phép, kiểm định; xử lý "
                            "tham nhũng, tiêu cực (nếu có).",
             "lead": "92:police", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            # c) Sở Y tế
            {"description": "Kiểm tra, kiểm soát, xử lý nghiêm việc buôn bán, kinh doanh thuốc giả, thuốc nhập lậu, "
                            "dược phẩm giả, thuốc không rõ nguồn gốc xuất xứ.",
             "lead": "92:health", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Rà soát, đề xuất sửa đổi, bổ sung Luật An toàn thực phẩm, Luật Dược và các văn bản về sản "
                            "xuất, kinh doanh thuốc, thực phẩm, thực phẩm chức năng; nghiên cứu đề xuất tăng chế tài "
                            "xử phạt vi phạm hành chính.",
             "lead": "92:health", "coordinators": [], "due_on": None, "recurrence": "once"},
            {"description": "Phát động phong trào Nhân dân tham gia kiểm soát chất lượng thuốc, thực phẩm; yêu cầu tổ "
                            "chức, cá nhân thuộc ngành y tế cam kết không quảng cáo, giới thiệu thông tin sai lệch, "
                            "phóng đại công dụng sản phẩm.",
             "lead": "92:health", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            # d) Sở Nông nghiệp và Môi trường
            {"description": "Kiểm tra, xử lý nghiêm vi phạm về thủy sản, giống cây trồng, vật nuôi, phân bón, thuốc "
                            "bảo vệ thực vật giả; kiểm soát chất kích thích tăng trưởng trên hoa quả, hóa chất tăng "
                            "trọng, chống mất nước sau rã đông.",
             "lead": "92:agriculture", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            # đ) Sở Tài chính
            {"description": "Bố trí ngân sách thực hiện kế hoạch; đề xuất chế độ, chính sách hỗ trợ kinh phí, điều "
                            "kiện làm việc, thông tin liên lạc, phương tiện tuần tra, kiểm tra, kiểm soát cho các cơ "
                            "quan chức năng.",
             "lead": "92:finance", "coordinators": [], "due_on": None, "recurrence": "once"},
            {"description": "Cử nhân sự tham gia Đoàn kiểm tra của các sở, ngành; phối hợp định giá, xử lý tang vật vi "
                            "phạm hành chính bị tịch thu nhanh chóng, kịp thời, hiệu quả.",
             "lead": "92:finance", "coordinators": ["92:industry"], "due_on": None, "recurrence": "ongoing"},
            # e) Sở Khoa học và Công nghệ
            {"description": "Rà soát, đề xuất sửa đổi, bổ sung quy định về sở hữu trí tuệ, nhất là trên môi trường số, "
                            "thương mại điện tử; hoàn thiện quy định về chất lượng sản phẩm, hàng hóa.",
             "lead": "92:science", "coordinators": [], "due_on": None, "recurrence": "once"},
            {"description": "Tăng cường kiểm tra, xử lý nghiêm tổ chức, cá nhân có hành vi vi phạm về công bố thông "
                            "tin sai sự thật.",
             "lead": "92:science", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            # g) Sở Văn hóa, Thể thao và Du lịch
            {"description": "Kiến nghị bổ sung chế tài, hoàn thiện pháp luật về quảng cáo, quy định rõ trách nhiệm "
                            "pháp lý của cá nhân có ảnh hưởng, nghệ sĩ, người nổi tiếng quảng cáo sai sự thật, nhất là "
                            "trên mạng xã hội.",
             "lead": "92:culture", "coordinators": [], "due_on": None, "recurrence": "once"},
            {"description": "Quán triệt đơn vị trực thuộc rà soát, xử lý nghiêm tổ chức, cá nhân quảng cáo sai sự "
                            "thật, nhất là trên mạng xã hội.",
             "lead": "92:culture", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            # h) Chi cục Thuế khu vực XIX (the demo's tax unit of the city)
            {"description": "Kiểm tra, truy thu thuế tổ chức, cá nhân kinh doanh qua mạng xã hội; xử lý nghiêm doanh "
                            "nghiệp mua bán, sử dụng hóa đơn bất hợp pháp nhằm gian lận thuế, chiếm đoạt tiền thuế.",
             "lead": "92:tax", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Phối hợp, trao đổi, cung cấp thông tin với lực lượng chức năng điều tra, xác minh, xử lý "
                            "đối tượng buôn lậu, gian lận thương mại; công khai tổ chức, cá nhân nợ thuế, chậm nộp "
                            "thuế trên phương tiện thông tin đại chúng.",
             "lead": "92:tax", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            # i) Ủy ban Mặt trận Tổ quốc Việt Nam thành phố (requested, "đề nghị")
            {"description": "Phối hợp với các sở, ban ngành và UBND quận, huyện vận động đoàn viên, hội viên tham gia "
                            "đấu tranh chống buôn lậu, gian lận thương mại, hàng giả, xâm phạm sở hữu trí tuệ.",
             "lead": "92:front", "coordinators": ["92:districts"], "due_on": None, "recurrence": "ongoing"},
            # k) Đài Phát thanh và Truyền hình thành phố
            {"description": "Tuyên truyền pháp luật về phòng, chống hàng lậu, gian lận thương mại, hàng giả, tác hại "
                            "của hàng giả, hàng không rõ nguồn gốc; tuyên truyền mua bán thuốc theo đơn, sử dụng thuốc "
                            "an toàn, hiệu quả.",
             "lead": "92:radio_tv", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            # l) Ủy ban nhân dân quận, huyện
            {"description": "Chỉ đạo UBND cấp huyện, cấp xã rà soát hàng hóa có dấu hiệu vi phạm; kiểm tra kho tàng, "
                            "bến bãi tập kết, tàng trữ hàng nhập lậu, hàng giả; xử lý theo thẩm quyền hoặc báo cáo Tổ "
                            "công tác.",
             "lead": "92:districts", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Phối hợp với các sở, ngành kiểm tra, kiểm soát thị trường; phát hiện, ngăn chặn hành vi "
                            "lợi dụng chính sách ưu đãi đầu tư để tàng trữ, kinh doanh hàng cấm, hàng giả, hàng nhập "
                            "lậu.",
             "lead": "92:districts", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
        ],
        "targets": [],
        # IV.2: "Các sở ban, ngành và UBND quận, huyện" report to Sở Công Thương (Chi cục Quản lý thị trường)
        "rules": [
            {"name": "Báo cáo nhanh", "kind": "after_incident", "hours": 24,
             "reporters": ["92:police", "92:health", "92:agriculture", "92:finance", "92:science", "92:culture",
                           "92:tax", "92:radio_tv", "92:districts"],
             "receiver": "92:market"},
            {"name": "Báo cáo định kỳ hằng tuần", "kind": "weekly", "weekday": 2, "time": "14:00",
             "reporters": ["92:police", "92:health", "92:agriculture", "92:finance", "92:science", "92:culture",
                           "92:tax", "92:radio_tv", "92:districts"],
             "receiver": "92:market"},
            {"name": "Báo cáo tổng kết đợt cao điểm", "kind": "once", "date": "2025-06-15", "time": "08:00",
             "reporters": ["92:police", "92:health", "92:agriculture", "92:finance", "92:science", "92:culture",
                           "92:tax", "92:radio_tv", "92:districts"],
             "receiver": "92:market"},
        ],
    },
    # ------------------------------------------------------------------ 004: Hải Phòng directive (news article)
    {
        # The article gives neither number nor date: a placeholder, not the real number.
        "number": "CT-HP-2025",
        "kind": "directive",
        "issuer": "31:pc",
        # Not in the article. It follows the 2025 peak campaign (PM dispatch 65/CĐ-TTg of 15/5/2025) while
        # district People's Committees still existed (until 30/6/2025): the earliest possible day is used.
        "issued_on": "2025-05-15",
        # The article gives no title; this is its own statement of the directive's aim.
        "title": "Tăng cường hiệu quả quản lý nhà nước, huy động cả hệ thống chính trị vào cuộc quyết liệt trong "
                 "phòng, chống buôn lậu, gian lận thương mại, hàng giả và xâm phạm sở hữu trí tuệ",
        "starts_on": "2025-05-15", "ends_on": None,  # a directive without an end date
        "start_time": None, "end_time": None,
        "status": "in_force",
        "cites": [],
        "goods": [],
        "tasks": [
            {"description": "Các cấp, các ngành thực hiện nghiêm chỉ đạo của Thủ tướng Chính phủ, Ban Chỉ đạo 389 quốc "
                            "gia, UBND thành phố về mở đợt cao điểm; chủ động tổ chức lực lượng, phương tiện, giải "
                            "pháp chống buôn lậu, gian lận thương mại, hàng giả trong lĩnh vực, địa bàn quản lý.",
             "lead": "31:steering", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Xác định rõ đối tượng, mặt hàng trọng điểm để tập trung đấu tranh với phương châm “không "
                            "có vùng cấm, không có ngoại lệ”; phân định rõ trách nhiệm, không để chồng chéo, bỏ sót "
                            "nhiệm vụ, khoảng trống trong quản lý nhà nước.",
             "lead": "31:steering", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Tăng cường quản lý địa bàn, quản lý thị trường, nắm chắc tình hình, đối tượng, phương "
                            "thức, thủ đoạn; chủ động phối hợp lực lượng chức năng xây dựng kế hoạch kiểm tra, kiểm "
                            "soát tuyến, địa bàn, lĩnh vực trọng điểm.",
             "lead": "31:districts", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Chủ động tổ chức đoàn kiểm tra liên ngành hoặc chuyên đề, kiểm tra đột xuất các điểm "
                            "nóng, khu vực trọng yếu về buôn lậu, gian lận thương mại, hàng giả; nêu cao trách nhiệm "
                            "của người đứng đầu.",
             "lead": "31:districts", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Chi cục Hải quan khu vực III phát hiện, ngăn chặn, điều tra, xử lý hành vi buôn lậu, gian "
                            "lận thương mại, hàng giả, xâm phạm sở hữu trí tuệ trong hoạt động xuất nhập khẩu.",
             "lead": "31:customs", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Kiểm tra, giám sát chặt chẽ hàng chuyển khẩu, chuyển cảng, tạm nhập, tái xuất, nhất là lô "
                            "hàng tiêu dùng, hàng tạp hóa, hàng có nguy cơ thẩm lậu, quay vòng vào nội địa.",
             "lead": "31:customs", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
            {"description": "Nâng cao chất lượng hậu kiểm, kiểm tra sau thông quan; phát hiện, xử lý trường hợp lợi "
                            "dụng chính sách thông thoáng về kiểm soát hải quan, thông quan để buôn lậu, gian lận "
                            "thương mại.",
             "lead": "31:customs", "coordinators": [], "due_on": None, "recurrence": "ongoing"},
        ],
        "targets": [],
        "rules": [],
    },
]
