"""Queries behind the public pages: answered cases that may be shown, their search and filters, and the
statistics per province and commune.

Nothing here reads the sender's identity, the original ``content`` or the ``address``: the list and the
case page load only the fields named in :data:`PUBLIC_FIELDS`, which staff have redacted on publication.
The statistics count every case that is not hidden, but only as numbers per place and month.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Avg, Count, DurationField, ExpressionWrapper, F, Min, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from digitalfront.core.text import fold
from digitalfront.orgs.models import Level as UnitLevel
from digitalfront.orgs.models import Unit

from .models import Case, Status, Topic

PAGE_SIZE = 20
QUERY_MAX = 200
QUERY_WORDS_MAX = 12  # more words than this add nothing to a search and cost a LIKE each
PUBLIC_STATUSES = (Status.ANSWERED, Status.CLOSED)
STATUS_CHOICES = (("answered", "Đã trả lời"), ("closed", "Đã đóng"))

# The only columns of a case the public pages load. ``content``, ``address``, ``identity_sealed`` and the
# other private columns are never read, so a template cannot show them by mistake.
PUBLIC_FIELDS = (
    "id",
    "code",
    "kind",
    "status",
    "public_title",
    "public_content",
    "public_name",
    "answer",
    "supporters",
    "satisfaction",
    "rated_at",
    "received_at",
    "answered_at",
    "published",
    "hidden",
    "topic__id",
    "topic__code",
    "topic__name",
    "province__id",
    "province__name",
    "commune__id",
    "commune__name",
    "unit__id",
    "unit__name",
)

# Control characters (also tab and line breaks: a search box never sends them) and U+FFFD, the mark of
# bytes that were not UTF-8.
_BAD_QUERY_CHARS = re.compile("[\x00-\x1f\x7f\ufffd]")


# The public list ------------------------------------------------------------------------------------


def public_cases() -> QuerySet[Case]:
    """Every case the public may read: published, not hidden, not a denunciation, and answered."""
    return (
        Case.objects.public()
        .filter(status__in=PUBLIC_STATUSES, answered_at__isnull=False)
        .select_related("topic", "province", "commune", "unit")
        .only(*PUBLIC_FIELDS)
    )


def public_case(code: str) -> Case | None:
    """The public case with tracking code ``code``, or None when there is none the public may read."""
    if not isinstance(code, str) or len(code) > 16:
        return None
    return public_cases().filter(code=code).first()


@dataclass
class PublicFilters:
    """The list's search and filters as understood, plus Vietnamese notices about what was ignored."""

    query: str = ""
    words: list[str] = field(default_factory=list)
    province: Unit | None = None
    commune: Unit | None = None
    topic: Topic | None = None
    status: str = ""
    notices: list[str] = field(default_factory=list)
    query_error: str = ""

    @property
    def active(self) -> bool:
        return bool(self.words or self.province or self.commune or self.topic or self.status)


def _int(raw: str) -> int | None:
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        return None
    return int(raw)


def check_query(raw: str) -> tuple[str, str]:
    """``(query, error)``: the search text trimmed, or an empty query and why it was refused."""
    query = (raw or "").strip()
    if len(query) > QUERY_MAX:
        return "", f"Từ khoá tìm kiếm dài quá {QUERY_MAX} ký tự. Hãy nhập ngắn gọn hơn, ví dụ: ô nhiễm."
    if _BAD_QUERY_CHARS.search(query):
        return "", "Từ khoá tìm kiếm có ký tự không hợp lệ. Hãy gõ lại bằng bàn phím tiếng Việt."
    return query, ""


def parse_filters(params: Mapping[str, Any]) -> PublicFilters:
    """Read ``q``, ``tinh``, ``xa``, ``linh_vuc`` and ``trang_thai``; an invalid value is dropped with a
    notice (never an error page: these come from links that may be old, edited or mistyped)."""
    result = PublicFilters()
    query, error = check_query(str(params.get("q") or ""))
    result.query, result.query_error = query, error
    result.words = fold(query).split()[:QUERY_WORDS_MAX]

    raw_province = str(params.get("tinh") or "").strip()
    if raw_province:
        province_id = _int(raw_province)
        result.province = (
            Unit.objects.filter(pk=province_id, level=UnitLevel.PROVINCE).first() if province_id is not None else None
        )
        if result.province is None:
            result.notices.append("Tỉnh, thành phố đã chọn không tồn tại; đã bỏ qua bộ lọc này.")

    raw_commune = str(params.get("xa") or "").strip()
    if raw_commune:
        commune_id = _int(raw_commune)
        commune = (
            Unit.objects.filter(pk=commune_id, level=UnitLevel.COMMUNE).select_related("parent").first()
            if commune_id is not None
            else None
        )
        if commune is None:
            result.notices.append("Xã, phường đã chọn không tồn tại; đã bỏ qua bộ lọc này.")
        elif result.province is None and not raw_province:
            # a link with only ``xa`` (shared from a commune's page): its province follows
            result.commune, result.province = commune, commune.parent
        elif result.province is not None and commune.parent_id == result.province.pk:
            result.commune = commune
        else:
            result.notices.append("Xã, phường đã chọn không thuộc tỉnh, thành phố đã chọn; đã bỏ qua bộ lọc xã.")

    raw_topic = str(params.get("linh_vuc") or "").strip()
    if raw_topic:
        result.topic = Topic.objects.filter(code=raw_topic[:40]).first()
        if result.topic is None:
            result.notices.append("Lĩnh vực đã chọn không tồn tại; đã bỏ qua bộ lọc này.")

    raw_status = str(params.get("trang_thai") or "").strip()
    if raw_status:
        if raw_status in dict(STATUS_CHOICES):
            result.status = raw_status
        else:
            result.notices.append("Trạng thái đã chọn không hợp lệ; đã bỏ qua bộ lọc này.")
    return result


