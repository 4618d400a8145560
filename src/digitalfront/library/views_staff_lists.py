"""The library's national lists (``/thu-vien/quan-ly/nhom/``, ``/thu-vien/quan-ly/tu-dong-nghia/``):
content groups and the synonym and abbreviation list that search expands queries with. They concern
every user of the platform, so only superusers see and change them (others: 404, as for anything out
of their scope)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from digitalfront.core.errors import NotFound
from digitalfront.core.views import domain_error_page

from . import access
from .forms import GroupForm, SynonymForm
from .models import Group, Synonym

PAGE_SIZE = 50


def national_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; superusers only, everybody else gets the 404 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.is_national_manager(request.user):
            return domain_error_page(request, NotFound(access.NATIONAL_ONLY))
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def _page(request: HttpRequest, template: str, tab: str, status: int, **context: Any) -> HttpResponse:
    return render(request, f"library/staff/{template}", {"nav": "library", "tab": tab, **context}, status=status)


def _submit(request: HttpRequest, form: GroupForm | SynonymForm, message: Callable[[Any], str],
            to: str) -> HttpResponse | int:
    """On a valid POST: save through the service, say so, go back to the list; otherwise the status
    of the page (422 when the form was refused)."""
    if request.method != "POST":
        return 200
    if not form.is_valid():
        return 422
    saved = form.save_as(request.user)
    messages.success(request, message(saved))
    return redirect(to)


def _group(slug: str) -> Group:
    group = Group.objects.filter(slug=str(slug)[:60]).first()
    if group is None:
        raise NotFound("Không tìm thấy nhóm tài liệu.")
    return group


@require_http_methods(["GET", "POST"])
@national_page
def group_list(request: HttpRequest) -> HttpResponse:
    """The groups with their document counts, and the form to add one."""
    form = GroupForm(request.POST or None)
    status = _submit(request, form, lambda g: f"Đã thêm nhóm “{g.name}”.", "library_staff:groups")
    if isinstance(status, HttpResponse):
        return status
    groups = Group.objects.annotate(total=Count("documents"),
                                    public=Count("documents", filter=Q(documents__published=True)))
    return _page(request, "groups.html", "groups", status, groups=groups, form=form)


@require_http_methods(["GET", "POST"])
@national_page
def group_edit(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        group = _group(slug)
    except NotFound as exc:
        return domain_error_page(request, exc)
    form = GroupForm(request.POST or None, instance=group)
    status = _submit(request, form, lambda _: "Đã lưu nhóm tài liệu.", "library_staff:groups")
    if isinstance(status, HttpResponse):
        return status
    return _page(request, "group_form.html", "groups", status, group=group, form=form)


@require_http_methods(["GET", "POST"])
@national_page
def synonym_list(request: HttpRequest) -> HttpResponse:
    """The synonym list (searchable, paginated), and the form to add an entry."""
    form = SynonymForm(request.POST or None, initial={"active": True})
    status = _submit(request, form, lambda x: f"Đã thêm “{x.term}”.", "library_staff:synonyms")
    if isinstance(status, HttpResponse):
        return status
    query = " ".join(request.GET.get("q", "").split())[:60]
    qs = Synonym.objects.all()
    if query:
        qs = qs.filter(Q(term__icontains=query) | Q(expansions__icontains=query))
    page = Paginator(qs.order_by("term"), PAGE_SIZE).get_page(request.GET.get("trang"))
    params = request.GET.copy()
    params.pop("trang", None)
    return _page(request, "synonyms.html", "synonyms", status, form=form, page=page, query=query,
                 page_query=params.urlencode())


@require_http_methods(["GET", "POST"])
@national_page
def synonym_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an entry, or deactivate it (untick "đang dùng")."""
    synonym = Synonym.objects.filter(pk=pk).first()
    if synonym is None:
        return domain_error_page(request, NotFound("Không tìm thấy mục trong danh sách từ đồng nghĩa."))
    form = SynonymForm(request.POST or None, instance=synonym)
    status = _submit(request, form, lambda _: "Đã lưu.", "library_staff:synonyms")
    if isinstance(status, HttpResponse):
        return status
    return _page(request, "synonym_form.html", "synonyms", status, synonym=synonym, form=form)
