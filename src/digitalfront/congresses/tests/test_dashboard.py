"""The staff dashboard of congresses: who may see it, the figures it shows, the drill-down of a province,
the Excel export, and the Server-Sent Events stream that pushes changes."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook

from digitalfront.congresses.models import Congress, NewsItem, Status, Term
from digitalfront.congresses.services import congresses
from digitalfront.core import live

RESULTS = {"held_on": datetime.date(2024, 10, 5), "delegates_summoned": 120, "delegates_attending": 115,
           "committee_size": 40, "standing_size": 5, "chair": "Nguyễn Thị Hoa", "vice_chairs": ["Trần Văn Nam"],
           "standing_members": ["Phạm Văn Đức", "Hoàng Thị Lan"],
           "women": 14, "under_35": 2, "ethnic_minority": 1, "religious": 1, "non_party": 6, "re_elected": 20,
           "new_members": 15, "delegates_to_above": 8}


pytestmark = pytest.mark.usefixtures("in_2024")


@pytest.fixture
def term(world: Any) -> Term:
    term = Term.objects.create(name="2024–2029", starts_on=datetime.date(2024, 1, 1),
                               ends_on=datetime.date(2029, 12, 31))
    Congress.objects.create(term=term, unit=world.p1, level="province", status=Status.PLANNED,
                            planned_on=datetime.date(2024, 11, 10), venue="Cung Văn hóa")
    c11 = Congress.objects.create(term=term, unit=world.c11, level="commune", status=Status.REPORTED, **RESULTS)
    Congress.objects.create(term=term, unit=world.c12, level="commune", status=Status.HELD,
                            held_on=datetime.date(2024, 10, 20))
    Congress.objects.create(term=term, unit=world.c21, level="commune", status=Status.PREPARING,
                            planned_on=datetime.date(2024, 11, 20))
    NewsItem.objects.create(congress=c11, title="Phường Ba Đình tổ chức thành công đại hội")
    return term


def _count(html: str, key: str) -> int:
    match = re.search(rf'data-count="{key}">(\d+)<', html)
    assert match, key
    return int(match.group(1))


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("citizen", 403), ("elsewhere", 200),
                                             ("here", 200), ("above", 200), ("admin", 200)])
def test_who_may_see_the_dashboard(client_for: Any, term: Term, who: str, status: int, settings: Any) -> None:
    settings.CONGRESSES_STREAM_SECONDS = 0.2  # the stream is read to its end (closing it early would close
    settings.CONGRESSES_HEARTBEAT_SECONDS = 0.1  # the test's database connection)
    for url in ("/dai-hoi/", "/dai-hoi/tinh/01/", "/dai-hoi/xuat-excel/", "/dai-hoi/su-kien/"):
        response = client_for(who).get(url)
        assert response.status_code == status, url
        if status == 302:
            assert response["Location"].startswith("/dang-nhap/")
        if status == 403:
            assert "dành cho cán bộ Mặt trận" in response.content.decode()
        if response.streaming:
            assert b"retry: 3000" in b"".join(response.streaming_content)


def test_the_figures_match_the_data(client_for: Any, term: Term) -> None:
    html = client_for("here").get("/dai-hoi/").content.decode()
    assert "Theo dõi đại hội nhiệm kỳ 2024–2029" in html
    # provinces: Hà Nội planned, Lào Cai without a record; communes: one each reported, held, preparing
    assert [_count(html, f"province:{s}") for s in ("none", "planned", "preparing", "held", "reported",
                                                     "confirmed")] == [1, 1, 0, 0, 0, 0]
    assert [_count(html, f"commune:{s}") for s in ("none", "planned", "preparing", "held", "reported",
                                                    "confirmed")] == [0, 0, 1, 1, 1, 0]
    assert _count(html, "total:planned") == 1 and _count(html, "total:none") == 1
    assert 'data-held="commune" data-expected="3">2<' in html
    # the tiles: Hà Nội's two communes held (the darkest step), Lào Cai's one not
    assert re.search(r'class="dh-tile dh-p5" data-province="01" data-communes="2" data-held-count="2"', html)
    assert re.search(r'class="dh-tile dh-p0" data-province="15" data-communes="1" data-held-count="0"', html)
    assert "100,0%" in html
    # the calendar of the next 30 days, soonest first
    assert html.index("10/11/2024") < html.index("20/11/2024")
    # composition: 14 women of 40 members is 35.0 % against 30 %
    assert "Nữ: 14 người, 35,0%, mục tiêu 30,0%" in html
    assert "1 đại hội đã báo cáo, 40 ủy viên" in html
    assert "Phường Ba Đình tổ chức thành công đại hội" in html
    assert 'data-events-url="/dai-hoi/su-kien/"' in html


def test_the_cached_figures_follow_every_change(client_for: Any, term: Term, world: Any,
                                                django_capture_on_commit_callbacks: Any) -> None:
    """The figures are cached under their data's version: a change through the services (its event
    published on commit, the clock frozen) and a change written directly (the clock moved on) both show on
    the next page, in the national view and the drill-down alike."""
    import time_machine

    client = client_for("admin")
    assert _count(client.get("/dai-hoi/").content.decode(), "commune:held") == 1
    assert _count(client.get("/dai-hoi/tinh/01/").content.decode(), "commune:held") == 1
    assert _count(client.get("/dai-hoi/").content.decode(), "commune:held") == 1  # from the cache
    c21 = Congress.objects.get(unit=world.c21)
    with django_capture_on_commit_callbacks(execute=True):
        congresses.update(actor=world.users["admin"], congress_id=c21.pk, values={"held_on": "2024-10-25"})
        congresses.set_status(actor=world.users["admin"], congress_id=c21.pk, status=Status.HELD)
    html = client.get("/dai-hoi/").content.decode()
    assert _count(html, "commune:held") == 2 and _count(html, "commune:preparing") == 0
    assert re.search(r'data-province="15" data-communes="1" data-held-count="1"', html)
    with time_machine.travel(datetime.datetime(2024, 11, 1, 2, 5, tzinfo=datetime.UTC), tick=False):
        c12 = Congress.objects.get(unit=world.c12)
        c12.status = Status.PLANNED
        c12.save()  # no event
        assert _count(client.get("/dai-hoi/").content.decode(), "commune:held") == 1
        drill = client.get("/dai-hoi/tinh/01/").content.decode()
        assert _count(drill, "commune:held") == 0
        assert re.search(r'<tr id="dh-row-09955"[^>]*data-status="planned"', drill)


def test_the_calendar_is_paginated(client_for: Any, term: Term, world: Any) -> None:
    from digitalfront.core.testing import make_unit

    for i in range(25):
        unit = make_unit(f"9{i:04d}", f"Xã Thử {i}", "commune", world.p2, "xã")
        Congress.objects.create(term=term, unit=unit, level="commune", planned_on=datetime.date(2024, 11, 15))
    html = client_for("admin").get("/dai-hoi/").content.decode()
    assert "Trang 1/2" in html
    assert "Trang 2/2" in client_for("admin").get("/dai-hoi/?trang=2").content.decode()


def test_no_term_yet(client_for: Any, world: Any) -> None:
    html = client_for("admin").get("/dai-hoi/").content.decode()
    assert "Chưa có nhiệm kỳ nào được khai báo." in html


def test_the_drilldown_of_a_province(client_for: Any, term: Term) -> None:
    html = client_for("above").get("/dai-hoi/tinh/01/").content.decode()
    assert "Đại hội các cấp – Thành phố Hà Nội" in html
    row = re.search(r'<tr id="dh-row-00004".*?</tr>', html, re.S)
    assert row and 'data-status="reported"' in row.group(0) and "Đã báo cáo kết quả" in row.group(0)
    assert "05/10/2024" in row.group(0) and ">115<" in row.group(0)
    row = re.search(r'<tr id="dh-row-09955".*?</tr>', html, re.S)
    assert row and "Đã tổ chức" in row.group(0) and "20/10/2024" in row.group(0)
    assert "dh-row-04700" not in html  # Lào Cai's commune
    assert _count(html, "commune:held") == 1 and _count(html, "commune:reported") == 1
    for code in ("99", "00004"):  # unknown, and a commune
        response = client_for("above").get(f"/dai-hoi/tinh/{code}/")
        assert response.status_code == 404
        assert "Không có tỉnh, thành phố mã này." in response.content.decode()


@pytest.mark.parametrize(("who", "codes"), [("here", ["00004"]), ("above", ["01", "00004", "09955"]),
                                            ("elsewhere", ["15", "04700"]), ("admin", ["01", "00004", "09955",
                                                                                          "04700"])])
def test_the_export_holds_the_congresses_in_view(client_for: Any, term: Term, who: str, codes: list[str]) -> None:
    response = client_for(who).get("/dai-hoi/xuat-excel/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:5] == ("Mã đơn vị", "Đơn vị", "Cấp", "Tỉnh, thành phố", "Tình trạng")
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    # Lào Cai has no congress record, so "elsewhere" sees only its commune's
    assert sorted(by_code) == sorted(c for c in codes if c != "15")
    if "00004" in by_code:
        ba_dinh = by_code["00004"]
        assert ba_dinh["Tình trạng"] == "Đã báo cáo kết quả" and ba_dinh["Tỉnh, thành phố"] == "Thành phố Hà Nội"
        assert ba_dinh["Ngày tổ chức"].date() == datetime.date(2024, 10, 5)
        assert (ba_dinh["Đại biểu có mặt"], ba_dinh["Số ủy viên Ủy ban"], ba_dinh["Nữ"]) == (115, 40, 14)
        assert ba_dinh["Chủ tịch"] == "Nguyễn Thị Hoa" and ba_dinh["Phó chủ tịch"] == "Trần Văn Nam"
        assert ba_dinh["Ủy viên Ban Thường trực khác"] == "Phạm Văn Đức; Hoàng Thị Lan"


def _read_until(response: Any, needle: bytes, limit: int = 40) -> bytes:
    """Read at most ``limit`` chunks of a stream, until ``needle`` has come."""
    got = b""
    chunks = iter(response.streaming_content)
    for _ in range(limit):
        try:
            got += next(chunks)
        except StopIteration:
            break
        if needle in got:
            break
    return got


def test_the_stream_sends_an_event_published_after_it_starts(client_for: Any, term: Term, settings: Any,
                                                             world: Any, django_capture_on_commit_callbacks: Any
                                                             ) -> None:
    settings.CONGRESSES_STREAM_SECONDS = 2
    settings.CONGRESSES_HEARTBEAT_SECONDS = 0.3
    live.publish("congresses", {"kind": "congress", "unit_code": "old"})  # before: not sent
    response = client_for("above").get("/dai-hoi/su-kien/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    assert response["Cache-Control"] == "no-cache"
    with django_capture_on_commit_callbacks(execute=True):
        congresses.set_status(actor=world.user("here"), congress_id=Congress.objects.get(unit=world.c11).pk,
                              status=Status.HELD)
    got = _read_until(response, b"event: congress")
    rest = b"".join(response.streaming_content)  # to its end, within seconds
    assert b": ping" in rest
    assert b"retry: 3000" in got
    text = got.decode()
    assert '"unit_code": "00004"' in text and '"status": "held"' in text and '"status_label": "Đã tổ chức"' in text
    assert '"previous_status": "reported"' in text
    assert '"old"' not in text


def test_the_stream_resumes_after_last_event_id_and_sends_heartbeats(client_for: Any, term: Term,
                                                                     settings: Any) -> None:
    settings.CONGRESSES_STREAM_SECONDS = 1
    settings.CONGRESSES_HEARTBEAT_SECONDS = 0.2
    first = live.broker().publish("congresses", {"kind": "congress", "unit_code": "first"})
    live.publish("congresses", {"kind": "news", "title": "Tin mới"})
    response = client_for("above").get("/dai-hoi/su-kien/", headers={"Last-Event-ID": first})
    got = b"".join(list(response.streaming_content)[:40]).decode()  # the stream ends after a second
    assert "event: news" in got and "Tin mới" in got and '"first"' not in got
    assert got.count(": ping") >= 2