def filtered_cases(filters: PublicFilters) -> QuerySet[Case]:
    """The public cases matching ``filters``, newest answer first.

    Search is diacritic-insensitive: every folded word of the query must occur in ``public_folded`` (the
    folded public title, content and answer, written on publication), so "duong" finds "đường".
    """
    cases = public_cases()
    for word in filters.words:
        # public_folded and the word are both lower case: a plain (case-sensitive on PostgreSQL) LIKE
        cases = cases.filter(public_folded__contains=word)
    if filters.commune is not None:
        cases = cases.filter(commune=filters.commune)
    elif filters.province is not None:
        cases = cases.filter(province=filters.province)
    if filters.topic is not None:
        cases = cases.filter(topic=filters.topic)
    if filters.status:
        cases = cases.filter(status=filters.status)
    return cases.order_by("-answered_at", "-id")


def province_choices() -> list[Unit]:
    """The provinces in force, in the order of their official code."""
    return list(
        Unit.objects.filter(level=UnitLevel.PROVINCE, valid_to__isnull=True).only("id", "name", "code").order_by("code")
    )


def commune_choices(province: Unit | None) -> list[Unit]:
    """The communes in force of ``province`` (none without a province: a country has thousands)."""
    if province is None:
        return []
    return list(
        Unit.objects.filter(parent=province, level=UnitLevel.COMMUNE, valid_to__isnull=True)
        .only("id", "name", "code")
        .order_by("name")
    )


def topic_choices() -> list[Topic]:
    return list(Topic.objects.filter(active=True))


# Statistics -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """``[start, end)`` in aware datetimes, with its label and the year it stands for (None: rolling)."""

    start: dt.datetime
    end: dt.datetime
    label: str
    year: int | None = None

    def months(self) -> list[dt.date]:
        """The first day of each calendar month the period touches."""
        first = timezone.localtime(self.start).date().replace(day=1)
        last = timezone.localtime(self.end - dt.timedelta(microseconds=1)).date()
        months = []
        while first <= last:
            months.append(first)
            first = (first + dt.timedelta(days=32)).replace(day=1)
        return months


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def last_twelve_months(now: dt.datetime | None = None) -> Period:
    """The current calendar month and the eleven before it (local time), up to now."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    month, year = today.month - 11, today.year
    if month < 1:
        month, year = month + 12, year - 1
    start = _local_midnight(dt.date(year, month, 1))
    return Period(start, now, f"12 tháng gần nhất ({start:%m/%Y} – {today:%m/%Y})")


def year_period(year: int) -> Period:
    """1 January to 31 December of ``year``, local time."""
    return Period(_local_midnight(dt.date(year, 1, 1)), _local_midnight(dt.date(year + 1, 1, 1)), f"Năm {year}", year)


def stats_years(now: dt.datetime | None = None) -> list[int]:
    """Years that have cases, newest first (at least the current year)."""
    current = timezone.localtime(now or timezone.now()).year
    first = Case.objects.aggregate(first=Min("received_at"))["first"]
    start = timezone.localtime(first).year if first else current
    return list(range(current, max(min(start, current), current - 30) - 1, -1))


@dataclass
class StatRow:
    """The figures of one place (the country, a province, a commune) for a period.

    ``answered`` are the cases received in the period that have an answer now; ``on_time`` those answered
    by their deadline; ``median_days`` the median of answered_at - received_at over the answered ones.
    """

    label: str
    unit_id: int | None = None
    received: int = 0
    answered: int = 0
    on_time: int = 0
    ratings: int = 0
    satisfaction: float | None = None
    median_days: float | None = None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.answered if self.answered else None

    @property
    def on_time_percent(self) -> str:
        share = self.on_time_share
        return "–" if share is None else f"{share * 100:.1f}".replace(".", ",") + "%"

    @property
    def median_text(self) -> str:
        return "–" if self.median_days is None else f"{self.median_days:.1f}".replace(".", ",")

    @property
    def satisfaction_text(self) -> str:
        return "–" if self.satisfaction is None else f"{self.satisfaction:.1f}".replace(".", ",")


ANSWERED = Q(status__in=PUBLIC_STATUSES, answered_at__isnull=False)
DURATION = ExpressionWrapper(F("answered_at") - F("received_at"), output_field=DurationField())


class Median(Aggregate):
    """PostgreSQL's exact median of an interval (``percentile_cont`` over a duration)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()  # type: ignore[assignment]


