"""The Front's own knowledge (``/tro-ly/kien-thuc/``) and the review queue (``/tro-ly/hang-doi/``).

Every entry is read through ``access.visible_knowledge`` (a unit's entries reach its subtree and the
units above; out of scope is the 404 page) and changed through ``services.knowledge`` (each change a
version with its author). A refused input shows the form again with the service's Vietnamese message
and status. The queue is for unit administrators and superusers (``access.may_review``): a question
the assistant could not answer, or whose answer was rated unhelpful, is answered once and becomes a
curated question and answer, or is set aside.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digitalfront.core.errors import DomainError, NotFound, PermissionDenied

from . import access
from .access import pending_review
from .forms import CurateForm, KnowledgeEditForm, KnowledgeForm, chosen_unit
from .models import KnowledgeKind, Message
from .services import knowledge
from .views import assistant_page, base_context, turn

PAGE_SIZE = 25
STATES = {"dang-dung": True, "ngung": False}
NOT_WRITER = "Bạn chỉ được xem kiến thức nghiệp vụ: cán bộ nhập liệu và quản trị đơn vị mới được thêm."
NOT_REVIEWER = "Chỉ quản trị đơn vị mới xem hàng đợi câu hỏi."


def refuse(form: forms.Form, exc: DomainError) -> int:
    """Show a service's refusal on the form (on its field when the form has it); the HTTP status."""
    field = "answer" if exc.field == "body" and "answer" in form.fields else exc.field
    form.add_error(field if field in form.fields else None, exc.message)
    return exc.status


def _default_unit(user: Any, choices: list[tuple[str, str]], preferred: Any = None) -> str:
    """The unit a form offers first: ``preferred`` (a question's unit) or the user's own, when offered."""
    offered = {value for value, _ in choices}
    for unit in (preferred, access.home_unit(user)):
        if unit is not None and str(unit.pk) in offered:
            return str(unit.pk)
    return choices[0][0] if choices else ""


def _page_query(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("trang", None)
    return params.urlencode()


# --- knowledge -----------------------------------------------------------------------------------------


@require_GET
@assistant_page
def knowledge_list(request: HttpRequest) -> HttpResponse:
    """The entries the user may read, last changed first, by kind, state and words."""
    user = request.user
    qs = access.visible_knowledge(user).select_related("unit", "updated_by")
    kind = request.GET.get("loai", "")
    if kind in KnowledgeKind.values:
        qs = qs.filter(kind=kind)
    else:
        kind = ""
    state = request.GET.get("trang_thai", "")
    if state in STATES:
        qs = qs.filter(active=STATES[state])
    else:
        state = ""
    query = " ".join(request.GET.get("q", "").split())[:100]
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(question__icontains=query) | Q(body__icontains=query))
    page = Paginator(qs.order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("trang"))
    editable = set(access.editable_knowledge(user).filter(pk__in=[e.pk for e in page.object_list])
                   .values_list("pk", flat=True))
    rows = [(entry, entry.pk in editable) for entry in page.object_list]
    return render(request, "assistant/knowledge_list.html", base_context(
        request, "knowledge", page=page, rows=rows, kinds=KnowledgeKind.choices, kind=kind, state=state,
        query=query, page_query=_page_query(request)))


@require_http_methods(["GET", "POST"])
@assistant_page
def knowledge_create(request: HttpRequest) -> HttpResponse:
    """A new guidance document or question and answer, for one of the user's units (or national)."""
    user = request.user
    if not access.may_manage(user):
        raise PermissionDenied(NOT_WRITER)
    form = KnowledgeForm(request.POST or None, request.FILES or None, user=user,
                         initial={"kind": request.GET.get("loai", KnowledgeKind.QA)})
    form.initial["unit"] = _default_unit(user, form.choices)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                title, body = data["title"], data["body"]
                if data.get("file") and not body.strip():
                    # a guidance document as a file: its text, read as the library reads uploads
                    from digitalfront.library.access import read_file

                    _name, _data, read = read_file(data["file"])
                    body, title = read.text, title or read.title
                entry = knowledge.create_knowledge(actor=user, kind=data["kind"], unit=chosen_unit(user, data["unit"]),
                                                   title=title, question=data["question"], body=body)
            except DomainError as exc:
                status = refuse(form, exc)
            else:
                messages.success(request, f"Đã thêm “{entry.title}”.")
                return redirect("assistant:knowledge_detail", pk=entry.pk)
    return render(request, "assistant/knowledge_form.html", base_context(request, "knowledge", form=form),
                  status=status)


