"""The public page and the public API: no sign-in, and only the non-sensitive subset."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from digitalfront.congresses.models import Congress, NewsItem, Term
from digitalfront.congresses.services import congresses

from .test_api import RESULTS, reported

SENSITIVE = ("delegates_summoned", "delegates_attending", "delegates_to_above", "reported_by", "confirmed_by",
             "reported_at", "confirmed_at", "canbo.badinh", "canbo.hanoi", "audit", "updated_at", "created_by")



pytestmark = pytest.mark.usefixtures("in_2024")


@pytest.fixture
def data(world: Any, term: Term) -> dict[str, Congress]:
    here, admin = world.user("here"), world.user("admin")
    c11 = congresses.plan(actor=here, unit=world.c11, term=term, values={"planned_on": "2024-10-05"})
    reported(world, c11)
    congresses.confirm(actor=world.user("above"), congress_id=c11.pk)
    # held, results entered but not reported yet: a draft the public must not see
    c21 = congresses.plan(actor=admin, unit=world.c21, term=term,
                          values={**RESULTS, "held_on": "2024-10-20", "chair": "Giàng Seo Phử", "vice_chairs": []})
    congresses.set_status(actor=admin, congress_id=c21.pk, status="held")
    c12 = congresses.plan(actor=admin, unit=world.c12, term=term, values={"planned_on": "2024-12-15"})
    NewsItem.objects.create(congress=c11, title="Đại hội Phường Ba Đình thành công", body="Tin công khai")
    NewsItem.objects.create(congress=c11, title="Tin nội bộ chưa duyệt", published=False)
    return {"c11": c11, "c21": c21, "c12": c12}


def test_progress(client_for: Any, data: dict[str, Congress], who: str) -> None:
    response = client_for(who).get("/api/v1/congresses/public/progress")
    assert response.status_code == 200
    body = response.json()
    commune = next(level for level in body["levels"] if level["level"] == "commune")
    assert (commune["expected"], commune["held"], commune["by_status"]["confirmed"]) == (3, 2, 1)
    assert commune["held_share"] == pytest.approx(2 / 3, abs=1e-3)
    hanoi = next(p for p in body["provinces"] if p["code"] == "01")
    assert (hanoi["communes"], hanoi["communes_held"], hanoi["own_status"]) == (2, 1, None)


def test_public_list_has_only_the_public_subset(client_for: Any, data: dict[str, Congress]) -> None:
    response = client_for("anonymous").get("/api/v1/congresses/public")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["unit"]["code"] for i in items] == ["04700", "00004", "09955"]  # held most recently first
    c11 = next(i for i in items if i["unit"]["code"] == "00004")
    assert c11["results"]["chair"] == "Nguyễn Thị Hoa"
    assert c11["results"]["vice_chairs"] == ["Trần Văn Nam", "Lê Thị Mai"]
    assert c11["results"]["standing_members"] == ["Phạm Văn Đức"]
    assert c11["results"]["composition"]["women"] == 12 and c11["results"]["committee_size"] == 35
    c21 = next(i for i in items if i["unit"]["code"] == "04700")
    assert c21["status"] == "held" and c21["results"] is None  # not reported: no results yet
    text = response.content.decode()
    for word in (*SENSITIVE, "Giàng Seo Phử"):
        assert word not in text, word
    filtered = client_for("anonymous").get("/api/v1/congresses/public", {"province": "15"}).json()
    assert [i["unit"]["code"] for i in filtered["items"]] == ["04700"]
    assert client_for("anonymous").get("/api/v1/congresses/public", {"level": "x"}).status_code == 422


def test_public_news_only_published(client_for: Any, data: dict[str, Congress]) -> None:
    response = client_for("anonymous").get("/api/v1/congresses/public/news")
    assert [i["title"] for i in response.json()["items"]] == ["Đại hội Phường Ba Đình thành công"]
    assert "created_by" not in response.content.decode() and "published" not in response.content.decode()


def test_public_page(client_for: Any, data: dict[str, Congress], django_assert_max_num_queries: Any) -> None:
    client = client_for("anonymous")
    with django_assert_max_num_queries(15):
        response = client.get(reverse("congresses:public"))
    assert response.status_code == 200
    text = response.content.decode()
    for expected in ("Đại hội Mặt trận các cấp", "Tiến độ toàn quốc", "Thành phố Hà Nội", "Tỉnh Lào Cai",
                     "Phường Ba Đình", "Nguyễn Thị Hoa", "Trần Văn Nam, Lê Thị Mai",
                     "Ủy viên Thường trực: Phạm Văn Đức", "Nữ: 12",
                     "Đại hội Phường Ba Đình thành công", "<strong>2</strong> / 3",
                     "Kết quả sẽ được công bố khi đơn vị báo cáo."):
        assert expected in text, expected
    for hidden in ("Tin nội bộ chưa duyệt", "Giàng Seo Phử", "canbo.badinh", "canbo.hanoi", "triệu tập",
                   "đại hội cấp trên", "115"):
        assert hidden not in text, hidden


def test_public_page_without_a_term(client: Any, db: Any) -> None:
    response = client.get(reverse("congresses:public"))
    assert response.status_code == 200 and "Chưa có thông tin đại hội." in response.content.decode()
    assert client.get("/api/v1/congresses/public/progress").status_code == 404
