"""API bodies sent either as JSON or as a multipart form carrying one file (a library document, a congress's
news photo): parsed into the endpoint's schema with the same Vietnamese errors everywhere, and the
matching OpenAPI description."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from ninja import Schema
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError

from .errors import DomainError, ValidationFailed


class UnsupportedBody(DomainError):
    status = 415


def json_or_form[SchemaT: Schema](request: HttpRequest, schema: type[SchemaT], *, file_field: str,
                                  file_label: str, one_file: str, keep_blank: bool = False,
                                  ) -> tuple[SchemaT, UploadedFile | None]:
    """The body as ``schema``, from JSON or from a multipart form, and the form's file in ``file_field``
    (at most one; a file in any other field is refused). ``keep_blank=False`` drops empty form fields,
    so that they take the schema's defaults; ``file_label`` names the file in the 415 message."""
    upload = None
    if request.content_type == "multipart/form-data":
        data: Any = {k: v for k, v in request.POST.items()
                     if k != "csrfmiddlewaretoken" and (keep_blank or v != "")}
        if set(request.FILES) - {file_field}:
            raise ValidationFailed(f"Hãy gửi {file_label} trong trường {file_field}.", field=file_field)
        uploads = request.FILES.getlist(file_field)
        if len(uploads) > 1:
            raise ValidationFailed(one_file, field=file_field)
        upload = uploads[0] if uploads else None
    elif request.content_type in ("application/json", ""):
        if not request.body:
            raise ValidationFailed("Thiếu nội dung yêu cầu (JSON).", code="invalid")
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            raise ValidationFailed("Nội dung gửi lên không phải JSON hợp lệ.", code="invalid") from None
        if not isinstance(data, dict):
            raise ValidationFailed("Nội dung gửi lên phải là một đối tượng JSON.", code="invalid")
    else:
        raise UnsupportedBody(f"Hãy gửi JSON (application/json) hoặc biểu mẫu có {file_label} "
                              "(multipart/form-data).", code="unsupported_media_type")
    try:
        return schema.model_validate(data), upload
    except ValidationError as exc:
        raise NinjaValidationError([dict(e) for e in exc.errors(include_url=False)]) from None


def body_doc(schema: type[Schema], *, file_field: str | None, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    """OpenAPI ``requestBody`` of :func:`json_or_form`: JSON, and (with ``file_field``) a multipart form
    with the file and the schema's fields except ``leave_out``."""
    json_schema = schema.model_json_schema()
    content: dict[str, Any] = {"application/json": {"schema": json_schema}}
    if file_field is not None:
        fields = {k: v for k, v in json_schema.get("properties", {}).items() if k not in leave_out}
        content["multipart/form-data"] = {"schema": {"type": "object", "properties": {
            file_field: {"type": "string", "format": "binary"}, **fields}}}
    return {"requestBody": {"required": True, "content": content}}
