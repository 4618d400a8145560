"""The public pages: the list of answered cases (search, filters, what is never shown), one public case and
"report abuse", and the statistics per province and commune."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from digitalfront.feedback import selectors_public as sel
from digitalfront.feedback.models import AbuseReport, Case, Topic
from digitalfront.feedback.services import citizen, handling, intake, review

from .conftest import submission

pytestmark = pytest.mark.django_db

LIST = "/phan-anh/"
STATS = "/phan-anh/thong-ke/"
SECRET_CONTENT = "Nhà ông Nguyễn Văn Mật số 15 ngõ 12, số điện thoại 0912345678, đổ rác ra đường."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # report limits per address live in the cache; every test starts from zero
    yield
    cache.clear()


def answered(fw, *, content: str = SECRET_CONTENT, answer: str = "UBND phường đã thu gom rác.", **overrides):
    """A case sent with consent to publish, accepted and answered by Ba Đình staff."""
    overrides.setdefault("consent_publish", True)
    case = intake.submit(submission(fw, content=content, **overrides)).case
    handling.accept(actor=fw.user("here"), case=case)
    return handling.answer(actor=fw.user("here"), case=case, text=answer)


def published(fw, title: str, public_content: str, **overrides) -> Case:
    case = answered(fw, **overrides)
    review.publish(actor=fw.user("here"), case=case, title=title, content=public_content)
    case.refresh_from_db()
    return case


def codes(response) -> set[str]:
    return set(re.findall(r"/phan-anh/cong-khai/(PA-[^/]+)/", response.content.decode()))


# The list -------------------------------------------------------------------------------------------


def test_search_is_diacritic_insensitive_and_finds_only_published_cases(fw, client):
    pollution = published(
        fw, "Ô nhiễm khói bụi ở khu công nghiệp", "Khói bụi từ nhà máy gây ô nhiễm không khí cho khu dân cư."
    )
    road = published(fw, "Đường Láng ngập sâu", "Mưa lớn làm đường Láng ngập nửa mét, xe chết máy.")
    hidden_twin = answered(fw, content="Ô nhiễm khói bụi rất nặng ở khu công nghiệp, không ai xử lý.")
    assert not hidden_twin.published
    for query in ("o nhiem", "Ô NHIỄM", "ô nhiễm khói", "khoi bui"):
        found = codes(client.get(LIST, {"q": query}))
        assert found == {pollution.code}, query
    for query in ("duong lang", "Đường láng", "DUONG"):
        assert codes(client.get(LIST, {"q": query})) == {road.code}, query
    # every word must match: "ngap" is only in the road case
    assert codes(client.get(LIST, {"q": "o nhiem ngap"})) == set()
    # the answer is searchable too (it is public)
    assert codes(client.get(LIST, {"q": "thu gom"})) == {pollution.code, road.code}


def test_bad_queries_get_a_vietnamese_message_not_an_error_page(fw, client):
    case = published(fw, "Rác ở ngõ 12", "Rác ùn ứ ở một ngõ.")
    too_long = client.get(LIST, {"q": "a" * 201})
    assert too_long.status_code == 200 and "dài quá 200 ký tự" in too_long.content.decode()
    control = client.get(LIST, {"q": "rác\x00\x07"})
    assert control.status_code == 200 and "ký tự không hợp lệ" in control.content.decode()
    assert codes(control) == {case.code}  # the search is dropped, the list still shows


def test_filters_narrow_the_list_and_invalid_values_are_ignored_with_a_notice(fw, client):
    environment = Topic.objects.get(code="moi-truong")
    ba_dinh = published(fw, "Rác ở Ba Đình", "Rác ùn ứ.")
    Case.objects.filter(pk=ba_dinh.pk).update(topic=environment)
    duong_lam = published(fw, "Đèn đường ở Đường Lâm", "Đèn đường hỏng.", commune=fw.c12.pk)
    bac_ha = published(fw, "Cầu ở Bắc Hà", "Cầu hỏng.", province=fw.p2.pk, commune=fw.c21.pk)
    closed = published(fw, "Nước sạch ở Ba Đình", "Mất nước.")
    handling.close(actor=fw.user("here"), case=closed)

    assert codes(client.get(LIST)) == {ba_dinh.code, duong_lam.code, bac_ha.code, closed.code}
    assert codes(client.get(LIST, {"tinh": fw.p2.pk})) == {bac_ha.code}
    assert codes(client.get(LIST, {"tinh": fw.p1.pk, "xa": fw.c12.pk})) == {duong_lam.code}
    assert codes(client.get(LIST, {"linh_vuc": "moi-truong"})) == {ba_dinh.code}
    assert codes(client.get(LIST, {"trang_thai": "closed"})) == {closed.code}
    assert codes(client.get(LIST, {"trang_thai": "answered", "tinh": fw.p1.pk})) == {ba_dinh.code, duong_lam.code}
    # the commune select lists the chosen province's communes only
    page = client.get(LIST, {"tinh": fw.p1.pk}).content.decode()
    assert "Phường Ba Đình" in page and "Xã Đường Lâm" in page and "Xã Bắc Hà</option>" not in page
    # htmx asks for the commune select alone
    fragment = client.get(LIST, {"tinh": fw.p2.pk}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="chon-xa")
    assert fragment.status_code == 200 and "Xã Bắc Hà" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()

    everything = {ba_dinh.code, duong_lam.code, bac_ha.code, closed.code}
    for params, notice in [
        ({"tinh": "abc"}, "Tỉnh, thành phố đã chọn không tồn tại"),
        ({"tinh": fw.c11.pk}, "Tỉnh, thành phố đã chọn không tồn tại"),  # a commune is not a province
        ({"xa": "999999"}, "Xã, phường đã chọn không tồn tại"),
        ({"linh_vuc": "khong-co"}, "Lĩnh vực đã chọn không tồn tại"),
        ({"trang_thai": "received"}, "Trạng thái đã chọn không hợp lệ"),
        ({"trang": "x"}, ""),
    ]:
        response = client.get(LIST, params)
        assert response.status_code == 200, params
        assert notice in response.content.decode()
        assert codes(response) == everything, params
    # a commune of another province is ignored, the province filter stays
    response = client.get(LIST, {"tinh": fw.p1.pk, "xa": fw.c21.pk})
    assert "không thuộc tỉnh" in response.content.decode()
    assert codes(response) == {ba_dinh.code, duong_lam.code, closed.code}


def test_the_list_never_shows_the_original_content_nor_a_name_the_sender_kept_private(fw, client):
    private = published(fw, "Rác ở ngõ 12", "Rác ùn ứ ở một ngõ trong phường.", show_name=False, name="Trần Thị Bình")
    named = published(fw, "Đèn đường hỏng", "Đèn đường hỏng ở phố Đội Cấn.", show_name=True, name="Lê Văn Công")
    Case.objects.filter(pk=named.pk).update(supporters=3)
    page = client.get(LIST).content.decode()
    assert codes(client.get(LIST)) == {private.code, named.code}
    assert "Nguyễn Văn Mật" not in page and "0912345678" not in page and SECRET_CONTENT not in page
    assert "Trần Thị Bình" not in page and "Người dân" in page
    assert "Lê Văn Công" in page and "3 người cùng phản ánh" in page
    assert "1 người cùng phản ánh" not in page
    detail = client.get(reverse("feedback_public:case", args=[private.code])).content.decode()
    assert "Rác ùn ứ ở một ngõ trong phường." in detail and "UBND phường đã thu gom rác." in detail
    assert "Nguyễn Văn Mật" not in detail and "Trần Thị Bình" not in detail and "binh@example.vn" not in detail


def test_list_is_newest_answer_first_paginated_and_in_a_constant_number_of_queries(
    fw, client, django_assert_max_num_queries
):
    cases = [published(fw, f"Phản ánh số {i}", f"Nội dung công khai số {i}.") for i in range(3)]
    now = timezone.now()
    for i, case in enumerate(cases):
        Case.objects.filter(pk=case.pk).update(answered_at=now - dt.timedelta(days=i))
    body = client.get(LIST).content.decode()
    assert body.index(cases[0].code) < body.index(cases[1].code) < body.index(cases[2].code)

    with django_assert_max_num_queries(12) as few:
        assert client.get(LIST, {"tinh": fw.p1.pk}).status_code == 200
    template = Case.objects.get(pk=cases[0].pk)
    for i in range(22):  # more than a page, on other communes and topics
        template.pk, template.id = None, None
        template.code, template.intake_token = f"PA-X{i:07d}", uuid.uuid4()
        template.commune = (fw.c11, fw.c12)[i % 2]
        template.topic = Topic.objects.all()[i % 3]
        template.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST, {"tinh": fw.p1.pk})
    assert len(codes(response)) == sel.PAGE_SIZE
    assert "Trang 1/2" in response.content.decode()
    assert len(codes(client.get(LIST, {"tinh": fw.p1.pk, "trang": 2}))) == 25 - sel.PAGE_SIZE


def test_anonymous_visitors_see_every_public_page(fw, client_for):
    case = published(fw, "Rác ở ngõ 12", "Rác ùn ứ.")
    anonymous = client_for("anonymous")
    page = reverse("feedback_public:case", args=[case.code])
    for url in (LIST, page, STATS, f"{STATS}?tinh={fw.p1.pk}"):
        assert anonymous.get(url).status_code == 200, url
    assert "Báo cáo vi phạm" in anonymous.get(page).content.decode()


# One case ------------------------------------------------------------------------------------------


def test_the_case_page_is_a_404_for_anything_not_public(fw, client):
    unpublished = answered(fw)
    hidden = published(fw, "Rác", "Rác ùn ứ.")
    Case.objects.filter(pk=hidden.pk).update(hidden=True, hidden_reason="abuse")
    denunciation = published(fw, "Tố cáo", "Nội dung tố cáo.", kind="complaint")
    Case.objects.filter(pk=denunciation.pk).update(kind="denunciation")  # as if published before the rule
    open_case = intake.submit(submission(fw, consent_publish=True)).case
    Case.objects.filter(pk=open_case.pk).update(published=True, public_title="x", public_content="y")
    for code in (unpublished.code, hidden.code, denunciation.code, open_case.code, "PA-KHONGCO", "x" * 40):
        response = client.get(f"/phan-anh/cong-khai/{code}/")
        assert response.status_code == 404, code
        assert "Không tìm thấy" in response.content.decode()
        assert client.post(f"/phan-anh/cong-khai/{code}/bao-vi-pham/").status_code == 404
    assert codes(client.get(LIST)) == set()


def test_the_case_page_shows_the_public_facts_and_the_rating(fw, client):
    case = published(fw, "Rác ở ngõ 12", "Rác ùn ứ ở một ngõ.")
    citizen.rate(case=case, score=4)
    body = client.get(reverse("feedback_public:case", args=[case.code])).content.decode()
    assert (
        "Phường Ba Đình" in body and "4/5" in body and timezone.localtime(case.answered_at).strftime("%d/%m/%Y") in body
    )
    assert 'name="csrfmiddlewaretoken"' in body and "/bao-vi-pham/" in body


# Report abuse --------------------------------------------------------------------------------------


def test_three_distinct_reporters_hide_a_case_and_one_reporter_counts_once(fw):
    case = published(fw, "Rác ở ngõ 12", "Rác ùn ứ.")
    url = reverse("feedback_public:report_abuse", args=[case.code])
    page = reverse("feedback_public:case", args=[case.code])
    first = Client()
    response = first.post(url, {"ly_do": "Lộ thông tin cá nhân"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302 and response["Location"] == page
    cookie = response.cookies["df_device"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and int(cookie["max-age"]) >= 2 * 365 * 86400 - 1
    again = first.post(url, {"ly_do": "Lần nữa"}, REMOTE_ADDR="10.0.0.1", follow=True)
    assert "đã báo cáo phản ánh này" in again.content.decode()
    assert "df_device" not in again.redirect_chain and AbuseReport.objects.filter(case=case).count() == 1
    case.refresh_from_db()
    assert case.abuse_reports == 1 and not case.hidden

    second = Client()
    assert second.post(url, REMOTE_ADDR="10.0.0.2").status_code == 302
    case.refresh_from_db()
    assert case.abuse_reports == 2 and not case.hidden
    third = Client()
    response = third.post(url, REMOTE_ADDR="10.0.0.3", follow=True)
    assert response.redirect_chain[-1][0] == LIST and "tạm ẩn" in response.content.decode()
    case.refresh_from_db()
    assert case.hidden and case.hidden_reason == "abuse"
    assert Client().get(page).status_code == 404
    assert case.code not in Client().get(LIST).content.decode()


def test_signed_in_reporters_count_by_account_and_long_reasons_are_refused(fw, client_for):
    case = published(fw, "Rác ở ngõ 12", "Rác ùn ứ.")
    url = reverse("feedback_public:report_abuse", args=[case.code])
    user = client_for("citizen")
    long_reason = user.post(url, {"ly_do": "x" * 301}, follow=True)
    assert "dài quá 300 ký tự" in long_reason.content.decode()
    assert not AbuseReport.objects.exists()
    assert user.post(url, REMOTE_ADDR="10.0.0.1").status_code == 302
    assert user.post(url, REMOTE_ADDR="10.9.9.9").status_code == 302  # another address, the same account
    assert AbuseReport.objects.filter(case=case).count() == 1
    assert client_for("here").get(url).status_code == 405  # POST only


def test_reporting_needs_the_csrf_token(fw):
    case = published(fw, "Rác ở ngõ 12", "Rác ùn ứ.")
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("feedback_public:report_abuse", args=[case.code])).status_code == 403
    assert not AbuseReport.objects.exists()


# Statistics ----------------------------------------------------------------------------------------


def cells(body: str, row_label: str) -> list[str]:
    """The numbers of the statistics table's row headed ``row_label``."""
    match = re.search(re.escape(row_label) + r"</th>(.*?)</tr>", body, re.S)
    assert match is not None, row_label
    return re.findall(r'class="num">([^<]*)<', match.group(1))


