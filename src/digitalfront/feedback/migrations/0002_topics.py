"""The topic taxonomy exists after a bare ``migrate`` (it is listed as the Open311 services)."""

from django.db import migrations

TOPICS = [
    ("dat-dai", "Đất đai", "Giấy chứng nhận, tranh chấp, lấn chiếm, thu hồi, bồi thường, quy hoạch",
     "đất, sổ đỏ, sổ hồng, quyền sử dụng đất, lấn chiếm, giải phóng mặt bằng, thu hồi đất, bồi thường, "
     "tái định cư, tranh chấp đất, quy hoạch, ranh giới, thửa đất"),
    ("moi-truong", "Môi trường", "Rác thải, nước thải, khói bụi, tiếng ồn, ô nhiễm",
     "rác, rác thải, ô nhiễm, nước thải, khói, bụi, tiếng ồn, mùi hôi, xả thải, hôi thối, kênh, mương, "
     "cây xanh, chặt cây, đốt rác"),
    ("ha-tang", "Hạ tầng, giao thông", "Đường sá, cầu cống, điện, nước sạch, chiếu sáng",
     "đường, cầu, cống, đèn đường, ổ gà, ngập, ngập úng, mất điện, điện, nước sạch, xây dựng, vỉa hè, "
     "giao thông, xuống cấp, sạt lở, thoát nước"),
    ("an-sinh", "An sinh xã hội", "Trợ cấp, hộ nghèo, người có công, bảo hiểm xã hội, việc làm",
     "trợ cấp, hộ nghèo, cận nghèo, bảo hiểm xã hội, người có công, chính sách, hỗ trợ, lương hưu, "
     "người cao tuổi, khuyết tật, việc làm, thất nghiệp, nhà đại đoàn kết"),
    ("y-te", "Y tế", "Khám chữa bệnh, bảo hiểm y tế, dịch bệnh, an toàn thực phẩm",
     "bệnh viện, trạm y tế, bảo hiểm y tế, khám bệnh, chữa bệnh, thuốc, dịch bệnh, tiêm chủng, "
     "an toàn thực phẩm, bác sĩ, y tá"),
    ("giao-duc", "Giáo dục", "Trường lớp, học phí, giáo viên, học sinh",
     "trường, học sinh, giáo viên, học phí, lớp học, sách giáo khoa, dạy thêm, mầm non, tuyển sinh, "
     "giảng viên, sinh viên"),
    ("an-ninh-trat-tu", "An ninh, trật tự", "Trộm cắp, tệ nạn, gây rối, an toàn giao thông",
     "trộm, cắp, cướp, đánh nhau, ma túy, cờ bạc, tụ tập, đua xe, mất trật tự, gây rối, karaoke, "
     "lừa đảo, tín dụng đen, bạo lực"),
    ("tham-nhung-tieu-cuc", "Tham nhũng, tiêu cực", "Hối lộ, nhũng nhiễu, lợi dụng chức vụ",
     "tham nhũng, hối lộ, nhũng nhiễu, tiêu cực, lợi dụng chức vụ, phong bì, bôi trơn, vòi vĩnh, "
     "sai phạm, lãng phí, cán bộ"),
    ("thu-tuc-hanh-chinh", "Thủ tục hành chính", "Hồ sơ, giấy tờ, một cửa, cấp phép",
     "thủ tục, hồ sơ, giấy tờ, một cửa, chứng thực, đăng ký, cấp phép, chậm trễ, hẹn, căn cước, "
     "hộ tịch, khai sinh, cư trú"),
    ("khac", "Khác", "Những nội dung khác", ""),
]


def create_topics(apps, schema_editor):
    Topic = apps.get_model("feedback", "Topic")
    for order, (code, name, description, keywords) in enumerate(TOPICS, start=1):
        Topic.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "keywords": keywords, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(create_topics, migrations.RunPython.noop)]
