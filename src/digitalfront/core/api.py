"""The HTTP API (django-ninja): ``/api/v1/``, OpenAPI documentation at ``/api/docs``.

Errors are answered in Vietnamese, with one JSON shape everywhere: ``{"detail": ..., "field": ...,
"code": ...}``. Domain errors carry their own HTTP status (``core.errors``).
"""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from digitalfront.accounts.oidc import BearerAuth
from digitalfront.core.errors import DomainError

api = NinjaAPI(
    title="Mặt trận số – API",
    version="1",
    description="API của nền tảng Mặt trận số. Mọi dữ liệu được giới hạn theo đơn vị của người dùng.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    # a signed-in session (with its CSRF check), or an access token of the platform's own provider
    auth=[django_auth, BearerAuth()],
)


def _describe(error: dict[str, Any]) -> tuple[str, str | None]:
    loc = [str(p) for p in error.get("loc", []) if p not in ("body", "payload", "query", "path")]
    field = ".".join(loc) or None
    kind = error.get("type", "")
    if kind == "missing":
        return f"Thiếu trường bắt buộc: {field}.", field
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return f"Trường {field} phải là số nguyên.", field
    if kind in {"string_type"}:
        return f"Trường {field} phải là chuỗi ký tự.", field
    if kind in {"bool_parsing", "bool_type"}:
        return f"Trường {field} phải là đúng/sai.", field
    if kind in {"json_invalid", "model_attributes_type", "dict_type", "model_type"}:
        return "Nội dung gửi lên không phải JSON hợp lệ.", field
    if kind in {"extra_forbidden"}:
        return f"Trường không được hỗ trợ: {field}.", field
    if kind.startswith("greater_than") or kind.startswith("less_than"):
        return f"Giá trị của {field} nằm ngoài phạm vi cho phép.", field
    if kind.startswith("string_too"):
        return f"Độ dài của {field} không hợp lệ.", field
    return f"Giá trị của {field or 'yêu cầu'} không hợp lệ.", field


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [_describe(e) for e in exc.errors]
    message, field = errors[0] if errors else ("Dữ liệu không hợp lệ.", None)
    return api.create_response(
        request,
        {"detail": message, "field": field, "code": "invalid",
         "errors": [{"detail": m, "field": f} for m, f in errors]},
        status=422,
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = api.create_response(request, exc.as_dict(), status=exc.status)
    retry_after = getattr(exc, "retry_after_s", 0)
    if retry_after:  # 429: when to come back
        response["Retry-After"] = str(retry_after)
    return response


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    from digitalfront.core.views import TOO_BIG

    return api.create_response(request, {"detail": TOO_BIG, "field": None, "code": "too_large"}, status=413)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Bạn cần đăng nhập.", "field": None, "code": "unauthenticated"}, status=401
    )


# ninja's own messages, in Vietnamese (routers that do not use orgs.api.JsonBody still meet them)
_HTTP_MESSAGES = {
    "Cannot parse request body": ("Nội dung gửi lên không phải JSON hợp lệ.", "invalid", 422),
    "CSRF check Failed": ("Thiếu mã bảo vệ CSRF hoặc phiên làm việc đã hết hạn. Hãy tải lại trang rồi thử lại.",
                          "csrf", 403),
}


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message, code, status = _HTTP_MESSAGES.get(str(exc), (str(exc), "error", exc.status_code))
    return api.create_response(request, {"detail": message, "field": None, "code": code}, status=status)


_registered = False


def register_routers() -> None:
    """Mount every app's router under ``/api/v1/`` (from ``urls.py``; a second call does nothing, so a
    URLconf imported again after an error does not trip ninja's "routers after URLs" check)."""
    global _registered
    if _registered:
        return
    from digitalfront.assistant.api import router as assistant_router
    from digitalfront.congresses.api import router as congresses_router
    from digitalfront.feedback.api import router as feedback_router
    from digitalfront.library.api import router as library_router
    from digitalfront.orgs.api import router as orgs_router

    api.add_router("/v1/", orgs_router)
    api.add_router("/v1/", feedback_router)
    api.add_router("/v1/", library_router)
    api.add_router("/v1/", assistant_router)
    api.add_router("/v1/", congresses_router)
    _registered = True
