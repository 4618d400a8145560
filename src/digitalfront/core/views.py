"""Error pages in Vietnamese.

Django's handlers render a standalone template (no database, no base layout) so that they work even when
what failed is the database or the layout; :func:`domain_error_page` answers a refused domain action
(``core.errors``) inside the site's layout.
"""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from digitalfront.core.errors import DomainError

TOO_BIG = "Nội dung gửi lên quá lớn (tối đa 2 MB)."


def _page(title: str, message: str, status: int) -> HttpResponse:
    return HttpResponse(render_to_string("core/http_error.html", {"title": title, "message": message}),
                        status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return _page("Nội dung quá lớn", TOO_BIG, 413)
    return _page("Yêu cầu không hợp lệ", "Máy chủ không hiểu yêu cầu này. Vui lòng thử lại.", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page("Không có quyền", "Bạn không có quyền thực hiện thao tác này.", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page("Không tìm thấy", "Không tìm thấy trang hoặc bạn không có quyền truy cập.", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page("Lỗi hệ thống", "Đã có lỗi xảy ra. Vui lòng thử lại sau ít phút.", 500)


def domain_error_page(request: HttpRequest, exc: DomainError, *, title: str = "", back_url: str = "",
                      back_label: str = "") -> HttpResponse:
    """A page of the site saying why ``exc`` refused the request, with ``exc``'s HTTP status."""
    title = title or ("Không tìm thấy" if exc.status == 404 else "Không có quyền")
    return render(request, "core/error.html", {"title": title, "message": exc.message, "back_url": back_url,
                                               "back_label": back_label}, status=exc.status)