def counted_cases(period: Period) -> QuerySet[Case]:
    """What the statistics count: cases received in ``period``, not hidden (spam, banned senders, abuse
    under review) and not merged into another case (the case it joined counts it, as a supporter)."""
    return Case.objects.filter(received_at__gte=period.start, received_at__lt=period.end, hidden=False).exclude(
        status=Status.MERGED
    )


def _figures() -> dict[str, Any]:
    return {
        "received": Count("id"),
        "answered": Count("id", filter=ANSWERED),
        "on_time": Count("id", filter=ANSWERED & Q(answered_on_time=True)),
        "ratings": Count("satisfaction"),
        "satisfaction": Avg("satisfaction"),
    }


def _days(value: dt.timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 86400, 1)


def _medians(cases: QuerySet[Case], group: str | None) -> dict[Any, float | None]:
    """Median days to answer per value of ``group`` (None: one group for all).

    PostgreSQL computes it exactly in one grouped query. Elsewhere (SQLite, the embedded default for small
    installations) one query reads only the durations of the answered cases, one number per case, and
    Python takes the median.
    """
    answered = cases.filter(ANSWERED)
    if connection.vendor == "postgresql":
        if group is None:
            return {None: _days(answered.aggregate(m=Median(DURATION))["m"])}
        rows = answered.values(group).annotate(m=Median(DURATION)).order_by()
        return {row[group]: _days(row["m"]) for row in rows}
    durations: dict[Any, list[float]] = defaultdict(list)
    fields = (group, "duration") if group else ("duration",)
    for row in answered.annotate(duration=DURATION).values_list(*fields).order_by():
        key, value = (row[0], row[1]) if group else (None, row[0])
        if value is not None:
            durations[key].append(value.total_seconds())
    return {key: round(statistics.median(values) / 86400, 1) for key, values in durations.items()}


def _fill(row: StatRow, figures: Mapping[str, Any], median: float | None) -> StatRow:
    row.received = figures.get("received") or 0
    row.answered = figures.get("answered") or 0
    row.on_time = figures.get("on_time") or 0
    row.ratings = figures.get("ratings") or 0
    average = figures.get("satisfaction")
    row.satisfaction = round(float(average), 1) if average is not None and row.ratings else None
    row.median_days = median
    return row


def total_row(cases: QuerySet[Case], label: str) -> StatRow:
    """The figures of all of ``cases`` together."""
    return _fill(StatRow(label), cases.aggregate(**_figures()), _medians(cases, None).get(None))


def rows_by(cases: QuerySet[Case], group: str, units: Iterable[Unit], *, unknown_label: str = "") -> list[StatRow]:
    """One row per unit of ``units`` (zeros when it has no case), grouping ``cases`` by ``group`` (``province``
    or ``commune``). With ``unknown_label``, cases whose ``group`` is empty get a last row of their own."""
    figures = {row[group]: row for row in cases.values(group).annotate(**_figures()).order_by()}
    medians = _medians(cases, group)
    rows = [_fill(StatRow(unit.name, unit.pk), figures.get(unit.pk, {}), medians.get(unit.pk)) for unit in units]
    if unknown_label and None in figures:
        rows.append(_fill(StatRow(unknown_label), figures[None], medians.get(None)))
    return rows


def received_per_month(cases: QuerySet[Case], period: Period) -> list[tuple[dt.date, int]]:
    """``(first day of the month, cases received)`` for each month of ``period``, zeros included."""
    counts: dict[dt.date, int] = {}
    tz = timezone.get_current_timezone()
    for row in (
        cases.annotate(month=TruncMonth("received_at", tzinfo=tz)).values("month").annotate(n=Count("id")).order_by()
    ):
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = timezone.localtime(month, tz).date() if timezone.is_aware(month) else month.date()
        counts[month] = counts.get(month, 0) + row["n"]
    return [(month, counts.get(month, 0)) for month in period.months()]
