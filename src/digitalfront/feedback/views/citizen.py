"""Citizens' pages: send a case (no account needed), see the receipt, follow the case by its private
link, reopen it or rate the answer; signed-in citizens see their own history."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digitalfront.core import challenge
from digitalfront.core.errors import DomainError, NotFound, ValidationFailed
from digitalfront.core.views import domain_error_page
from digitalfront.orgs.models import Level as UnitLevel
from digitalfront.orgs.models import Unit

from .. import access, guard
from ..attachments import clean_uploads
from ..forms import KIND_HELP, SubmitForm, commune_choices
from ..models import Case, Kind, Status
from ..services import citizen as citizen_services
from ..services import intake

RECEIPT_SESSION_KEY = "feedback_receipts"
DEVICE_MAX_AGE = 2 * 365 * 24 * 3600


def _province(value: Any) -> Unit | None:
    if not value or not str(value).isdigit():
        return None
    return Unit.objects.filter(pk=int(value), level=UnitLevel.PROVINCE, valid_to__isnull=True).first()


def _with_device_cookie(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if not request.COOKIES.get(guard.DEVICE_COOKIE):
        response.set_cookie(
            guard.DEVICE_COOKIE,
            secrets.token_urlsafe(24),
            max_age=DEVICE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def _form_page(
    request: HttpRequest, form: SubmitForm, *, status: int = 200, error: str = "", ask_challenge: bool = False
) -> HttpResponse:
    context = {
        "form": form,
        "nav": "submit",
        "kind_help": KIND_HELP,
        "error": error,
        "challenge": challenge.issue() if ask_challenge else None,
    }
    return _with_device_cookie(request, render(request, "feedback/submit.html", context, status=status))


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """The form: mobile first, no account needed. Acknowledged only once the case is committed."""
    if request.method == "GET":
        initial: dict[str, Any] = {}
        province = _province(request.GET.get("tinh"))
        if province is not None:
            initial["province"] = str(province.pk)
        if request.user.is_authenticated:
            initial["name"] = request.user.get_full_name()
            initial["email"] = request.user.email
            initial["phone"] = getattr(request.user, "phone", "")
        return _form_page(request, SubmitForm(initial=initial, province=province))

    province = _province(request.POST.get("province"))
    form = SubmitForm(request.POST, request.FILES, province=province)
    if "choose_province" in request.POST:  # without JavaScript: reload the communes of the chosen province
        return _form_page(request, SubmitForm(initial=request.POST.dict(), province=province))
    verdict = guard.check(request, answer=request.POST.get("challenge"))
    if not verdict.allowed:
        response = _form_page(request, form, status=429, error=verdict.message, ask_challenge=verdict.needs_challenge)
        response["Retry-After"] = str(verdict.retry_after_s)
        return response
    data = request.POST
    try:
        files = clean_uploads(request.FILES.getlist("attachments"))
        sub = intake.prepare(
            kind=data.get("kind", Kind.FEEDBACK),
            title=data.get("title", ""),
            content=data.get("content", ""),
            province=data.get("province"),
            commune=data.get("commune"),
            level=data.get("level", "commune"),
            address=data.get("address", ""),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            name=data.get("name", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            sender_address=data.get("sender_address", ""),
            anonymous=data.get("anonymous") == "on",
            citizen=request.user if request.user.is_authenticated and request.user.kind == "citizen" else None,
            consent_publish=data.get("consent_publish") == "on",
            show_name=data.get("show_name") == "on",
            topic=data.get("topic") or None,
            device_id=guard.device_id(request),
            files=files,
        )
        receipt = intake.submit(sub)
    except ValidationFailed as exc:
        form.is_valid()  # binds cleaned data for re-display
        field = exc.field if exc.field in form.fields or exc.field == "attachments" else None
        if field == "attachments":
            return _form_page(request, form, status=422, error=exc.message)
        form.add_error(field, exc.message)
        return _form_page(request, form, status=422)
    receipts = request.session.get(RECEIPT_SESSION_KEY, {})
    receipts[receipt.code] = receipt.token
    request.session[RECEIPT_SESSION_KEY] = dict(list(receipts.items())[-5:])
    return redirect("feedback:submitted", code=receipt.code)


@require_GET
def submitted(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt: the tracking code and the private link, shown to the browser that sent the case."""
    token = request.session.get(RECEIPT_SESSION_KEY, {}).get(code)
    if not token:
        return domain_error_page(request, NotFound("Trang biên nhận chỉ hiện trên thiết bị vừa gửi phản ánh."))
    try:
        case = access.case_by_link(code, token)
    except NotFound as exc:
        return domain_error_page(request, exc)
    link = request.build_absolute_uri(reverse("feedback:track", args=[case.code]) + f"?k={token}")
    return render(request, "feedback/submitted.html", {"case": case, "link": link, "nav": "submit"})


