"""The demo guides of the "Dịch vụ công" group: five procedures people ask about most, written for the
platform from the rules in force in 2025 (after local government moved to two levels on 1 July 2025).

Each guide is a series of headed sections ("1. Giấy tờ cần chuẩn bị") so that ``split_guide`` cuts it
into passages that answer one question each. Body lines end with "." or ";" (a numbered line without
them would read as a heading), and no line starts with "Điều" (the text would be taken for a law). In
the source, a line ending with a backslash goes on in the same paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Guide:
    key: str
    title: str
    summary: str
    text: str


RESIDENCE = """HƯỚNG DẪN ĐĂNG KÝ THƯỜNG TRÚ VÀ ĐĂNG KÝ TẠM TRÚ
Căn cứ: Luật Cư trú năm 2020, Nghị định số 154/2024/NĐ-CP quy định chi tiết Luật Cư trú, Thông tư số \
55/2021/TT-BCA (đã được sửa đổi, bổ sung) và Thông tư số 75/2022/TT-BTC về lệ phí đăng ký cư trú.
Từ ngày 01/01/2023, sổ hộ khẩu và sổ tạm trú bằng giấy không còn giá trị sử dụng. Thông tin cư trú của mỗi người \
được quản lý trong Cơ sở dữ liệu về cư trú và xem được trên ứng dụng VNeID.
1. Khi nào phải đăng ký
Đăng ký thường trú khi bạn chuyển đến sinh sống ổn định, lâu dài tại một chỗ ở hợp pháp: nhà của mình, nhà của \
người thân, nhà thuê, mượn hoặc ở nhờ. Người đã đủ điều kiện phải nộp hồ sơ trong 12 tháng kể từ ngày đủ điều kiện \
đăng ký.
Đăng ký tạm trú khi bạn đến sinh sống tại một chỗ ở hợp pháp ngoài nơi thường trú từ 30 ngày trở lên, ví dụ đi \
học, đi làm, thuê trọ. Thời hạn tạm trú tối đa là 02 năm và được gia hạn nhiều lần; hãy làm thủ tục gia hạn trong \
15 ngày trước khi hết hạn.
Ở lại dưới 30 ngày (thăm người thân, công tác ngắn ngày) thì không phải đăng ký tạm trú. Khi đó chủ nhà hoặc cơ sở \
lưu trú thông báo lưu trú với Công an cấp xã.
2. Giấy tờ cần chuẩn bị
Tờ khai thay đổi thông tin cư trú (mẫu CT01). Người chưa thành niên phải có ý kiến đồng ý của cha, mẹ hoặc người \
giám hộ ghi trong tờ khai.
Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp, ví dụ giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở; hợp đồng \
mua bán, tặng cho nhà; hợp đồng hoặc văn bản cho thuê, cho mượn, cho ở nhờ. Nếu thông tin này đã có trong cơ sở dữ \
liệu của cơ quan nhà nước thì không phải nộp.
Đăng ký vào chỗ ở của người khác (về ở với cha mẹ, vợ hoặc chồng, con): cần ý kiến đồng ý của chủ hộ và của chủ sở \
hữu chỗ ở, ghi vào tờ khai hoặc bằng văn bản, kèm giấy tờ chứng minh quan hệ nhân thân như giấy khai sinh, giấy \
chứng nhận kết hôn nếu quan hệ đó chưa có trong Cơ sở dữ liệu quốc gia về dân cư.
Đăng ký thường trú tại chỗ ở thuê, mượn, ở nhờ: diện tích nhà ở phải bảo đảm mức tối thiểu do Hội đồng nhân dân \
cấp tỉnh quy định, không thấp hơn 08 m2 sàn cho mỗi người.
3. Nơi nộp hồ sơ
Công an cấp xã (xã, phường, đặc khu) nơi có chỗ ở của bạn. Từ ngày 01/7/2025, khi chính quyền địa phương tổ chức \
theo hai cấp, mọi thủ tục đăng ký cư trú đều làm tại Công an cấp xã.
4. Nộp trực tuyến
Đăng nhập Cổng Dịch vụ công quốc gia (dichvucong.gov.vn) hoặc ứng dụng VNeID bằng tài khoản định danh điện tử mức \
độ 2, chọn thủ tục "Đăng ký thường trú" hoặc "Đăng ký tạm trú", khai tờ khai điện tử và tải lên ảnh chụp hoặc bản \
quét giấy tờ.
Kết quả được thông báo qua tài khoản, tin nhắn hoặc thư điện tử; bạn không phải đến nộp bản giấy. Nộp trực tuyến \
được tính lệ phí thấp hơn.
5. Lệ phí
Đăng ký thường trú: 20.000 đồng nếu nộp trực tiếp, 10.000 đồng nếu nộp trực tuyến.
Đăng ký tạm trú: 15.000 đồng nếu nộp trực tiếp, 7.000 đồng nếu nộp trực tuyến.
Một số người được miễn lệ phí, như trẻ em, người cao tuổi, người khuyết tật, người có công với cách mạng và thân \
nhân, người thuộc hộ nghèo, đồng bào dân tộc thiểu số ở xã có điều kiện kinh tế - xã hội đặc biệt khó khăn. Hãy \
hỏi cán bộ tiếp nhận nếu bạn thuộc diện được miễn.
6. Thời hạn giải quyết
Đăng ký thường trú: trong 07 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.
Đăng ký tạm trú, gia hạn tạm trú: trong 03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.
Nếu từ chối đăng ký, cơ quan đăng ký cư trú phải trả lời bằng văn bản và nêu rõ lý do.
7. Sau khi đăng ký
Thông tin của bạn được cập nhật vào Cơ sở dữ liệu về cư trú. Khi cần chứng minh nơi cư trú, dùng thông tin cư trú \
trên ứng dụng VNeID hoặc đề nghị Công an cấp xã cấp giấy xác nhận thông tin về cư trú.
Khi chuyển đến nơi ở mới và đăng ký thường trú ở đó, đăng ký thường trú ở nơi cũ được xóa theo quy định; bạn không \
phải về nơi cũ làm thủ tục.
Không đăng ký cư trú đúng hạn hoặc khai báo không trung thực có thể bị xử phạt vi phạm hành chính.
"""

BIRTH = """HƯỚNG DẪN ĐĂNG KÝ KHAI SINH
Căn cứ: Luật Hộ tịch năm 2014, Nghị định số 123/2015/NĐ-CP quy định chi tiết Luật Hộ tịch (đã được sửa đổi, bổ \
sung) và Nghị định số 63/2024/NĐ-CP về thực hiện liên thông thủ tục hành chính.
Giấy khai sinh là giấy tờ hộ tịch gốc của mỗi người. Khi đăng ký khai sinh, trẻ được cấp số định danh cá nhân, \
dùng suốt đời cho mọi giao dịch.
1. Ai đi đăng ký, khi nào
Trong 60 ngày kể từ ngày sinh, cha hoặc mẹ có trách nhiệm đăng ký khai sinh cho con. Nếu cha, mẹ không thể đi thì \
ông, bà, người thân thích khác hoặc người đang nuôi dưỡng trẻ đi đăng ký.
Quá 60 ngày vẫn đăng ký được; khi đó có thể phải nộp lệ phí.
2. Giấy tờ cần chuẩn bị
Tờ khai đăng ký khai sinh theo mẫu (điền tại nơi nộp hoặc khai trực tuyến).
Giấy chứng sinh do cơ sở y tế nơi trẻ sinh ra cấp. Nếu không có giấy chứng sinh thì nộp văn bản của người làm \
chứng xác nhận việc sinh; không có người làm chứng thì nộp giấy cam đoan về việc sinh. Trẻ bị bỏ rơi thì nộp biên \
bản xác nhận việc trẻ bị bỏ rơi.
Giấy tờ tùy thân của người đi đăng ký: thẻ căn cước, thẻ căn cước công dân, hộ chiếu hoặc căn cước điện tử trên \
ứng dụng VNeID.
Giấy chứng nhận kết hôn của cha mẹ nếu cha mẹ đã đăng ký kết hôn; chỉ phải xuất trình khi cơ quan đăng ký không \
tra cứu được trong cơ sở dữ liệu hộ tịch.
Người được cha mẹ ủy quyền đi đăng ký cần văn bản ủy quyền có chứng thực; nếu người đi thay là ông, bà hoặc anh, \
chị, em ruột của cha mẹ thì văn bản ủy quyền không phải chứng thực.
3. Nơi nộp hồ sơ
Ủy ban nhân dân cấp xã (xã, phường, đặc khu) nơi cư trú của cha hoặc mẹ, tại Bộ phận một cửa hoặc Trung tâm phục \
vụ hành chính công cấp xã. Nếu không xác định được nơi cư trú của cha, mẹ thì nộp tại nơi trẻ đang sinh sống thực \
tế.
Trẻ có cha hoặc mẹ là người nước ngoài, hoặc sinh ra ở nước ngoài, có hồ sơ riêng. Từ ngày 01/7/2025, không còn \
cấp huyện, các việc hộ tịch này cũng nộp tại Ủy ban nhân dân cấp xã; hãy hỏi trước cán bộ tư pháp - hộ tịch về \
giấy tờ cần dịch, hợp pháp hóa.
4. Nộp trực tuyến và thủ tục liên thông
Trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn) hoặc ứng dụng VNeID, cha hoặc mẹ chọn nhóm thủ tục liên thông \
"Đăng ký khai sinh - Đăng ký thường trú - Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi" để làm một lần cả ba việc.
Tải lên ảnh chụp giấy chứng sinh và giấy tờ cần thiết. Kết quả được gửi về tài khoản; bản chính giấy khai sinh \
nhận tại Ủy ban nhân dân cấp xã hoặc qua bưu chính.
5. Lệ phí
Miễn lệ phí khi đăng ký khai sinh đúng hạn (trong 60 ngày kể từ ngày sinh).
Đăng ký quá hạn: lệ phí theo mức Hội đồng nhân dân cấp tỉnh quy định. Người thuộc gia đình có công với cách mạng, \
người thuộc hộ nghèo, người khuyết tật được miễn lệ phí đăng ký hộ tịch.
Xin thêm bản sao giấy khai sinh (trích lục): 8.000 đồng mỗi bản.
6. Thời hạn giải quyết
Ngay trong ngày nhận đủ hồ sơ; hồ sơ nhận sau 15 giờ được giải quyết trong ngày làm việc tiếp theo.
Cán bộ tư pháp - hộ tịch ghi vào sổ hộ tịch và cập nhật cơ sở dữ liệu; người đi đăng ký kiểm tra nội dung, ký vào \
sổ và nhận bản chính giấy khai sinh.
7. Lưu ý
Kiểm tra kỹ họ, chữ đệm, tên, ngày sinh, giới tính, quê quán trước khi ký: sửa sai sau này phải làm thủ tục cải \
chính hộ tịch.
Họ của con là họ của cha hoặc họ của mẹ theo thỏa thuận của cha mẹ; dân tộc, quốc tịch cũng xác định theo cha hoặc \
mẹ.
Giữ bản chính giấy khai sinh cẩn thận; khi cần, xin bản sao tại cơ quan đã đăng ký hoặc trực tuyến.
"""

IDENTITY_CARD = """HƯỚNG DẪN CẤP, CẤP ĐỔI, CẤP LẠI THẺ CĂN CƯỚC
Căn cứ: Luật Căn cước năm 2023 (có hiệu lực từ ngày 01/7/2024), Nghị định số 70/2024/NĐ-CP quy định chi tiết Luật \
Căn cước và Thông tư số 73/2024/TT-BTC về lệ phí.
Thẻ căn cước thay cho thẻ căn cước công dân. Thẻ căn cước công dân còn hạn vẫn được dùng đến hết thời hạn ghi trên \
thẻ; chứng minh nhân dân đã hết giá trị sử dụng từ ngày 01/01/2025.
1. Ai phải làm, khi nào
Công dân Việt Nam từ đủ 14 tuổi phải làm thủ tục cấp thẻ căn cước. Trẻ dưới 14 tuổi được cấp khi cha, mẹ hoặc \
người giám hộ đề nghị.
Cấp đổi thẻ khi đủ 14 tuổi, 25 tuổi, 40 tuổi và 60 tuổi. Thẻ được cấp, đổi trong 02 năm trước các tuổi này vẫn \
dùng được đến lần đổi tiếp theo.
Cũng cấp đổi khi thay đổi họ, chữ đệm, tên hoặc ngày sinh; xác định lại giới tính; thông tin in trên thẻ có sai \
sót; thẻ bị hư hỏng không dùng được.
Thẻ vẫn có giá trị khi tên đơn vị hành chính thay đổi do sắp xếp năm 2025: không bắt buộc đổi thẻ vì lý do này.
Cấp lại thẻ khi bị mất thẻ hoặc khi được trở lại quốc tịch Việt Nam.
2. Giấy tờ cần chuẩn bị
Không phải nộp giấy tờ nếu thông tin của bạn trong Cơ sở dữ liệu quốc gia về dân cư đã đầy đủ, chính xác. Khi cấp \
đổi, mang theo thẻ đang dùng để nộp lại.
Nếu thông tin trong cơ sở dữ liệu có sai khác, mang giấy tờ chứng minh (giấy khai sinh, quyết định cải chính hộ \
tịch) để được điều chỉnh trước khi làm thẻ.
Trẻ dưới 14 tuổi: cha, mẹ hoặc người giám hộ đi cùng và làm thủ tục thay.
Tại nơi làm thủ tục, cán bộ thu nhận ảnh khuôn mặt, vân tay và mống mắt. Với trẻ dưới 06 tuổi, cha mẹ làm thủ tục \
trực tuyến và không phải đưa trẻ đến thu nhận sinh trắc học.
3. Nơi làm thủ tục
Công an cấp xã hoặc Phòng Cảnh sát quản lý hành chính về trật tự xã hội Công an cấp tỉnh. Xem lịch tiếp nhận của \
điểm gần nhất trên Cổng Dịch vụ công hoặc gọi điện hỏi trước; nhiều nơi nhận đặt lịch hẹn.
Người cao tuổi, người ốm đau, khuyết tật không tự đi được có thể đề nghị cơ quan Công an đến thu nhận hồ sơ tại nhà.
4. Nộp trực tuyến
Trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn) hoặc ứng dụng VNeID: cấp thẻ cho trẻ dưới 06 tuổi, cấp lại thẻ \
khi bị mất và một số trường hợp cấp đổi không cần thu nhận lại sinh trắc học được làm hoàn toàn trực tuyến.
Các trường hợp khác có thể khai trước thông tin và đặt lịch trực tuyến, rồi đến nơi làm thủ tục để thu nhận sinh \
trắc học.
5. Lệ phí
Cấp thẻ lần đầu, kể cả cho trẻ dưới 14 tuổi: không thu lệ phí.
Cấp đổi: 50.000 đồng mỗi thẻ; cấp lại: 70.000 đồng mỗi thẻ.
Không thu lệ phí khi đổi thẻ theo các mốc tuổi, khi thẻ có sai sót do lỗi của cơ quan cấp, và miễn cho một số đối \
tượng như người có công với cách mạng và thân nhân, người thuộc hộ nghèo, trẻ em mồ côi, người khuyết tật.
Nhận thẻ qua bưu chính phải trả cước theo giá dịch vụ.
6. Thời hạn giải quyết
Không quá 07 ngày làm việc kể từ ngày nhận đủ hồ sơ. Thẻ được trả tại nơi làm thủ tục hoặc gửi qua bưu chính về \
địa chỉ bạn đăng ký.
7. Căn cước điện tử
Sau khi làm thủ tục, bạn có thể kích hoạt tài khoản định danh điện tử mức độ 2 trên ứng dụng VNeID. Căn cước điện \
tử trên VNeID có giá trị như thẻ căn cước khi làm thủ tục hành chính và nhiều giao dịch khác.
"""

SOCIAL_ALLOWANCE = """HƯỚNG DẪN ĐỀ NGHỊ TRỢ CẤP XÃ HỘI HẰNG THÁNG
Căn cứ: Nghị định số 20/2021/NĐ-CP quy định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội, được sửa \
đổi, bổ sung bởi Nghị định số 76/2024/NĐ-CP; Luật Bảo hiểm xã hội năm 2024 về trợ cấp hưu trí xã hội.
Từ ngày 01/7/2024, mức chuẩn trợ giúp xã hội là 500.000 đồng/tháng.
1. Ai được hưởng
Trẻ em dưới 16 tuổi không có nguồn nuôi dưỡng (mồ côi cả cha và mẹ, bị bỏ rơi, cha mẹ không còn khả năng nuôi \
dưỡng); người từ 16 đến 22 tuổi thuộc diện này đang đi học.
Người khuyết tật nặng, người khuyết tật đặc biệt nặng đã được xác định mức độ khuyết tật.
Người cao tuổi thuộc hộ nghèo, hộ cận nghèo không có người phụng dưỡng, và một số trường hợp người cao tuổi khác \
theo Nghị định số 20/2021/NĐ-CP.
Người đơn thân thuộc hộ nghèo, hộ cận nghèo đang nuôi con nhỏ; người nhiễm HIV/AIDS thuộc hộ nghèo không có nguồn \
thu nhập ổn định.
2. Mức trợ cấp
Trợ cấp hằng tháng bằng mức chuẩn 500.000 đồng nhân với hệ số của từng nhóm. Ví dụ: người khuyết tật nặng hệ số \
1,5; người khuyết tật đặc biệt nặng hệ số 2,0; trẻ em hoặc người cao tuổi khuyết tật đặc biệt nặng hệ số 2,5.
Người hưởng trợ cấp được cấp thẻ bảo hiểm y tế miễn phí; khi người hưởng qua đời, gia đình được hỗ trợ chi phí mai \
táng.
Một người thuộc nhiều diện chỉ hưởng một mức trợ cấp cao nhất.
3. Giấy tờ cần chuẩn bị
Tờ khai đề nghị trợ giúp xã hội theo mẫu ban hành kèm Nghị định số 20/2021/NĐ-CP (mỗi nhóm đối tượng có một mẫu \
riêng, lấy tại Ủy ban nhân dân cấp xã hoặc trên Cổng Dịch vụ công).
Giấy xác nhận khuyết tật (với người khuyết tật); giấy xác nhận đang đi học (với người từ 16 đến 22 tuổi); giấy tờ \
khác tùy trường hợp như giấy chứng tử của cha mẹ, nếu thông tin chưa có trong cơ sở dữ liệu.
Thẻ căn cước hoặc căn cước điện tử của người đề nghị để đối chiếu.
4. Nơi nộp và trình tự
Nộp tại Ủy ban nhân dân cấp xã nơi cư trú (Bộ phận một cửa) hoặc nộp trực tuyến.
Bước 1. Công chức phụ trách văn hóa - xã hội kiểm tra, xác minh hồ sơ và niêm yết công khai kết quả xem xét tại \
trụ sở Ủy ban nhân dân cấp xã.
Bước 2. Hết thời gian niêm yết mà không có ý kiến phản ánh, hồ sơ được trình Chủ tịch Ủy ban nhân dân cấp xã quyết \
định (trước ngày 01/7/2025 là cấp huyện).
Bước 3. Trường hợp không đủ điều kiện, Ủy ban nhân dân cấp xã trả lời bằng văn bản và nêu rõ lý do.
5. Thời hạn và lệ phí
Theo Nghị định số 20/2021/NĐ-CP, tổng thời gian xem xét, niêm yết công khai và ra quyết định không quá 17 ngày làm \
việc kể từ khi nhận đủ hồ sơ; thời hạn cụ thể được niêm yết tại Bộ phận một cửa.
Không mất phí, lệ phí.
6. Nhận trợ cấp
Trợ cấp được hưởng từ tháng Chủ tịch Ủy ban nhân dân ký quyết định. Tiền được chi trả hằng tháng qua tài khoản \
ngân hàng, qua bưu điện hoặc tại điểm chi trả của xã theo lịch.
Khi chuyển đến sống ở xã khác, báo Ủy ban nhân dân cấp xã để được tiếp tục chi trả ở nơi mới.
7. Trợ cấp hưu trí xã hội (từ ngày 01/7/2025)
Theo Luật Bảo hiểm xã hội năm 2024, công dân từ đủ 75 tuổi trở lên không hưởng lương hưu hoặc trợ cấp bảo hiểm xã \
hội hằng tháng được hưởng trợ cấp hưu trí xã hội; người từ đủ 70 đến dưới 75 tuổi thuộc hộ nghèo, hộ cận nghèo \
cũng được hưởng nếu đủ điều kiện.
Mức trợ cấp hưu trí xã hội hiện hành là 500.000 đồng/tháng, kèm thẻ bảo hiểm y tế. Hồ sơ nộp tại Ủy ban nhân dân \
cấp xã theo trình tự như trên.
8. Nộp trực tuyến
Trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn), đăng nhập bằng tài khoản VNeID, tìm thủ tục "Thực hiện trợ \
cấp xã hội hằng tháng", điền tờ khai, tải lên giấy tờ và theo dõi tiến độ ngay trên cổng.
"""

LAND_CERTIFICATE = """HƯỚNG DẪN ĐĂNG KÝ, CẤP GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT LẦN ĐẦU
Căn cứ: Luật Đất đai năm 2024 (có hiệu lực từ ngày 01/8/2024), Nghị định số 101/2024/NĐ-CP quy định về điều tra cơ \
bản đất đai, đăng ký, cấp Giấy chứng nhận và Nghị định số 151/2025/NĐ-CP về phân định thẩm quyền của chính quyền \
địa phương hai cấp trong lĩnh vực đất đai.
Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất (thường gọi là sổ đỏ, sổ hồng) là chứng \
thư pháp lý xác nhận quyền của bạn đối với thửa đất và tài sản trên đất.
1. Ai được cấp
Cá nhân, hộ gia đình đang sử dụng đất ổn định, không có tranh chấp và chưa được cấp giấy chứng nhận.
Người có giấy tờ về quyền sử dụng đất, ví dụ giấy tờ do cơ quan có thẩm quyền cấp trước ngày 15/10/1993, giấy tờ \
mua bán, thừa kế, tặng cho có xác nhận, bản án hoặc quyết định giao đất.
Người không có giấy tờ nhưng sử dụng đất ổn định, không vi phạm pháp luật về đất đai, phù hợp quy hoạch và được Ủy \
ban nhân dân cấp xã xác nhận không có tranh chấp.
Một số trường hợp sử dụng đất có vi phạm hoặc được giao đất không đúng thẩm quyền trước ngày 01/7/2014 được xem \
xét cấp theo Luật Đất đai năm 2024.
2. Giấy tờ cần chuẩn bị
Đơn đăng ký đất đai, tài sản gắn liền với đất theo Mẫu số 04/ĐK ban hành kèm Nghị định số 101/2024/NĐ-CP.
Giấy tờ về quyền sử dụng đất (nếu có); giấy tờ về nhà ở, công trình nếu đề nghị chứng nhận cả tài sản trên đất, \
như giấy phép xây dựng.
Chứng từ đã thực hiện nghĩa vụ tài chính, giấy tờ về miễn, giảm nghĩa vụ tài chính (nếu có).
Mảnh trích đo bản đồ địa chính thửa đất ở nơi chưa có bản đồ địa chính; cơ quan đăng ký đất đai hướng dẫn cách đo.
Văn bản ủy quyền nếu người khác nộp thay.
3. Nơi nộp hồ sơ
Bộ phận một cửa (Trung tâm phục vụ hành chính công) cấp xã nơi có đất, hoặc Văn phòng đăng ký đất đai, Chi nhánh \
Văn phòng đăng ký đất đai.
Từ ngày 01/7/2025, Ủy ban nhân dân cấp xã cấp giấy chứng nhận lần đầu cho cá nhân, hộ gia đình (trước đây là Ủy \
ban nhân dân cấp huyện).
4. Trình tự
Bước 1. Nộp hồ sơ và nhận giấy tiếp nhận hồ sơ, hẹn trả kết quả.
Bước 2. Ủy ban nhân dân cấp xã kiểm tra hiện trạng, xác nhận nguồn gốc và thời điểm sử dụng đất, tình trạng tranh \
chấp, sự phù hợp với quy hoạch; niêm yết công khai kết quả kiểm tra tại trụ sở và nơi có đất trong 15 ngày.
Bước 3. Văn phòng đăng ký đất đai kiểm tra hồ sơ, trích lục hoặc trích đo thửa đất, cập nhật cơ sở dữ liệu đất đai \
và chuyển thông tin sang cơ quan thuế.
Bước 4. Bạn nhận thông báo nộp tiền sử dụng đất (nếu có) và lệ phí trước bạ, nộp tiền tại ngân hàng, kho bạc hoặc \
trực tuyến.
Bước 5. Nộp chứng từ (hoặc cơ quan tự tra cứu) và nhận giấy chứng nhận.
5. Lệ phí và nghĩa vụ tài chính
Lệ phí cấp giấy chứng nhận và phí thẩm định hồ sơ: theo mức Hội đồng nhân dân cấp tỉnh quy định.
Lệ phí trước bạ: 0,5% giá trị nhà, đất tính theo bảng giá đất của tỉnh, trừ trường hợp được miễn.
Tiền sử dụng đất: tùy nguồn gốc, thời điểm bắt đầu sử dụng đất và diện tích trong hạn mức; có trường hợp không \
phải nộp, có trường hợp phải nộp một phần hoặc toàn bộ. Cơ quan thuế tính và gửi thông báo cho bạn.
6. Thời hạn giải quyết
Không quá 20 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ, không tính thời gian niêm yết công khai, trích đo địa \
chính, thực hiện nghĩa vụ tài chính và xem xét xử lý vi phạm.
Các xã miền núi, biên giới, hải đảo, vùng có điều kiện kinh tế - xã hội khó khăn được cộng thêm không quá 10 ngày \
làm việc.
7. Nộp trực tuyến
Nhiều tỉnh, thành phố đã nhận hồ sơ đăng ký đất đai trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn) hoặc cổng \
dịch vụ công của tỉnh.
Đăng nhập bằng tài khoản VNeID, tìm thủ tục đăng ký đất đai, tài sản gắn liền với đất, cấp giấy chứng nhận lần \
đầu, tải lên bản quét giấy tờ; bản chính nộp khi nhận kết quả. Nếu địa phương chưa hỗ trợ, nộp trực tiếp tại Bộ \
phận một cửa cấp xã.
8. Lưu ý
Giấy chứng nhận đã cấp theo các mẫu trước đây vẫn có giá trị pháp lý, không bắt buộc đổi sang mẫu mới.
Kiểm tra kỹ tên người sử dụng đất, diện tích, ranh giới thửa đất khi nhận giấy; sai sót được đính chính tại cơ \
quan đã cấp.
"""

GUIDES = (
    Guide("dang-ky-cu-tru", "Đăng ký thường trú, tạm trú",
          "Khi nào phải đăng ký, giấy tờ, nơi nộp tại Công an cấp xã, lệ phí, thời hạn và cách nộp trên VNeID.",
          RESIDENCE),
    Guide("dang-ky-khai-sinh", "Đăng ký khai sinh",
          "Đăng ký trong 60 ngày tại Ủy ban nhân dân cấp xã, miễn lệ phí; liên thông khai sinh, thường trú, "
          "thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi.", BIRTH),
    Guide("cap-the-can-cuoc", "Cấp, cấp đổi, cấp lại thẻ căn cước",
          "Ai phải làm thẻ, các mốc tuổi đổi thẻ, nơi làm, lệ phí, thời hạn 07 ngày làm việc và căn cước "
          "điện tử.", IDENTITY_CARD),
    Guide("tro-cap-xa-hoi-hang-thang", "Trợ cấp xã hội hằng tháng",
          "Đối tượng được hưởng, mức trợ cấp theo mức chuẩn 500.000 đồng, hồ sơ tại Ủy ban nhân dân cấp xã, "
          "trợ cấp hưu trí xã hội từ 01/7/2025.", SOCIAL_ALLOWANCE),
    Guide("cap-giay-chung-nhan-quyen-su-dung-dat", "Cấp giấy chứng nhận quyền sử dụng đất lần đầu",
          "Điều kiện, hồ sơ, nơi nộp từ 01/7/2025, trình tự, lệ phí và nghĩa vụ tài chính, thời hạn giải "
          "quyết theo Luật Đất đai năm 2024.", LAND_CERTIFICATE),
)
