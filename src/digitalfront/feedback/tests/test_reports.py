"""The staff reports: the Excel export of the inbox (scope, filters, no identity, no denunciation content,
the cap, the audit) and the charts page (permissions, figures for a small known data set, queries)."""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from digitalfront.core.models import AuditEvent
from digitalfront.core.testing import sign_in
from digitalfront.feedback import selectors_reports
from digitalfront.feedback.models import Case, Kind, Topic
from digitalfront.feedback.services import handling, intake

from .conftest import submission

pytestmark = pytest.mark.django_db

EXPORT = reverse("feedback_reports:export")
CHARTS = reverse("feedback_reports:charts")
NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

# a sender and a denunciation nobody could mistake for anything else in a spreadsheet
SENDER = {
    "name": "Hoàng Thị Độc Nhất",
    "phone": "0987 654 321",
    "email": "docnhat.hoang@example.vn",
    "sender_address": "Số 99 ngõ Bí Mật, phường Ba Đình",
}
IDENTITY_STRINGS = (
    "Hoàng Thị Độc Nhất",
    "Độc Nhất",
    "0987654321",
    "0987 654 321",
    "987654321",
    "docnhat.hoang@example.vn",
    "docnhat",
    "ngõ Bí Mật",
)
DENUNCIATION_TITLE = "Tố cáo cán bộ Xuyến nhận hối lộ"
DENUNCIATION_CONTENT = "Ông Trần Văn Xuyến, cán bộ địa chính, nhận 50 triệu đồng để cấp sổ đỏ sai quy định."


@pytest.fixture
def cases(fw):
    """Two feedback cases and a denunciation at Ba Đình (with the distinctive sender), one case at
    Đường Lâm (same province) and one at Bắc Hà, Lào Cai."""
    here = [
        intake.submit(submission(fw, title="Đèn đường hỏng ở tổ 5", **SENDER)).case,
        intake.submit(submission(fw, title="Cống thoát nước tắc", **SENDER)).case,
        intake.submit(
            submission(fw, kind="denunciation", title=DENUNCIATION_TITLE, content=DENUNCIATION_CONTENT, **SENDER)
        ).case,
    ]
    other_commune = intake.submit(submission(fw, commune=fw.c12.pk, title="Đường Lâm: cây đổ")).case
    lao_cai = intake.submit(submission(fw, province=fw.p2.pk, commune=fw.c21.pk, title="Bắc Hà: sạt lở", **SENDER)).case
    return {"here": here, "c12": other_commune, "lao_cai": lao_cai}