def _set(case: Case, **fields) -> None:
    Case.objects.filter(pk=case.pk).update(**fields)


def test_statistics_of_a_small_known_set_are_exact(fw, client):
    now = timezone.now()
    received = now - dt.timedelta(days=20)
    # Ba Đình: one answered on time in 2 days (rated 5), one answered late in 5 days (rated 2), one open
    fast, slow = answered(fw), answered(fw)
    still_open = intake.submit(submission(fw)).case
    _set(fast, received_at=received, answered_at=received + dt.timedelta(days=2), answered_on_time=True, satisfaction=5)
    _set(
        slow, received_at=received, answered_at=received + dt.timedelta(days=5), answered_on_time=False, satisfaction=2
    )
    _set(still_open, received_at=received)
    # not counted: hidden, merged, received before the period
    spam = intake.submit(submission(fw)).case
    _set(spam, received_at=received, hidden=True)
    twin = intake.submit(submission(fw)).case
    handling.merge(actor=fw.user("here"), case=twin, into=still_open)
    _set(twin, received_at=received)
    old = answered(fw)
    _set(old, received_at=now - dt.timedelta(days=800), answered_at=now - dt.timedelta(days=790))
    # Lào Cai: one case answered on time in 1 day
    lao_cai = answered(fw, province=fw.p2.pk, commune=fw.c21.pk)
    _set(lao_cai, received_at=received, answered_at=received + dt.timedelta(days=1), answered_on_time=True)
    # and one answered on time, then reopened by its sender: received, but no longer answered
    reopened = answered(fw, province=fw.p2.pk, commune=fw.c21.pk)
    citizen.reopen(case=reopened, reason="Cây đổ vẫn chưa được dọn đi.")
    _set(reopened, received_at=received)
    assert Case.objects.get(pk=reopened.pk).answered_on_time is True

    period = sel.last_twelve_months()
    hanoi = sel.rows_by(sel.counted_cases(period), "province", sel.province_choices())[0]
    assert hanoi.label == "Thành phố Hà Nội"
    assert (hanoi.received, hanoi.answered, hanoi.on_time) == (3, 2, 1)
    assert hanoi.on_time_percent == "50,0%"
    assert hanoi.median_days == 3.5  # median of 2 and 5 days
    assert hanoi.satisfaction == 3.5 and hanoi.ratings == 2
    country = sel.total_row(sel.counted_cases(period), "Cả nước")
    assert (country.received, country.answered, country.on_time, country.median_days) == (5, 3, 2, 2.0)

    body = client.get(STATS).content.decode()
    assert cells(body, "Thành phố Hà Nội</a>") == ["3", "2", "1", "50,0%", "3,5", "3,5", "2"]
    assert 'role="img"' in body and 'aria-label="Tỷ lệ trả lời đúng hạn theo tỉnh, thành phố"' in body
    assert 'aria-label="Số phản ánh tiếp nhận theo tháng' in body and "Tỉnh Lào Cai" in body

    # drill-down to Hà Nội's communes: Ba Đình has the three, Đường Lâm none
    body = client.get(STATS, {"tinh": fw.p1.pk}).content.decode()
    assert cells(body, "Phường Ba Đình") == ["3", "2", "1", "50,0%", "3,5", "3,5", "2"]
    assert cells(body, "Xã Đường Lâm") == ["0", "0", "0", "–", "–", "–", "0"]
    assert "Tỉnh Lào Cai" not in body

    # a year filter: the old case's year only, or nothing for a year without cases
    old_year = timezone.localtime(now - dt.timedelta(days=800)).year
    body = client.get(STATS, {"nam": old_year}).content.decode()
    assert f"Năm {old_year}" in body
    assert sel.total_row(sel.counted_cases(sel.year_period(old_year)), "x").received == 1
    for bad in ({"nam": "1900"}, {"nam": "abc"}, {"tinh": "abc"}, {"tinh": fw.c11.pk}):
        response = client.get(STATS, bad)
        assert response.status_code == 200 and 'class="alert alert-warning"' in response.content.decode(), bad


def test_received_per_month_counts_each_month_of_the_period(fw):
    case = answered(fw)
    period = sel.last_twelve_months()
    months = sel.received_per_month(sel.counted_cases(period), period)
    assert len(months) == 12 and sum(n for _, n in months) == 1
    assert months[-1] == (timezone.localtime(case.received_at).date().replace(day=1), 1)
