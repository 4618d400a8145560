"""The public pages (no account needed): answered cases with search and filters, one public case with
"report abuse", and the statistics per province and commune.

Only what staff published is shown (``selectors_public.PUBLIC_FIELDS``); the statistics are numbers per
place, computed over every case that is not hidden.
"""

from __future__ import annotations

import ipaddress
import re
import secrets

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST, require_safe

from digitalfront.accounts.requests import client_ip
from digitalfront.core import ratelimit
from digitalfront.core.errors import ValidationFailed
from digitalfront.orgs.charts import hbar_chart
from digitalfront.orgs.models import Level as UnitLevel
from digitalfront.orgs.models import Unit

from .. import selectors_public as sel
from ..charts_public import column_chart
from ..guard import DEVICE_COOKIE
from ..identity import keyed_hash
from ..models import Case
from ..services import citizen as citizen_services

REASON_MAX = 300
DEVICE_MAX_AGE = 2 * 365 * 24 * 3600  # two years: the reporter stays the same person for a long time
_DEVICE_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# One address may report this many cases an hour: enough for a family behind one router, not enough to
# hide the page's cases by clearing cookies (each fresh cookie is a new reporter).
REPORT_LIMIT = ratelimit.Limit(name="feedback-abuse-report", limit=10, window_s=3600)


# The list -------------------------------------------------------------------------------------------


@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    """Answered public cases, newest answer first, 20 a page, with search and filters.

    With htmx, changing the province asks only for the commune select (``HX-Target: chon-xa``); without
    JavaScript the form's "Lọc" button reloads the page, which lists the province's communes.
    """
    filters = sel.parse_filters(request.GET)
    communes = sel.commune_choices(filters.province)
    htmx = getattr(request, "htmx", None)  # django-htmx's middleware
    if htmx and htmx.target == "chon-xa":
        response = render(request, "feedback/public_commune_field.html", {"filters": filters, "communes": communes})
        patch_vary_headers(response, ("HX-Request", "HX-Target"))
        return response
    page = Paginator(sel.filtered_cases(filters), sel.PAGE_SIZE).get_page(request.GET.get("trang"))
    params = request.GET.copy()
    params.pop("trang", None)
    context = {
        "nav": "public",
        "page": page,
        "page_query": params.urlencode(),
        "filters": filters,
        "provinces": sel.province_choices(),
        "communes": communes,
        "topics": sel.topic_choices(),
        "statuses": sel.STATUS_CHOICES,
        "query_max": sel.QUERY_MAX,
    }
    response = render(request, "feedback/public_list.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


# One case and "report abuse" ------------------------------------------------------------------------


def _public_case_or_404(code: str) -> Case:
    case = sel.public_case(code)
    if case is None:
        # the project's 404 page, the same for unknown, unpublished, hidden and denunciation cases
        raise Http404("not public")
    return case


@require_safe
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One public case: the redacted title and content, the answer, the unit, the dates, the figures."""
    case = _public_case_or_404(code)
    return render(
        request,
        "feedback/public_case.html",
        {
            "nav": "public",
            "case": case,
            "reason_max": REASON_MAX,
        },
    )


def _device(request: HttpRequest) -> tuple[str, bool]:
    """The browser's long-lived random id (``df_device``) and whether it is new (to be set)."""
    value = str(request.COOKIES.get(DEVICE_COOKIE, ""))
    if _DEVICE_SHAPE.match(value):
        return value, False
    return secrets.token_urlsafe(24), True


def _address(request: HttpRequest) -> str:
    """The client's address; an IPv6 address counts as its /64 (one phone may use any address in it)."""
    address = client_ip(request) or ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ip.ipv4_mapped) if ip.ipv4_mapped else str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def reporter_key(request: HttpRequest, device: str) -> str:
    """Who reports, as a keyed hash: the account when signed in, else the address and the device cookie."""
    user = request.user
    if user.is_authenticated:
        return keyed_hash("reporter", f"account:{user.pk}")
    return keyed_hash("reporter", f"ip:{_address(request)}|device:{device}")