def _sheet(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="phan-anh-')
    return load_workbook(io.BytesIO(response.content)).active


def _codes(ws) -> set[str]:
    return {row[0] for row in ws.iter_rows(min_row=2, values_only=True) if row[0] and str(row[0]).startswith("PA-")}


def _all_text(response) -> str:
    """Every cell of every sheet, and the workbook's properties, as one string."""
    wb = load_workbook(io.BytesIO(response.content))
    cells = [
        str(value)
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    props = wb.properties
    return "\n".join([*cells, str(props.title), str(props.creator), str(props.description)])


# --- export -----------------------------------------------------------------------------------------


def test_export_contains_the_scoped_cases_only(fw, cases, client_for):
    ba_dinh = {c.code for c in cases["here"]}
    assert _codes(_sheet(client_for("here").get(EXPORT, {"trang_thai": "all"}))) == ba_dinh
    assert _codes(_sheet(client_for("above").get(EXPORT))) == ba_dinh | {cases["c12"].code}
    assert _codes(_sheet(client_for("elsewhere").get(EXPORT))) == {cases["lao_cai"].code}
    assert _codes(_sheet(client_for("admin").get(EXPORT))) == ba_dinh | {cases["c12"].code, cases["lao_cai"].code}


def test_export_applies_the_inbox_filters(fw, cases, client_for):
    client = client_for("above")
    only_denunciations = _codes(_sheet(client.get(EXPORT, {"loai": "denunciation"})))
    assert only_denunciations == {cases["here"][2].code}
    narrowed = _codes(_sheet(client.get(EXPORT, {"don_vi": str(fw.c12.pk)})))
    assert narrowed == {cases["c12"].code}
    handling.accept(actor=fw.user("here"), case=cases["here"][0])
    assert _codes(_sheet(client.get(EXPORT, {"trang_thai": "accepted"}))) == {cases["here"][0].code}
    assert _codes(_sheet(client.get(EXPORT, {"q": "Cống"}))) == {cases["here"][1].code}


def test_export_never_contains_the_senders_identity_nor_a_denunciations_content(fw, cases, client_for):
    for who in ("here", "admin"):
        response = client_for(who).get(EXPORT, {"trang_thai": "all"})
        text = _all_text(response)
        for secret in (*IDENTITY_STRINGS, DENUNCIATION_TITLE, DENUNCIATION_CONTENT, "Xuyến", "hối lộ"):
            assert secret not in text, f"{secret!r} leaked into {who}'s export"
        ws = _sheet(response)
        rows = {row[0]: row for row in ws.iter_rows(min_row=2, values_only=True)}
        denunciation = rows[cases["here"][2].code]
        assert denunciation[1] == "Tố cáo" and denunciation[5] == "Tố cáo (nội dung bảo mật)"
        assert rows[cases["here"][0].code][5] == "Đèn đường hỏng ở tổ 5"  # other titles are kept


def test_export_layout_headers_dates_filter_and_audit(fw, cases, client_for):
    case = cases["here"][0]
    handling.accept(actor=fw.user("here"), case=case)
    handling.answer(actor=fw.user("here"), case=case, text="Đã thay bóng đèn.")
    ws = _sheet(client_for("here").get(EXPORT, {"trang_thai": "all"}))
    header = next(ws.iter_rows(max_row=1, values_only=True))
    assert header[:6] == ("Mã phản ánh", "Loại", "Trạng thái", "Lĩnh vực", "Mức độ khẩn", "Tiêu đề")
    assert "Ngày tiếp nhận" in header and "Trả lời đúng hạn" in header and "Mức hài lòng (1–5)" in header
    assert not any(h for h in header if "người gửi" in str(h).lower() or "điện thoại" in str(h).lower())
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:P{len(cases['here']) + 1}"
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == case.code)
    by_header = dict(zip(header, row, strict=True))
    received = by_header["Ngày tiếp nhận"]
    assert received.is_date and isinstance(received.value, dt.datetime)
    assert received.value == timezone.localtime(Case.objects.get(pk=case.pk).received_at).replace(
        tzinfo=None, microsecond=received.value.microsecond
    )
    assert by_header["Ngày trả lời"].is_date
    assert by_header["Trả lời đúng hạn"].value == "Có"
    assert by_header["Trạng thái"].value == "Đã trả lời"
    assert (
        by_header["Tỉnh, thành phố"].value == "Thành phố Hà Nội" and by_header["Xã, phường"].value == "Phường Ba Đình"
    )
    event = AuditEvent.objects.get(action="feedback.export")
    assert event.actor == fw.user("here") and event.data["rows"] == 3 and event.data["capped"] is False
    assert event.data["filters"] == {"trang_thai": "all"}


def test_export_is_capped_and_says_so_in_the_last_row(fw, cases, client_for, monkeypatch):
    monkeypatch.setattr(selectors_reports, "EXPORT_MAX_ROWS", 2)
    ws = _sheet(client_for("here").get(EXPORT, {"trang_thai": "all"}))
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(_codes(ws)) == 2
    assert rows[-1][0].startswith("Chỉ xuất 2 dòng đầu trên tổng số 3 phản ánh")
    event = AuditEvent.objects.get(action="feedback.export")
    assert event.data["rows"] == 2 and event.data["total"] == 3 and event.data["capped"] is True


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("citizen", 404),
        ("elsewhere", 200),
        ("here", 200),
        ("above", 200),
        ("admin", 200),
    ],
)
def test_export_permissions(fw, client_for, who, status):
    response = client_for(who).get(EXPORT)
    assert response.status_code == status
    if who == "anonymous":
        assert reverse("login") in response["Location"]
    if who == "citizen":
        assert "Không tìm thấy" in response.content.decode()
        assert not AuditEvent.objects.filter(action="feedback.export").exists()


def test_an_authority_account_cannot_export(fw, cases, client_for):
    client = Client()
    sign_in(client, fw.user("authority"))
    assert client.get(EXPORT).status_code == 404
    assert client.get(CHARTS).status_code == 404


# --- charts -----------------------------------------------------------------------------------------


def _table(html: str, table_id: str) -> list[list[str]]:
    """The rows of the table with ``table_id`` (header and body), each as its cells' text."""
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert match, f"no table {table_id}"
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", match.group(0), re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        rows.append([unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


