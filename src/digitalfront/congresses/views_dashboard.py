"""The staff dashboard of the congresses of the current term: national progress by level and state, the
provinces coloured by their communes' progress, a province's communes (drill-down), the calendar of the
next 30 days, the composition of the committees elected against the targets, the news, an Excel export,
and the Server-Sent Events stream that keeps the open pages up to date (``static/congresses/live.js``).

For Front staff (a staff account with a role at some unit) and superusers; anonymous visitors are sent
to the sign-in page, citizens get a 403. The national figures are aggregates; the export holds the
congresses in the user's own scope (``Congress.objects.for_user``).
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from digitalfront.accounts.models import AccountKind
from digitalfront.core import live
from digitalfront.core.errors import DomainError, NotFound, PermissionDenied
from digitalfront.core.scoping import scope_for
from digitalfront.core.views import domain_error_page
from digitalfront.orgs.models import Level, Unit

from . import selectors as sel
from .models import COMPOSITION, Congress, Status

CHANNEL = "congresses"
CALENDAR_PAGE = 20
FIGURES_TTL_S = 300  # the cached figures' longest life (a unit renamed shows within this)
HEARTBEAT_S = 15.0  # a comment line this often keeps proxies from closing the stream
STREAM_S = 180.0  # then the stream ends and the browser reconnects (with Last-Event-ID)
HELD = (Status.HELD, Status.REPORTED, Status.CONFIRMED)
LEVELS = ((Level.PROVINCE, "Cấp tỉnh"), (Level.COMMUNE, "Cấp xã"))
STATUS_COLOURS = {"none": "#cfd8dc", Status.PLANNED: "#90a4ae", Status.PREPARING: "#ffb300",
                  Status.HELD: "#42a5f5", Status.REPORTED: "#1e88e5", Status.CONFIRMED: "#2e7d32"}


def may_view(user: Any) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user.kind == AccountKind.STAFF and not scope_for(user, "view").nothing)


def dashboard_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Signed in (else the login page), Front staff (else 403); domain errors as a Vietnamese page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            if not may_view(request.user):
                raise PermissionDenied("Trang theo dõi đại hội dành cho cán bộ Mặt trận có vai trò tại một đơn vị.")
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return domain_error_page(request, exc)

    return login_required(wrapper)


# --- pieces of the pages -------------------------------------------------------------------------------


def _percent(share: float) -> str:
    return f"{share * 100:.1f}".replace(".", ",") + "%"


def level_rows(progress: sel.Progress) -> list[dict[str, Any]]:
    """Per level: each state's count (and the units with no record yet), for the numbers and the bar."""
    rows = []
    for level, label in (*LEVELS, ("total", "Tổng")):
        counts = progress.counts.get(level, {})
        expected = progress.expected.get(level, 0)
        recorded = sum(counts.values())
        cells = [{"status": "none", "label": "Chưa có kế hoạch", "n": max(expected - recorded, 0)}]
        cells += [{"status": value, "label": text, "n": counts.get(value, 0)} for value, text in sel.status_order()]
        held = sum(counts.get(s, 0) for s in HELD)
        rows.append({"level": level, "label": label, "expected": expected, "cells": cells, "held": held,
                     "held_share": _percent(held / expected if expected else 0.0),
                     "bar": progress_bar(cells, expected, level, label)})
    return rows


def progress_bar(cells: list[dict[str, Any]], expected: int, level: str, label: str) -> SafeString:
    """A stacked bar (SVG, widths in % of the bar) of the states; ``live.js`` moves its segments."""
    total = max(expected, sum(c["n"] for c in cells), 1)
    x = 0.0
    parts = [f'<svg class="dh-bar" data-bar="{level}" data-total="{total}" xmlns="http://www.w3.org/2000/svg" '
             f'width="100%" height="18" role="img" aria-label="Tiến độ {escape(label.lower())}">']
    for cell in cells[1:]:  # "no record yet" is the empty track
        width = cell["n"] / total * 100
        parts.append(f'<rect data-seg="{level}:{cell["status"]}" x="{x:.2f}%" y="0" width="{width:.2f}%" '
                     f'height="18" fill="{STATUS_COLOURS[cell["status"]]}"><title>{escape(cell["label"])}: '
                     f'{cell["n"]}</title></rect>')
        x += width
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped labels and numbers


def tile_class(share: float) -> str:
    """The colour step of a province tile: 0 (none held) to 5 (all held)."""
    if share <= 0:
        return "dh-p0"
    if share >= 1:
        return "dh-p5"
    return f"dh-p{min(int(share * 4) + 1, 4)}"


