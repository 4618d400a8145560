# ruff: noqa: E501 - prose, one paragraph per line
"""The Front's own professional knowledge for the demo, written for this platform (not official texts):
guidance and questions and answers as a provincial or central office would give its staff.

(key, kind, unit code or None, author username, title, question, body)
"""

GUIDANCE = "guidance"
QA = "qa"

ENTRIES = [
    ("tiep-nhan-phan-anh", GUIDANCE, None, "quantri", "Quy trình tiếp nhận, xử lý phản ánh, kiến nghị của Nhân dân", "",
     """Bước 1. Tiếp nhận
Mọi phản ánh, kiến nghị gửi qua Mặt trận số, trực tiếp tại trụ sở hoặc qua tổ dân phố đều được ghi vào hệ thống trong ngày, cấp mã theo dõi cho người gửi.
Bước 2. Phân loại
Cán bộ xác định loại (phản ánh, kiến nghị; khiếu nại; tố cáo), lĩnh vực và mức độ khẩn cấp; kiểm tra trùng lặp với phản ánh đang xử lý cùng địa bàn.
Bước 3. Thụ lý hoặc không thụ lý
Phản ánh đủ nội dung thì thụ lý; không thụ lý phải nêu rõ lý do và thông báo cho người gửi.
Bước 4. Chuyển cơ quan có thẩm quyền
Nội dung thuộc thẩm quyền của Ủy ban nhân dân, công an hoặc cơ quan chuyên môn thì chuyển bằng văn bản, ghi rõ thời hạn đề nghị trả lời và theo dõi đến khi có kết quả.
Bước 5. Trả lời và công khai
Kết quả được thông báo cho người gửi; nếu người gửi đồng ý, câu trả lời đã lược bỏ thông tin cá nhân được công khai trên trang Phản ánh đã trả lời."""),
    ("giam-sat-phan-bien", GUIDANCE, None, "quantri", "Hướng dẫn tổ chức giám sát và phản biện xã hội ở cơ sở", "",
     """Đối tượng giám sát
Mặt trận cấp xã giám sát việc thực hiện chính sách, pháp luật ở địa bàn; việc giải quyết kiến nghị của cử tri; hoạt động của cán bộ, công chức cấp xã.
Hình thức
Giám sát thông qua nghiên cứu văn bản, tổ chức đoàn giám sát, tham gia đoàn giám sát của cơ quan có thẩm quyền, và qua Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng đồng.
Kết quả
Sau giám sát, Ban Thường trực ban hành văn bản kiến nghị gửi cơ quan, tổ chức được giám sát; theo dõi việc tiếp thu và trả lời kiến nghị trong thời hạn 30 ngày.
Phản biện xã hội
Dự thảo nghị quyết, đề án của chính quyền cấp xã liên quan trực tiếp đến quyền, lợi ích của Nhân dân được gửi Mặt trận để phản biện ít nhất 15 ngày trước khi ban hành; ý kiến phản biện được tổng hợp bằng văn bản."""),
    ("ngay-hoi-dai-doan-ket", GUIDANCE, None, "quantri", "Hướng dẫn tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư", "",
     """Thời gian
Ngày hội Đại đoàn kết toàn dân tộc tổ chức vào dịp kỷ niệm ngày thành lập Mặt trận Tổ quốc Việt Nam 18 tháng 11, thường từ ngày 01 đến ngày 18 tháng 11.
Nội dung
Phần lễ ôn lại truyền thống, báo cáo kết quả cuộc vận động "Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh", biểu dương gia đình văn hóa tiêu biểu; phần hội gồm văn nghệ, thể thao, trò chơi dân gian.
Kinh phí
Từ ngân sách hỗ trợ theo quy định của tỉnh và đóng góp tự nguyện của Nhân dân; Ban Công tác Mặt trận công khai thu, chi sau Ngày hội."""),
    ("ho-so-ho-ngheo", QA, None, "quantri", "", "Hộ nghèo được Mặt trận hỗ trợ làm nhà Đại đoàn kết cần những điều kiện gì?",
     """Hộ được xét hỗ trợ phải thuộc danh sách hộ nghèo hoặc cận nghèo đang được quản lý ở xã, chưa có nhà ở hoặc nhà ở tạm bợ, hư hỏng, và chưa được hỗ trợ nhà ở từ chương trình khác. Ban Công tác Mặt trận khu dân cư đề xuất, Ban Thường trực Mặt trận cấp xã thẩm định và công khai danh sách trước khi hỗ trợ."""),
    ("nhiem-ky-ban-cong-tac", QA, None, "quantri", "", "Nhiệm kỳ của Ban Công tác Mặt trận ở khu dân cư là bao lâu?",
     """Ban Công tác Mặt trận ở khu dân cư được bầu tại hội nghị đại biểu hoặc hội nghị toàn thể khu dân cư, nhiệm kỳ theo nhiệm kỳ Đại hội Mặt trận cấp xã (5 năm). Trưởng ban do các thành viên bầu và được Ban Thường trực cấp xã công nhận."""),
    ("quy-vi-nguoi-ngheo", QA, None, "quantri", "", "Quỹ Vì người nghèo được công khai thu chi như thế nào?",
     """Ban vận động Quỹ Vì người nghèo mỗi cấp công khai số tiền vận động, danh sách đơn vị, cá nhân ủng hộ và các khoản chi hỗ trợ ít nhất mỗi năm một lần, tại trụ sở, trên trang thông tin điện tử và trong hội nghị của Mặt trận; số liệu thu chi được Ban Thường trực báo cáo lên cấp trên."""),
    ("ha-noi-cho-dan-sinh", GUIDANCE, "01", "hanoi", "Hướng dẫn giám sát chợ dân sinh trên địa bàn Hà Nội", "",
     """Ban Thanh tra nhân dân phường, xã giám sát việc thu phí, bố trí điểm kinh doanh và vệ sinh an toàn thực phẩm ở chợ dân sinh mỗi quý một lần.
Kết quả ghi vào biên bản theo mẫu của Ủy ban Mặt trận thành phố, gửi Ban Thường trực cấp xã trong 05 ngày làm việc sau khi giám sát; kiến nghị vượt thẩm quyền cấp xã được báo cáo lên Mặt trận thành phố."""),
    ("ba-dinh-lich-tiep-dan", QA, "00004", "badinh", "", "Lịch tiếp công dân của Mặt trận phường Ba Đình?",
     """Ban Thường trực Mặt trận phường Ba Đình tiếp công dân sáng thứ Năm hằng tuần tại trụ sở Ủy ban nhân dân phường; ngoài lịch này, người dân gửi phản ánh qua Mặt trận số hoặc qua Trưởng ban công tác Mặt trận tổ dân phố."""),
]

# questions the demo staff asked: one the knowledge does not cover (it waits in the review queue of
# Hà Nội's administrators), one answered and rated helpful, one rated not helpful
QUESTIONS = [
    ("badinh", "Mức phụ cấp hằng tháng của Trưởng ban công tác Mặt trận tổ dân phố ở Hà Nội là bao nhiêu?", None),
    ("badinh", "Hồ sơ đăng ký khai sinh cho trẻ em gồm những gì?", "helpful"),
    ("hanoi", "Quỹ Vì người nghèo được công khai thu chi như thế nào?", "unhelpful"),
]
