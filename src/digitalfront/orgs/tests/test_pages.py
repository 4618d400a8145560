"""The staff pages of module 1: authorization matrix, search, data entry, approval queue, completeness,
Excel export, and query-count guards."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from digitalfront.core.testing import make_unit, make_user
from digitalfront.orgs.charts import hbar_chart
from digitalfront.orgs.models import Level, Report, ReportStatus, Unit
from digitalfront.orgs.selectors import children_of, completeness, expected_reports
from digitalfront.orgs.services import reports as report_services
from digitalfront.orgs.services.units import merge_units

pytestmark = pytest.mark.django_db

MAY_VIEW_C11 = {"here", "above", "admin"}
LOGIN = "/dang-nhap/"


def entry_url(world, unit=None, org="mttq", period=None):
    unit = unit or world.c11
    period = period or world.period
    return reverse("orgs:report", args=[unit.pk, period.pk, org])


def c11_pages(world):
    c11, period = world.c11, world.period
    return {
        "unit": reverse("orgs:unit", args=[c11.pk]),
        "report": entry_url(world),
        "completeness": reverse("orgs:completeness", args=[c11.pk, period.pk]),
        "export": reverse("orgs:export", args=[c11.pk, period.pk]),
    }


def submit(world, unit, org="mttq", who="admin", period=None, **data):
    """Save and submit a report through the services (as the API and the pages do)."""
    period = period or world.period
    report = report_services.save_report(
        actor=world.user(who), unit=unit, org_type=world.orgs[org], period=period, data=data
    )
    return report_services.submit_report(actor=world.user(who), report=report)


def text(response) -> str:
    return response.content.decode()


# --- authorization matrix ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["unit", "report", "completeness", "export"])
def test_c11_pages_matrix(world, client_for, who, page):
    url = c11_pages(world)[page]
    response = client_for(who).get(url)
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    elif who in MAY_VIEW_C11:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
        assert "Phường Ba Đình" not in text(response)


@pytest.mark.parametrize("url_name", ["orgs:home", "orgs:units", "orgs:approvals"])
def test_list_pages_matrix(world, client_for, who, url_name):
    response = client_for(who).get(reverse(url_name))
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == 200
        assert "Mặt trận số" in text(response)
        assert "Đăng xuất" in text(response)


def test_completeness_picker_matrix(world, client_for, who):
    url = reverse("orgs:completeness_pick", args=[world.c11.pk]) + f"?ky={world.period.pk}"
    response = client_for(who).get(url)
    if who == "anonymous":
        assert response["Location"].startswith(LOGIN)
    elif who in MAY_VIEW_C11:
        assert response.status_code == 302
        assert response["Location"] == reverse("orgs:completeness", args=[world.c11.pk, world.period.pk])
    else:
        assert response.status_code == 404


def test_entry_post_matrix(world, client_for, who):
    url = entry_url(world)
    response = client_for(who).post(url, {"members": "120", "staff_fulltime": "2", "action": "save"})
    report = Report.objects.filter(unit=world.c11, period=world.period, org_type=world.orgs["mttq"]).first()
    if who in ("here", "admin"):
        assert response.status_code == 302
        assert response["Location"] == url
        assert report is not None
        assert (report.members, report.staff_fulltime, report.status) == (120, 2, ReportStatus.DRAFT)
    else:
        assert report is None
        if who == "anonymous":
            assert response["Location"].startswith(LOGIN)
        elif who == "above":
            assert response.status_code == 403
        else:
            assert response.status_code == 404


def test_entry_post_does_not_change_an_existing_report_for_others(world, client_for):
    report = report_services.save_report(actor=world.user("here"), unit=world.c11, org_type=world.orgs["mttq"],
                                         period=world.period, data={"members": 50})
    for who, status in (("above", 403), ("elsewhere", 404), ("citizen", 404)):
        response = client_for(who).post(entry_url(world), {"members": "999", "action": "submit"})
        assert response.status_code == status
    report.refresh_from_db()
    assert (report.members, report.status) == (50, ReportStatus.DRAFT)


def test_staff_of_a_commune_cannot_open_the_province(world, client_for):
    client = client_for("here")
    assert client.get(reverse("orgs:unit", args=[world.p1.pk])).status_code == 404
    assert client.get(reverse("orgs:unit", args=[world.c12.pk])).status_code == 404
    assert client.get(reverse("orgs:units") + f"?cha={world.p1.pk}").status_code == 404
    assert client.get(reverse("orgs:unit", args=[world.v111.pk])).status_code == 200


def test_missing_objects_are_404(world, client_for):
    client = client_for("admin")
    assert client.get(reverse("orgs:unit", args=[999999])).status_code == 404
    assert client.get(reverse("orgs:completeness", args=[world.c11.pk, 999999])).status_code == 404
    assert client.get(entry_url(world, org="khong-co")).status_code == 404
    # the trade union has no organisation at village level
    assert client.get(entry_url(world, unit=world.v111, org="cong-doan")).status_code == 404


def test_pages_carry_the_csp_nonce(world, client_for):
    response = client_for("here").get(reverse("orgs:home"))
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    scripts = re.findall(r"<script[^>]*>", text(response))
    assert scripts, "htmx and app.js are loaded"
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert "/static/django_htmx/htmx-2.min.js" in text(response)


def test_login_page(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "Đăng nhập" in text(response)
    assert "Tên đăng nhập" in text(response)


# --- home -------------------------------------------------------------------------------------------


def test_home_lists_the_units_of_the_roles(world, client_for):
    body = text(client_for("above").get("/"))
    assert "Thành phố Hà Nội" in body
    assert "Phê duyệt" in body and "Xem" in body
    assert "Tỉnh Lào Cai" not in body
    assert "Trung ương" in text(client_for("admin").get("/"))
    assert "Chưa được phân công" in text(client_for("citizen").get("/"))


def test_home_counts_pending_approvals(world, client_for):
    submit(world, world.c11, who="here", members=10)
    assert "báo cáo đang chờ bạn duyệt" in text(client_for("above").get("/"))
    assert "đang chờ bạn duyệt" not in text(client_for("here").get("/"))


# --- unit tree and search ---------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "query", "found"), [
    ("above", "ha noi", "Thành phố Hà Nội"),
    ("admin", "ha noi", "Thành phố Hà Nội"),
    ("above", "duong", "Xã Đường Lâm"),
    ("above", "ĐƯỜNG LÂM", "Xã Đường Lâm"),
    ("admin", "bac ha", "Xã Bắc Hà"),
    ("elsewhere", "bac ha", "Xã Bắc Hà"),
    ("above", "00004", "Phường Ba Đình"),
])
def test_search_is_diacritic_insensitive(world, client_for, who, query, found):
    response = client_for(who).get(reverse("orgs:units"), {"q": query})
    assert response.status_code == 200
    assert found in text(response)


def test_search_stays_in_scope(world, client_for):
    for query in ("bac ha", "lao cai", "ban pho", "xa"):
        body = text(client_for("above").get(reverse("orgs:units"), {"q": query}))
        assert "Bắc Hà" not in body
        assert "Lào Cai" not in body
        assert "Bản Phố" not in body
    body = text(client_for("here").get(reverse("orgs:units"), {"q": "duong"}))
    assert "Đường Lâm" not in body
    body = text(client_for("citizen").get(reverse("orgs:units"), {"q": "ha"}))
    assert "Hà Nội" not in body
    assert "Không tìm thấy" in body


def test_search_shows_where_a_unit_is(world, client_for):
    body = text(client_for("above").get(reverse("orgs:units"), {"q": "to dan pho"}))
    assert "Tổ dân phố 1" in body
    assert "Phường Ba Đình · Thành phố Hà Nội" in body


def test_search_htmx_returns_the_results_only(world, client_for):
    response = client_for("above").get(
        reverse("orgs:units"), {"q": "duong"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="ket-qua"
    )
    assert response.status_code == 200
    assert "<html" not in text(response)
    assert "Xã Đường Lâm" in text(response)
    assert "HX-Request" in response["Vary"]


def test_tree_browsing(world, client_for):
    body = text(client_for("above").get(reverse("orgs:units")))  # one root: opened directly
    assert "Phường Ba Đình" in body and "Xã Đường Lâm" in body
    body = text(client_for("above").get(reverse("orgs:units"), {"cha": world.c11.pk}))
    assert "Tổ dân phố 1" in body and "Tổ dân phố 2" in body
    body = text(client_for("admin").get(reverse("orgs:units"), {"cha": world.central.pk}))
    assert "Thành phố Hà Nội" in body and "Tỉnh Lào Cai" in body
    body = text(client_for("citizen").get(reverse("orgs:units")))
    assert "chưa được phân công" in body


def test_tree_paginates_long_child_lists(world, client_for):
    for i in range(3, 40):
        make_unit(f"00004-{i:03d}", f"Tổ dân phố {i}", Level.VILLAGE, world.c11)
    client = client_for("above")
    first = text(client.get(reverse("orgs:units"), {"cha": world.c11.pk}))
    second = text(client.get(reverse("orgs:units"), {"cha": world.c11.pk, "trang": 2}))
    assert "Trang 1/2" in first and "Trang 2/2" in second
    assert first.count('class="list-item"') == 25
    assert second.count('class="list-item"') == 39 - 25
    assert f"cha={world.c11.pk}&amp;trang=2" in first


# --- unit page --------------------------------------------------------------------------------------


def test_unit_page_shows_figures_children_and_links(world, client_for):
    submit(world, world.c11, who="here", members=120, staff_fulltime=2, values={"quy-vi-nguoi-ngheo": 5_000_000})
    submit(world, world.v111, org="phu-nu", who="here", members=80)
    submit(world, world.c12, org="nong-dan", members=1500)
    response = client_for("above").get(reverse("orgs:unit", args=[world.p1.pk]), {"ky": world.period.pk})
    body = text(response)
    assert response.status_code == 200
    assert "Thành phố Hà Nội" in body
    assert "1.700" in body  # 120 + 80 + 1500 members in the subtree
    assert "5.000.000" in body
    assert "Phường Ba Đình" in body and "Xã Đường Lâm" in body
    assert reverse("orgs:export", args=[world.p1.pk, world.period.pk]) in body
    assert reverse("orgs:completeness", args=[world.p1.pk, world.period.pk]) in body
    # organisations at the province level, named for that level
    assert "Liên đoàn Lao động" in body


def test_unit_page_breadcrumb_and_level_names(world, client_for):
    body = text(client_for("here").get(reverse("orgs:unit", args=[world.v111.pk])))
    assert "Phường Ba Đình" in body and "Thành phố Hà Nội" in body
    assert f'href="/don-vi/{world.c11.pk}/"' in body
    assert f'href="/don-vi/{world.p1.pk}/"' not in body  # above the user's scope: shown, not linked
    assert "Ban Công tác Mặt trận" in body  # the Front committee is named so in a village
    assert entry_url(world, unit=world.v111) in body


def test_unit_page_shows_merged_units(world, client_for):
    merge_units(actor=world.user("admin"), sources=[world.c12], target=world.c11,
                effective=datetime.date(2026, 7, 1), decision="Nghị quyết số 1/2026")
    body = text(client_for("above").get(reverse("orgs:unit", args=[world.c12.pk])))
    assert "hết hiệu lực" in body
    assert "30/06/2026" in body
    assert "Phường Ba Đình" in body
    assert "Nghị quyết số 1/2026" in body
    body = text(client_for("above").get(reverse("orgs:unit", args=[world.c11.pk]),
                                        {"ky": world.period.pk}))
    assert "Xã Đường Lâm" in body  # a historical child in the period it was merged in


# --- data entry -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"members": "-5"}, "members", "không được âm"),
    ({"members": "abc"}, "members", "phải là số nguyên"),
    ({"members": "10", "staff_fulltime": "11"}, "staff_fulltime", "không được lớn hơn số hội viên"),
    ({"members": "10", "chi-tieu-quy-vi-nguoi-ngheo": "abc"}, "chi-tieu-quy-vi-nguoi-ngheo", "phải là số nguyên"),
    ({"members": "10", "chi-tieu-khu-dan-cu-van-hoa": "maybe"}, "chi-tieu-khu-dan-cu-van-hoa", "Có hoặc Không"),
])
@pytest.mark.parametrize("action", ["save", "submit"])
def test_bad_input_is_refused_in_vietnamese_and_nothing_saved(world, client_for, data, field, message, action):
    response = client_for("here").post(entry_url(world), {**data, "action": action})
    body = text(response)
    assert response.status_code == 422
    assert message in body
    assert f'id="e-{field}"' in body  # next to the field
    if "khu-dan-cu" not in field:  # what was typed is shown again (a select cannot show "maybe")
        assert re.search(rf'name="{field}"[^>]*value="{re.escape(data[field])}"', body)
    assert not Report.objects.filter(unit=world.c11).exists()


def test_bad_input_leaves_the_draft_as_it_was(world, client_for):
    client = client_for("here")
    client.post(entry_url(world), {"members": "40", "activities": "Họp dân", "action": "save"})
    response = client.post(entry_url(world), {"members": "30", "staff_fulltime": "31", "action": "save"})
    assert response.status_code == 422
    report = Report.objects.get(unit=world.c11, org_type=world.orgs["mttq"])
    assert (report.members, report.staff_fulltime, report.activities) == (40, 0, "Họp dân")


def test_entry_form_renders_the_indicators_by_type(world, client_for):
    body = text(client_for("here").get(entry_url(world)))
    assert 'name="members"' in body and 'inputmode="numeric"' in body
    assert "Quỹ “Vì người nghèo” vận động được (đồng)" in body
    assert '<select id="f-chi-tieu-khu-dan-cu-van-hoa"' in body
    assert '<textarea id="f-activities"' in body
    assert 'name="chi-tieu-ghi-chu-phong-trao" type="text"' in body
    assert 'value="submit"' in body
    # other organisations do not get the Front's indicators
    assert "Quỹ “Vì người nghèo”" not in text(client_for("here").get(entry_url(world, org="phu-nu")))


def test_save_then_submit_with_values(world, client_for):
    client = client_for("here")
    response = client.post(entry_url(world), {
        "members": "1.250", "staff_fulltime": "3", "chi-tieu-quy-vi-nguoi-ngheo": "12.500.000",
        "chi-tieu-khu-dan-cu-van-hoa": "true", "chi-tieu-ghi-chu-phong-trao": "Thi đua sôi nổi",
        "recommendations": "Tăng kinh phí", "action": "submit",
    })
    assert response.status_code == 302
    report = Report.objects.get(unit=world.c11, org_type=world.orgs["mttq"])
    assert report.status == ReportStatus.SUBMITTED
    assert report.members == 1250
    assert report.values == {"quy-vi-nguoi-ngheo": 12_500_000, "khu-dan-cu-van-hoa": True,
                             "ghi-chu-phong-trao": "Thi đua sôi nổi"}
    page = client.get(entry_url(world))
    body = text(page)
    assert "Đã nộp báo cáo." in body
    assert "12.500.000" in body and "Tăng kinh phí" in body
    assert 'name="members"' not in body  # read-only now
    # a submitted report cannot be changed from the form
    again = client.post(entry_url(world), {"members": "5", "action": "save"})
    assert again.status_code == 409
    assert "chỉ sửa được báo cáo nháp" in text(again)
    report.refresh_from_db()
    assert report.members == 1250


def test_entry_page_is_read_only_for_viewers(world, client_for):
    body = text(client_for("above").get(entry_url(world)))
    assert "Bạn chỉ có quyền xem" in body
    assert 'name="members"' not in body


# --- approval queue ---------------------------------------------------------------------------------


def test_queue_shows_submitted_reports_in_approve_scope(world, client_for):
    submit(world, world.c11, who="here", members=10)
    body = text(client_for("above").get(reverse("orgs:approvals")))
    assert "Phường Ba Đình" in body
    assert "Ủy ban Mặt trận Tổ quốc Việt Nam" in body
    assert "Phường Ba Đình" not in text(client_for("elsewhere").get(reverse("orgs:approvals")))
    assert "Phường Ba Đình" not in text(client_for("here").get(reverse("orgs:approvals")))
    assert "Phường Ba Đình" not in text(client_for("citizen").get(reverse("orgs:approvals")))


def test_queue_actions(world, client_for):
    report = submit(world, world.c11, who="here", members=10)
    url = reverse("orgs:report_action", args=[report.pk, "approve"])
    assert client_for("elsewhere").post(url).status_code == 404
    assert client_for("here").post(url).status_code == 403
    assert client_for("citizen").post(url).status_code == 404
    assert client_for("anonymous").post(url)["Location"].startswith(LOGIN)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    above = client_for("above")
    response = above.post(url, {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("orgs:approvals")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    body = text(above.get(reverse("orgs:approvals"), {"trang-thai": "approved"}))
    assert "Phường Ba Đình" in body and "/lock/" in body
    above.post(reverse("orgs:report_action", args=[report.pk, "lock"]))
    report.refresh_from_db()
    assert report.status == ReportStatus.LOCKED
    # approving again is refused with a message, not an error page
    response = above.post(url, follow=True)
    assert "Chỉ duyệt được báo cáo đã nộp" in text(response)
    # only a unit administrator above reopens a locked report
    response = above.post(reverse("orgs:report_action", args=[report.pk, "reopen"]))
    assert response.status_code == 403
    assert client_for("admin").post(reverse("orgs:report_action", args=[report.pk, "reopen"]),
                                    {"reason": "Sai số liệu"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_queue_reopen_and_get_not_allowed(world, client_for):
    report = submit(world, world.c11, who="here", members=10)
    url = reverse("orgs:report_action", args=[report.pk, "reopen"])
    assert client_for("above").get(url).status_code == 405
    next_url = entry_url(world)
    response = client_for("above").post(url, {"reason": "Thiếu số liệu", "next": next_url})
    assert response["Location"] == next_url
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert client_for("above").post(reverse("orgs:report_action", args=[report.pk, "explode"])).status_code == 404


def test_queue_filters_by_period(world, client_for):
    submit(world, world.c11, who="here", members=10)
    client = client_for("above")
    assert "Phường Ba Đình" in text(client.get(reverse("orgs:approvals"), {"ky": world.period.pk}))
    assert "Phường Ba Đình" not in text(client.get(reverse("orgs:approvals"), {"ky": world.open_period.pk}))


# --- completeness -----------------------------------------------------------------------------------


def test_completeness_page(world, client_for):
    submit(world, world.c11, who="here", members=10)
    response = client_for("admin").get(reverse("orgs:completeness", args=[world.p1.pk, world.period.pk]))
    body = text(response)
    assert response.status_code == 200
    assert body.count("<svg") == 1
    assert "Tỷ lệ đầy đủ" in body and "tỷ lệ đúng hạn" in body
    # worst first: Đường Lâm (nothing submitted) before Ba Đình
    assert body.index("Xã Đường Lâm") < body.index("Phường Ba Đình")


def test_grouped_expected_counts_match_one_query_per_unit(world):
    """``selectors.completeness`` counts expected reports for many units at once; the same numbers
    come from counting each subtree on its own."""
    submit(world, world.c11, who="here", members=10)
    submit(world, world.v111, org="phu-nu", who="here", members=10)
    for unit in (world.central, world.p1, world.c11):
        children = list(children_of(unit, world.period))
        rows = completeness(children, world.period)
        assert [r.expected for r in rows] == [expected_reports(c, world.period) for c in children]


def test_chart_is_safe_svg():
    svg = hbar_chart(["<script>alert(1)</script>", "Xã Đường Lâm"], [0.25, 1.5], max_value=1, title="Tỷ lệ")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "25,0%" in svg and "150,0%" in svg
    assert 'width="82.00%"' in svg  # clamped to a full bar
    with pytest.raises(ValueError, match="length"):
        hbar_chart(["a"], [])
    two = hbar_chart(["Xã A"], [0.9], max_value=1, second=[0.4])
    assert two.count("<rect") == 3
    assert "90,0%" in two and "40,0%" in two
    assert 'fill="#2e7d32"' in two  # green from 80 %


# --- Excel export -----------------------------------------------------------------------------------


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_excel_export_contains_the_totals(world, client_for):
    submit(world, world.c11, who="here", members=120, staff_fulltime=2)
    submit(world, world.v111, org="phu-nu", who="here", members=80)
    submit(world, world.c12, org="nong-dan", members=1500)
    report_services.save_report(actor=world.user("here"), unit=world.c11, org_type=world.orgs["nong-dan"],
                                period=world.period, data={"members": 7777})  # a draft: not counted
    response = client_for("above").get(reverse("orgs:export", args=[world.p1.pk, world.period.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"{world.p1.code}-{world.period.code}" in disposition
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["Tổng hợp"]
    rows = _rows(ws)
    header = next(r for r in rows if r and r[0] == "Mã đơn vị")
    members = header.index("Số hội viên, đoàn viên")
    assert ws.freeze_panes is not None

    def cell(code, org):
        return next(r for r in rows if r[0] == code and r[3] == org)[members]

    assert cell("01", "Cộng các tổ chức") == 1700
    assert cell("00004", "Cộng các tổ chức") == 200
    assert cell("00004", "Ủy ban Mặt trận Tổ quốc Việt Nam") == 120
    assert cell("00004", "Hội Liên hiệp Phụ nữ Việt Nam") == 80
    assert cell("09955", "Hội Nông dân Việt Nam") == 1500
    number_cell = next(c for c in ws[header_row(ws)] if c.value == "Số hội viên, đoàn viên")
    assert ws.cell(row=number_cell.row + 1, column=number_cell.column).number_format == "#,##0"
    progress = _rows(wb["Tiến độ"])
    assert any(r[0] == "00004" for r in progress)


def header_row(ws) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == "Mã đơn vị":
            return row[0].row
    raise AssertionError("no header")


def test_excel_export_of_a_village(world, client_for):
    submit(world, world.v111, org="phu-nu", who="here", members=80)
    response = client_for("here").get(reverse("orgs:export", args=[world.v111.pk, world.period.pk]))
    assert response.status_code == 200
    rows = _rows(load_workbook(io.BytesIO(response.content))["Tổng hợp"])
    assert any(r[0] == "00004-001" and r[3] == "Chi hội Phụ nữ" and r[4] == 80 for r in rows)


# --- query counts -----------------------------------------------------------------------------------


def _grow(world, n: int) -> None:
    """``n`` more communes under P1 and villages under C11, each with a submitted report."""
    start = Unit.objects.count()
    for i in range(n):
        commune = make_unit(f"X{start + i}", f"Xã Thử {i}", Level.COMMUNE, world.p1, "xã")
        village = make_unit(f"T{start + i}", f"Thôn Thử {i}", Level.VILLAGE, world.c11, "thôn")
        submit(world, commune, members=10 + i)
        submit(world, village, org="phu-nu", members=5 + i)


def _count(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("who", "page"), [
    ("above", "units"), ("above", "search"), ("above", "unit"), ("above", "completeness"),
    ("above", "approvals"), ("admin", "approvals"), ("here", "unit_c11"), ("above", "home"),
])
def test_list_pages_do_not_grow_with_the_data(world, client_for, who, page, django_assert_max_num_queries):
    p1, c11, period = world.p1, world.c11, world.period
    urls = {
        "units": (reverse("orgs:units"), {"cha": p1.pk}),
        "search": (reverse("orgs:units"), {"q": "thu"}),
        "unit": (reverse("orgs:unit", args=[p1.pk]), {"ky": period.pk}),
        "unit_c11": (reverse("orgs:unit", args=[c11.pk]), {"ky": period.pk}),
        "completeness": (reverse("orgs:completeness", args=[p1.pk, period.pk]), {}),
        "approvals": (reverse("orgs:approvals"), {}),
        "home": (reverse("orgs:home"), {}),
    }
    url, params = urls[page]
    client = client_for(who)
    _grow(world, 3)
    small = _count(client, url, **params)
    _grow(world, 30)
    with django_assert_max_num_queries(small):
        client.get(url, params)
    with django_assert_max_num_queries(30):
        client.get(url, params)


def test_export_query_count_is_fixed(world, client_for):
    client = client_for("admin")
    url = reverse("orgs:export", args=[world.p1.pk, world.period.pk])
    _grow(world, 2)
    small = _count(client, url)
    _grow(world, 20)
    assert _count(client, url) <= small


def test_another_province_user_sees_nothing_of_p1_in_lists(world, client_for):
    make_user("canbo.khac", roles=[(world.p2, "viewer")])
    submit(world, world.c11, who="here", members=10)
    body = text(client_for("elsewhere").get(reverse("orgs:units")))
    assert "Tỉnh Lào Cai" in body and "Hà Nội" not in body
