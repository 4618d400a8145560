"""A denouncer's identity never leaves the module except through the audited reveal: not in the database
in clear, not in staff pages, the API, exports, public pages, Open311, notifications to others, the
audit log or the logs. The test looks everywhere it can."""

from __future__ import annotations

import io
import logging

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from openpyxl import load_workbook

from digitalfront.core import notifications
from digitalfront.feedback import apikeys
from digitalfront.feedback.models import Case
from digitalfront.feedback.services import handling, intake, review
from digitalfront.feedback.tasks import notify_citizen

from .conftest import submission

pytestmark = pytest.mark.django_db

NAME = "Quách Thị Bímật"
PHONE = "0933222111"
EMAIL = "bimat.quach@example.vn"
ADDRESS = "Số 99 ngõ Kín, phường Ba Đình"
SECRETS = (NAME, PHONE, EMAIL, ADDRESS, "Bímật", "bimat.quach")


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret.lower() in text.lower()]


def all_rows_text() -> str:
    """Every column of every table of the project's models, as text."""
    parts = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            cursor.execute(f'SELECT * FROM "{model._meta.db_table}"')
            parts.extend(" ".join(str(v) for v in row) for row in cursor.fetchall())
    return "\n".join(parts)


def test_the_denouncer_is_nowhere_but_behind_the_reveal(fw, client_for, caplog, outboxes):
    caplog.set_level(logging.DEBUG)
    with caplog.at_level(logging.DEBUG):
        receipt = intake.submit(submission(fw, kind="denunciation", name=NAME, phone=PHONE, email=EMAIL,
                                           sender_address=ADDRESS, consent_publish=True, show_name=True))
        case = receipt.case
        staff = fw.user("here")
        handling.accept(actor=staff, case=case)
        handling.forward(actor=staff, case=case, authority=fw.authority, note="Đề nghị xác minh")
        handling.answer(actor=staff, case=case, text="Đã có kết luận nội dung tố cáo.")
        notify_citizen.call(case.pk, "answered")  # to the denouncer themself: allowed
        # the database holds nothing in clear
        assert leaks(all_rows_text()) == []
        # staff pages, the inbox, the API, the export, the audit log
        for who in ("here", "above", "admin"):
            client = client_for(who)
            urls = ["/xu-ly/?trang_thai=all", f"/xu-ly/{case.code}/", f"/api/v1/feedback/cases/{case.code}",
                    "/api/v1/feedback/cases?status=all", "/xu-ly/bao-cao/bieu-do/"]
            if who == "admin":
                urls.append("/nhat-ky/")
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, url
                assert leaks(response.content.decode()) == [], (who, url)
            export = client.get("/xu-ly/bao-cao/xuat-excel/?trang_thai=all")
            assert export.status_code == 200
            workbook = load_workbook(io.BytesIO(export.content))
            cells = " ".join(str(c.value) for ws in workbook for row in ws.iter_rows() for c in row)
            assert case.code in cells and leaks(cells) == []
        # the authority the case was forwarded to
        authority = Client()
        from digitalfront.core.testing import sign_in

        sign_in(authority, fw.user("authority"))
        page = authority.get(f"/xu-ly/co-quan/{case.forwardings.get().pk}/")
        assert page.status_code == 200 and leaks(page.content.decode()) == []
        # public pages and Open311 never show a denunciation
        with pytest.raises(Exception):  # noqa: B017, PT011 - publishing a denunciation is refused
            review.publish(actor=staff, case=case, title="x", content="y")
        assert Client().get(f"/phan-anh/cong-khai/{case.code}/").status_code == 404
        assert leaks(Client().get("/phan-anh/").content.decode()) == []
        key = apikeys.create(name="Kiểm thử").key
        for url in (f"/open311/v2/requests/{case.code}.json", "/open311/v2/requests.json",
                    f"/open311/v2/tokens/{case.intake_token}.json"):
            assert leaks(Client().get(url, {"api_key": key}).content.decode()) == [], url
    # the tracking page of the denouncer shows their own case, not their identity either
    tracking = Client().get(f"/phan-anh/theo-doi/{case.code}/", {"k": receipt.token}).content.decode()
    assert leaks(tracking) == []
    # notifications went to the denouncer only, and carry no identity in their text
    assert [sms.to for sms in notifications.outbox] == [PHONE]
    assert leaks(notifications.outbox[0].body) == []
    # nothing was logged about them
    assert leaks("\n".join(record.getMessage() for record in caplog.records)) == []
    # the audited reveal is the one way, for the named role
    officer = client_for("admin")
    from digitalfront.core.testing import sign_in as sign

    sign(officer, fw.user("identity_officer"))
    revealed = officer.post(f"/xu-ly/{case.code}/xem-danh-tinh/", {"reason": "Cần liên hệ để bổ sung chứng cứ"})
    assert revealed.status_code == 200 and NAME in revealed.content.decode()
    assert revealed["Cache-Control"] == "no-store"
    denied = client_for("admin").post(f"/xu-ly/{case.code}/xem-danh-tinh/", {"reason": "Tò mò muốn biết là ai"})
    assert denied.status_code == 403 and NAME not in denied.content.decode()
    assert Case.objects.get(pk=case.pk).events.filter(action="reveal_identity").count() == 1
