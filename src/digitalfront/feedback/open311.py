"""Open311 GeoReport v2 under ``/open311/v2/`` (see docs/open311.md), so that existing Open311 clients can
list the topics, send feedback and follow it.

Every endpoint ends in ``.json`` or ``.xml``; errors come back in the Open311 error format of that
suffix with a Vietnamese description. Reading is public and shows only published cases' redacted text;
sending needs an API key (``feedback.apikeys``) and goes through the same intake as the web form.
Input errors are HTTP 400, as GeoReport v2 says (the site's own API answers 422 for the same errors).
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt

from digitalfront.core import ratelimit
from digitalfront.core.errors import ValidationFailed

from . import apikeys
from . import open311_schema as schema
from .models import Case, Channel, Kind, Level, Topic
from .open311_xml import FORMATS, error, respond
from .services import intake

MAX_RESULTS = 1000
DEFAULT_WINDOW = dt.timedelta(days=90)
# the longest description intake accepts, 10,000 characters of up to 4 UTF-8 bytes each, is at most
# 120 KB percent-encoded (3 characters a byte); a larger body is refused before it is parsed
MAX_BODY = 256 * 1024

# where the intake's field names come from in an Open311 request, to point the client at its parameter
PARAMETERS = {
    "content": "description",
    "province": "attribute[province]",
    "commune": "attribute[commune]",
    "kind": "attribute[kind]",
    "level": "attribute[level]",
    "anonymous": "attribute[anonymous]",
    "consent_publish": "attribute[consent_publish]",
    "topic": "service_code",
    "name": "first_name, last_name",
    "phone": "phone",
    "email": "email",
    "latitude": "lat",
    "longitude": "long",
    "address": "address_string",
}


class Open311Error(Exception):
    """An answer in the Open311 error format: ``status`` and a Vietnamese ``description``."""

    def __init__(self, status: int, description: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.headers = headers or {}


def endpoint(*methods: str) -> Callable[..., Callable[..., HttpResponse]]:
    """Check the format suffix and the method, and turn :class:`Open311Error` into an Open311 answer.

    CSRF does not apply: clients are other programs, authenticated by ``api_key`` (never by a cookie).
    """
    allowed = (*methods, "HEAD") if "GET" in methods else methods

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt not in FORMATS:
                return error("json", 404, "Không hỗ trợ định dạng này: hãy dùng đuôi .json hoặc .xml.")
            if request.method not in allowed:
                response = error(fmt, 405, "Phương thức HTTP này không được hỗ trợ ở đây.")
                response["Allow"] = ", ".join(allowed)
                return response
            try:
                response = view(request, fmt, *args, **kwargs)
            except Open311Error as exc:
                response = error(fmt, exc.status, exc.description)
                for name, value in exc.headers.items():
                    response[name] = value
            if request.method in ("GET", "HEAD"):
                # only public data is ever read here: browser-based Open311 clients may read it
                response["Access-Control-Allow-Origin"] = "*"
            return response

        return csrf_exempt(wrapped)

    return decorate


def _base_url(request: HttpRequest) -> str:
    """The absolute URL that the endpoint paths are appended to (``https://host/open311/v2/``)."""
    path = reverse("open311:services", kwargs={"fmt": "json"})
    return request.build_absolute_uri(path[: path.rindex("/") + 1])


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """``discovery.{fmt}``: where the API is and how to get a key."""
    data = {
        "changeset": schema.CHANGESET,
        "contact": getattr(settings, "DIGITALFRONT_OPEN311_CONTACT", "")
        or "Liên hệ quản trị viên hệ thống Mặt trận số của đơn vị.",
        "key_service": getattr(settings, "DIGITALFRONT_OPEN311_KEY_SERVICE", "")
        or "Khoá API để gửi phản ánh do quản trị viên hệ thống cấp (lệnh: digitalfront feedback api-key create).",
        "endpoints": [
            {
                "specification": schema.SPECIFICATION,
                "url": _base_url(request),
                "changeset": schema.CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return respond(fmt, "discovery", data)


@endpoint("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    """``services.{fmt}``: the active topics."""
    return respond(fmt, "services", [schema.service(topic) for topic in Topic.objects.filter(active=True)])


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    """``services/{service_code}.{fmt}``: the attributes to send with a request of that topic."""
    topic = Topic.objects.filter(code=service_code[:40], active=True).first()
    if topic is None:
        raise Open311Error(404, "Không tìm thấy lĩnh vực (service_code) này.")
    return respond(fmt, "service_definition", schema.service_definition(topic))


@endpoint("GET", "POST")
def requests_(request: HttpRequest, fmt: str) -> HttpResponse:
    """``requests.{fmt}``: GET lists public cases, POST sends a new one."""
    if request.method == "POST":
        return _create(request, fmt)
    return _list(request, fmt)


@endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    """``requests/{service_request_id}.{fmt}``: one case, always as a list of one.

    A public case is described in full; another case that exists and is not hidden only by its status.
    """
    case = (
        Case.objects.select_related("topic", "unit")
        .filter(code=service_request_id.strip().upper()[:16], hidden=False)
        .first()
    )
    if case is None:
        raise Open311Error(404, "Không tìm thấy phản ánh có mã này.")
    if Case.objects.public().filter(pk=case.pk).exists():
        data = schema.public_request(case)
    else:
        data = schema.minimal_request(case)
    return respond(fmt, "service_requests", [data])


@endpoint("GET")
def token_lookup(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    """``tokens/{token}.{fmt}``: the tracking code behind the token that a POST returned."""
    try:
        value = uuid.UUID(token[:64])
    except ValueError:
        raise Open311Error(404, "Không tìm thấy mã tiếp nhận (token) này.") from None
    code = Case.objects.filter(intake_token=value).values_list("code", flat=True).first()
    if code is None:
        raise Open311Error(404, "Không tìm thấy mã tiếp nhận (token) này.")
    return respond(fmt, "service_requests", [{"token": str(value), "service_request_id": code}])


# --- GET requests ------------------------------------------------------------------------------------


def _csv(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _moment(params: QueryDict, name: str) -> dt.datetime | None:
    text = (params.get(name) or "").strip()
    if not text:
        return None
    if "T" in text:
        # "+07:00" sent without percent-encoding arrives as " 07:00": a form decoder reads "+" as a space
        text = text.replace(" ", "+")
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = dt.datetime.combine(day, dt.time.min) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(400, f"{name} không đúng định dạng ISO 8601 (ví dụ 2026-01-31T00:00:00+07:00).")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _window(params: QueryDict) -> tuple[dt.datetime, dt.datetime]:
    """The requested_datetime range: at most 90 days, the last 90 days by default (GeoReport v2)."""
    start, end = _moment(params, "start_date"), _moment(params, "end_date")
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        assert end is not None
        start = end - DEFAULT_WINDOW
    if end is None:
        end = start + DEFAULT_WINDOW
    if start > end:
        raise Open311Error(400, "start_date phải trước end_date.")
    if end - start > DEFAULT_WINDOW:
        raise Open311Error(400, "Khoảng thời gian tìm kiếm (start_date đến end_date) không được quá 90 ngày.")
    return start, end


def _list(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.GET
    cases = Case.objects.public().select_related("topic", "unit")
    ids = _csv(params.get("service_request_id"))
    if ids:
        # GeoReport v2: with service_request_id every other filter is ignored
        cases = cases.filter(code__in=[code.upper()[:16] for code in ids[:MAX_RESULTS]])
    else:
        codes = _csv(params.get("service_code"))
        if codes:
            cases = cases.filter(topic__code__in=codes)
        statuses = set(_csv(params.get("status")))
        if statuses - set(schema.OPEN311_STATUSES):
            raise Open311Error(400, "status chỉ nhận giá trị open hoặc closed.")
        if statuses == {"open"}:
            cases = cases.exclude(status__in=schema.CLOSED_STATUSES)
        elif statuses == {"closed"}:
            cases = cases.filter(status__in=schema.CLOSED_STATUSES)
        start, end = _window(params)
        cases = cases.filter(received_at__gte=start, received_at__lte=end)
    rows = cases.order_by("-received_at", "-id")[:MAX_RESULTS]
    return respond(fmt, "service_requests", [schema.public_request(case) for case in rows])


# --- POST requests -----------------------------------------------------------------------------------

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _form(request: HttpRequest) -> QueryDict:
    """The POSTed form, refused unless it is a small UTF-8 form."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        raise Open311Error(
            413, f"Dữ liệu gửi lên quá lớn (tối đa {MAX_BODY // 1024} KB). Ảnh không gửi kèm được qua Open311."
        )
    if request.content_type not in FORM_TYPES:
        raise Open311Error(400, "Hãy gửi dữ liệu dạng application/x-www-form-urlencoded hoặc multipart/form-data.")
    charset = (request.content_params or {}).get("charset")
    if charset:
        try:
            utf8 = codecs.lookup(charset).name == "utf-8"
        except LookupError:
            utf8 = False
        if not utf8:
            raise Open311Error(400, "Hãy gửi dữ liệu mã hoá UTF-8.")
    if request.content_type == FORM_TYPES[0]:
        # raw bytes that are not UTF-8 would be read as Latin-1 by Django's form decoder (garbled text,
        # silently): refuse them; bytes sent percent-encoded are checked below
        try:
            request.body.decode()
        except UnicodeDecodeError:
            raise Open311Error(400, "Dữ liệu có ký tự không đọc được: hãy gửi văn bản mã hoá UTF-8.") from None
        except RequestDataTooBig:
            raise Open311Error(413, "Dữ liệu gửi lên quá lớn.") from None
    try:
        form = request.POST
    except RequestDataTooBig:
        raise Open311Error(413, "Dữ liệu gửi lên quá lớn.") from None
    except (TooManyFieldsSent, MultiPartParserError):
        raise Open311Error(400, "Dữ liệu gửi lên không đọc được.") from None
    # bytes that are not UTF-8 arrive as U+FFFD (the form decoders replace them): refuse them all here
    # rather than store a garbled name or let a garbled code read as "unknown province"
    for key, values in form.lists():
        if "\ufffd" in key or any("\ufffd" in value for value in values):
            raise Open311Error(400, "Dữ liệu có ký tự không đọc được: hãy gửi văn bản mã hoá UTF-8.")
    return form


def _flag(form: QueryDict, code: str) -> bool:
    text = (form.get(f"attribute[{code}]") or "").strip().lower()
    if text in ("", "false", "0", "no", "off"):
        return False
    if text in ("true", "1", "yes", "on"):
        return True
    raise ValidationFailed(f"attribute[{code}] chỉ nhận giá trị true hoặc false.", field=code, code="flag")


def _check_key(form: QueryDict) -> None:
    key = (form.get("api_key") or "").strip()
    if not key:
        raise Open311Error(403, "Thiếu khoá API (api_key): hãy liên hệ quản trị viên để được cấp khoá.")
    api_key = apikeys.verify(key)
    if api_key is None:
        raise Open311Error(403, "Khoá API (api_key) không hợp lệ hoặc đã bị thu hồi.")
    limit = ratelimit.Limit("feedback.open311.key", getattr(settings, "DIGITALFRONT_OPEN311_PER_MINUTE", 600), 60)
    decision = ratelimit.hit(limit, f"key:{api_key.pk}")
    if not decision.allowed:
        raise Open311Error(
            429,
            "Khoá API này gửi quá nhiều yêu cầu: hãy thử lại sau ít phút.",
            headers={"Retry-After": str(decision.retry_after_s)},
        )


def _tracking_url(request: HttpRequest, code: str, secret: str) -> str:
    try:
        path = reverse("feedback:track", kwargs={"code": code})
    except NoReverseMatch:
        path = f"/phan-anh/theo-doi/{code}/"
    return request.build_absolute_uri(f"{path}?{urlencode({'k': secret})}")


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    form = _form(request)
    _check_key(form)
    service_code = (form.get("service_code") or "").strip()
    try:
        if not service_code:
            raise ValidationFailed("Hãy chọn lĩnh vực.", field="topic", code="required")
        name = " ".join(part.strip() for part in (form.get("first_name", ""), form.get("last_name", "")) if part)
        sub = intake.prepare(
            kind=(form.get("attribute[kind]") or Kind.FEEDBACK).strip(),
            content=form.get("description", ""),
            province=(form.get("attribute[province]") or "").strip(),
            commune=(form.get("attribute[commune]") or "").strip() or None,
            level=(form.get("attribute[level]") or Level.COMMUNE).strip(),
            address=form.get("address_string", ""),
            latitude=(form.get("lat") or "").strip() or None,
            longitude=(form.get("long") or "").strip() or None,
            name=name.strip(),
            phone=form.get("phone", ""),
            email=form.get("email", "").strip(),
            anonymous=_flag(form, "anonymous"),
            consent_publish=_flag(form, "consent_publish"),
            topic=service_code,
            channel=Channel.OPEN311,
            device_id=form.get("device_id", ""),
        )
        receipt = intake.submit(sub)
    except ValidationFailed as exc:
        parameter = PARAMETERS.get(exc.field or "", exc.field)
        raise Open311Error(400, f"{exc.message} ({parameter})" if parameter else exc.message) from None
    case = receipt.case
    notice = [
        f"Đã tiếp nhận phản ánh, mã theo dõi {case.code}. Người gửi theo dõi kết quả qua đường dẫn "
        "riêng (tracking_url): chỉ chuyển đường dẫn này cho người gửi, không công khai."
    ]
    if sub.kind_note:
        notice.append(sub.kind_note)
    if (form.get("media_url") or "").strip():
        notice.append("Ảnh tại media_url không được tải về và không được đính kèm vào phản ánh.")
    data = [
        {
            "service_request_id": case.code,
            "token": str(case.intake_token),
            "service_notice": " ".join(notice),
            "account_id": None,
            "tracking_url": _tracking_url(request, case.code, receipt.token),
        }
    ]
    return respond(fmt, "service_requests", data, status=201)