def tiles(term: Any) -> list[dict[str, Any]]:
    out = []
    for row in sel.province_grid(term):
        held = sum(row.by_status.get(s, 0) for s in HELD)
        out.append({"unit": row.unit, "own": row.own, "communes": row.communes, "held": held,
                    "share": _percent(row.held_share), "css": tile_class(row.held_share)})
    return out


def composition_chart(comp: dict[str, Any]) -> SafeString:
    """The share of each group in the committees elected, a bar each, with the target as a mark."""
    row, span = 44, 78.0
    height = row * len(comp["groups"]) + 4
    parts = [f'<svg class="chart dh-composition" xmlns="http://www.w3.org/2000/svg" width="100%" height="{height}" '
             'role="img" aria-label="Cơ cấu Ủy ban so với mục tiêu">']
    for i, group in enumerate(comp["groups"]):
        y = i * row
        share, target = group["share"], group["target"]
        met = target is None or share >= target
        fill = "#2e7d32" if met else "#ef8f00"
        text = _percent(share) + (f" / {_percent(target)}" if target is not None else "")
        tip = f"{group['label']}: {group['count']} người, {_percent(share)}" + (
            f", mục tiêu {_percent(target)}" if target is not None else "")
        parts.append(f'<g data-group="{group["field"]}"><title>{escape(tip)}</title>'
                     f'<text x="0" y="{y + 14}" class="chart-label">{escape(group["label"])}</text>'
                     f'<rect x="0" y="{y + 20}" width="{span}%" height="14" rx="3" class="chart-track"/>'
                     f'<rect x="0" y="{y + 20}" width="{min(share, 1) * span:.2f}%" height="14" rx="3" '
                     f'fill="{fill}"/>')
        if target is not None:
            tx = min(target, 1) * span
            parts.append(f'<line x1="{tx:.2f}%" x2="{tx:.2f}%" y1="{y + 17}" y2="{y + 37}" class="dh-target"/>')
        parts.append(f'<text x="{span + 1.5}%" y="{y + 32}" class="chart-value">{escape(text)}</text></g>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped labels and numbers


class Figures:
    """The term's figures, computed only when a template fragment that shows them is not in the cache
    (``{% cache %}`` keyed by :func:`figures_version`): every attribute is computed on first use."""

    def __init__(self, term: Any, province: Unit | None = None) -> None:
        self.term, self.province = term, province

    @cached_property
    def levels(self) -> list[dict[str, Any]]:
        rows = level_rows(sel.progress(self.term, within=self.province))
        return [row for row in rows if row["level"] == Level.COMMUNE] if self.province is not None else rows

    @cached_property
    def tiles(self) -> list[dict[str, Any]]:
        return tiles(self.term)

    @cached_property
    def compositions(self) -> list[dict[str, Any]]:
        out = []
        for level, label in ((None, "Tất cả các cấp"), *LEVELS):
            comp = sel.composition(self.term, level=level)
            out.append({"label": label, "committees": comp["committees"], "members": comp["members"],
                        "groups": comp["groups"], "chart": composition_chart(comp)})
        return out

    @cached_property
    def rows(self) -> list[dict[str, Any]]:
        return sel.drilldown(self.term, self.province) if self.province is not None else []


def figures_version(term: Any, live_after: str | None) -> str:
    """What the cached figures of ``term`` were computed from: the congresses' count and latest change
    (a change written without the services, e.g. the demo, shows at once) and the position of the live
    channel (every change through the services publishes after its commit, so a change committed late
    with an earlier ``updated_at`` still makes a new key)."""
    row = Congress.objects.filter(term=term).aggregate(n=Count("pk"), latest=Max("updated_at"))
    latest = row["latest"].isoformat() if row["latest"] else "-"
    return f"{term.pk}:{row['n']}:{latest}:{live_after or '-'}"


def _no_term(request: HttpRequest) -> HttpResponse:
    return render(request, "congresses/dashboard.html", {"nav": "congresses", "term": None})


# --- pages -----------------------------------------------------------------------------------------------


@require_safe
@dashboard_page
def dashboard(request: HttpRequest) -> HttpResponse:
    term = sel.current_term()
    if term is None:
        return _no_term(request)
    today = timezone.localdate()
    calendar = Paginator(sel.calendar(term, today=today), CALENDAR_PAGE).get_page(request.GET.get("trang"))
    live_after = live.last_id(CHANNEL) or ""
    return render(request, "congresses/dashboard.html", {
        "nav": "congresses",
        "term": term,
        "figures": Figures(term),
        "version": figures_version(term, live_after),
        "ttl": FIGURES_TTL_S,
        "calendar": calendar,
        "page": calendar,
        "page_query": "",
        "today": today,
        "news": sel.news_feed(term, limit=10),
        "live_after": live_after,
    })


@require_safe
@dashboard_page
def province(request: HttpRequest, code: str) -> HttpResponse:
    unit = Unit.objects.filter(code=code, level=Level.PROVINCE, valid_to__isnull=True).first()
    if unit is None:
        raise NotFound("Không có tỉnh, thành phố mã này.")
    term = sel.current_term()
    if term is None:
        return _no_term(request)
    own = Congress.objects.filter(term=term, unit=unit).first()
    live_after = live.last_id(CHANNEL) or ""
    return render(request, "congresses/dashboard_province.html", {
        "nav": "congresses",
        "term": term,
        "province": unit,
        "own": own,
        "figures": Figures(term, unit),
        "version": figures_version(term, live_after),
        "ttl": FIGURES_TTL_S,
        "live_after": live_after,
    })


EXPORT_COLUMNS = [
    ("Mã đơn vị", 12), ("Đơn vị", 32), ("Cấp", 10), ("Tỉnh, thành phố", 26), ("Tình trạng", 20),
    ("Ngày dự kiến", 13), ("Ngày tổ chức", 13), ("Địa điểm", 30), ("Đại biểu được triệu tập", 12),
    ("Đại biểu có mặt", 12), ("Số ủy viên Ủy ban", 12), ("Số ủy viên Ban Thường trực", 12), ("Chủ tịch", 26),
    ("Phó chủ tịch", 40), ("Ủy viên Ban Thường trực khác", 40), *((label, 10) for _, label in COMPOSITION),
    ("Đại biểu dự đại hội cấp trên", 12),
]


@require_safe
@dashboard_page
def export(request: HttpRequest) -> HttpResponse:
    """All congresses of the term in the user's scope, one row each, as an Excel workbook."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    term = sel.current_term()
    if term is None:
        raise NotFound("Chưa có nhiệm kỳ nào.")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Đại hội")
    for i, (_, width) in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.append([label for label, _ in EXPORT_COLUMNS])
    level_labels = dict(Level.choices)
    rows = (Congress.objects.for_user(request.user, "view").filter(term=term)
            .select_related("unit", "unit__parent").order_by("unit__path"))
    for c in rows.iterator(chunk_size=1000):
        province_name = c.unit.name if c.unit.level == Level.PROVINCE else (c.unit.parent.name if c.unit.parent else "")
        sheet.append([
            c.unit.code, c.unit.name, level_labels.get(c.level, c.level), province_name, c.get_status_display(),
            c.planned_on, c.held_on, c.venue, c.delegates_summoned, c.delegates_attending, c.committee_size,
            c.standing_size, c.chair, "; ".join(c.vice_chairs or []), "; ".join(c.standing_members or []),
            *(getattr(c, name) for name, _ in COMPOSITION),
            c.delegates_to_above,
        ])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="dai-hoi-{stamp}.xlsx"'
    return response


# --- live updates ---------------------------------------------------------------------------------------


def _sse(event_id: str, data: dict[str, Any]) -> bytes:
    kind = str(data.get("kind") or "message")
    return f"id: {event_id}\nevent: {kind}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n".encode()


class _Counter:
    def __init__(self) -> None:
        self.value = 0
        self.lock = threading.Lock()

    def add(self, n: int) -> None:
        with self.lock:
            self.value += n


open_streams = _Counter()  # streams being served by this process (tests wait for theirs to end)


def event_stream(after: str | None, *, seconds: float, heartbeat: float) -> Iterator[bytes]:
    """The events after ``after`` for ``seconds``, a comment line every ``heartbeat`` seconds (a closed
    page is noticed when the next line cannot be written)."""
    open_streams.add(1)
    try:
        yield b"retry: 3000\n: dai-hoi\n\n"
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            for event_id, data in live.listen(CHANNEL, after, timeout_s=min(heartbeat, remaining)):
                after = event_id
                yield _sse(event_id, data)
            yield b": ping\n\n"
    finally:
        open_streams.add(-1)


@require_safe
@dashboard_page
def events(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """``text/event-stream`` of the changes to congresses (``live.publish("congresses", ...)``). Resumes
    after ``Last-Event-ID`` (sent by the browser when it reconnects) or ``?sau=`` (the position when the
    page was drawn); without either, from now on."""
    after = request.headers.get("Last-Event-ID") or request.GET.get("sau") or None
    if after is None:
        after = live.last_id(CHANNEL)  # fixed now, so that nothing published after this is missed
    seconds = float(getattr(settings, "CONGRESSES_STREAM_SECONDS", STREAM_S))
    heartbeat = float(getattr(settings, "CONGRESSES_HEARTBEAT_SECONDS", HEARTBEAT_S))
    response = StreamingHttpResponse(event_stream(after, seconds=seconds, heartbeat=heartbeat),
                                     content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass the events on as they come
    return response