@pytest.fixture
def known(fw):
    """A small known data set, placed in time explicitly (Ba Đình, Đường Lâm, and Lào Cai which the
    Hà Nội users must not count): September and October 2026, two topics."""
    traffic, environment = Topic.objects.order_by("order")[:2]
    specs = [
        # (commune, province, topic, received, answered, on time)
        (fw.c11, fw.p1, traffic, dt.date(2026, 9, 3), dt.date(2026, 9, 20), True),
        (fw.c11, fw.p1, traffic, dt.date(2026, 9, 10), dt.date(2026, 10, 25), False),
        (fw.c11, fw.p1, environment, dt.date(2026, 10, 5), None, None),
        (fw.c12, fw.p1, environment, dt.date(2026, 10, 6), dt.date(2026, 10, 9), True),
        (fw.c11, fw.p1, None, dt.date(2026, 11, 2), None, None),
        (fw.c21, fw.p2, traffic, dt.date(2026, 10, 7), dt.date(2026, 10, 8), False),
        (fw.c11, fw.p1, traffic, dt.date(2025, 10, 1), dt.date(2025, 10, 2), True),  # older than 12 months
    ]
    for commune, province, topic, received, answered, on_time in specs:
        case = intake.submit(submission(fw, province=province.pk, commune=commune.pk)).case
        at = lambda day: timezone.make_aware(dt.datetime.combine(day, dt.time(9))) if day else None  # noqa: E731
        Case.objects.filter(pk=case.pk).update(
            topic=topic,
            received_at=at(received),
            answered_at=at(answered),
            answered_on_time=on_time,
            status="answered" if answered else "received",
        )
    return {"traffic": traffic, "environment": environment}


def test_charts_show_the_right_figures_for_a_known_data_set(fw, known, client_for):
    with time_machine.travel(NOW, tick=False):
        response = client_for("above").get(CHARTS)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="chart') >= 3
    volume = _table(html, "bang-linh-vuc")
    traffic, environment = known["traffic"].name, known["environment"].name
    header = volume[0]
    assert header == ["Tháng", traffic, environment, "Chưa phân loại", "Tổng"]
    rows = {r[0]: r[1:] for r in volume[1:]}
    assert rows["09/2026"] == ["2", "0", "0", "2"]
    assert rows["10/2026"] == ["0", "2", "0", "2"]  # Lào Cai's October case is not counted
    assert rows["11/2026"] == ["0", "0", "1", "1"]
    assert rows["12/2025"] == ["0", "0", "0", "0"] and "10/2025" not in rows  # twelve months: 12/2025–11/2026
    assert rows["Cộng 12 tháng"] == ["2", "2", "1", "5"]
    flow = {r[0]: r[1:] for r in _table(html, "bang-tiep-nhan")[1:]}
    assert flow["09/2026"] == ["2", "1"] and flow["10/2026"] == ["2", "2"] and flow["11/2026"] == ["1", "0"]
    on_time = {r[0]: r[1:] for r in _table(html, "bang-dung-han")[1:]}
    assert on_time == {"Phường Ba Đình": ["2", "1", "50,0%"], "Xã Đường Lâm": ["1", "1", "100,0%"]}
    # the legend names the topics, the SVG carries a title for screen readers
    assert f"</svg> {traffic}</li>" in html and "<title>Số phản ánh tiếp nhận theo lĩnh vực và tháng</title>" in html


def test_charts_by_scope_commune_province_and_everything(fw, known, client_for):
    with time_machine.travel(NOW, tick=False):
        here = client_for("here").get(CHARTS).content.decode()
        elsewhere = client_for("elsewhere").get(CHARTS).content.decode()
        admin = client_for("admin").get(CHARTS).content.decode()
    assert _table(here, "bang-dung-han")[1:] == [["Phường Ba Đình (trực tiếp)", "2", "1", "50,0%"]]
    assert {r[0]: r[1:] for r in _table(here, "bang-tiep-nhan")[1:]}["10/2026"] == ["1", "1"]
    assert _table(elsewhere, "bang-dung-han")[1:] == [["Xã Bắc Hà", "1", "0", "0,0%"]]
    # a superuser sees the provinces, worst first
    assert [r[0] for r in _table(admin, "bang-dung-han")[1:]] == ["Tỉnh Lào Cai", "Thành phố Hà Nội"]
    assert _table(admin, "bang-dung-han")[2][1:] == ["3", "2", "66,7%"]


def test_charts_page_without_data_says_so(fw, client_for):
    html = client_for("here").get(CHARTS).content.decode()
    assert "Chưa có phản ánh nào được tiếp nhận trong 12 tháng gần nhất." in html


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("citizen", 404),
        ("elsewhere", 200),
        ("here", 200),
        ("above", 200),
        ("admin", 200),
    ],
)
def test_charts_permissions(fw, client_for, who, status):
    assert client_for(who).get(CHARTS).status_code == status


def test_charts_queries_do_not_grow_with_the_data(fw, known, client_for, django_assert_max_num_queries):
    client = client_for("admin")
    for _ in range(5):  # more cases in more months and places: the same grouped queries
        intake.submit(submission(fw, province=fw.p2.pk, commune=fw.c21.pk))
        intake.submit(submission(fw, commune=fw.c12.pk, kind=Kind.COMPLAINT))
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(12):
        assert client.get(CHARTS).status_code == 200


def test_export_queries_do_not_grow_with_the_rows(fw, cases, client_for, django_assert_max_num_queries):
    client = client_for("admin")
    for _ in range(10):
        intake.submit(submission(fw))
    with django_assert_max_num_queries(12):
        assert client.get(EXPORT).status_code == 200
