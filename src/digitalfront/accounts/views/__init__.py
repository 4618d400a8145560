"""Sign-in and sign-out pages of the staff site.

Sign-in has two steps for accounts with two-factor on: the password form (``LoginView``) keeps the
person *pending* in the session, and ``accounts.views.twofactor.VerifyView`` signs them in once the
code from their authenticator app (or a backup code) is right.
"""

from typing import Any

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from digitalfront.accounts import services, twofactor
from digitalfront.accounts.forms import LockoutAuthenticationForm
from digitalfront.accounts.middleware import SECOND_FACTOR_DONE, mark_session_start

# the password step stays valid this long for the second step
PENDING = "digitalfront_2fa_pending"
PENDING_SECONDS = 300


def safe_next(request: HttpRequest, candidate: str | None, default: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def complete_login(request: HttpRequest, user: Any, *, backend: str, second_factor: str = "") -> None:
    """Sign ``user`` in: a new session, timed, registered and audited; marked as having passed the
    second factor when there was one."""
    login(request, user, backend=backend)
    mark_session_start(request, timezone.now())
    if second_factor:
        request.session[SECOND_FACTOR_DONE] = second_factor
    request.session.save()
    services.record_login_success(user=user, request=request, second_factor=second_factor)


class LoginView(auth_views.LoginView):
    """Django's login view with lockouts (HTTP 429 while locked), two-factor, session registration and
    audit."""

    form_class = LockoutAuthenticationForm
    template_name = "core/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from digitalfront.accounts.federation import provider

        return {**super().get_context_data(**kwargs), "vneid": provider()}

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        next_url = self.get_success_url()
        if twofactor.enabled(user):
            self.request.session.cycle_key()
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "at": int(timezone.now().timestamp()),
                "next": next_url,
            }
            return HttpResponseRedirect(reverse("accounts:twofactor_verify"))
        complete_login(self.request, user, backend=user.backend)
        return HttpResponseRedirect(next_url)

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if getattr(form, "lock", None) is not None:
            response.status_code = 429
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        services.record_logout(user=request.user, request=request)
        return super().post(request, *args, **kwargs)
