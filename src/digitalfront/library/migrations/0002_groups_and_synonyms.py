"""The two built-in groups and the starting synonym and abbreviation list (both editable)."""

from django.db import migrations

GROUPS = [
    ("dich-vu-cong", "Dịch vụ công", "Hướng dẫn các thủ tục hành chính thường gặp: các bước, giấy tờ, lệ phí, nơi nộp.",
     10),
    ("thu-vien-phap-luat", "Thư viện pháp luật", "Hiến pháp, bộ luật, luật và văn bản hướng dẫn, chia theo chương, "
     "điều, khoản.", 20),
]

SYNONYMS = [
    ("UBND", "Ủy ban nhân dân"),
    ("HĐND", "Hội đồng nhân dân"),
    ("MTTQ", "Mặt trận Tổ quốc"),
    ("CCCD", "căn cước công dân; thẻ căn cước"),
    ("CMND", "chứng minh nhân dân"),
    ("BHXH", "bảo hiểm xã hội"),
    ("BHYT", "bảo hiểm y tế"),
    ("TAND", "Tòa án nhân dân"),
    ("VKSND", "Viện kiểm sát nhân dân"),
    ("TTHC", "thủ tục hành chính"),
    ("QSDĐ", "quyền sử dụng đất"),
    ("sổ đỏ", "giấy chứng nhận quyền sử dụng đất"),
    ("sổ hồng", "giấy chứng nhận quyền sử dụng đất; quyền sở hữu nhà ở"),
    ("BLDS", "Bộ luật dân sự"),
    ("BLHS", "Bộ luật hình sự"),
    ("BLLĐ", "Bộ luật lao động"),
    ("CSDL", "cơ sở dữ liệu"),
    ("DVC", "dịch vụ công"),
    ("GPLX", "giấy phép lái xe"),
    ("THCS", "trung học cơ sở"),
    ("THPT", "trung học phổ thông"),
    ("NLĐ", "người lao động"),
    ("NSDLĐ", "người sử dụng lao động"),
]


def forwards(apps, schema_editor):
    Group = apps.get_model("library", "Group")
    Synonym = apps.get_model("library", "Synonym")
    for slug, name, description, position in GROUPS:
        Group.objects.update_or_create(slug=slug, defaults={"name": name, "description": description,
                                                            "position": position, "builtin": True})
    for term, expansions in SYNONYMS:
        Synonym.objects.get_or_create(term=term, defaults={"expansions": expansions})


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
