"""Sign-in and sign-out pages of the staff site."""

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.utils import timezone

from digitalfront.accounts import services
from digitalfront.accounts.forms import LockoutAuthenticationForm
from digitalfront.accounts.middleware import mark_session_start


class LoginView(auth_views.LoginView):
    """Django's login view with lockouts (HTTP 429 while locked), session registration and audit."""

    form_class = LockoutAuthenticationForm
    template_name = "core/login.html"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        mark_session_start(self.request, timezone.now())
        self.request.session.save()
        services.record_login_success(user=form.get_user(), request=self.request)
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if getattr(form, "lock", None) is not None:
            response.status_code = 429
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        services.record_logout(user=request.user, request=request)
        return super().post(request, *args, **kwargs)
