"""Staff corrections become a model (``feedback retrain``); identity keys rotate (``feedback rotate-keys``)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from digitalfront.feedback import classification
from digitalfront.feedback.identity import unseal
from digitalfront.feedback.models import Case, Topic, TrainingLabel
from digitalfront.feedback.services import intake, review

from .conftest import submission

pytestmark = pytest.mark.django_db

ROADS = ["Đường liên thôn {n} bị sụt lún, xe máy đi lại rất khó khăn", "Cầu tạm ở xóm {n} xuống cấp nguy hiểm",
         "Ổ gà lớn trên đường số {n} chưa được sửa chữa"]
SCHOOLS = ["Trường tiểu học số {n} thu thêm nhiều khoản ngoài quy định", "Lớp học {n} thiếu bàn ghế cho học sinh",
           "Giáo viên trường {n} dạy thêm bắt buộc học sinh đóng tiền"]


def test_retrain_learns_from_staff_labels_and_the_model_is_used(fw, settings, tmp_path):
    settings.DIGITALFRONT_MODELS_DIR = tmp_path
    road, school = Topic.objects.get(code="ha-tang"), Topic.objects.get(code="giao-duc")
    for n in range(20):
        for templates, topic in ((ROADS, road), (SCHOOLS, school)):
            case = intake.submit(submission(fw, content=templates[n % 3].format(n=n) + " đề nghị xem xét.")).case
            review.classify(actor=fw.user("here"), case=case, topic=topic, urgency="normal",
                            sentiment="negative" if n % 2 else "neutral")
    assert TrainingLabel.objects.filter(field="topic").count() == 40
    out = StringIO()
    call_command("feedback", "retrain", "--no-embeddings", stdout=out, stderr=StringIO())
    report = json.loads(out.getvalue().strip().splitlines()[-1])
    assert report["topic"]["skipped"] is False and report["topic"]["labels"] == 40
    assert report["urgency"]["skipped"] is True  # a single class cannot be learnt
    assert (tmp_path / "feedback-topic.joblib").exists()
    [suggestion] = classification.suggest(["Đường vào xóm 7 bị sụt lún nặng, xe không đi được"])
    assert suggestion["topic"]["source"] == "model" and suggestion["topic"]["label"] == "ha-tang"
    assert 0 <= suggestion["topic"]["confidence"] <= 1
    [suggestion] = classification.suggest(["Truong hoc thu them nhieu khoan ngoai quy dinh"])  # no diacritics
    assert suggestion["topic"]["label"] == "giao-duc"


def test_without_a_model_the_keyword_rules_suggest(fw, settings, tmp_path):
    settings.DIGITALFRONT_MODELS_DIR = tmp_path
    [suggestion] = classification.suggest(["Khói bụi và nước thải từ xưởng gây ô nhiễm, mùi hôi thối khắp xóm"])
    assert suggestion["topic"] == {"label": "moi-truong", "confidence": suggestion["topic"]["confidence"],
                                   "source": "rules"}
    assert suggestion["sentiment"]["label"] == "negative"
    [urgent] = classification.suggest(["Sạt lở đất đe dọa tính mạng nhiều hộ dân, cần xử lý khẩn cấp"])
    assert urgent["urgency"]["label"] == "urgent"


def test_rotate_keys_reseals_every_identity(fw, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.DIGITALFRONT_IDENTITY_KEYS = old
    case = intake.submit(submission(fw, name="Phạm Thị Dung")).case
    settings.DIGITALFRONT_IDENTITY_KEYS = f"{new},{old}"
    call_command("feedback", "rotate-keys", stdout=StringIO(), stderr=StringIO())
    settings.DIGITALFRONT_IDENTITY_KEYS = new  # the old key is gone
    case = Case.objects.get(pk=case.pk)
    assert unseal(case.identity_sealed).name == "Phạm Thị Dung"
    settings.DIGITALFRONT_IDENTITY_KEYS = old
    assert unseal(case.identity_sealed).name == ""  # no longer readable with the old key alone
