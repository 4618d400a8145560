"""The public pages of the library (no account needed): the home page with the groups, the search with
facets, one group's documents, one document to read, and the suggestions typed into the search box.

Only published documents are shown (:mod:`.selectors` and the engine both filter); an unknown and an
unpublished document get the same 404. Every page is a GET and works without JavaScript.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from . import selectors as sel
from .models import Group, Status
from .search import engine
from .search.analysis import QueryError

SUGGESTIONS = 8


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The groups with their document counts, the search box and the latest documents."""
    return render(request, "library/home.html", {
        "nav": "library",
        "groups": sel.groups_with_counts(),
        "latest": sel.latest_documents(),
        "query_max": sel.QUERY_MAX,
    })


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Results for ``q`` with facets, 10 a page. An empty query shows the form and a hint; a query the
    engine refuses (too long, control characters) shows its message with a 400."""
    params = sel.parse_search(request.GET)
    context: dict[str, object] = {
        "nav": "library",
        "search": params,
        "query_max": sel.QUERY_MAX,
        "active_filters": sel.active_filters(params),
        "groups": None,
        "result": None,
        "error": "",
    }
    status = 200
    if not params.query:
        context["groups"] = sel.groups_with_counts()
        return render(request, "library/search.html", context)
    try:
        result = engine.search(params.query, filters=params.filters, page=params.page,
                               per_page=sel.SEARCH_PAGE_SIZE)
        if not result.hits and result.total and params.page > result.pages:
            # an old or edited link past the end: the last page rather than nothing
            params.notices.append(f"Chỉ có {result.pages} trang kết quả; đang hiển thị trang cuối.")
            params.page = result.pages
            result = engine.search(params.query, filters=params.filters, page=params.page,
                                   per_page=sel.SEARCH_PAGE_SIZE)
    except QueryError as exc:
        context["error"] = exc.message
        status = exc.status
    else:
        context.update({
            "result": result,
            "hits": [(hit, sel.hit_anchor(hit.article, hit.passage)) for hit in result.hits],
            "facets": sel.facet_groups(params, result.facets),
            # a Page over the result count, for the shared pagination links
            "page": Paginator(range(result.total), sel.SEARCH_PAGE_SIZE).get_page(result.page),
            "page_query": params.encoded,
        })
    return render(request, "library/search.html", context, status=status)


@require_safe
def group(request: HttpRequest, slug: str) -> HttpResponse:
    """The published documents of one group, 20 a page, filtered by kind and status."""
    the_group = get_object_or_404(Group, slug=slug)
    notices: list[str] = []
    kinds = sel.group_kinds(the_group)
    kind = (request.GET.get("loai") or "").strip()
    if kind and kind not in dict(kinds):
        notices.append("Loại văn bản đã chọn không có trong nhóm này; đã bỏ qua bộ lọc này.")
        kind = ""
    status = (request.GET.get("tinh-trang") or "").strip()
    if status and status not in Status.values:
        notices.append("Tình trạng hiệu lực đã chọn không hợp lệ; đã bỏ qua bộ lọc này.")
        status = ""
    documents = sel.group_documents(the_group, kind=kind or None, status=status or None)
    page = Paginator(documents, sel.GROUP_PAGE_SIZE).get_page(request.GET.get("trang"))
    kept = request.GET.copy()
    kept.pop("trang", None)
    for name, value in (("loai", kind), ("tinh-trang", status)):
        if value:
            kept[name] = value
        else:
            kept.pop(name, None)
    return render(request, "library/group.html", {
        "nav": "library",
        "group": the_group,
        "page": page,
        "page_query": kept.urlencode(),
        "kinds": kinds,
        "statuses": Status.choices,
        "kind": kind,
        "status": status,
        "notices": notices,
        "query_max": sel.QUERY_MAX,
    })


@require_safe
def document(request: HttpRequest, slug: str) -> HttpResponse:
    """One published document: its metadata, table of contents, text, versions and attachments."""
    doc = sel.published_document(slug)
    if doc is None:
        raise Http404("not public")
    return render(request, "library/document.html", {
        "nav": "library",
        "document": doc,
        "layout": sel.document_layout(doc),
        "versions": list(sel.document_versions(doc)),
        "attachments": list(sel.document_attachments(doc)),
        "query_max": sel.QUERY_MAX,
    })


@require_safe
def suggest(request: HttpRequest) -> JsonResponse:
    """``{"suggestions": [...]}`` for the words typed so far; nothing (never an error) for an empty or
    unusable ``q``."""
    prefix = str(request.GET.get("q") or "")
    try:
        suggestions = engine.suggest(prefix, SUGGESTIONS) if prefix.strip() else []
    except QueryError:
        suggestions = []
    response = JsonResponse({"suggestions": suggestions})
    # the same letters are typed by many people; a minute old is fresh enough
    patch_cache_control(response, public=True, max_age=60)
    return response
