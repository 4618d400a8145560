"""Oversized and malformed requests get a Vietnamese answer with a fitting status, and change nothing."""

import json

from django.urls import reverse

from digitalfront.orgs.models import Report

BIG = "x" * 3_000_000  # over DATA_UPLOAD_MAX_MEMORY_SIZE (2 MB)


def test_oversized_api_body_is_413_in_vietnamese(world, client_for):
    body = json.dumps({"unit_id": world.c11.pk, "org_type": "mttq", "period_id": world.period.pk,
                       "members": 1, "activities": BIG})
    response = client_for("here").put("/api/v1/reports/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["detail"] == "Nội dung gửi lên quá lớn (tối đa 2 MB)."
    assert not Report.objects.exists()


def test_oversized_form_is_413_page_in_vietnamese(world, client_for):
    url = reverse("orgs:report", args=[world.c11.pk, world.period.pk, "mttq"])
    response = client_for("here").post(url, {"members": "1", "activities": BIG, "action": "save"})
    assert response.status_code == 413
    assert "Nội dung gửi lên quá lớn" in response.text
    assert not Report.objects.exists()


def test_unknown_page_is_a_vietnamese_404(client_for):
    response = client_for("anonymous").get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.text


def test_form_in_the_wrong_encoding_is_refused(world, client_for):
    url = reverse("orgs:report", args=[world.c11.pk, world.period.pk, "mttq"])
    body = b"members=1&activities=H%E0+N%F4i&action=save"  # Latin-1 bytes, not UTF-8
    response = client_for("here").post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 422
    assert "sai bảng mã" in response.text
    assert not Report.objects.exists()
