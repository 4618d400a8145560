"""Placeholder until the pages land."""

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, pk: int = 0) -> HttpResponse:
    return HttpResponse(status=501)


knowledge_list = knowledge_create = knowledge_detail = knowledge_edit = knowledge_toggle = queue = queue_item = _todo