def _tracked(request: HttpRequest, code: str) -> tuple[Case, str]:
    token = request.GET.get("k") or request.POST.get("k") or ""
    if request.user.is_authenticated and not token:
        return access.case_of_citizen(request.user, code), ""
    return access.case_by_link(code, token), token


@require_GET
def track(request: HttpRequest, code: str) -> HttpResponse:
    """The private tracking page: status, deadline, the public timeline and the answer."""
    try:
        case, token = _tracked(request, code)
    except NotFound as exc:
        return domain_error_page(
            request, exc, title="Không tìm thấy phản ánh", back_url=reverse("feedback:lookup"), back_label="Tra cứu lại"
        )
    events = [e for e in case.events.all() if e.public_note]
    context = {
        "case": case,
        "token": token,
        "events": events,
        "nav": "lookup",
        "can_reopen": citizen_services.can_reopen(case),
        "can_rate": case.status in (Status.ANSWERED, Status.CLOSED) and case.rated_at is None,
        "attachments": case.attachments.all(),
    }
    response = render(request, "feedback/track.html", context)
    # the link carries its secret: never sent to other sites (same-origin keeps the Origin header that
    # Django's CSRF check needs on this page's forms; "no-referrer" would send "Origin: null")
    response["Referrer-Policy"] = "same-origin"
    return response


def _citizen_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    try:
        case, token = _tracked(request, code)
    except NotFound as exc:
        return domain_error_page(request, exc)
    actor = request.user if request.user.is_authenticated else None
    try:
        if action == "rate":
            citizen_services.rate(
                case=case, score=request.POST.get("satisfaction"), comment=request.POST.get("comment", ""), actor=actor
            )
            messages.success(request, "Cảm ơn bạn đã đánh giá câu trả lời.")
        else:
            citizen_services.reopen(case=case, reason=request.POST.get("reason", ""), actor=actor)
            messages.success(request, "Phản ánh đã được mở lại để xem xét.")
    except DomainError as exc:
        messages.error(request, exc.message)
    url = reverse("feedback:track", args=[case.code]) + (f"?k={token}" if token else "")
    return redirect(url)


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    return _citizen_action(request, code, "rate")


@require_POST
def reopen(request: HttpRequest, code: str) -> HttpResponse:
    return _citizen_action(request, code, "reopen")


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """Find a case by its tracking code and the secret of its link (as printed on the receipt)."""
    code = request.GET.get("ma", "").strip().upper()
    secret = request.GET.get("k", "").strip()
    error = ""
    if code and secret:
        try:
            case = access.case_by_link(code, secret)
        except NotFound as exc:
            error = exc.message
        else:
            return redirect(reverse("feedback:track", args=[case.code]) + f"?k={secret}")
    elif code or secret:
        error = "Hãy nhập cả mã theo dõi và mã bí mật trong đường dẫn biên nhận."
    return render(
        request,
        "feedback/lookup.html",
        {"code": code, "error": error, "nav": "lookup"},
        status=404 if error and code and secret else 200,
    )


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """A signed-in citizen's own cases."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    cases = Case.objects.filter(citizen=request.user).select_related("unit", "topic").order_by("-received_at")
    page = Paginator(cases, 20).get_page(request.GET.get("trang"))
    return render(request, "feedback/mine.html", {"page": page, "nav": "mine"})


@require_GET
def communes(request: HttpRequest) -> HttpResponse:
    """The ``<option>``s of a province's communes (htmx swaps them into the form)."""
    return render(
        request, "feedback/_commune_options.html", {"choices": commune_choices(_province(request.GET.get("province")))}
    )
