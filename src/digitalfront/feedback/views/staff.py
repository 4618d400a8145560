"""Front staff's pages: the inbox of their units, a case with its whole timeline and the actions its
state allows, bulk actions. Every read goes through ``selectors``/``access`` (scoped); every write
through ``services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from digitalfront.core.errors import DomainError, NotFound
from digitalfront.core.views import domain_error_page
from digitalfront.orgs.models import Level as UnitLevel
from digitalfront.orgs.models import Unit

from .. import access, actions, selectors
from ..models import AnswerTemplate, Case, Complexity, Kind, Sentiment, Status, Topic, Urgency
from ..services import handling, review
from ..states import can_move

PAGE_SIZE = 25


def unit_options(user: Any) -> dict[str, Unit]:
    """The units the inbox can be narrowed to: the user's own units and their children."""
    from digitalfront.accounts.selectors import role_paths

    paths = {path for _, path in role_paths(user)}
    if user.is_superuser:
        units = Unit.objects.filter(level__in=[UnitLevel.CENTRAL, UnitLevel.PROVINCE])
    else:
        units = Unit.objects.filter(Q(path__in=paths) | Q(parent__path__in=paths)).exclude(level=UnitLevel.VILLAGE)
    return {str(u.pk): u for u in units.filter(valid_to__isnull=True).order_by("path")[:400]}


def _staff_only(request: HttpRequest) -> HttpResponse | None:
    if getattr(request.user, "kind", "") == "authority":
        return redirect("feedback_staff:authority_inbox")
    if not Case.objects.for_user(request.user, "view").exists() and not request.user.is_superuser:
        from digitalfront.accounts.selectors import role_paths

        if not role_paths(request.user):
            return domain_error_page(request, NotFound("Bạn chưa được phân công xử lý phản ánh ở đơn vị nào."))
    return None


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The cases of the user's units, most urgent first, with filters and deadline colours."""
    refused = _staff_only(request)
    if refused is not None:
        return refused
    units = unit_options(request.user)
    filters = selectors.InboxFilters.from_query(request.GET, unit_paths={k: u.path for k, u in units.items()})
    page = Paginator(selectors.inbox(request.user, filters), PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = [(case, selectors.deadline_colour(case)) for case in page.object_list]
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "nav": "feedback",
        "page": page,
        "rows": rows,
        "filters": filters,
        "units": units.values(),
        "topics": Topic.objects.filter(active=True),
        "kinds": Kind.choices,
        "statuses": Status.choices,
        "deadlines": selectors.DEADLINE_CHOICES,
        "counts": selectors.counts_by_deadline(request.user),
        "alerts": selectors.alerts_for(request.user, limit=8),
        "page_query": query.urlencode(),
        "selected_unit": request.GET.get("don_vi", ""),
    }
    return render(request, "feedback/inbox.html", context)


def _case_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    editable = Case.objects.for_user(request.user, "edit").filter(pk=case.pk).exists()
    return {
        "nav": "feedback",
        "case": case,
        "editable": editable,
        "colour": selectors.deadline_colour(case),
        "sender": selectors.sender_for_staff(case),
        "may_reveal": case.kind == Kind.DENUNCIATION and review.may_reveal(request.user, case),
        "events": case.events.select_related("actor", "unit").all(),
        "forwardings": case.forwardings.select_related("authority").all(),
        "extensions": case.extension_decisions.select_related("decided_by").all(),
        "attachments": case.attachments.all(),
        "authorities": selectors.authorities_for(case) if editable else [],
        "topics": Topic.objects.filter(active=True),
        "urgencies": Urgency.choices,
        "sentiments": Sentiment.choices,
        "complexities": [c for c in Complexity.choices if c[0] != Complexity.NORMAL],
        "templates": AnswerTemplate.objects.filter(Q(unit__isnull=True) | Q(unit=case.unit)),
        "can": {status: can_move(case, status) for status in Status.values},
        "duplicate": case.duplicate_candidate if case.duplicate_candidate_id and case.is_open else None,
        "parent": case.unit.parent,
        "merged_cases": case.merged_cases.only("code", "title").all()[:50],
        **_suggestion_labels(case),
    }


def _suggestion_labels(case: Case) -> dict[str, str]:
    """The AI suggestion's labels in Vietnamese (topic names, urgency and sentiment labels)."""
    suggestion = case.suggestion or {}
    topic_code = str((suggestion.get("topic") or {}).get("label", ""))
    topic = Topic.objects.filter(code=topic_code).values_list("name", flat=True).first() if topic_code else None
    labels = {"suggested_topic": topic or topic_code}
    for field, choices in (("urgency", Urgency), ("sentiment", Sentiment)):
        value = str((suggestion.get(field) or {}).get("label", ""))
        labels[f"suggested_{field}"] = str(choices(value).label) if value in choices.values else value
    return labels


@login_required
@require_GET
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        case = access.case_for(request.user, code, "view")
    except NotFound as exc:
        return domain_error_page(request, exc, back_url=reverse("feedback_staff:inbox"), back_label="Về hộp thư")
    return render(request, "feedback/case.html", _case_context(request, case))


@login_required
@require_POST
def case_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """One action on one case, by a handler with the ``edit`` right over its unit."""
    back = reverse("feedback_staff:inbox")
    try:
        if action not in actions.ACTIONS:
            raise NotFound("Thao tác không tồn tại.")
        case = access.case_for(request.user, code, "edit")
        message = actions.perform(request.user, case, action, request.POST)
    except DomainError as exc:
        if exc.status in (403, 404):
            return domain_error_page(request, exc, back_url=back, back_label="Về hộp thư")
        messages.error(request, exc.message)
        return redirect("feedback_staff:case", code=code)
    messages.success(request, message)
    if (
        action in ("transfer", "escalate")
        and not Case.objects.for_user(request.user, "view").filter(pk=case.pk).exists()
    ):
        return redirect(back)
    return redirect("feedback_staff:case", code=case.code)


@login_required
@require_POST
def reveal(request: HttpRequest, code: str) -> HttpResponse:
    """The audited reveal of a denouncer's identity: shown once on this response, never stored in the page cache."""
    try:
        case = access.case_for(request.user, code, "view")
        identity = review.reveal_identity(actor=request.user, case=case, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        if exc.status in (403, 404):
            return domain_error_page(request, exc)
        messages.error(request, exc.message)
        return redirect("feedback_staff:case", code=code)
    response = render(request, "feedback/reveal.html", {"case": case, "identity": identity, "nav": "feedback"})
    response["Cache-Control"] = "no-store"
    return response


BULK_ACTIONS = {"accept": "Thụ lý", "start": "Chuyển sang đang giải quyết", "close": "Đóng"}


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Accept, start or close several cases at once; each one is checked and written on its own."""
    action = request.POST.get("action", "")
    codes = request.POST.getlist("case")[:100]
    if action not in BULK_ACTIONS or not codes:
        messages.error(request, "Hãy chọn phản ánh và thao tác.")
        return redirect(request.POST.get("next") or "feedback_staff:inbox")
    done, failed = 0, []
    function = {"accept": handling.accept, "start": handling.start, "close": handling.close}[action]
    for code in codes:
        try:
            function(actor=request.user, case=access.case_for(request.user, code, "edit"))
            done += 1
        except DomainError as exc:
            failed.append(f"{code}: {exc.message}")
    if done:
        messages.success(request, f"{BULK_ACTIONS[action]}: {done} phản ánh.")
    for line in failed[:10]:
        messages.error(request, line)
    next_url = request.POST.get("next", "")
    return redirect(next_url if next_url.startswith("/xu-ly/") else reverse("feedback_staff:inbox"))
