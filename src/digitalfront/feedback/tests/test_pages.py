"""Citizens' pages (form, receipt, tracking, rating, reopening) and the staff pages (inbox, case, actions),
with the permission matrix of every staff endpoint."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from PIL import Image

from digitalfront.feedback.models import Attachment, Case, Status
from digitalfront.feedback.services import handling, intake

from .conftest import submission

pytestmark = pytest.mark.django_db


def form_data(fw, **overrides):
    data = {"kind": "feedback", "content": "Đèn đường hỏng cả tháng ở tổ 5, buổi tối rất nguy hiểm.",
            "province": fw.p1.pk, "commune": fw.c11.pk, "level": "commune", "name": "Hoàng Văn Em",
            "phone": "0987654321", "consent_publish": "on"}
    data.update(overrides)
    return data


def jpeg_with_gps() -> io.BytesIO:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    buffer.seek(0)
    buffer.name = "den-duong.jpg"
    return buffer


def test_the_form_sends_a_case_with_a_photo_and_the_receipt_gives_the_private_link(fw):
    client = Client()
    page = client.get("/phan-anh/gui/")
    assert page.status_code == 200 and "Gửi phản ánh" in page.content.decode()
    response = client.post("/phan-anh/gui/", {**form_data(fw), "attachments": [jpeg_with_gps()]})
    assert response.status_code == 302
    case = Case.objects.get()
    attachment = Attachment.objects.get(case=case)
    assert attachment.content_type == "image/jpeg"
    with attachment.file.open("rb") as stored:
        assert not Image.open(stored).getexif()  # GPS and EXIF are gone
    receipt = client.get(response["Location"]).content.decode()
    assert case.code in receipt
    link = re.search(r'id="private-link"[^>]*value="([^"]+)"', receipt) or re.search(
        r'value="(http[^"]+)"', receipt)
    tracking = Client().get(link.group(1).replace("http://testserver", ""))
    assert tracking.status_code == 200 and "Đèn đường hỏng" in tracking.content.decode()
    assert tracking["Referrer-Policy"] == "same-origin"
    # another browser without the secret sees nothing
    assert Client().get(f"/phan-anh/theo-doi/{case.code}/").status_code == 404
    assert Client().get(f"/phan-anh/da-gui/{case.code}/").status_code == 404


def test_the_communes_follow_the_province(fw):
    options = Client().get(f"/phan-anh/gui/xa/?province={fw.p2.pk}").content.decode()
    assert "Xã Bắc Hà" in options and "Ba Đình" not in options


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"content": "ngắn"}, "quá ngắn"),
        ({"commune": "OTHER_PROVINCE"}, "không thuộc tỉnh"),
        ({"kind": "denunciation", "phone": ""}, "cần họ tên"),  # a name alone cannot be contacted
    ],
)
def test_bad_input_is_shown_in_the_form_and_nothing_is_stored(fw, overrides, message):
    if overrides.get("commune") == "OTHER_PROVINCE":
        overrides = {**overrides, "commune": fw.c21.pk}
    response = Client().post("/phan-anh/gui/", form_data(fw, **overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Case.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_with_a_clear_message(fw):
    bogus = io.BytesIO(b"MZ\x90\x00 this is a program")
    bogus.name = "anh.jpg"
    response = Client().post("/phan-anh/gui/", {**form_data(fw), "attachments": [bogus]})
    assert response.status_code == 422 and "anh.jpg" in response.content.decode()
    assert not Case.objects.exists()


def test_too_many_submissions_ask_anonymous_senders_for_the_challenge(fw, settings):
    from digitalfront.core import challenge

    settings.DIGITALFRONT_FEEDBACK_LIMITS = {"ip": 100, "device": 2, "account": 5}
    settings.DIGITALFRONT_CHALLENGE_BITS = 4
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "feedback-limits"}}
    client = Client()
    client.get("/phan-anh/gui/")  # the device cookie
    for _ in range(2):
        assert client.post("/phan-anh/gui/", form_data(fw)).status_code == 302
    refused = client.post("/phan-anh/gui/", form_data(fw))
    assert refused.status_code == 429 and refused["Retry-After"]
    html = refused.content.decode()
    assert "chống gửi tự động" in html and 'name="challenge"' in html
    assert Case.objects.count() == 2
    answer = challenge.solve(challenge.issue(difficulty_bits=4))
    import json

    solved = client.post("/phan-anh/gui/", {**form_data(fw), "challenge": json.dumps(answer)})
    assert solved.status_code == 302 and Case.objects.count() == 3


def _answered_case(fw):
    receipt = intake.submit(submission(fw))
    handling.accept(actor=fw.user("here"), case=receipt.case)
    handling.answer(actor=fw.user("here"), case=receipt.case, text="UBND phường đã thay bóng đèn.")
    return receipt


def test_the_sender_rates_and_reopens_by_the_private_link(fw):
    receipt = _answered_case(fw)
    url = f"/phan-anh/theo-doi/{receipt.code}/"
    page = Client().get(f"{url}?k={receipt.token}").content.decode()
    assert "UBND phường đã thay bóng đèn" in page and "hài lòng" in page
    Client().post(f"{url}danh-gia/", {"k": receipt.token, "satisfaction": "5"})
    assert Case.objects.get(pk=receipt.case.pk).satisfaction == 5
    # without the secret nothing happens
    Client().post(f"{url}mo-lai/", {"k": "sai", "reason": "Đèn lại hỏng sau hai ngày."})
    assert Case.objects.get(pk=receipt.case.pk).status == Status.ANSWERED
    Client().post(f"{url}mo-lai/", {"k": receipt.token, "reason": "Đèn lại hỏng sau hai ngày."})
    assert Case.objects.get(pk=receipt.case.pk).status == Status.IN_PROGRESS


def test_lookup_by_code_and_secret(fw):
    receipt = intake.submit(submission(fw))
    found = Client().get("/phan-anh/tra-cuu/", {"ma": receipt.code.lower(), "k": receipt.token})
    assert found.status_code == 302
    wrong = Client().get("/phan-anh/tra-cuu/", {"ma": receipt.code, "k": "khong-dung"})
    assert wrong.status_code == 404 and "Không tìm thấy" in wrong.content.decode()


def test_a_signed_in_citizen_sees_their_history(fw, client_for):
    citizen = fw.user("citizen")
    client = client_for("citizen")
    assert client.post("/phan-anh/gui/", form_data(fw)).status_code == 302
    other = intake.submit(submission(fw, content="Phản ánh của một người khác, không phải của tôi."))
    page = client.get("/phan-anh/cua-toi/").content.decode()
    mine = Case.objects.get(citizen=citizen)
    assert mine.code in page and other.code not in page
    assert client.get(f"/phan-anh/theo-doi/{mine.code}/").status_code == 200  # no secret needed
    assert client.get(f"/phan-anh/theo-doi/{other.code}/").status_code == 404


# --- staff pages -------------------------------------------------------------------------------------

STAFF_VIEW = {"anonymous": 302, "citizen": 404, "elsewhere": 404, "here": 200, "above": 200, "admin": 200}
STAFF_ACT = {"anonymous": 302, "citizen": 404, "elsewhere": 404, "here": 302, "above": 404, "admin": 302}


def test_inbox_permission_matrix(fw, client_for, who):
    case = intake.submit(submission(fw)).case
    response = client_for(who).get("/xu-ly/")
    if who in ("here", "above", "admin"):
        assert response.status_code == 200 and case.code in response.content.decode()
    elif who == "elsewhere":
        assert case.code not in response.content.decode()
    elif who == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 404


def test_case_page_permission_matrix(fw, client_for, who):
    case = intake.submit(submission(fw)).case
    assert client_for(who).get(f"/xu-ly/{case.code}/").status_code == STAFF_VIEW[who]


def test_the_case_page_links_the_map_point_to_a_web_map(fw, client_for, settings):
    case = intake.submit(submission(fw, latitude="21.0285", longitude="105.8048")).case
    html = client_for("here").get(f"/xu-ly/{case.code}/").content.decode()
    assert 'href="geo:21.028500,105.804800">21.028500, 105.804800</a>' in html  # not "21,028500" (Vietnamese)
    assert "https://www.openstreetmap.org/?mlat=21.028500&amp;mlon=105.804800#map=17/21.028500/105.804800" in html
    assert 'rel="noopener noreferrer"' in html and "Xem trên bản đồ" in html
    settings.DIGITALFRONT_MAP_LINK = ""  # a deployment without a web map: the coordinates only
    assert "Xem trên bản đồ" not in client_for("here").get(f"/xu-ly/{case.code}/").content.decode()
    plain = intake.submit(submission(fw)).case  # no point: no link
    settings.DIGITALFRONT_MAP_LINK = "https://maps.example.vn/?q={lat},{lon}"
    assert "Xem trên bản đồ" not in client_for("here").get(f"/xu-ly/{plain.code}/").content.decode()
    page = client_for("here").get(f"/xu-ly/{case.code}/").content.decode()
    assert "https://maps.example.vn/?q=21.028500,105.804800" in page


def test_case_action_permission_matrix(fw, client_for, who):
    case = intake.submit(submission(fw)).case
    response = client_for(who).post(f"/xu-ly/{case.code}/accept/")
    assert response.status_code == STAFF_ACT[who]
    accepted = Case.objects.get(pk=case.pk).status == Status.ACCEPTED
    assert accepted == (who in ("here", "admin"))


def test_a_refused_action_changes_nothing_and_says_why(fw, client_for):
    case = intake.submit(submission(fw)).case
    client = client_for("here")
    response = client.post(f"/xu-ly/{case.code}/answer/", {"answer": "Trả lời khi chưa thụ lý"}, follow=True)
    assert "Không thể trả lời" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.RECEIVED
    assert client.post(f"/xu-ly/{case.code}/khong-co/").status_code == 404


def test_the_whole_handling_through_the_pages(fw, client_for):
    case = intake.submit(submission(fw, consent_publish=True)).case
    client = client_for("here")
    client.post(f"/xu-ly/{case.code}/accept/")
    client.post(f"/xu-ly/{case.code}/forward/", {"authority": fw.authority.pk, "note": "Đề nghị xử lý"})
    client.post(f"/xu-ly/{case.code}/classify/", {"topic": "moi-truong", "urgency": "high", "sentiment": "negative"})
    client.post(f"/xu-ly/{case.code}/answer/", {"answer": "Đã thu gom rác, cảm ơn bạn."})
    client.post(f"/xu-ly/{case.code}/publish/", {"public_title": "Rác ùn ứ", "public_content": "Rác ùn ứ ở ngõ."})
    case.refresh_from_db()
    assert case.status == Status.ANSWERED and case.published and case.topic.code == "moi-truong"
    page = client.get(f"/xu-ly/{case.code}/").content.decode()
    assert "Thụ lý" in page and "Chuyển cơ quan có thẩm quyền" in page and "Công khai" in page


def test_bulk_accept_only_touches_cases_in_scope(fw, client_for):
    mine = intake.submit(submission(fw)).case
    theirs = intake.submit(submission(fw, province=fw.p2.pk, commune=fw.c21.pk)).case
    client_for("here").post("/xu-ly/hang-loat/", {"action": "accept", "case": [mine.code, theirs.code]})
    assert Case.objects.get(pk=mine.pk).status == Status.ACCEPTED
    assert Case.objects.get(pk=theirs.pk).status == Status.RECEIVED


def test_inbox_filters_and_query_count(fw, client_for, django_assert_max_num_queries):
    for n in range(12):
        intake.submit(submission(fw, content=f"Phản ánh số {n} về đèn đường hỏng ở tổ dân phố."))
    complaint = intake.submit(submission(fw, kind="complaint", content="Khiếu nại quyết định thu hồi đất.")).case
    client = client_for("here")
    page = client.get("/xu-ly/", {"loai": "complaint"}).content.decode()
    assert complaint.code in page and page.count("list-item deadline") == 1
    bad = client.get("/xu-ly/", {"loai": "khong-co", "han": "sai"}).content.decode()
    assert "Bỏ qua bộ lọc không hợp lệ" in bad
    with django_assert_max_num_queries(30):
        assert client.get("/xu-ly/").status_code == 200


def test_authority_accounts_see_only_what_was_forwarded_to_them(fw, client_for):
    forwarded = intake.submit(submission(fw)).case
    other = intake.submit(submission(fw)).case
    handling.accept(actor=fw.user("here"), case=forwarded)
    forwarding = handling.forward(actor=fw.user("here"), case=forwarded, authority=fw.authority)
    client = Client()
    from digitalfront.core.testing import sign_in

    sign_in(client, fw.user("authority"))
    page = client.get("/xu-ly/co-quan/").content.decode()
    assert forwarded.code in page and other.code not in page
    assert client.get(f"/xu-ly/{forwarded.code}/").status_code == 404  # the Front's case page is not theirs
    assert client.get("/xu-ly/").status_code == 302  # the inbox sends them to their own list
    client.post(f"/xu-ly/co-quan/{forwarding.pk}/", {"answer": "Đã xử lý theo thẩm quyền."})
    forwarding.refresh_from_db()
    assert forwarding.answer == "Đã xử lý theo thẩm quyền." and forwarding.answered_by == fw.user("authority")
    assert client_for("here").get(f"/xu-ly/co-quan/{forwarding.pk}/").status_code == 404