@require_GET
@assistant_page
def knowledge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An entry as it is now, with who changed it and its versions."""
    entry = (access.visible_knowledge(request.user).select_related("unit", "created_by", "updated_by")
             .filter(pk=pk).first())
    if entry is None:
        raise NotFound("Không tìm thấy mục kiến thức này hoặc bạn không được xem.")
    return render(request, "assistant/knowledge_detail.html", base_context(
        request, "knowledge", entry=entry, editable=access.editable_knowledge(request.user).filter(pk=pk).exists(),
        versions=entry.versions.select_related("created_by").order_by("-number")))


@require_http_methods(["GET", "POST"])
@assistant_page
def knowledge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version of an entry the user may change (403 when they may only read it)."""
    entry = access.editable_entry(request.user, pk)
    qa = entry.kind == KnowledgeKind.QA
    form = KnowledgeEditForm(request.POST or None, with_question=qa,
                             initial={"title": entry.title, "question": entry.question, "body": entry.body})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = knowledge.update_knowledge(actor=request.user, entry_id=entry.pk, title=data["title"],
                                                   question=data.get("question", ""), body=data["body"],
                                                   note=data["note"])
            except DomainError as exc:
                status = refuse(form, exc)
            else:
                messages.success(request, f"Đã lưu phiên bản {entry.version}.")
                return redirect("assistant:knowledge_detail", pk=entry.pk)
    return render(request, "assistant/knowledge_form.html", base_context(request, "knowledge", form=form,
                                                                         entry=entry), status=status)


@require_POST
@assistant_page
def knowledge_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop using an entry (the assistant no longer reads it) or use it again."""
    entry = access.editable_entry(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        knowledge.set_active(actor=request.user, entry_id=entry.pk, active=active)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã dùng lại mục kiến thức." if active else
                         "Đã ngừng dùng mục kiến thức: trợ lý không còn đọc mục này.")
    return redirect("assistant:knowledge_detail", pk=entry.pk)


# --- the review queue ----------------------------------------------------------------------------------


def _reviewer(request: HttpRequest) -> Any:
    if not access.may_review(request.user):
        raise PermissionDenied(NOT_REVIEWER)
    return request.user


@require_GET
@assistant_page
def queue(request: HttpRequest) -> HttpResponse:
    """Questions asked in the user's subtree that the assistant could not answer, or whose answer was
    rated unhelpful, and nobody has settled yet; newest first."""
    user = _reviewer(request)
    page = Paginator(pending_review(user), PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "assistant/queue.html", base_context(request, "queue", page=page, page_query=""))


def _queue_page(request: HttpRequest, message: Message, form: CurateForm, *, status: int = 200) -> HttpResponse:
    return render(request, "assistant/queue_item.html", base_context(
        request, "queue", item=message, turn=turn(message), form=form), status=status)


@require_http_methods(["GET", "POST"])
@assistant_page
def queue_item(request: HttpRequest, pk: int) -> HttpResponse:
    """A question of the queue: what was asked and answered, the closest sources; answering it (a
    curated question and answer, which the next similar question gets first) or setting it aside."""
    user = _reviewer(request)
    item = (access.review_messages(user).select_related("unit", "conversation__user", "curated", "reviewed_by")
            .filter(pk=pk).first())
    if item is None:
        raise NotFound("Không tìm thấy câu hỏi này trong hàng đợi của bạn.")
    if request.method != "POST":
        form = CurateForm(user=user, asked_at=item.unit)
        form.initial["unit"] = _default_unit(user, form.choices, item.unit)
        return _queue_page(request, item, form)
    form = CurateForm(request.POST, user=user, asked_at=item.unit)
    status = 422
    try:
        if request.POST.get("action") == "dismiss":
            knowledge.dismiss(actor=user, message_id=item.pk)
            messages.success(request, "Đã bỏ qua câu hỏi.")
            return redirect("assistant:queue")
        if form.is_valid():
            data = form.cleaned_data
            entry = knowledge.curate(actor=user, message_id=item.pk, answer=data["answer"],
                                     unit=chosen_unit(user, data["unit"]), title=data["title"])
            messages.success(request, f"Đã lưu câu trả lời thành hỏi đáp nghiệp vụ “{entry.title}”. "
                                      "Câu hỏi giống hoặc gần giống sẽ được trả lời bằng nội dung này.")
            return redirect("assistant:queue")
    except NotFound:
        raise
    except DomainError as exc:
        status = refuse(form, exc)
    item.refresh_from_db()
    return _queue_page(request, item, form, status=status)
