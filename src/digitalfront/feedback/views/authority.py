"""Pages for the accounts of competent authorities: the cases forwarded to them, and their answer.

They see the case's content and place, never the sender's identity (for a denunciation the law requires
it; for the rest the Front remains the contact), and nothing that was not forwarded to them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from digitalfront.core.errors import DomainError, NotFound
from digitalfront.core.views import domain_error_page

from .. import access
from ..models import Forwarding
from ..services import handling


@login_required
def authority_inbox(request: HttpRequest) -> HttpResponse:
    authorities = access.authorities_of(request.user)
    if not authorities:
        return domain_error_page(request, NotFound("Tài khoản này không thuộc cơ quan có thẩm quyền nào."))
    forwardings = (
        Forwarding.objects.filter(authority_id__in=authorities)
        .select_related("case", "authority", "unit")
        .order_by("answered_at", "-sent_at")
    )
    page = Paginator(forwardings, 25).get_page(request.GET.get("trang"))
    return render(request, "feedback/authority_inbox.html", {"page": page, "nav": "authority"})


@login_required
@require_http_methods(["GET", "POST"])
def authority_case(request: HttpRequest, forwarding_id: int) -> HttpResponse:
    try:
        forwarding = access.forwarding_for_authority(request.user, forwarding_id)
    except NotFound as exc:
        return domain_error_page(request, exc)
    if request.method == "POST":
        try:
            handling.record_authority_answer(
                actor=request.user, forwarding=forwarding, answer=request.POST.get("answer", "")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Đã gửi trả lời tới Mặt trận.")
        return redirect("feedback_staff:authority_case", forwarding_id=forwarding.pk)
    return render(
        request, "feedback/authority_case.html", {"forwarding": forwarding, "case": forwarding.case, "nav": "authority"}
    )
