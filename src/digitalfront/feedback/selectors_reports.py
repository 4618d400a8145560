"""Reads behind the staff reports (``/xu-ly/bao-cao/``) and the directory pages (``/xu-ly/danh-ba/``).

Everything starts from a scoped queryset (``for_user``). The export reads named columns only: the sealed
identity, the content and the address of a case are never selected, and a denunciation's title is
replaced in the query itself, so neither can reach a spreadsheet by mistake. The charts count rows per
month with ``TruncMonth`` + ``Count``: one grouped query per chart, whatever the number of months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case as CaseWhen
from django.db.models import CharField, Count, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from digitalfront.accounts.models import AccountKind, User
from digitalfront.core.scoping import scope_for, subtree_q
from digitalfront.core.text import fold
from digitalfront.orgs.models import PATH_SEGMENT, Unit
from digitalfront.orgs.models import Level as UnitLevel

from . import selectors
from .models import AnswerTemplate, Authority, Case, Kind, Topic
from .selectors_public import Period, last_twelve_months

EXPORT_MAX_ROWS = 50_000
DENUNCIATION_TITLE = "Tố cáo (nội dung bảo mật)"
NO_TOPIC = "Chưa phân loại"
OTHER_TOPICS = "Lĩnh vực khác"
TOPICS_SHOWN = 7  # the biggest topics get their own colour; the rest are summed as "other"
ON_TIME_ROWS_MAX = 40  # rows of the on-time chart (worst first); the table under it has them all

# The columns of the export, in order: (key in the row dict, Vietnamese header, kind of value)
EXPORT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("code", "Mã phản ánh", "text"),
    ("kind", "Loại", "text"),
    ("status", "Trạng thái", "text"),
    ("topic", "Lĩnh vực", "text"),
    ("urgency", "Mức độ khẩn", "text"),
    ("title", "Tiêu đề", "text"),
    ("province", "Tỉnh, thành phố", "text"),
    ("commune", "Xã, phường", "text"),
    ("unit", "Đơn vị xử lý", "text"),
    ("received_at", "Ngày tiếp nhận", "datetime"),
    ("accepted_at", "Ngày thụ lý", "datetime"),
    ("due_at", "Hạn xử lý", "datetime"),
    ("answered_at", "Ngày trả lời", "datetime"),
    ("answered_on_time", "Trả lời đúng hạn", "bool"),
    ("supporters", "Số người cùng phản ánh", "int"),
    ("satisfaction", "Mức hài lòng (1–5)", "int"),
)

# What the export query selects. Deliberately no content, address, identity_sealed, contact_hash,
# public_name: the spreadsheet can only show what is loaded here.
_EXPORT_FIELDS = (
    "code",
    "kind",
    "status",
    "topic__name",
    "urgency",
    "safe_title",
    "province__name",
    "commune__name",
    "unit__name",
    "received_at",
    "accepted_at",
    "due_at",
    "answered_at",
    "answered_on_time",
    "supporters",
    "satisfaction",
)


def has_staff_scope(user: Any) -> bool:
    """Whether ``user`` handles or oversees feedback anywhere (a role at a unit, or a superuser).

    Citizens and competent-authority accounts have no role: the staff reports answer them 404."""
    return not scope_for(user, "view").nothing


# --- export ------------------------------------------------------------------------------------------


@dataclass
class ExportRows:
    """The rows to write (an iterator of dicts keyed as :data:`EXPORT_COLUMNS`) and whether they were capped."""

    total: int
    limit: int
    rows: Iterator[dict[str, Any]]

    @property
    def capped(self) -> bool:
        """Whether more cases matched than are written."""
        return self.total > self.limit


def export_rows(user: Any, filters: selectors.InboxFilters, *, limit: int | None = None) -> ExportRows:
    """The inbox of ``user`` with ``filters`` (same scope, same order) as plain rows for the spreadsheet,
    at most ``limit`` (default :data:`EXPORT_MAX_ROWS`).

    Two queries: a count, then the rows streamed in chunks, so 50,000 cases never sit in memory as
    model instances."""
    limit = limit or EXPORT_MAX_ROWS
    cases = selectors.inbox(user, filters).annotate(
        safe_title=CaseWhen(
            When(kind=Kind.DENUNCIATION, then=Value(DENUNCIATION_TITLE)), default="title", output_field=CharField()
        ),
    )
    total = cases.count()
    labels = _export_labels()

    def rows() -> Iterator[dict[str, Any]]:
        for values in cases.values(*_EXPORT_FIELDS)[:limit].iterator(chunk_size=2000):
            yield {
                "code": values["code"],
                "kind": labels["kind"].get(values["kind"], values["kind"]),
                "status": labels["status"].get(values["status"], values["status"]),
                "topic": values["topic__name"] or NO_TOPIC,
                "urgency": labels["urgency"].get(values["urgency"], values["urgency"]),
                "title": values["safe_title"],
                "province": values["province__name"] or "",
                "commune": values["commune__name"] or "",
                "unit": values["unit__name"] or "",
                "received_at": values["received_at"],
                "accepted_at": values["accepted_at"],
                "due_at": values["due_at"],
                "answered_at": values["answered_at"],
                "answered_on_time": values["answered_on_time"],
                "supporters": values["supporters"],
                "satisfaction": values["satisfaction"],
            }

    return ExportRows(total=total, limit=limit, rows=rows())


def _export_labels() -> dict[str, dict[str, str]]:
    from .models import Status, Urgency

    return {
        "kind": {k: str(v) for k, v in Kind.choices},
        "status": {k: str(v) for k, v in Status.choices},
        "urgency": {k: str(v) for k, v in Urgency.choices},
    }


# --- charts ------------------------------------------------------------------------------------------


def _month_of(value: Any, tz: Any) -> dt.date:
    """A ``TruncMonth`` value as the first day of the month (aware on PostgreSQL, maybe naive elsewhere)."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, tz).date() if timezone.is_aware(value) else value.date()
    return value


