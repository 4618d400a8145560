"""Vietnamese text material for the feedback demo (``feedback.demo``): what citizens write, what the
Front and the authorities answer, and the names and places that fill the slots.

Templates use ``str.format`` slots filled per case by ``feedback.demo``:

``{street}`` a street or road of the place, ``{place}`` a village or residential group, ``{commune}``
and ``{province}`` the real unit names (lower-case prefix: "phường Ba Đình"), ``{duration}`` how long it
has lasted, ``{months}`` a number of months, ``{n}`` a small number, ``{amount}`` a sum of money,
``{landmark}``, ``{road}``, ``{proj}``, ``{school}``, ``{hospital}``, ``{company}``, ``{workshop}``,
``{proc}``, ``{support}``, ``{late}`` (a late hour), ``{year}``, ``{filed}`` (a date before the case).

The body of a message never carries the sender's name, house number or phone: those are in the
personal opening line (``INTROS``), which the published version leaves out. Third persons are never
named either ("một cán bộ địa chính"), as the Front would require before publishing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    """One kind of message: the kinds it fits (``f`` feedback, ``c`` complaint, ``d`` denunciation),
    a few titles and the body."""

    kinds: str
    titles: tuple[str, ...]
    body: str


T = Template

MESSAGES: dict[str, list[Template]] = {
    "dat-dai": [
        T("fc", ("Hồ sơ cấp giấy chứng nhận quyền sử dụng đất quá hạn chưa giải quyết",
                 "Chậm cấp sổ đỏ cho gia đình ở {place}"),
          "Gia đình tôi nộp hồ sơ đề nghị cấp giấy chứng nhận quyền sử dụng đất tại bộ phận một cửa từ ngày "
          "{filed}, giấy hẹn ghi 30 ngày nhưng đến nay đã hơn {months} tháng vẫn chưa có kết quả. Mỗi lần lên "
          "hỏi, cán bộ chỉ trả lời là đang chờ đo đạc lại, không nói rõ hồ sơ vướng ở đâu, còn thiếu giấy tờ gì. "
          "Đề nghị cơ quan chức năng kiểm tra, giải quyết dứt điểm để gia đình yên tâm làm ăn."),
        T("f", ("Lấn chiếm đất công, hành lang giao thông trên {street}",
                "Hộ kinh doanh dựng mái tôn lấn ra lòng đường"),
          "Một số hộ kinh doanh trên {street}, {place} tự ý dựng mái tôn, xây bệ bê tông lấn ra phần đất hành "
          "lang giao thông khoảng {n} mét. Việc này diễn ra {duration}, người dân đã báo tổ trưởng nhưng chưa "
          "thấy xử lý, xe cộ qua lại phải tránh nhau rất nguy hiểm. Đề nghị chính quyền kiểm tra, yêu cầu tháo "
          "dỡ, trả lại mặt bằng."),
        T("c", ("Khiếu nại đơn giá bồi thường khi thu hồi đất làm {road}",
                "Khiếu nại quyết định bồi thường, hỗ trợ giải phóng mặt bằng"),
          "Gia đình tôi có {n}0 m² đất nông nghiệp bị thu hồi để mở rộng {road}. Đơn giá bồi thường áp dụng "
          "thấp hơn nhiều so với giá chuyển nhượng thực tế trong khu vực, lại không tính phần cây ăn quả đã "
          "trồng trên đất. Tôi đã có ý kiến tại buổi đối thoại nhưng chưa được giải thích thỏa đáng. Tôi khiếu "
          "nại quyết định bồi thường, đề nghị xem xét lại mức bồi thường, hỗ trợ đối với gia đình tôi."),
        T("f", ("Tranh chấp ranh giới đất giữa hai hộ ở {place}",
                "Đề nghị đo đạc, xác định lại mốc giới thửa đất"),
          "Hai hộ giáp ranh ở {place} tranh chấp ranh giới thửa đất đã {duration}, tổ hòa giải ở cơ sở hòa "
          "giải hai lần không thành. Hộ bên cạnh tự xây tường rào lấn sang khoảng {n}0 cm, mâu thuẫn ngày càng "
          "căng thẳng. Đề nghị UBND cử cán bộ địa chính xuống đo đạc, xác định mốc giới theo bản đồ địa chính "
          "để hai bên cùng chấp hành."),
        T("d", ("Tố cáo cán bộ địa chính nhận tiền để hợp thức hóa đất lấn chiếm",
                "Tố cáo việc xác nhận sai nguồn gốc đất ở {place}"),
          "Tôi tố cáo một cán bộ địa chính {commune} đã nhận tiền của một số hộ để xác nhận nguồn gốc đất không "
          "đúng sự thật, giúp các hộ này được cấp giấy chứng nhận cho phần đất lấn chiếm đất công ở {place}. "
          "Phần đất này trước đây là đường đi chung và mương thoát nước của cả xóm. Tôi nắm được thời gian, số "
          "tiền và sẵn sàng cung cấp cho cơ quan có thẩm quyền. Đề nghị xác minh, xử lý nghiêm theo pháp luật."),
        T("f", ("Quy hoạch treo nhiều năm ở {place}",
                "Đề nghị công bố tiến độ dự án {proj}"),
          "Khu đất của hơn {n} hộ ở {place} nằm trong quy hoạch {proj} từ năm {year} nhưng đến nay vẫn chưa "
          "triển khai. Người dân không được xây mới, sửa chữa nhà, không tách thửa hay chuyển nhượng được, nhiều "
          "nhà đã xuống cấp mà không dám sửa. Đề nghị công bố rõ tiến độ, hoặc điều chỉnh, hủy bỏ quy hoạch để "
          "người dân ổn định cuộc sống."),
        T("c", ("Khiếu nại văn bản từ chối cấp giấy chứng nhận quyền sử dụng đất",
                "Không đồng ý kết luận đất có nguồn gốc lấn chiếm"),
          "UBND đã có văn bản trả lời gia đình tôi không đủ điều kiện cấp giấy chứng nhận quyền sử dụng đất với "
          "lý do đất có nguồn gốc lấn chiếm. Thực tế gia đình tôi sử dụng ổn định từ trước năm 1993, có xác nhận "
          "của các hộ liền kề và biên lai nộp thuế đất hằng năm. Tôi khiếu nại văn bản trên, đề nghị xem xét "
          "lại hồ sơ và nguồn gốc sử dụng đất."),
        T("f", ("Khu tái định cư dự án {proj} chưa có điện, nước",
                "Người dân bàn giao mặt bằng nhưng chưa được bố trí tái định cư"),
          "Các hộ dân thuộc dự án {proj} đã bàn giao mặt bằng {duration} nhưng khu tái định cư vẫn chưa có "
          "điện, nước sạch, đường vào lầy lội. Nhiều gia đình phải thuê nhà ở tạm, tiền hỗ trợ thuê nhà không "
          "đủ chi trả. Đề nghị đẩy nhanh hoàn thiện hạ tầng khu tái định cư và sớm bốc thăm giao đất cho các hộ."),
        T("f", ("San lấp đất ruộng trái phép ở cánh đồng {place}",
                "Tự ý đổ đất, chuyển mục đích sử dụng đất lúa"),
          "Gần đây có người thuê xe đổ đất san lấp khoảng {n} sào ruộng lúa ở cánh đồng {place} để làm nhà "
          "xưởng, kho bãi. Việc san lấp làm thay đổi dòng chảy, ruộng của các hộ xung quanh bị ngập úng, không "
          "cấy được vụ này. Đề nghị kiểm tra việc chuyển mục đích sử dụng đất, buộc khôi phục hiện trạng."),
    ],
    "moi-truong": [
        T("f", ("Rác thải ùn ứ nhiều ngày ở {street}", "Điểm tập kết rác gần {landmark} bốc mùi hôi thối",
                "Đề nghị thu gom rác đúng lịch"),
          "Rác thải sinh hoạt tập kết ở đầu {street}, gần {landmark} không được thu gom đúng lịch, có hôm ứ lại "
          "{n} ngày liền. Trời nắng thì bốc mùi hôi thối, ruồi nhặng bu đầy; trời mưa nước rỉ rác chảy tràn ra "
          "đường, người đi qua phải bịt mũi. Đề nghị đơn vị vệ sinh môi trường thu gom hằng ngày và bố trí điểm "
          "tập kết xa khu dân cư."),
        T("f", ("{workshop} gây ô nhiễm khói bụi, tiếng ồn ở {place}",
                "Cơ sở sản xuất xả nước thải ra mương"),
          "{workshop} ở {place} hoạt động cả ngày đêm, khói bụi và tiếng máy ảnh hưởng đến hàng chục hộ dân "
          "xung quanh. Nước thải xả thẳng ra mương, có màu đen và mùi hôi, cá chết trắng mương. Người dân đã "
          "phản ánh {duration} nhưng cơ sở vẫn hoạt động bình thường. Đề nghị kiểm tra giấy phép môi trường và "
          "xử lý dứt điểm."),
        T("f", ("Đốt rác, đốt rơm rạ gây khói mù mịt ở {place}", "Khói đốt rác bay vào khu dân cư"),
          "Chiều tối nào ở bãi đất trống cạnh {place} cũng có người đốt rác, đốt rơm rạ, khói mù mịt bay vào "
          "nhà dân. Trẻ nhỏ và người già trong xóm bị ho, khó thở, nhiều nhà phải đóng kín cửa cả buổi tối. Đề "
          "nghị chính quyền nhắc nhở, có biện pháp xử lý và hướng dẫn người dân thu gom rơm rạ đúng cách."),
        T("f", ("Kênh mương qua {place} ô nhiễm nặng, bốc mùi", "Đề nghị nạo vét kênh thoát nước"),
          "Đoạn kênh chạy qua {place} bị bèo, rác và bùn bồi lấp, nước đen kịt, bốc mùi hôi nhất là lúc trời "
          "oi. Muỗi sinh sôi rất nhiều, {duration} trong xóm đã có người bị sốt xuất huyết. Đề nghị sớm nạo "
          "vét kênh, đặt biển cấm và xử lý các trường hợp đổ rác xuống kênh."),
        T("f", ("Chặt hạ cây xanh trên {street} không thông báo", "Đề nghị làm rõ việc chặt cây xanh lâu năm"),
          "Sáng cuối tuần vừa qua, một nhóm người tự ý chặt hạ {n} cây xanh lâu năm trên vỉa hè {street} mà "
          "không thấy thông báo hay biển báo thi công. Người dân không rõ việc chặt cây có được cấp phép hay "
          "không, có trồng lại hay không. Đề nghị kiểm tra và công khai thông tin cho người dân được biết."),
        T("f", ("Trại chăn nuôi lợn sát khu dân cư {place} gây mùi hôi",
                "Chất thải chăn nuôi không được xử lý"),
          "Trại chăn nuôi lợn quy mô khoảng {n}00 con nằm sát khu dân cư {place}, chất thải không qua hầm biogas "
          "mà xả thẳng ra ruộng. Mùi hôi nồng nặc, nhất là khi trời nồm hoặc sau mưa, ruồi muỗi rất nhiều. Các "
          "hộ xung quanh bức xúc {duration}. Đề nghị kiểm tra, buộc chủ trại xử lý chất thải hoặc di dời."),
        T("f", ("Xe chở vật liệu rơi vãi đất cát trên {street}", "Bụi mù mịt do xe ra vào công trình"),
          "Xe chở đất, cát ra vào công trình trên {street} không che chắn, làm rơi vãi đất đá, bụi mù mịt suốt "
          "ngày. Trời mưa thì đường trơn trượt, đã có người đi xe máy bị ngã. Đề nghị nhắc nhở chủ đầu tư, yêu "
          "cầu che chắn, rửa xe trước khi ra đường và tưới nước giảm bụi."),
        T("d", ("Tố cáo doanh nghiệp xả thải trái phép ra sông vào ban đêm",
                "Tố cáo việc báo tin trước cho doanh nghiệp xả thải"),
          "Tôi tố cáo {company} xả nước thải chưa qua xử lý ra sông vào ban đêm, thường từ 23 giờ đến 3 giờ "
          "sáng. Người dân đã nhiều lần báo, nhưng lần nào đoàn kiểm tra đến thì công ty cũng được báo trước "
          "nên không phát hiện vi phạm. Đề nghị kiểm tra đột xuất, lấy mẫu nước vào ban đêm và làm rõ trách "
          "nhiệm của người đã báo tin cho doanh nghiệp."),
        T("c", ("Khiếu nại quyết định xử phạt vi phạm hành chính về môi trường",),
          "Hộ kinh doanh của tôi bị xử phạt {amount} với lý do xả nước thải vượt quy chuẩn. Tuy nhiên mẫu nước "
          "được lấy ở mương chung, nơi nhiều hộ cùng xả thải, không phải tại điểm xả của gia đình tôi, và khi "
          "lấy mẫu không có ai của gia đình chứng kiến. Tôi khiếu nại quyết định xử phạt, đề nghị lấy mẫu lại "
          "có sự chứng kiến của các bên."),
    ],
    "ha-tang": [
        T("f", ("Đường {street} xuống cấp, nhiều ổ gà", "Đề nghị sửa chữa đoạn đường vào {place}"),
          "Đoạn {street} từ {landmark} đi vào {place} dài khoảng {n}00 mét xuống cấp nghiêm trọng, nhiều ổ gà "
          "sâu, trời mưa nước đọng thành vũng. Học sinh đi học, người dân chở nông sản đi lại rất khó khăn, đã "
          "có người bị ngã. Đề nghị sớm sửa chữa, dặm vá mặt đường trước mùa mưa."),
        T("f", ("{street} ngập sâu mỗi khi mưa lớn", "Cống thoát nước tắc, nước tràn vào nhà dân"),
          "Mỗi khi mưa lớn chừng nửa tiếng là {street} ngập sâu 40–50 cm, nước tràn vào nhà dân, xe máy chết "
          "máy giữa đường. Tình trạng này kéo dài {duration}, cống thoát nước bị tắc do rác và bùn, hố ga bị "
          "lấp. Đề nghị nạo vét cống, nâng cấp hệ thống thoát nước cho khu vực."),
        T("f", ("Đèn đường trên {street} hỏng {duration}", "Đề nghị sửa đèn chiếu sáng công cộng"),
          "Hệ thống đèn chiếu sáng trên {street} đoạn gần {landmark} bị hỏng {duration}, buổi tối tối om. "
          "Thời gian qua xảy ra mấy vụ trộm cắp vặt, phụ nữ và học sinh đi học thêm về rất sợ. Đề nghị sớm "
          "kiểm tra, thay bóng đèn và sửa đường dây."),
        T("f", ("Khu vực {place} mất điện thường xuyên", "Điện áp yếu, mất điện không báo trước"),
          "Khu vực {place} thường xuyên mất điện không báo trước, có tuần mất ba, bốn lần, mỗi lần vài tiếng. "
          "Điện áp buổi tối rất yếu, quạt quay không nổi, nhiều gia đình bị hỏng tủ lạnh, máy bơm. Đề nghị "
          "ngành điện kiểm tra, nâng công suất trạm biến áp và thông báo lịch cắt điện trước cho người dân."),
        T("f", ("{n}0 hộ ở {place} chưa có nước sạch", "Đề nghị đấu nối nước sạch cho {place}"),
          "Khoảng {n}0 hộ dân ở {place} vẫn chưa có nước sạch, phải dùng nước giếng khoan nhiễm phèn, nước "
          "vàng và tanh. Đường ống nước sạch chạy qua cách khu dân cư chưa đầy một cây số nhưng chưa được đấu "
          "nối. Mùa khô năm nào cũng thiếu nước sinh hoạt. Đề nghị sớm mở rộng mạng lưới cấp nước."),
        T("f", ("Cầu dân sinh ở {place} xuống cấp nguy hiểm", "Đề nghị sửa chữa, xây mới cầu"),
          "Cây cầu nối {place} với trung tâm {commune} đã xuống cấp, lan can gãy, mặt cầu thủng nhiều chỗ, "
          "vậy mà xe tải chở vật liệu vẫn đi qua. Mùa mưa lũ nước dâng gần sát mặt cầu, học sinh đi học rất "
          "nguy hiểm. Đề nghị cắm biển hạn chế tải trọng và sớm có kế hoạch xây mới."),
        T("f", ("Sạt lở taluy trên {road}, nguy hiểm cho các hộ dân", "Cảnh báo sạt lở đất ở {place}"),
          "Sau đợt mưa lớn vừa qua, taluy dương đoạn {road} qua {place} bị sạt lở, đất đá tràn xuống lòng "
          "đường. Vết nứt trên sườn đồi ngày càng rộng, {n} hộ sống dưới chân đồi rất lo sợ, đêm không dám ngủ. "
          "Đề nghị khẩn cấp kiểm tra, cắm biển cảnh báo và có phương án di dời các hộ trong vùng nguy hiểm."),
        T("f", ("Công trình cải tạo {street} thi công dở dang", "Hố ga không nắp, rào chắn sơ sài"),
          "Công trình cải tạo {street} thi công {duration} nhưng bỏ dở, vật liệu để ngổn ngang, hố ga không "
          "có nắp, rào chắn sơ sài, ban đêm không có đèn cảnh báo. Đã có người đi xe máy sa xuống hố. Đề nghị "
          "chủ đầu tư đẩy nhanh tiến độ, bảo đảm an toàn giao thông trong thời gian thi công."),
        T("c", ("Khiếu nại việc phá dỡ tường rào ngoài chỉ giới thu hồi đất",),
          "Đơn vị thi công {road} đã phá dỡ tường rào và cổng nhà tôi, phần này nằm ngoài chỉ giới thu hồi "
          "đất, mà không lập biên bản, không thông báo trước. UBND trả lời phần tài sản này không được bồi "
          "thường. Tôi không đồng ý và khiếu nại, đề nghị đo đạc lại chỉ giới, bồi thường thiệt hại cho gia "
          "đình theo quy định."),
    ],
    "an-sinh": [
        T("fc", ("Chậm chi trả trợ cấp xã hội cho người cao tuổi", "Mẹ tôi chưa nhận trợ cấp {months} tháng"),
          "Mẹ tôi năm nay đã hơn 80 tuổi, thuộc diện hưởng trợ cấp xã hội hằng tháng, nhưng đã {months} tháng "
          "nay chưa nhận được tiền. Hỏi cán bộ thì được trả lời là đang chờ kinh phí, lúc lại bảo đang chuyển "
          "sang chi trả qua tài khoản. Cụ già yếu, không biết dùng tài khoản ngân hàng. Đề nghị kiểm tra, chi "
          "trả đầy đủ và hướng dẫn cách nhận cho người cao tuổi."),
        T("f", ("Bình xét hộ nghèo ở {place} không công khai", "Đề nghị rà soát lại danh sách hộ nghèo, cận nghèo"),
          "Việc bình xét hộ nghèo, cận nghèo năm nay ở {place} không họp dân, danh sách không niêm yết công "
          "khai. Một số hộ có nhà kiên cố, có xe ô tô vẫn được vào danh sách, trong khi những hộ thật sự khó "
          "khăn, có người ốm đau lâu năm lại bị bỏ sót. Đề nghị Mặt trận giám sát, rà soát lại cho đúng đối "
          "tượng."),
        T("c", ("Khiếu nại việc cắt trợ cấp người khuyết tật",),
          "Con tôi bị khuyết tật nặng, đã được hưởng trợ cấp từ năm {year}. Tháng vừa rồi UBND thông báo cắt "
          "trợ cấp theo kết quả xác định lại mức độ khuyết tật, nhưng hội đồng không hề gặp, kiểm tra cháu. "
          "Tôi khiếu nại quyết định này, đề nghị tổ chức xác định lại mức độ khuyết tật có mặt gia đình và "
          "khôi phục trợ cấp cho cháu."),
        T("f", ("Công ty nợ đóng bảo hiểm xã hội, người lao động không chốt được sổ",
                "Không hưởng được trợ cấp thất nghiệp vì công ty nợ bảo hiểm"),
          "{company}, nơi tôi và nhiều công nhân ở {place} làm việc, nợ đóng bảo hiểm xã hội {months} tháng "
          "dù vẫn trừ vào lương hằng tháng. Nay chúng tôi nghỉ việc nhưng không chốt được sổ để làm thủ tục "
          "hưởng trợ cấp thất nghiệp. Đề nghị cơ quan bảo hiểm xã hội và thanh tra lao động vào cuộc, bảo vệ "
          "quyền lợi người lao động."),
        T("fc", ("Hồ sơ chế độ người có công chậm giải quyết", "Đề nghị giải quyết chế độ cho thương binh"),
          "Bố tôi là thương binh, hồ sơ đề nghị điều chỉnh chế độ ưu đãi người có công nộp từ ngày {filed} "
          "đến nay chưa có kết quả. Gia đình đã bổ sung giấy tờ hai lần theo yêu cầu. Cụ tuổi cao, sức yếu, "
          "mong được giải quyết sớm. Đề nghị các cơ quan liên quan quan tâm, trả lời rõ cho gia đình."),
        T("f", ("Đề nghị hỗ trợ xây nhà Đại đoàn kết cho hộ khó khăn ở {place}",
                "Hai cụ già sống trong nhà tạm dột nát"),
          "Ở {place} có hai cụ già sống trong căn nhà tạm dột nát, mùa mưa nước chảy vào nhà, vách đất nứt "
          "nhiều chỗ. Hai cụ đau yếu, con cái làm ăn xa, hoàn cảnh rất khó khăn. Bà con trong xóm sẵn sàng góp "
          "công. Đề nghị Mặt trận xem xét hỗ trợ xây nhà Đại đoàn kết cho gia đình."),
        T("d", ("Tố cáo trưởng thôn giữ lại tiền hỗ trợ của người dân",
                "Tố cáo việc thu tiền không biên lai khi phát hỗ trợ"),
          "Tôi tố cáo trưởng thôn {place} khi phát tiền {support} đã giữ lại của mỗi hộ {amount} với lý do "
          "\"đóng góp quỹ thôn\", không có biên lai, không họp dân bàn bạc. Có khoảng {n}0 hộ bị thu như vậy, "
          "nhiều hộ là người già, hộ nghèo. Đề nghị kiểm tra, làm rõ và trả lại tiền cho người dân."),
        T("f", ("Danh sách hỗ trợ thiệt hại do thiên tai ở {place} bỏ sót nhiều hộ",),
          "Sau đợt mưa lũ vừa qua, nhiều hộ ở {place} bị ngập nhà, hư hỏng tài sản, mất trắng hoa màu, nhưng "
          "danh sách được hỗ trợ lại thiếu nhiều hộ bị thiệt hại nặng, trong khi có hộ thiệt hại nhẹ lại có "
          "tên. Đề nghị rà soát lại, công khai danh sách và mức hỗ trợ từng hộ."),
        T("f", ("Thanh niên học nghề xong không tìm được việc làm", "Đề nghị hỗ trợ vay vốn tạo việc làm"),
          "Nhiều thanh niên ở {place} học xong nghề nhưng không tìm được việc, phải lên thành phố làm thuê, "
          "có em bị lừa đi làm việc ở nước ngoài. Đề nghị tổ chức phiên giao dịch việc làm tại địa phương, "
          "hướng dẫn vay vốn ưu đãi giải quyết việc làm cho thanh niên."),
    ],
    "y-te": [
        T("f", ("Khám bảo hiểm y tế ở {hospital} phải chờ cả buổi", "Đề nghị cải tiến quy trình khám bệnh"),
          "Khám bệnh bảo hiểm y tế ở {hospital} phải xếp hàng lấy số từ 5 giờ sáng, chờ đến gần trưa mới "
          "được khám, làm xét nghiệm xong lại chờ sang buổi chiều. Người già, người bệnh mệt mỏi mà không có đủ "
          "ghế ngồi. Đề nghị bệnh viện tăng bàn khám, cho đặt lịch trực tuyến và sắp xếp lại khu chờ."),
        T("f", ("Thiếu thuốc bảo hiểm y tế, bệnh nhân phải tự mua ngoài", "Hết thuốc bảo hiểm ở {hospital}"),
          "Khi khám bảo hiểm y tế tại {hospital}, tôi và nhiều bệnh nhân được kê đơn nhưng khoa dược báo hết "
          "thuốc, phải ra nhà thuốc bên ngoài mua với giá cao. Tình trạng kéo dài {duration}, người bệnh mạn "
          "tính uống thuốc hằng tháng rất tốn kém. Đề nghị kiểm tra việc cung ứng thuốc, bảo đảm quyền lợi người "
          "có thẻ bảo hiểm y tế."),
        T("f", ("Trạm y tế {commune} xuống cấp, thiếu trang thiết bị",),
          "Trạm y tế {commune} xuống cấp, tường thấm dột, thiếu trang thiết bị, máy siêu âm hỏng {duration} chưa "
          "sửa. Trạm chỉ có một bác sĩ, ngày nghỉ thường không có người trực, người dân ốm đau phải lên tuyến "
          "trên cách hơn {n}0 km. Đề nghị quan tâm đầu tư, bố trí thêm nhân lực cho trạm."),
        T("f", ("Cơ sở sản xuất thực phẩm mất vệ sinh ở {place}", "Nghi sử dụng hóa chất trong chế biến thực phẩm"),
          "Cơ sở sản xuất bún, bánh phở ở {place} có điều kiện vệ sinh rất kém, nước thải lênh láng, công nhân "
          "không đeo găng tay, khẩu trang. Người dân nghi cơ sở dùng hóa chất tẩy trắng vì sản phẩm trắng bất "
          "thường và để lâu không hỏng. Đề nghị kiểm tra an toàn thực phẩm."),
        T("f", ("Nhiều ca sốt xuất huyết ở {place} chưa được phun thuốc", "Đề nghị phun hóa chất diệt muỗi"),
          "Ở {place} đã có {n} ca sốt xuất huyết trong {duration}, có cháu phải nằm viện, nhưng chưa thấy tổ "
          "chức phun thuốc diệt muỗi hay ra quân diệt bọ gậy. Nhiều ao tù, vật dụng chứa nước đọng quanh khu "
          "dân cư. Đề nghị ngành y tế sớm xử lý ổ dịch và tuyên truyền cho người dân."),
        T("f", ("Thái độ phục vụ chưa đúng mực tại khoa cấp cứu {hospital}",),
          "Khi đưa người nhà đi cấp cứu tại {hospital} đêm cuối tuần vừa rồi, gia đình phải chờ gần một tiếng "
          "mới có người thăm khám, một số nhân viên có thái độ thờ ơ, quát nạt người nhà bệnh nhân. Chúng tôi "
          "hiểu áp lực công việc của nhân viên y tế nhưng mong bệnh viện chấn chỉnh tinh thần, thái độ phục vụ."),
        T("d", ("Tố cáo nhân viên y tế gợi ý \"bồi dưỡng\" khi điều trị",),
          "Khi người nhà tôi nằm điều trị tại {hospital}, một số nhân viên gợi ý người nhà bệnh nhân \"bồi "
          "dưỡng\" {amount} thì được chuyển lên phòng dịch vụ, được ưu tiên thay băng, làm thủ tục ra viện "
          "nhanh. Nhiều gia đình trong phòng bệnh đều phải đưa. Đề nghị xác minh, xử lý nghiêm các cá nhân vi "
          "phạm."),
        T("f", ("Trạm y tế hết vắc xin tiêm chủng mở rộng", "Trẻ đến lịch tiêm nhưng không có vắc xin"),
          "Trạm y tế {commune} thông báo hết vắc xin trong chương trình tiêm chủng mở rộng {duration}. Con tôi "
          "và nhiều cháu trong {place} đến lịch tiêm nhưng chưa được tiêm, gia đình phải đưa đi tiêm dịch vụ "
          "với giá cao. Đề nghị thông tin rõ khi nào có vắc xin và cho tiêm bù."),
    ],
    "giao-duc": [
        T("f", ("{school} thu nhiều khoản ngoài quy định", "Phản ánh lạm thu đầu năm học"),
          "Đầu năm học, {school} thu nhiều khoản ngoài quy định: quỹ ban đại diện cha mẹ học sinh, tiền máy "
          "chiếu, tiền điều hòa, tiền vệ sinh, tiền nước uống... tổng cộng hơn {amount} mỗi học sinh. Phụ "
          "huynh không được bàn bạc trước, chỉ nhận thông báo số tiền phải nộp. Đề nghị kiểm tra, yêu cầu nhà "
          "trường công khai các khoản thu."),
        T("f", ("Giáo viên ép học sinh đi học thêm", "Dạy thêm cho chính học sinh lớp mình"),
          "Một giáo viên chủ nhiệm ở {school} tổ chức dạy thêm tại nhà cho chính học sinh lớp mình, mỗi tháng "
          "thu {amount}. Những em không đi học thêm thường bị nhắc nhở, điểm kiểm tra thấp hơn và bị cho ngồi "
          "cuối lớp. Phụ huynh ngại lên tiếng vì sợ ảnh hưởng đến con. Đề nghị kiểm tra, chấn chỉnh việc dạy "
          "thêm."),
        T("f", ("Phòng học điểm trường {place} xuống cấp", "Đề nghị sửa chữa phòng học trước mùa mưa bão"),
          "Các phòng học của điểm trường ở {place} xuống cấp nghiêm trọng, trần bong tróc, mái dột, tường nứt, "
          "mùa mưa giáo viên phải kê bàn tránh chỗ nước nhỏ xuống. Nhà vệ sinh hỏng {duration}, học sinh phải "
          "về nhà đi vệ sinh. Đề nghị sớm sửa chữa trước mùa mưa bão để bảo đảm an toàn cho các cháu."),
        T("fc", ("Con không được nhận vào lớp 1 dù ở đúng tuyến", "Khiếu nại việc tuyển sinh lớp 1"),
          "Con tôi đủ tuổi vào lớp 1, gia đình có hộ khẩu thường trú và ở ngay trong tuyến tuyển sinh nhưng "
          "không được nhận vào {school} với lý do \"đã đủ chỉ tiêu\", trong khi một số cháu ngoài tuyến vẫn được "
          "nhận. Đề nghị phòng giáo dục kiểm tra việc tuyển sinh và bố trí cho cháu được học đúng tuyến."),
        T("f", ("Ùn tắc, mất an toàn trước cổng {school} giờ tan học",),
          "Giờ tan học, trước cổng {school} xe đưa đón đỗ tràn xuống lòng đường, hàng rong lấn chiếm vỉa hè, "
          "xe tải vẫn chạy qua với tốc độ cao, rất nguy hiểm cho học sinh. Đề nghị bố trí lực lượng phân luồng "
          "giờ tan học, kẻ vạch, lắp biển báo khu vực trường học."),
        T("f", ("Bữa ăn bán trú ở {school} chưa bảo đảm chất lượng",),
          "Nhiều phụ huynh phản ánh bữa ăn bán trú ở {school} ít thức ăn, chủ yếu là rau và đậu, thịt rất ít, "
          "trong khi mức thu tiền ăn không thấp. Phụ huynh chưa được xem thực đơn và hợp đồng với đơn vị cung "
          "cấp thực phẩm. Đề nghị nhà trường công khai, cho đại diện phụ huynh cùng giám sát bếp ăn."),
        T("c", ("Khiếu nại việc không được miễn, giảm học phí cho con hộ cận nghèo",),
          "Gia đình tôi thuộc hộ cận nghèo, có giấy chứng nhận của UBND, nhưng nhà trường không xét miễn, "
          "giảm học phí cho con tôi với lý do nộp hồ sơ muộn, trong khi thông báo của trường đến phụ huynh rất "
          "chậm. Tôi khiếu nại việc này, đề nghị xem xét cho cháu được hưởng chính sách theo đúng quy định."),
        T("d", ("Tố cáo hiệu trưởng thu tiền trái quy định",
                "Tố cáo việc thu tiền xây dựng không có biên lai ở {school}"),
          "Tôi tố cáo hiệu trưởng {school} chỉ đạo thu tiền \"xây dựng cơ sở vật chất\" {amount} mỗi học sinh, "
          "không có biên lai, không qua ban đại diện cha mẹ học sinh. Số tiền thu được không công khai chi tiêu "
          "vào đâu. Tôi có danh sách các lớp đã nộp tiền. Đề nghị thanh tra làm rõ."),
        T("f", ("Đề nghị mở lớp dạy bơi, phòng chống đuối nước cho trẻ em ở {place}",),
          "Mùa hè trẻ em ở {place} hay rủ nhau ra tắm ở ao, hồ và sông, không có người lớn trông. Năm ngoái "
          "trong vùng đã có trẻ bị đuối nước thương tâm. Đề nghị nhà trường và các đoàn thể tổ chức lớp dạy "
          "bơi, cắm biển cảnh báo ở những chỗ nước sâu."),
    ],
    "an-ninh-trat-tu": [
        T("f", ("Karaoke trên {street} hát đến khuya gây ồn", "Tiếng ồn karaoke ảnh hưởng người dân",
                "Đề nghị xử lý hát karaoke gây mất trật tự ban đêm"),
          "Quán karaoke trên {street} hoạt động đến {late} đêm, âm thanh vặn hết cỡ, khách ra vào ồn ào, xe "
          "đỗ kín cửa nhà dân. Ngoài ra một số nhà trong {place} tự mở loa kẹo kéo hát từ trưa đến tối. Người "
          "già, trẻ nhỏ không ngủ được, học sinh không học bài được. Đề nghị công an kiểm tra, xử lý theo quy "
          "định về tiếng ồn."),
        T("f", ("Thanh niên tụ tập đua xe trên {road}", "Đua xe, lạng lách, rú ga vào ban đêm"),
          "Tối thứ Bảy, Chủ nhật, một nhóm thanh niên tụ tập đua xe, lạng lách, rú ga trên {road} đoạn qua "
          "{place}, có lúc mang theo hung khí. Người dân đi đường rất sợ, nhiều vụ va chạm suýt xảy ra. Đề nghị "
          "công an tăng cường tuần tra, xử lý nghiêm."),
        T("f", ("Liên tiếp xảy ra trộm cắp ở {place}", "Mất trộm xe máy, gia cầm trong xóm"),
          "{duration} ở {place} liên tiếp xảy ra {n} vụ trộm xe máy, trộm gà, trộm chó, có nhà bị cạy cửa lấy "
          "tài sản ngay ban ngày. Người dân phải thay nhau thức canh. Đề nghị công an tăng cường tuần tra, "
          "hướng dẫn người dân lắp camera, thành lập tổ an ninh tự quản."),
        T("f", ("Nghi tụ điểm sử dụng ma túy ở cuối {street}",),
          "Một căn nhà cuối {street} thường xuyên có nhiều thanh niên lạ ra vào, tụ tập đến khuya, người dân "
          "nhặt được cả bơm kim tiêm ở bãi đất trống bên cạnh. Các gia đình có con nhỏ rất lo lắng. Đề nghị "
          "công an kiểm tra, xử lý, bảo đảm an ninh trật tự khu dân cư."),
        T("f", ("Tín dụng đen hoạt động ở {place}", "Tờ rơi cho vay nặng lãi dán khắp nơi"),
          "Thời gian gần đây xuất hiện nhiều tờ rơi cho vay tiền nhanh dán khắp cột điện, tường nhà. Đã có hộ ở "
          "{place} vay rồi bị đòi nợ, ném sơn, chất bẩn vào nhà, gọi điện đe dọa người thân. Đề nghị công an "
          "vào cuộc, xử lý các đối tượng cho vay nặng lãi."),
        T("f", ("Người cao tuổi bị lừa đảo qua điện thoại", "Cảnh báo cuộc gọi giả danh công an"),
          "Nhiều người cao tuổi ở {place} nhận được cuộc gọi giả danh công an, yêu cầu cài ứng dụng lạ để \"cập "
          "nhật định danh điện tử\", có người đã bị mất {amount} trong tài khoản. Đề nghị tăng cường tuyên "
          "truyền trên loa phát thanh, hướng dẫn người dân nhận biết các thủ đoạn lừa đảo."),
        T("f", ("Vỉa hè {street} bị lấn chiếm, người đi bộ phải xuống lòng đường",),
          "Vỉa hè {street} bị các hàng quán chiếm hết để bày bàn ghế, trông giữ xe, người đi bộ phải đi xuống "
          "lòng đường. Buổi tối xe đỗ tràn ra cả làn đường gây ùn tắc. Lực lượng chức năng có nhắc nhở nhưng "
          "chỉ được vài hôm lại đâu vào đấy. Đề nghị xử lý dứt điểm."),
        T("d", ("Tố cáo tụ điểm cờ bạc có dấu hiệu được bảo kê",),
          "Tại một ngôi nhà ở {place} thường xuyên tổ chức đánh bạc ăn tiền lớn, người từ nơi khác đến, xe "
          "đỗ kín ngõ. Mỗi lần người dân báo thì khi lực lượng chức năng đến nơi đã giải tán, người dân nghi có "
          "người trong lực lượng báo tin trước. Đề nghị điều tra, xử lý và làm rõ việc bảo kê."),
        T("f", ("Chó thả rông không rọ mõm, trẻ em bị chó cắn",),
          "Nhiều hộ ở {place} thả rông chó ra đường, không rọ mõm, không tiêm phòng dại. Tháng trước trong xóm "
          "đã có {n} cháu nhỏ bị chó cắn phải đi tiêm phòng. Đề nghị chính quyền nhắc nhở, xử phạt các hộ vi "
          "phạm và tổ chức tiêm phòng dại cho chó, mèo."),
    ],
    "tham-nhung-tieu-cuc": [
        T("fd", ("Cán bộ một cửa gợi ý \"chi phí\" để làm nhanh hồ sơ", "Nhũng nhiễu khi làm thủ tục {proc}"),
          "Khi tôi nộp hồ sơ {proc} tại bộ phận một cửa {commune}, cán bộ tiếp nhận nói nếu muốn nhanh thì "
          "\"gửi thêm\" {amount}, còn không thì phải chờ. Tôi không đồng ý thì hồ sơ bị trả lại mấy lần với lý "
          "do thiếu giấy tờ, mỗi lần một kiểu. Đề nghị kiểm tra, chấn chỉnh tình trạng nhũng nhiễu này."),
        T("f", ("Chưa công khai thu chi tiền đóng góp làm đường ở {place}",),
          "Năm {year} người dân {place} đóng góp tiền làm đường bê tông, mỗi khẩu {amount}. Đường đã làm xong "
          "nhưng đến nay ban quản lý chưa công khai quyết toán thu chi, người dân hỏi thì không được trả lời rõ "
          "ràng. Đề nghị Ban Thanh tra nhân dân và Mặt trận giám sát, yêu cầu công khai."),
        T("d", ("Tố cáo cán bộ xã vòi tiền khi cấp phép sửa chữa nhà",),
          "Khi gia đình tôi xin sửa chữa nhà, một cán bộ phụ trách xây dựng {commune} yêu cầu nộp {amount} thì "
          "mới \"cho làm\", không có biên lai. Nhiều hộ khác trong {place} cũng bị yêu cầu như vậy, hộ nào không "
          "nộp thì bị lập biên bản đình chỉ. Đề nghị làm rõ và xử lý nghiêm."),
        T("d", ("Tố cáo công trình {road} kém chất lượng, nghi rút ruột",
                "Công trình vừa nghiệm thu đã hư hỏng"),
          "Công trình {road} vừa nghiệm thu đưa vào sử dụng {duration} đã nứt vỡ, bong tróc nhiều đoạn, lớp bê "
          "tông mỏng hơn thiết kế. Người dân nghi có việc rút ruột công trình, thông đồng trong nghiệm thu. Đề "
          "nghị thanh tra, kiểm định chất lượng và công khai kết quả."),
        T("fd", ("Tổ kiểm tra thu tiền xe chở nông sản không lập biên bản",),
          "Tại đoạn {road} gần {place}, một số người mặc sắc phục thường dừng xe tải chở nông sản, thu tiền "
          "rồi cho đi, không lập biên bản, không có biên lai. Lái xe ngại phiền hà nên đành chịu. Đề nghị cơ "
          "quan có thẩm quyền kiểm tra, xác minh và xử lý nếu có sai phạm."),
        T("f", ("Nhà văn hóa {place} xây xong bỏ hoang, lãng phí",),
          "Nhà văn hóa {place} xây xong {duration} nhưng gần như bỏ hoang, cửa khóa quanh năm, cỏ mọc um tùm, "
          "bàn ghế, loa đài hỏng hết. Người dân muốn sinh hoạt, tập văn nghệ thì không có chỗ. Đề nghị giao cho "
          "thôn quản lý, sử dụng để tránh lãng phí ngân sách."),
        T("d", ("Tố cáo việc giao thầu các công trình cho doanh nghiệp của người thân lãnh đạo",),
          "Nhiều năm nay phần lớn các công trình xây dựng trên địa bàn {commune} đều giao cho một doanh nghiệp "
          "có quan hệ họ hàng với lãnh đạo địa phương, chất lượng công trình kém, chậm tiến độ nhưng vẫn tiếp "
          "tục trúng thầu. Đề nghị thanh tra việc lựa chọn nhà thầu và xử lý nếu có vi phạm."),
        T("d", ("Tố cáo việc lập khống danh sách nhận hỗ trợ",),
          "Danh sách nhận {support} ở {place} có tên một số người đã mất, người đã chuyển đi nơi khác nhiều năm "
          "và người không thuộc diện được hỗ trợ. Tôi nghi có việc lập khống danh sách để chiếm đoạt tiền hỗ "
          "trợ. Đề nghị cơ quan chức năng đối chiếu, xác minh và công khai kết quả."),
        T("f", ("Đề nghị công khai danh sách, mức hỗ trợ cho người dân",),
          "Người dân {place} đề nghị chính quyền công khai danh sách và mức {support} của từng hộ tại nhà văn "
          "hóa và trên loa phát thanh, để người dân cùng giám sát, tránh những thắc mắc, nghi ngờ không đáng có "
          "như thời gian vừa qua."),
    ],
    "thu-tuc-hanh-chinh": [
        T("fc", ("Hồ sơ đăng ký thường trú quá hạn vẫn \"đang xử lý\"", "Chậm giải quyết hồ sơ {proc}"),
          "Tôi nộp hồ sơ {proc} qua Cổng Dịch vụ công từ ngày {filed}, đã quá hạn giải quyết nhưng hồ sơ vẫn ở "
          "trạng thái \"đang xử lý\". Gọi điện đến bộ phận một cửa {commune} nhiều lần không ai nghe máy. Đề "
          "nghị kiểm tra, giải quyết hồ sơ và trả lời cho người dân biết lý do chậm trễ."),
        T("f", ("Chứng thực ở bộ phận một cửa {commune} phải chờ cả buổi",),
          "Bộ phận một cửa {commune} chỉ có một cán bộ làm chứng thực, người dân đến từ sáng sớm mà có khi đến "
          "trưa vẫn chưa tới lượt, nhất là những ngày đầu tuần. Đề nghị bố trí thêm người, có máy lấy số thứ tự "
          "và tiếp nhận chứng thực cả buổi chiều."),
        T("f", ("Cổng dịch vụ công lỗi, cán bộ vẫn yêu cầu nộp hồ sơ giấy",),
          "Tôi nộp hồ sơ {proc} trực tuyến nhưng Cổng Dịch vụ công thường xuyên báo lỗi, không tải được tệp "
          "đính kèm. Khi lên trực tiếp, cán bộ lại yêu cầu nộp đủ bản giấy như trước, đi lại mất nhiều ngày "
          "công. Đề nghị khắc phục lỗi hệ thống và thống nhất cách tiếp nhận hồ sơ."),
        T("f", ("Yêu cầu nộp giấy tờ đã có trong cơ sở dữ liệu dân cư",),
          "Khi làm thủ tục {proc} tại {commune}, cán bộ yêu cầu nộp bản sao giấy khai sinh, giấy xác nhận cư "
          "trú, trong khi các thông tin này đã có trên cơ sở dữ liệu quốc gia về dân cư và ứng dụng định danh "
          "điện tử. Đề nghị thực hiện đúng chủ trương cắt giảm giấy tờ, không yêu cầu người dân nộp lại."),
        T("f", ("Trụ sở xã mới ở xa, người già đi làm thủ tục vất vả",
                "Đề nghị bố trí điểm tiếp nhận hồ sơ tại {place}"),
          "Từ khi sắp xếp lại đơn vị hành chính, trụ sở {commune} cách {place} hơn {n} km, đường đi lại khó "
          "khăn. Người già, người khuyết tật đi làm thủ tục rất vất vả, có việc phải đi hai, ba lần. Đề nghị bố "
          "trí điểm tiếp nhận hồ sơ lưu động theo lịch cố định hoặc hướng dẫn người dân làm thủ tục trực tuyến."),
        T("f", ("Hướng dẫn thay đổi địa chỉ trên giấy tờ sau sắp xếp đơn vị hành chính",),
          "Sau khi sắp xếp lại đơn vị hành chính, địa chỉ của người dân {place} thay đổi. Nhiều người lo lắng "
          "không biết có bắt buộc phải đổi căn cước, giấy chứng nhận quyền sử dụng đất, đăng ký xe hay không, "
          "có mất phí không, mỗi nơi nói một kiểu. Đề nghị có văn bản hướng dẫn rõ ràng, phổ biến rộng rãi."),
        T("c", ("Khiếu nại việc từ chối đăng ký hộ kinh doanh",),
          "Hồ sơ đăng ký hộ kinh doanh của tôi bị từ chối với lý do địa điểm kinh doanh \"không phù hợp quy "
          "hoạch\", nhưng văn bản trả lời không nêu căn cứ cụ thể, trong khi nhiều hộ xung quanh vẫn được cấp. "
          "Tôi khiếu nại việc từ chối này, đề nghị xem xét lại và trả lời bằng văn bản có căn cứ pháp lý."),
        T("f", ("Bộ phận một cửa không có cán bộ trực giờ hành chính",),
          "Nhiều lần tôi đến bộ phận một cửa {commune} lúc 14 giờ nhưng không có cán bộ trực, người dân phải "
          "ngồi chờ hơn một tiếng. Lịch làm việc niêm yết một đằng, thực tế một nẻo. Đề nghị chấn chỉnh giờ giấc "
          "làm việc, niêm yết số điện thoại đường dây nóng."),
        T("c", ("Khiếu nại việc trả hồ sơ xin cấp giấy phép xây dựng nhiều lần",),
          "Hồ sơ xin cấp giấy phép xây dựng nhà ở riêng lẻ của tôi bị trả lại đến lần thứ ba, mỗi lần một lý "
          "do khác nhau, không lần nào hướng dẫn đầy đủ ngay từ đầu. Tôi khiếu nại việc trả hồ sơ không đúng "
          "quy định, đề nghị xem xét cấp phép theo quy định."),
    ],
    "khac": [
        T("f", ("Cảm ơn chính quyền đã sửa đường kịp thời", "Biểu dương cán bộ {commune}"),
          "Người dân {place} xin cảm ơn {commune} đã kịp thời sửa chữa tuyến đường và rãnh thoát nước sau khi "
          "bà con phản ánh. Cán bộ xuống tận nơi kiểm tra, làm việc nhiệt tình, chu đáo. Mong chính quyền tiếp "
          "tục quan tâm như vậy đối với các tuyến đường khác trong xóm."),
        T("f", ("Đề nghị xây dựng sân chơi cho trẻ em ở {place}",),
          "Ở {place} chưa có sân chơi cho trẻ em, các cháu phải chơi ngoài đường rất nguy hiểm. Khu đất trống "
          "cạnh nhà văn hóa đang bỏ không. Người dân sẵn sàng góp công, góp tiền. Đề nghị xem xét bố trí làm sân "
          "chơi, lắp một số dụng cụ thể thao đơn giản."),
        T("f", ("Sóng điện thoại, internet ở {place} rất yếu",),
          "Sóng điện thoại và internet ở {place} rất yếu, nhiều chỗ không gọi được, học sinh học trực tuyến, "
          "người dân làm thủ tục trên mạng đều gặp khó khăn. Đề nghị các nhà mạng lắp thêm trạm phát sóng cho "
          "khu vực."),
        T("f", ("Đề nghị mở lại tuyến xe buýt qua {commune}",),
          "Tuyến xe buýt chạy qua {commune} đã ngừng hoạt động {duration}, học sinh, người già không có phương "
          "tiện đi lên trung tâm, phải đi xe ôm giá cao. Đề nghị các cơ quan liên quan xem xét mở lại tuyến "
          "hoặc điều chỉnh lộ trình đi qua khu dân cư."),
        T("f", ("Đề nghị hướng dẫn người cao tuổi sử dụng ứng dụng định danh điện tử",),
          "Nhiều người cao tuổi ở {place} chưa biết sử dụng điện thoại thông minh, ứng dụng định danh điện tử, "
          "nhận lương hưu qua tài khoản. Đề nghị Đoàn Thanh niên, Mặt trận tổ chức các buổi hướng dẫn tại nhà "
          "văn hóa vào cuối tuần."),
        T("f", ("Chợ tạm họp trên {street} gây ùn tắc",),
          "Từ khi chợ cũ sửa chữa, các hộ kinh doanh họp chợ tạm ngay trên {street}, lấn chiếm lòng đường, rác "
          "thải bừa bãi, giờ cao điểm ùn tắc kéo dài. Đề nghị sớm hoàn thành chợ mới, trong thời gian chờ bố trí "
          "địa điểm họp chợ tạm phù hợp hơn."),
        T("f", ("Nghĩa trang nhân dân ở {place} đã quá tải",),
          "Nghĩa trang nhân dân ở {place} đã kín chỗ, nhiều gia đình phải chôn cất xen vào lối đi, mộ xây lộn "
          "xộn. Đề nghị chính quyền quy hoạch mở rộng nghĩa trang hoặc bố trí khu mới, có quy định rõ về diện "
          "tích phần mộ."),
        T("f", ("Góp ý tổ chức lễ hội, hoạt động văn hóa ở {place}",),
          "Người dân {place} mong chính quyền duy trì hoạt động văn nghệ, thể thao vào các dịp lễ, Tết, nhưng "
          "cần tổ chức gọn gàng, tiết kiệm, tránh kéo dài đến khuya và hạn chế các hoạt động mang tính mê tín. "
          "Đề nghị Mặt trận lấy ý kiến người dân trước khi lập kế hoạch."),
        T("f", ("Đề nghị làm rõ lịch cúp nước sinh hoạt",),
          "{duration} nước sinh hoạt ở {place} bị cúp liên tục, có ngày mất nước từ sáng đến tối mà không có "
          "thông báo. Người dân phải đi xin nước, mua nước bình. Đề nghị công ty cấp nước thông báo lịch cúp "
          "nước trước và có phương án cấp nước tạm."),
    ],
}

# Personal opening lines: only the sender's own copy carries them; the published text leaves them out.
INTROS = [
    "Tôi là người dân ở số nhà {house}, {street}, {place}.",
    "Gia đình tôi sinh sống tại nhà số {house} {street}, {place}.",
    "Tôi ở số {house} {street}, {place}, xin phản ánh sự việc như sau.",
    "Tôi là hội viên Hội Cựu chiến binh, nhà ở số {house}, {place}.",
    "Tôi là giáo viên về hưu, hiện ở số nhà {house} {street}.",
    "Tôi là công nhân, thuê trọ tại số {house} {street}, {place}.",
]
CONTACT_LINES = [
    "Số điện thoại liên hệ: {phone}.",
    "Khi cần xác minh xin liên hệ số {phone}.",
    "Điện thoại: {phone}.",
]
ANONYMOUS_INTROS = [
    "Tôi là người dân ở {place}, xin được giấu tên.",
    "Người dân {place} phản ánh.",
    "",
]
CLOSINGS = [
    "Kính mong các cơ quan chức năng sớm xem xét, giải quyết.",
    "Rất mong nhận được trả lời sớm. Xin cảm ơn.",
    "Mong Mặt trận quan tâm, chuyển đến cơ quan có thẩm quyền giải quyết.",
    "Xin trân trọng cảm ơn!",
    "",
]

DURATIONS = [
    "hơn hai tuần nay", "gần một tháng nay", "hơn một tháng nay", "mấy tháng nay", "từ đầu năm đến nay",
    "cả tuần nay", "hơn ba tháng nay", "từ Tết đến nay", "đã lâu",
]
LATE_HOURS = ["hơn 23 giờ", "gần nửa", "1 giờ sáng", "quá 22 giờ"]
AMOUNTS = [
    "200 nghìn đồng", "300 nghìn đồng", "500 nghìn đồng", "1 triệu đồng", "1,5 triệu đồng", "2 triệu đồng",
    "3 triệu đồng", "5 triệu đồng", "10 triệu đồng",
]
URBAN_STREETS = [
    "đường Lê Lợi", "đường Trần Hưng Đạo", "đường Nguyễn Trãi", "đường Hùng Vương", "đường Lý Thường Kiệt",
    "đường Quang Trung", "đường Hai Bà Trưng", "đường Nguyễn Du", "đường Phan Đình Phùng", "đường Lê Duẩn",
    "đường Ngô Quyền", "đường Điện Biên Phủ", "đường Trần Phú", "đường Nguyễn Văn Cừ", "đường Võ Thị Sáu",
    "đường Nguyễn Thị Minh Khai", "đường Bà Triệu", "đường Lạc Long Quân", "đường Tô Hiến Thành",
    "đường 3 Tháng 2", "ngõ 45 phố Chợ", "hẻm 12 đường Nguyễn Huệ", "kiệt 27 đường Phan Chu Trinh",
    "đường Hoàng Hoa Thám", "đường Cách Mạng Tháng Tám", "đường Lê Hồng Phong", "đường Chu Văn An",
]
RURAL_STREETS = [
    "đường liên thôn", "đường trục xã", "đường ra đồng", "đường bê tông liên xóm", "đường đê", "đường liên xã",
    "đường vào nghĩa trang", "đường ven kênh", "đường đất đỏ", "đường giao thông nội đồng",
]
ROADS = [
    "quốc lộ 1", "quốc lộ 6", "quốc lộ 14", "quốc lộ 32", "quốc lộ 279", "tỉnh lộ 8", "tỉnh lộ 10",
    "tỉnh lộ 295", "đường tỉnh 743", "tuyến đường tránh", "đường vành đai", "đường huyện cũ",
]
LANDMARKS = [
    "chợ", "cổng trường tiểu học", "nhà văn hóa", "ngã ba", "trạm y tế", "cây xăng", "cầu", "đình làng",
    "chùa", "sân bóng", "bến xe", "ủy ban cũ",
]
VILLAGE_NAMES = [
    "Đông", "Tây", "Nam", "Bắc", "Trung", "Tân Lập", "Tân Tiến", "Hòa Bình", "Thống Nhất", "Quyết Tiến",
    "Đoàn Kết", "Phú Xuân", "An Phú", "Bình An", "Tân Hưng", "Phước Lợi", "Đồng Tâm", "Hợp Nhất", "Thanh Bình",
    "Đại Đồng", "Minh Khai", "Quang Trung", "Tiền Phong", "Hồng Phong", "Yên Thịnh", "Làng Mới", "Xóm Mới",
]
HIGHLAND_VILLAGES = ["Nà Lốc", "Nậm Cang", "Pá Khoang", "Huổi Só", "Nà Sài", "Phiêng Lanh", "Cốc Pục",
                     "Nà Hỳ", "Tà Chải", "Lũng Pảng"]
PROJECTS = [
    "khu đô thị mới", "cụm công nghiệp", "khu dân cư phía đông", "công viên cây xanh", "mở rộng quốc lộ",
    "đường vành đai", "khu tái định cư", "trường học liên cấp", "khu thương mại dịch vụ",
]
SCHOOLS = [
    "trường tiểu học trên địa bàn", "trường THCS trên địa bàn", "trường mầm non trên địa bàn",
    "trường THPT trên địa bàn", "điểm trường tiểu học", "trường mầm non công lập",
]
HOSPITALS = [
    "bệnh viện đa khoa tỉnh", "trung tâm y tế khu vực", "bệnh viện đa khoa khu vực", "trạm y tế xã",
    "bệnh viện sản nhi tỉnh", "bệnh viện y học cổ truyền",
]
COMPANIES = [
    "một công ty may mặc trong cụm công nghiệp", "một công ty giày da", "một công ty chế biến thủy sản",
    "một công ty gỗ", "một doanh nghiệp sản xuất bao bì", "một công ty điện tử",
]
WORKSHOPS = [
    "Xưởng gỗ", "Cơ sở tái chế nhựa", "Xưởng cơ khí", "Lò gạch thủ công", "Cơ sở nấu rượu", "Xưởng mộc",
    "Cơ sở chế biến nông sản", "Trạm trộn bê tông",
]
PROCEDURES = [
    "đăng ký thường trú", "chứng thực hợp đồng chuyển nhượng", "đăng ký khai sinh", "xin giấy phép xây dựng",
    "đăng ký biến động đất đai", "cấp giấy xác nhận tình trạng hôn nhân", "đăng ký hộ kinh doanh",
]
SUPPORTS = [
    "hỗ trợ người dân bị ảnh hưởng bởi bão lũ", "hỗ trợ Tết cho hộ nghèo", "hỗ trợ giống cây trồng",
    "hỗ trợ người có công dịp 27/7", "hỗ trợ khắc phục hậu quả thiên tai",
]

# The Front's and the authorities' answers, per topic: the authority's findings and measures.
ANSWERS: dict[str, list[str]] = {
    "dat-dai": [
        "{authority} đã kiểm tra hồ sơ, xác định hồ sơ chậm do phải đo đạc lại ranh giới thửa đất. Đến nay việc "
        "đo đạc đã hoàn thành, hồ sơ đã được chuyển đến cơ quan đăng ký đất đai để cấp giấy chứng nhận; dự kiến "
        "trả kết quả trong 15 ngày làm việc. {authority} đã nhắc nhở cán bộ phụ trách về việc không thông báo "
        "rõ lý do chậm cho người dân.",
        "Qua kiểm tra thực tế tại {place}, {authority} xác định có {n} hộ lấn chiếm hành lang giao thông. Các hộ "
        "đã được lập biên bản, yêu cầu tự tháo dỡ; hiện đã có một số hộ tháo dỡ xong, các hộ còn lại sẽ bị cưỡng "
        "chế theo quy định nếu không chấp hành.",
        "{authority} đã tổ chức đo đạc, xác định mốc giới thửa đất theo bản đồ địa chính với sự chứng kiến của "
        "hai hộ và đại diện khu dân cư. Kết quả đo đạc đã được các bên ký xác nhận; hộ xây tường lấn ranh giới "
        "cam kết tháo dỡ phần lấn chiếm.",
        "Về quy hoạch tại {place}: {authority} cho biết dự án đang được rà soát trong quy hoạch chung; trong "
        "thời gian chờ điều chỉnh, người dân được cải tạo, sửa chữa nhà ở theo hiện trạng. Kết quả rà soát sẽ "
        "được công bố công khai tại trụ sở và nhà văn hóa.",
        "{authority} đã xem xét lại hồ sơ, xác minh nguồn gốc và quá trình sử dụng đất. Việc giải quyết đã được "
        "thực hiện theo đúng trình tự; kết quả được thông báo bằng văn bản đến người gửi, kèm hướng dẫn quyền "
        "khiếu nại tiếp theo nếu chưa đồng ý.",
    ],
    "moi-truong": [
        "{authority} đã làm việc với đơn vị thu gom, yêu cầu tăng tần suất thu gom rác tại khu vực lên một lần "
        "mỗi ngày và di chuyển điểm tập kết ra khỏi khu dân cư. Tổ dân phố sẽ giám sát việc thực hiện; người dân "
        "vui lòng để rác đúng giờ quy định.",
        "{authority} đã phối hợp với công an kiểm tra cơ sở sản xuất, lập biên bản vi phạm về xả nước thải chưa "
        "qua xử lý, yêu cầu tạm dừng hoạt động phần xưởng gây ô nhiễm cho đến khi lắp đặt hệ thống xử lý đạt "
        "quy chuẩn.",
        "{authority} đã cử cán bộ kiểm tra, tuyên truyền và yêu cầu các hộ chấm dứt việc đốt rác, rơm rạ gần "
        "khu dân cư; đồng thời phối hợp với hợp tác xã hướng dẫn xử lý rơm rạ làm phân bón. Trường hợp tái phạm "
        "sẽ bị xử phạt theo quy định.",
        "{authority} đã đưa việc nạo vét đoạn kênh qua {place} vào kế hoạch, dự kiến thực hiện trong tháng tới; "
        "trước mắt tổ chức ra quân vớt bèo, dọn rác và phun hóa chất diệt muỗi tại khu vực.",
        "{authority} cho biết việc chặt hạ cây xanh thuộc dự án cải tạo hè phố, đã được cấp phép; đơn vị thi "
        "công sẽ trồng lại cây mới theo thiết kế. {authority} đã nhắc nhở đơn vị thi công về việc không thông báo "
        "trước cho người dân.",
    ],
    "ha-tang": [
        "{authority} đã kiểm tra hiện trạng tuyến đường, bố trí kinh phí duy tu, dặm vá các ổ gà trong tháng "
        "này; việc nâng cấp toàn tuyến đã được đưa vào kế hoạch đầu tư công năm tới.",
        "{authority} đã chỉ đạo đơn vị thoát nước nạo vét cống, hố ga trên tuyến; đồng thời đề xuất cải tạo "
        "đoạn cống nhỏ gây ngập. Trong mùa mưa, tổ công tác sẽ trực ứng phó tại điểm ngập.",
        "Đơn vị quản lý chiếu sáng đã thay thế bóng đèn và sửa chữa đường dây hư hỏng trên tuyến. Người dân "
        "phát hiện đèn hỏng có thể báo qua đường dây nóng để được xử lý kịp thời.",
        "{authority} đã làm việc với điện lực khu vực: trạm biến áp sẽ được nâng công suất trong quý tới; lịch "
        "tạm ngừng cấp điện sẽ được thông báo trước trên loa phát thanh và trang thông tin của địa phương.",
        "{authority} đã kiểm tra hiện trường, cắm biển cảnh báo, rào chắn khu vực nguy hiểm và vận động {n} "
        "hộ tạm di dời đến nơi an toàn; đồng thời báo cáo cấp trên để có phương án xử lý lâu dài.",
    ],
    "an-sinh": [
        "{authority} đã rà soát, xác định việc chi trả chậm do chuyển đổi sang hình thức chi trả qua tài khoản. "
        "Toàn bộ số tiền còn thiếu đã được chi trả; cán bộ sẽ chi trả tận nhà cho người cao tuổi không đi lại "
        "được.",
        "{authority} đã tổ chức họp dân rà soát lại danh sách hộ nghèo, cận nghèo tại {place}; danh sách sau "
        "rà soát đã được niêm yết công khai tại nhà văn hóa. Mặt trận sẽ tiếp tục giám sát việc bình xét.",
        "{authority} đã tổ chức xác định lại mức độ khuyết tật có mặt gia đình; kết quả và quyết định giải quyết "
        "đã được gửi đến người gửi theo quy định.",
        "{authority} đã làm việc với doanh nghiệp, yêu cầu đóng đủ số tiền bảo hiểm xã hội còn nợ và chốt sổ cho "
        "người lao động; trường hợp không chấp hành sẽ chuyển thanh tra xử lý theo quy định.",
        "Mặt trận đã khảo sát thực tế, đưa gia đình vào danh sách hỗ trợ xây nhà Đại đoàn kết năm nay từ Quỹ "
        "\"Vì người nghèo\", dự kiến khởi công trong quý tới với sự góp công của bà con khu dân cư.",
    ],
    "y-te": [
        "{authority} đã bố trí thêm bàn khám vào giờ cao điểm, triển khai đặt lịch khám qua điện thoại và ứng "
        "dụng, bổ sung ghế ngồi tại khu chờ.",
        "{authority} cho biết một số loại thuốc bị gián đoạn do chậm đấu thầu; đến nay đã cung ứng trở lại. Bệnh "
        "viện cam kết không để người bệnh phải tự mua thuốc trong danh mục bảo hiểm y tế.",
        "{authority} đã kiểm tra cơ sở sản xuất thực phẩm, lấy mẫu xét nghiệm và yêu cầu khắc phục điều kiện vệ "
        "sinh; cơ sở bị xử phạt và chỉ được hoạt động lại khi đạt yêu cầu.",
        "{authority} đã tổ chức phun hóa chất diệt muỗi, xử lý ổ dịch tại {place} và phối hợp các đoàn thể ra "
        "quân diệt bọ gậy, tuyên truyền phòng chống sốt xuất huyết.",
        "{authority} đã tiếp thu ý kiến, tổ chức kiểm điểm các cá nhân liên quan và nhắc nhở toàn thể nhân viên "
        "về quy tắc ứng xử với người bệnh.",
    ],
    "giao-duc": [
        "{authority} đã kiểm tra các khoản thu đầu năm của nhà trường, yêu cầu dừng các khoản thu không đúng "
        "quy định và hoàn trả cho phụ huynh; nhà trường phải công khai các khoản thu, chi.",
        "{authority} đã làm việc với nhà trường và giáo viên liên quan, yêu cầu chấm dứt việc dạy thêm cho học "
        "sinh lớp mình chủ nhiệm; giáo viên đã bị nhắc nhở, kiểm điểm.",
        "{authority} đã bố trí kinh phí sửa chữa mái, trần và nhà vệ sinh của điểm trường, dự kiến hoàn thành "
        "trước mùa mưa bão.",
        "{authority} đã rà soát việc tuyển sinh lớp 1 và bố trí cho cháu học tại trường đúng tuyến; danh sách "
        "tuyển sinh đã được công khai.",
        "{authority} đã phối hợp công an bố trí lực lượng phân luồng giao thông giờ tan học trước cổng trường "
        "và yêu cầu dẹp hàng rong lấn chiếm vỉa hè.",
    ],
    "an-ninh-trat-tu": [
        "Công an đã kiểm tra cơ sở karaoke, lập biên bản về gây tiếng ồn quá giờ quy định và yêu cầu cam kết "
        "chấm dứt; các hộ mở loa hát gây ồn trong khu dân cư đã được nhắc nhở.",
        "Công an đã tăng cường tuần tra vào tối thứ Bảy, Chủ nhật trên tuyến đường, tạm giữ phương tiện của "
        "một số đối tượng đua xe và thông báo về gia đình, nhà trường.",
        "Công an đã tiếp nhận, điều tra các vụ trộm; đồng thời phối hợp thành lập tổ an ninh tự quản và vận "
        "động người dân lắp camera tại các ngõ xóm.",
        "Công an đã kiểm tra, xác minh thông tin; tiếp tục theo dõi địa bàn và đề nghị người dân kịp thời cung "
        "cấp thông tin qua đường dây nóng.",
        "Công an đã tuyên truyền trên hệ thống loa phát thanh về các thủ đoạn lừa đảo qua điện thoại, hướng dẫn "
        "người dân cách nhận biết và trình báo khi nghi ngờ.",
    ],
    "tham-nhung-tieu-cuc": [
        "{authority} đã xác minh nội dung phản ánh, tổ chức kiểm điểm cán bộ liên quan, điều chuyển cán bộ khỏi "
        "vị trí tiếp nhận hồ sơ và chấn chỉnh quy trình tiếp nhận tại bộ phận một cửa.",
        "{authority} đã yêu cầu ban quản lý công khai quyết toán thu chi tại nhà văn hóa; Ban Thanh tra nhân "
        "dân sẽ giám sát việc công khai.",
        "{authority} đã thành lập đoàn kiểm tra, kiểm định chất lượng công trình; kết quả sẽ được công khai, "
        "nhà thầu phải sửa chữa phần hư hỏng bằng kinh phí của mình.",
        "{authority} đã tiếp thu, giao thôn quản lý và sử dụng nhà văn hóa phục vụ sinh hoạt cộng đồng.",
        "{authority} đã đối chiếu danh sách và công khai danh sách, mức hỗ trợ của từng hộ tại nhà văn hóa.",
    ],
    "thu-tuc-hanh-chinh": [
        "{authority} đã kiểm tra, hồ sơ chậm do lỗi đồng bộ dữ liệu giữa các hệ thống; hồ sơ đã được giải "
        "quyết và trả kết quả. {authority} đã gửi thư xin lỗi người dân về việc chậm trễ.",
        "{authority} đã bố trí thêm một cán bộ làm chứng thực và lắp máy lấy số thứ tự tại bộ phận một cửa; "
        "tiếp nhận chứng thực cả ngày trong giờ hành chính.",
        "{authority} đã chấn chỉnh việc yêu cầu người dân nộp giấy tờ đã có trong cơ sở dữ liệu dân cư; cán bộ "
        "tiếp nhận được tập huấn khai thác dữ liệu trên hệ thống.",
        "{authority} đã bố trí điểm tiếp nhận hồ sơ lưu động tại nhà văn hóa {place} vào thứ Năm hằng tuần và "
        "cử đoàn viên thanh niên hướng dẫn người dân nộp hồ sơ trực tuyến.",
        "{authority} cho biết người dân không bắt buộc phải đổi giấy tờ do thay đổi địa giới hành chính; giấy "
        "tờ đã cấp vẫn còn giá trị sử dụng. Hướng dẫn chi tiết đã được niêm yết và phát trên loa truyền thanh.",
    ],
    "khac": [
        "Mặt trận xin cảm ơn ý kiến của người dân; nội dung đã được chuyển đến chính quyền để tiếp tục quan tâm "
        "các tuyến đường trong khu dân cư.",
        "{authority} đã tiếp thu ý kiến, giao khu dân cư lập phương án sử dụng khu đất trống làm sân chơi, kinh "
        "phí từ ngân sách và đóng góp tự nguyện của người dân.",
        "{authority} đã đề nghị các doanh nghiệp viễn thông khảo sát, bổ sung trạm phát sóng cho khu vực {place}.",
        "Mặt trận đã phối hợp Đoàn Thanh niên tổ chức các buổi hướng dẫn sử dụng ứng dụng định danh điện tử "
        "cho người cao tuổi tại nhà văn hóa vào sáng Chủ nhật hằng tuần.",
        "{authority} đã tiếp thu ý kiến và đưa nội dung vào chương trình làm việc; kết quả sẽ được thông báo tại "
        "hội nghị tiếp xúc cử tri gần nhất.",
    ],
}
ANSWER_OPENINGS = [
    "Ban Thường trực {front} trả lời như sau: ",
    "{front} đã nhận được văn bản trả lời của {authority}. Nội dung như sau: ",
    "Sau khi phối hợp kiểm tra, {front} trả lời như sau: ",
]
ANSWER_CLOSINGS = [
    " Mặt trận sẽ tiếp tục giám sát việc thực hiện.",
    " Nếu chưa đồng ý với nội dung trả lời, ông/bà có thể đề nghị xem xét lại trong vòng 30 ngày.",
    " Xin cảm ơn ông/bà đã quan tâm phản ánh.",
    "",
]
FORWARD_NOTES = [
    "Đề nghị xem xét, giải quyết và trả lời công dân theo quy định.",
    "Chuyển để giải quyết theo thẩm quyền; đề nghị thông báo kết quả cho Mặt trận.",
    "Đề nghị kiểm tra thực tế, xử lý và báo cáo kết quả.",
]
REFUSAL_REASONS = [
    "Nội dung đã được cơ quan có thẩm quyền giải quyết và trả lời bằng văn bản, không có tình tiết mới.",
    "Nội dung không rõ ràng, không xác định được địa điểm và sự việc; đề nghị gửi lại với thông tin cụ thể.",
    "Vụ việc đang được Tòa án thụ lý giải quyết, không thuộc phạm vi tiếp nhận.",
    "Đã quá thời hiệu khiếu nại theo quy định của Luật Khiếu nại.",
    "Nội dung là tranh chấp dân sự giữa các cá nhân; đề nghị liên hệ tổ hòa giải cơ sở hoặc Tòa án.",
    "Trùng nội dung với đơn đã gửi trước đó và đang được giải quyết.",
]
EXTENSION_REASONS = [
    "Vụ việc phức tạp, cần xác minh thêm tại nhiều cơ quan và đo đạc thực địa.",
    "Cần trưng cầu giám định và lấy ý kiến của các sở, ngành liên quan.",
    "Nội dung liên quan đến nhiều thời kỳ, cần thu thập thêm hồ sơ lưu trữ.",
]
SATISFACTION_COMMENTS = {
    5: ["Cảm ơn cán bộ đã giải quyết nhanh, nhiệt tình.", "Rất hài lòng, vấn đề đã được xử lý dứt điểm.",
        "Cảm ơn Mặt trận đã quan tâm."],
    4: ["Đã được giải quyết, tuy hơi chậm.", "Hài lòng, mong duy trì lâu dài.", "Cảm ơn, đã có chuyển biến."],
    3: ["Mới giải quyết được một phần.", "Trả lời còn chung chung."],
    2: ["Chưa thấy chuyển biến trên thực tế.", "Giải quyết chậm, phải đi lại nhiều lần."],
    1: ["Không đồng ý với nội dung trả lời.", "Sự việc vẫn tiếp diễn như cũ."],
}

# Names: the commonest family names weigh more, as they do in the population.
FAMILY_NAMES = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 3), ("Huỳnh", 2), ("Phan", 4), ("Vũ", 2),
    ("Võ", 2), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 1.5), ("Hồ", 1.5), ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5),
    ("Đinh", 0.8), ("Trương", 0.8), ("Mai", 0.5), ("Lương", 0.5), ("Tạ", 0.3), ("Hà", 0.5), ("Lò", 0.2),
    ("Lục", 0.2), ("Triệu", 0.3),
]
MALE_MIDDLE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thanh", "Xuân", "Ngọc", "Quốc", "Tiến", "Mạnh"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Hồng", "Kim", "Phương", "Bích", "Minh", "Mỹ"]
MALE_GIVEN = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khang", "Khoa", "Kiên", "Lâm",
    "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Thành", "Thịnh",
    "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ",
]
FEMALE_GIVEN = [
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan",
    "Mai", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thu", "Thủy", "Trang", "Tuyết", "Vân",
    "Yến",
]
EMAIL_DOMAINS = ["gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com"]