@require_POST
def report_abuse(request: HttpRequest, code: str) -> HttpResponse:
    """ "Báo cáo vi phạm": one report per reporter; the third distinct reporter hides the case for review."""
    case = _public_case_or_404(code)
    case_url = reverse("feedback_public:case", args=[case.code])
    device, new_device = _device(request)
    reason = (request.POST.get("ly_do") or "").strip()
    response = redirect(case_url)
    if len(reason) > REASON_MAX:
        messages.error(request, f"Lý do dài quá {REASON_MAX} ký tự. Hãy viết ngắn gọn hơn rồi gửi lại.")
    elif not _allowed(request):
        messages.error(request, "Bạn đã gửi quá nhiều báo cáo vi phạm trong thời gian ngắn. Vui lòng thử lại sau.")
    else:
        try:
            new = citizen_services.report_abuse(case=case, reporter_hash=reporter_key(request, device), reason=reason)
        except ValidationFailed as exc:
            messages.error(request, exc.message)
        else:
            if not new:
                messages.info(request, "Bạn đã báo cáo phản ánh này trước đây. Cảm ơn bạn, chúng tôi đang xem xét.")
            elif sel.public_case(case.code) is None:
                # the report hid it: its page is a 404 now, so go back to the list
                messages.success(request, "Cảm ơn bạn đã báo cáo. Phản ánh này đã được tạm ẩn để cán bộ xem xét.")
                response = redirect("feedback_public:list")
            else:
                messages.success(request, "Cảm ơn bạn đã báo cáo. Cán bộ sẽ xem xét phản ánh này.")
    if new_device and not request.user.is_authenticated:
        response.set_cookie(
            DEVICE_COOKIE, device, max_age=DEVICE_MAX_AGE, httponly=True, samesite="Lax", secure=request.is_secure()
        )
    return response


def _allowed(request: HttpRequest) -> bool:
    key = ratelimit.keys_for(request).get("ip")
    return key is None or ratelimit.hit(REPORT_LIMIT, key).allowed


# Statistics -----------------------------------------------------------------------------------------


def _period(request: HttpRequest, years: list[int], notices: list[str]) -> sel.Period:
    raw = (request.GET.get("nam") or "").strip()
    if not raw:
        return sel.last_twelve_months()
    if raw.isascii() and raw.isdigit() and int(raw) in years:
        return sel.year_period(int(raw))
    notices.append("Năm đã chọn không có số liệu; đang hiển thị 12 tháng gần nhất.")
    return sel.last_twelve_months()


def _province(request: HttpRequest, notices: list[str]) -> Unit | None:
    raw = (request.GET.get("tinh") or "").strip()
    if not raw:
        return None
    province = None
    if raw.isascii() and raw.isdigit() and len(raw) <= 12:
        province = Unit.objects.filter(pk=int(raw), level=UnitLevel.PROVINCE).first()
    if province is None:
        notices.append("Tỉnh, thành phố đã chọn không tồn tại; đang hiển thị số liệu cả nước.")
    return province


@require_safe
def stats(request: HttpRequest) -> HttpResponse:
    """Received, answered, on time, median days to answer and satisfaction: for the country and per
    province, or for one province and per commune (``?tinh=``), over a period (``?nam=`` or 12 months)."""
    notices: list[str] = []
    years = sel.stats_years()
    period = _period(request, years, notices)
    province = _province(request, notices)
    cases = sel.counted_cases(period)
    if province is None:
        total = sel.total_row(cases, "Cả nước")
        rows = sel.rows_by(cases, "province", sel.province_choices())
        chart_title = "Tỷ lệ trả lời đúng hạn theo tỉnh, thành phố"
    else:
        cases = cases.filter(province=province)
        total = sel.total_row(cases, province.name)
        rows = sel.rows_by(cases, "commune", sel.commune_choices(province), unknown_label="Cấp tỉnh (không gắn với xã)")
        chart_title = f"Tỷ lệ trả lời đúng hạn theo xã, phường – {province.name}"
    charted = [row for row in rows if row.answered]
    on_time_chart = (
        hbar_chart(
            [row.label for row in charted],
            [row.on_time_share or 0.0 for row in charted],
            title=chart_title,
            max_value=1.0,
        )
        if charted
        else None
    )
    months = sel.received_per_month(cases, period)
    month_chart = column_chart(
        [(f"{m:%m}", f"{m:%Y}") for m, _ in months],
        [n for _, n in months],
        title=f"Số phản ánh tiếp nhận theo tháng – {period.label}",
    )
    params = request.GET.copy()
    params.pop("tinh", None)
    return render(
        request,
        "feedback/stats.html",
        {
            "nav": "stats",
            "period": period,
            "years": years,
            "province": province,
            "total": total,
            "rows": rows,
            "on_time_chart": on_time_chart,
            "chart_title": chart_title,
            "month_chart": month_chart,
            "months": months,
            "notices": notices,
            "year_query": f"nam={period.year}" if period.year else "",
        },
    )