@dataclass
class TopicSeries:
    """One topic's cases per month (``counts`` aligned with :attr:`MonthlyVolume.months`)."""

    name: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class MonthlyVolume:
    """Cases received per month, one series per topic (``series[i].counts`` aligned with ``months``)."""

    months: list[dt.date]
    series: list[TopicSeries]

    @property
    def totals(self) -> list[int]:
        """Cases received per month, all topics together."""
        return [sum(s.counts[i] for s in self.series) for i in range(len(self.months))]

    @property
    def rows(self) -> list[tuple[dt.date, list[int], int]]:
        """``(month, count per series, total)`` for the table under the chart."""
        totals = self.totals
        return [(m, [s.counts[i] for s in self.series], totals[i]) for i, m in enumerate(self.months)]


def volume_by_topic(cases: QuerySet[Case], period: Period) -> MonthlyVolume:
    """Cases received per month and topic over ``period``: the biggest :data:`TOPICS_SHOWN` topics, then
    "other" and "not classified". Two queries (the counts, the topic names)."""
    tz = timezone.get_current_timezone()
    months = period.months()
    index = {m: i for i, m in enumerate(months)}
    counts: dict[int | None, list[int]] = {}
    grouped = (
        cases.filter(received_at__gte=period.start, received_at__lt=period.end)
        .annotate(month=TruncMonth("received_at", tzinfo=tz))
        .values("month", "topic_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in grouped:
        i = index.get(_month_of(row["month"], tz))
        if i is not None:
            counts.setdefault(row["topic_id"], [0] * len(months))[i] += row["n"]
    names = dict(Topic.objects.filter(pk__in=[k for k in counts if k is not None]).values_list("pk", "name"))
    ranked = sorted((k for k in counts if k is not None), key=lambda k: (-sum(counts[k]), fold(names.get(k, ""))))
    series = [TopicSeries(names.get(k, str(k)), counts[k]) for k in ranked[:TOPICS_SHOWN]]
    rest = ranked[TOPICS_SHOWN:]
    if rest:
        series.append(TopicSeries(OTHER_TOPICS, [sum(counts[k][i] for k in rest) for i in range(len(months))]))
    if None in counts:
        series.append(TopicSeries(NO_TOPIC, counts[None]))
    return MonthlyVolume(months, series)


@dataclass
class Flow:
    """Cases received and answered per month (the same months)."""

    months: list[dt.date]
    received: list[int]
    answered: list[int]

    @property
    def rows(self) -> list[tuple[dt.date, int, int]]:
        """``(month, received, answered)`` for the table under the chart."""
        return list(zip(self.months, self.received, self.answered, strict=True))


def _per_month(cases: QuerySet[Case], field_name: str, period: Period) -> list[int]:
    tz = timezone.get_current_timezone()
    months = period.months()
    index = {m: i for i, m in enumerate(months)}
    counts = [0] * len(months)
    grouped = (
        cases.filter(**{f"{field_name}__gte": period.start, f"{field_name}__lt": period.end})
        .annotate(month=TruncMonth(field_name, tzinfo=tz))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in grouped:
        i = index.get(_month_of(row["month"], tz))
        if i is not None:
            counts[i] += row["n"]
    return counts


def received_and_answered(cases: QuerySet[Case], period: Period) -> Flow:
    """Cases received per month (by ``received_at``) and answered per month (by ``answered_at``)."""
    return Flow(period.months(), _per_month(cases, "received_at", period), _per_month(cases, "answered_at", period))


@dataclass
class OnTimeRow:
    """A unit's answers in the period, and how many were on time."""

    unit: Unit
    answered: int
    on_time: int
    direct: bool = False  # the cases the top unit handled itself, not a child's

    @property
    def share(self) -> float:
        """On time / answered (0 when nothing was answered)."""
        return self.on_time / self.answered if self.answered else 0.0

    @property
    def label(self) -> str:
        """The unit's name, marked when it is the top unit's own cases."""
        return f"{self.unit.name} (trực tiếp)" if self.direct else self.unit.name


def top_units(user: Any) -> list[Unit]:
    """The highest units ``user`` sees: the root(s) for a superuser, else the units of their roles that
    are not inside another one of their units."""
    scope = scope_for(user, "view")
    if scope.everything:
        return list(Unit.objects.filter(parent__isnull=True, valid_to__isnull=True).order_by("path"))
    return list(Unit.objects.filter(path__in=scope.paths).order_by("path"))


def on_time_by_child(cases: QuerySet[Case], tops: list[Unit], period: Period) -> list[OnTimeRow]:
    """The share of answers given on time, per child unit of each of ``tops`` (plus the top unit itself
    when it handled cases directly), over the cases answered in ``period``; worst first.

    One grouped query per top unit (a user has one or a few): cases are grouped by the first segments of
    their ``unit_path``, i.e. by the child whose subtree they are in."""
    rows: list[OnTimeRow] = []
    answered = cases.filter(answered_on_time__isnull=False, answered_at__gte=period.start, answered_at__lt=period.end)
    for top in tops:
        width = len(top.path) + PATH_SEGMENT
        grouped = (
            answered.filter(subtree_q("unit_path", top.path))
            .annotate(branch=Substr("unit_path", 1, width))
            .values("branch")
            .annotate(total=Count("id"), on_time=Count("id", filter=Q(answered_on_time=True)))
            .order_by()
        )
        figures = {row["branch"]: (row["total"], row["on_time"]) for row in grouped}
        if not figures:
            continue
        units = {u.path: u for u in Unit.objects.filter(path__in=list(figures)).exclude(level=UnitLevel.VILLAGE)}
        for branch, (total, on_time) in figures.items():
            if branch == top.path:
                rows.append(OnTimeRow(top, total, on_time, direct=True))
            elif branch in units:
                rows.append(OnTimeRow(units[branch], total, on_time))
    rows.sort(key=lambda r: (r.share, -r.answered, fold(r.label)))
    return rows


@dataclass
class ChartData:
    """Everything the charts page shows."""

    period: Period
    volume: MonthlyVolume
    flow: Flow
    on_time: list[OnTimeRow] = field(default_factory=list)
    tops: list[Unit] = field(default_factory=list)


def chart_data(user: Any, *, now: dt.datetime | None = None) -> ChartData:
    """Everything the charts page shows for ``user``'s scope over the last twelve months."""
    period = last_twelve_months(now)
    cases = Case.objects.for_user(user, "view")
    tops = top_units(user)
    return ChartData(
        period=period,
        volume=volume_by_topic(cases, period),
        flow=received_and_answered(cases, period),
        on_time=on_time_by_child(cases, tops, period),
        tops=tops,
    )


# --- directory --------------------------------------------------------------------------------------


def authorities_for(
    user: Any, *, unit: Unit | None = None, query: str = "", include_inactive: bool = True
) -> QuerySet[Authority]:
    """The authorities of the directories ``user`` sees, with their unit and accounts (two queries)."""
    authorities = Authority.objects.for_user(user, "view")
    if unit is not None:
        authorities = authorities.filter(unit=unit)
    if not include_inactive:
        authorities = authorities.filter(active=True)
    query = query.strip()[:100]
    if query:
        authorities = authorities.filter(name__icontains=query)
    accounts = User.objects.only("id", "username", "full_name", "is_active").order_by("username")
    return (
        authorities.select_related("unit")
        .prefetch_related(Prefetch("accounts", queryset=accounts))
        .order_by("unit__path", "-active", "kind", "name")
    )


def editable_unit_ids(user: Any) -> set[int]:
    """Ids of the units whose directory ``user`` may change, among those listed (to show the buttons)."""
    scope = scope_for(user, "edit")
    if scope.nothing:
        return set()
    return set(Unit.objects.filter(scope.q("path")).values_list("pk", flat=True)[:5000])


def editable_units(user: Any, *, limit: int = 300) -> list[Unit]:
    """Units where ``user`` may keep a directory or templates: in force, not villages, highest first."""
    units = Unit.objects.for_user(user, "edit").filter(valid_to__isnull=True).exclude(level=UnitLevel.VILLAGE)
    if user.is_superuser:
        units = units.filter(level__in=[UnitLevel.CENTRAL, UnitLevel.PROVINCE])
    return list(units.order_by("depth", "path")[:limit])


def directory_units(user: Any, *, limit: int = 400) -> list[Unit]:
    """Units that have a directory ``user`` may read (for the filter)."""
    ids = Authority.objects.for_user(user, "view").values("unit_id")
    return list(Unit.objects.filter(pk__in=ids).order_by("path")[:limit])


def authority_accounts_for(user: Any) -> QuerySet[User]:
    """Authority accounts ``user`` may attach: those not attached anywhere yet, and those attached only to
    authorities of directories ``user`` may edit (never another province's)."""
    scope = scope_for(user, "edit")
    accounts = User.objects.filter(kind=AccountKind.AUTHORITY)
    if scope.everything:  # an empty Q would exclude nothing below, but say it plainly
        return accounts
    outside = Authority.objects.exclude(scope.q("unit__path"))
    return accounts.exclude(authorities__in=outside)


def templates_for(user: Any) -> QuerySet[AnswerTemplate]:
    """Answer templates ``user`` may use: the global ones and those of the units they see."""
    scope = scope_for(user, "view")
    templates = AnswerTemplate.objects.all()
    if not scope.everything:
        # not ``Q(unit__isnull=True) | scope.q(...)`` for everybody: OR with the superuser's empty Q
        # would keep only the global templates
        templates = templates.filter(Q(unit__isnull=True) | scope.q("unit__path"))
    return templates.select_related("unit").order_by(F("unit__path").asc(nulls_first=True), "title")
