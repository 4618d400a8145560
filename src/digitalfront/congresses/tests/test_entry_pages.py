"""The entry pages (``/dai-hoi/nhap/``) and the confirmation page (``/dai-hoi/xac-nhan/``)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from PIL import Image

from digitalfront.congresses.models import Congress, NewsItem, Status, Term
from digitalfront.congresses.services import congresses
from digitalfront.core.models import AuditEvent
from digitalfront.orgs.models import Unit

from .test_api import RESULTS, reported

pytestmark = pytest.mark.usefixtures("in_2024")


@pytest.fixture
def c11(world: Any, term: Term) -> Congress:
    return congresses.plan(actor=world.user("here"), unit=world.c11, term=term, values={"planned_on": "2024-10-05"})


def form_data(congress: Congress, **changes: Any) -> dict[str, Any]:
    data = {name: "" for name in RESULTS} | {"planned_on": "2024-10-05", "venue": ""}
    return data | changes


ENTRY = {"anonymous": 302, "citizen": 403, "elsewhere": 200, "here": 200, "above": 403, "admin": 200}


def test_entry_list_matrix(world: Any, c11: Congress, client_for: Any, who: str) -> None:
    response = client_for(who).get(reverse("congresses:entry_list"))
    assert response.status_code == ENTRY[who]
    if response.status_code == 200:
        text = response.content.decode()
        assert ("Phường Ba Đình" in text) == (who in ("here", "admin"))
    if who == "anonymous":
        assert reverse("login") in response["Location"]


def test_plan_form_lists_units_without_a_congress(world: Any, term: Term, client_for: Any) -> None:
    client = client_for("here")
    page = client.get(reverse("congresses:entry_list")).content.decode()
    assert 'value="00004"' in page and "09955" not in page
    response = client.post(reverse("congresses:entry_plan"), {"unit": "00004", "planned_on": "2023-05-01"})
    assert response.status_code == 422
    assert "phải nằm trong nhiệm kỳ 2024–2029" in response.content.decode()
    assert not Congress.objects.exists()
    refused = client.post(reverse("congresses:entry_plan"), {"unit": "09955"})  # not theirs
    assert refused.status_code == 422 and not Congress.objects.exists()
    response = client.post(reverse("congresses:entry_plan"), {"unit": "00004", "planned_on": "2024-12-20",
                                                              "venue": "Hội trường", "delegates_summoned": "120"})
    congress = Congress.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("congresses:entry_detail", args=[congress.pk])
    assert (congress.unit.code, congress.delegates_summoned) == ("00004", 120)
    assert 'value="00004"' not in client.get(reverse("congresses:entry_list")).content.decode()


def test_search_pagination_and_units_beyond_the_list(world: Any, term: Term, client_for: Any,
                                                     monkeypatch: Any) -> None:
    """A national administrator finds a unit by its name without accents or by its code, pages through the
    congresses, and can plan a congress for a unit that the capped list does not show."""
    from digitalfront.congresses import views_entry
    from digitalfront.core.testing import make_unit

    monkeypatch.setattr(views_entry, "PLAN_UNITS_MAX", 3)
    monkeypatch.setattr(views_entry, "ENTRY_PAGE", 2)
    admin = client_for("admin")
    url = reverse("congresses:entry_list")
    for i in range(4):
        unit = make_unit(f"9{i:04d}", f"Xã Thử Nghiệm {i}", "commune", world.p2, "xã")
        congresses.plan(actor=world.user("admin"), unit=unit, term=term, values={})
    page = admin.get(url).content.decode()
    assert "Trang 1/2" in page and "4 mục" in page
    assert "Xã Thử Nghiệm 2" in admin.get(url + "?trang=2").content.decode()
    found = admin.get(url, {"q": "thu nghiem 3"}).content.decode()
    assert "Xã Thử Nghiệm 3" in found and "Xã Thử Nghiệm 1" not in found and "Trang 1/" not in found
    assert "Xã Thử Nghiệm 0" in admin.get(url, {"q": "90000"}).content.decode()
    assert "Không có đại hội nào của đơn vị khớp" in admin.get(url, {"q": "không có đâu"}).content.decode()
    # the plan list is capped (with a notice) and narrowed by the search
    assert "Danh sách chỉ hiện 3 trong" in page
    last = (Unit.objects.filter(level__in=["province", "commune"], valid_to__isnull=True, congresses__isnull=True)
            .order_by("path").last())
    assert last is not None and f'<option value="{last.code}"' not in page
    assert f'<option value="{last.code}"' in admin.get(url, {"q": last.code}).content.decode()
    response = admin.post(reverse("congresses:entry_plan"), {"unit": last.code, "planned_on": "2024-12-20"})
    assert response.status_code == 302
    assert Congress.objects.filter(unit=last).exists()
    # a unit out of the user's scope is refused all the same, the list shown again
    before = Congress.objects.count()
    refused = client_for("here").post(reverse("congresses:entry_plan"), {"unit": world.p2.code})
    assert refused.status_code == 422 and "Đơn vị không có trong danh sách" in refused.content.decode()
    assert Congress.objects.count() == before


DETAIL = {"citizen": 403, "elsewhere": 404, "here": 200, "above": 403, "admin": 200}


@pytest.mark.parametrize("who", list(DETAIL))
def test_detail_matrix(c11: Congress, client_for: Any, who: str) -> None:
    url = reverse("congresses:entry_detail", args=[c11.pk])
    assert client_for(who).get(url).status_code == DETAIL[who]
    before = Congress.objects.values().get()
    response = client_for(who).post(url, form_data(c11, venue="Đổi"))
    assert response.status_code == (302 if DETAIL[who] == 200 else DETAIL[who])
    assert (Congress.objects.get().venue == "Đổi") == (DETAIL[who] == 200)
    if DETAIL[who] != 200:
        assert Congress.objects.values().get() == before


def test_detail_error_on_the_field_and_form_kept(c11: Congress, client_for: Any) -> None:
    url = reverse("congresses:entry_detail", args=[c11.pk])
    before = (Congress.objects.values().get(), AuditEvent.objects.count())
    response = client_for("here").post(url, form_data(c11, venue="Nhà văn hóa", committee_size="30", women="31"))
    assert response.status_code == 422
    text = response.content.decode()
    assert "Nữ (31) không thể lớn hơn số ủy viên Ủy ban (30)." in text
    assert 'value="Nhà văn hóa"' in text and 'value="31"' in text  # the form as typed
    form = response.context["form"]
    assert form.errors["women"] == ["Nữ (31) không thể lớn hơn số ủy viên Ủy ban (30)."]
    assert (Congress.objects.values().get(), AuditEvent.objects.count()) == before


def test_status_buttons_and_report(c11: Congress, client_for: Any) -> None:
    client = client_for("here")
    status_url = reverse("congresses:entry_status", args=[c11.pk])
    response = client.post(status_url, {"status": "held"})
    assert response.status_code == 422 and "Cần nhập ngày tổ chức." in response.content.decode()
    vice = "\n".join(RESULTS["vice_chairs"])
    data = {k: ("" if v is None else v) for k, v in RESULTS.items()} | {"vice_chairs": vice, "planned_on": "2024-10-05"}
    assert client.post(reverse("congresses:entry_detail", args=[c11.pk]), data).status_code == 302
    for status in ("held", "reported"):
        assert client.post(status_url, {"status": status}).status_code == 302
    c11.refresh_from_db()
    assert c11.status == Status.REPORTED and c11.vice_chairs == RESULTS["vice_chairs"]
    assert client.post(status_url, {"status": "confirmed"}).status_code == 422
    page = client.get(reverse("congresses:entry_detail", args=[c11.pk])).content.decode()
    assert 'value="preparing"' in page and 'value="confirmed"' not in page


def test_confirm_page(world: Any, term: Term, c11: Congress, client_for: Any) -> None:
    reported(world, c11)
    c12 = congresses.plan(actor=world.user("admin"), unit=world.c12, term=term)  # not reported: not listed
    url = reverse("congresses:confirm_list")
    assert client_for("here").get(url).status_code == 403
    assert client_for("anonymous").get(url).status_code == 302
    elsewhere = client_for("elsewhere").get(url)
    assert elsewhere.status_code == 200 and "Phường Ba Đình" not in elsewhere.content.decode()
    page = client_for("above").get(url).content.decode()
    assert "Phường Ba Đình" in page and "Nguyễn Thị Hoa" in page and "Xã Đường Lâm" not in page
    assert c12.status == Status.PLANNED
    # paginated: with one per page, the one reported congress fills page 1 of 1, no second page
    from digitalfront.congresses import views_entry

    views_entry.ENTRY_PAGE, saved = 1, views_entry.ENTRY_PAGE
    try:
        paged = client_for("above").get(url, {"trang": "9"}).content.decode()  # past the end: the last page
        assert "Phường Ba Đình" in paged
    finally:
        views_entry.ENTRY_PAGE = saved
    # elsewhere cannot act on it
    assert client_for("elsewhere").post(reverse("congresses:confirm_confirm", args=[c11.pk])).status_code == 404
    # a return needs a reason: the error on the field, nothing changed
    response = client_for("above").post(reverse("congresses:confirm_return", args=[c11.pk]), {"reason": ""})
    assert response.status_code == 422 and "Hãy ghi lý do trả lại" in response.content.decode()
    assert Congress.objects.get(pk=c11.pk).status == Status.REPORTED
    response = client_for("above").post(reverse("congresses:confirm_confirm", args=[c11.pk]))
    assert response.status_code == 302
    assert Congress.objects.get(pk=c11.pk).status == Status.CONFIRMED
    # a second confirmation: 409 with the message
    again = client_for("above").post(reverse("congresses:confirm_confirm", args=[c11.pk]))
    assert again.status_code == 409 and "Chỉ xác nhận được đại hội đã báo cáo kết quả." in again.content.decode()
    # locked for the unit's staff
    locked = client_for("here").post(reverse("congresses:entry_detail", args=[c11.pk]), form_data(c11, venue="X"))
    assert locked.status_code == 409 and Congress.objects.get(pk=c11.pk).venue != "X"
    response = client_for("above").post(reverse("congresses:confirm_return", args=[c11.pk]),
                                        {"reason": "Số ủy viên nữ chưa khớp biên bản."})
    assert response.status_code == 302 and Congress.objects.get(pk=c11.pk).status == Status.HELD


def test_own_province_cannot_be_confirmed_by_itself(world: Any, term: Term, client_for: Any) -> None:
    admin = world.user("admin")
    p1 = congresses.plan(actor=admin, unit=world.p1, term=term, values=RESULTS)
    congresses.set_status(actor=admin, congress_id=p1.pk, status=Status.HELD)
    congresses.set_status(actor=admin, congress_id=p1.pk, status=Status.REPORTED)
    assert "Thành phố Hà Nội" not in client_for("above").get(reverse("congresses:confirm_list")).content.decode()
    response = client_for("above").post(reverse("congresses:confirm_confirm", args=[p1.pk]))
    assert response.status_code == 403
    assert Congress.objects.get(pk=p1.pk).status == Status.REPORTED


def photo() -> io.BytesIO:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    Image.new("RGB", (40, 30), (0, 90, 200)).save(out, "JPEG", exif=exif)
    out.seek(0)
    out.name = "anh-dai-hoi.jpg"
    return out


def test_news_with_photo(c11: Congress, client_for: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    url = reverse("congresses:news_add", args=[c11.pk])
    client = client_for("here")
    response = client.post(url, {"title": "", "body": "Nội dung"})
    assert response.status_code == 422 and "Hãy nhập tiêu đề tin." in response.content.decode()
    bad = io.BytesIO(b"%PDF-1.4\n")
    bad.name = "bien-ban.pdf"
    response = client.post(url, {"title": "Biên bản", "photo": bad})
    assert response.status_code == 422 and "không phải ảnh" in response.content.decode()
    assert 'value="Biên bản"' in response.content.decode()
    assert not NewsItem.objects.exists()
    assert client_for("above").post(url, {"title": "Tin"}).status_code == 403
    response = client.post(url, {"title": "Khai mạc đại hội", "published": "on", "photo": photo()})
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert item.published and b"PhoneMaker" not in item.photo.read()
    page = client.get(reverse("congresses:entry_detail", args=[c11.pk])).content.decode()
    assert "Khai mạc đại hội" in page and reverse("api:congress_news_photo", args=[item.pk]) in page
