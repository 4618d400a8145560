"""Reads behind the public library pages: groups, document lists, one document laid out for reading, and
the parameters of a search (read from the address, checked, turned into filters and facet links).

Everything here shows published documents only: :func:`published_documents` is the one queryset the
public pages start from, so an unpublished document is absent from lists, counts and its own page alike
(search results are filtered by the engine itself).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet

from .models import Document, Group, Kind, Passage, Section, SectionKind, Status
from .search.analysis import MAX_QUERY_CHARS
from .search.analysis import syllables as analysis_syllables
from .search.base import Filters

GROUP_PAGE_SIZE = 20
LATEST_COUNT = 8
SEARCH_PAGE_SIZE = 10
MAX_PAGE = 100_000  # beyond any real result list; larger numbers are shown the last page
ISSUER_MAX = 200
_CLAUSE_LINE = re.compile(r"^([0-9]{1,3})\.(?!\d)\s*")


# Lists ----------------------------------------------------------------------------------------------


def published_documents() -> QuerySet[Document]:
    """Every document the public may read."""
    return Document.objects.published()


def groups_with_counts() -> QuerySet[Group]:
    """The groups in their order, each with ``document_count``: its published documents."""
    return Group.objects.annotate(document_count=Count("documents", filter=Q(documents__published=True)))


def latest_documents(limit: int = LATEST_COUNT) -> QuerySet[Document]:
    """The most recently added published documents."""
    return published_documents().select_related("group").order_by("-created_at", "-pk")[:limit]


def group_documents(group: Group, *, kind: str | None = None, status: str | None = None) -> QuerySet[Document]:
    """The published documents of ``group`` by title, optionally of one kind and status."""
    qs = published_documents().filter(group=group).select_related("group", "scope").order_by("title", "pk")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs


def group_kinds(group: Group) -> list[tuple[str, str]]:
    """The kinds of document the group has (value, label), in the order of :class:`Kind`."""
    present = set(published_documents().filter(group=group).values_list("kind", flat=True).distinct())
    return [(value, label) for value, label in Kind.choices if value in present]


def published_document(slug: str) -> Document | None:
    """The published document at ``slug`` with what its page shows, or ``None`` (unknown or unpublished:
    the public gets the same 404 for both)."""
    return published_documents().select_related("group", "scope").filter(slug=slug).first()


# One document, laid out for reading -----------------------------------------------------------------


@dataclass
class Paragraph:
    """A line of an article; ``anchor`` is set on the line that opens a clause ("dieu-5-khoan-2")."""

    text: str
    anchor: str = ""


@dataclass
class Node:
    """A chapter, section or article of the text with its anchor and, for articles, its paragraphs."""

    section: Section
    anchor: str
    depth: int
    children: list[Node] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def is_article(self) -> bool:
        return self.section.kind == SectionKind.ARTICLE

    @property
    def heading_level(self) -> int:
        """h2 for the top divisions, one level deeper each step, at most h4."""
        return min(4, self.depth + 2)


@dataclass
class Block:
    """Consecutive passages of a text without articles (a guide) under one heading."""

    heading: str
    anchor: str
    passages: list[Passage] = field(default_factory=list)


@dataclass
class Layout:
    """What the document page shows of the text: the tree for the table of contents, the same nodes in
    reading order, or (for guides) the blocks of passages."""

    tree: list[Node]
    nodes: list[Node]
    blocks: list[Block]

    @property
    def empty(self) -> bool:
        return not (self.nodes or self.blocks)


def article_anchor(number: str) -> str:
    """The id of an article on its document's page, which search citations link to: "dieu-5"."""
    return f"dieu-{number}"


def passage_anchor(passage: Passage) -> str:
    """The id of a passage of a text without articles."""
    return f"doan-{passage.position}"


def hit_anchor(article: Section | None, passage: Passage) -> str:
    """Where a search result points to on its document's page."""
    if article is not None and article.number:
        return article_anchor(article.number)
    return passage_anchor(passage)


def _paragraphs(text: str, anchor: str) -> list[Paragraph]:
    out, seen = [], set()
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        match = _CLAUSE_LINE.match(line)
        clause = f"{anchor}-khoan-{match.group(1)}" if match else ""
        if clause in seen:  # quoted text of an amending article may number its own clauses
            clause = ""
        seen.add(clause)
        out.append(Paragraph(text=line, anchor=clause))
    return out


def document_layout(document: Document) -> Layout:
    """The structure of the current version: two queries, whatever its length."""
    sections = list(Section.objects.filter(document=document).order_by("position"))
    if not sections:
        blocks: list[Block] = []
        for p in Passage.objects.filter(document=document).order_by("position").only(
                "pk", "heading", "text", "position", "document_id"):
            if not blocks or blocks[-1].heading != p.heading:
                blocks.append(Block(heading=p.heading, anchor=passage_anchor(p)))
            blocks[-1].passages.append(p)
        return Layout(tree=[], nodes=[], blocks=blocks)
    by_id: dict[int, Node] = {}
    tree: list[Node] = []
    nodes: list[Node] = []
    used: set[str] = set()
    for s in sections:
        parent = by_id.get(s.parent_id) if s.parent_id else None
        if s.kind == SectionKind.ARTICLE and s.number:
            anchor = article_anchor(s.number)
        else:
            anchor = f"{s.kind}-{s.number or s.position}".lower()
        if anchor in used:  # a repeated number (a compilation): the first keeps the anchor citations use
            anchor = f"{anchor}-{s.position}"
        used.add(anchor)
        node = Node(section=s, anchor=anchor, depth=parent.depth + 1 if parent else 0)
        if node.is_article:
            node.paragraphs = _paragraphs(s.text, anchor)
        by_id[s.pk] = node
        (parent.children if parent else tree).append(node)
        nodes.append(node)
    return Layout(tree=tree, nodes=nodes, blocks=[])


def document_versions(document: Document) -> QuerySet[Any]:
    """The versions of a document, newest first, without their (long) text."""
    return document.versions.defer("text").order_by("-number")


def document_attachments(document: Document) -> QuerySet[Any]:
    return document.attachments.order_by("name")


# Search parameters ----------------------------------------------------------------------------------

# (engine field, address parameter, heading on the page)
FACETS = (
    ("group", "nhom", "Nhóm tài liệu"),
    ("kind", "loai", "Loại văn bản"),
    ("status", "tinh-trang", "Tình trạng hiệu lực"),
    ("issuing_body", "co-quan", "Cơ quan ban hành"),
    ("year", "nam", "Năm ban hành"),
)


@dataclass
class SearchParams:
    """A search as read from the address. Invalid filters are dropped with a notice: links get old,
    edited and mistyped, and none of that deserves an error page."""

    query: str = ""
    values: dict[str, str] = field(default_factory=dict)  # engine field -> checked value
    labels: dict[str, str] = field(default_factory=dict)  # engine field -> what the value is called
    page: int = 1
    notices: list[str] = field(default_factory=list)

    @property
    def filters(self) -> Filters:
        v = self.values
        return Filters(group=v.get("group"), kind=v.get("kind"), status=v.get("status"),
                       issuing_body=v.get("issuing_body"), year=int(v["year"]) if "year" in v else None)

    def query_params(self, **changes: str | None) -> dict[str, str]:
        """The address parameters of this search (no page), with ``changes`` by engine field (``None``
        drops one)."""
        values = {**self.values, **changes}
        params = {"q": self.query} if self.query else {}
        for name, param, _ in FACETS:
            value = values.get(name)
            if value:
                params[param] = value
        return params

    def url(self, **changes: str | None) -> str:
        return "?" + urlencode(self.query_params(**changes))

    @property
    def encoded(self) -> str:
        """The parameters for the pagination links."""
        return urlencode(self.query_params())


def parse_page(raw: str, notices: list[str]) -> int:
    """``trang``: a positive number; anything else is page 1 with a notice; very large numbers are
    capped (the view then shows the last page)."""
    raw = raw.strip()
    if not raw:
        return 1
    if raw.isascii() and raw.isdigit() and int(raw) >= 1:
        return min(int(raw), MAX_PAGE)
    notices.append("Số trang không hợp lệ; đang hiển thị trang đầu.")
    return 1


def parse_search(params: Mapping[str, Any]) -> SearchParams:
    """Read ``q``, ``nhom``, ``loai``, ``tinh-trang``, ``co-quan``, ``nam`` and ``trang``. The query itself
    is checked by the engine (its :class:`QueryError` message is shown on the page)."""
    result = SearchParams(query=str(params.get("q") or "").strip())
    raw = {name: str(params.get(param) or "").strip() for name, param, _ in FACETS}
    if raw["group"]:
        name = Group.objects.filter(slug=raw["group"][:60]).values_list("name", flat=True).first()
        if name is None:
            result.notices.append("Nhóm tài liệu đã chọn không tồn tại; đã bỏ qua bộ lọc này.")
        else:
            result.values["group"], result.labels["group"] = raw["group"], name
    for name, choices, what in (("kind", Kind, "Loại văn bản"), ("status", Status, "Tình trạng hiệu lực")):
        if raw[name]:
            labels = dict(choices.choices)
            if raw[name] in labels:
                result.values[name], result.labels[name] = raw[name], str(labels[raw[name]])
            else:
                result.notices.append(f"{what} đã chọn không hợp lệ; đã bỏ qua bộ lọc này.")
    issuer = raw["issuing_body"]
    if issuer:
        if len(issuer) > ISSUER_MAX or not issuer.isprintable():
            result.notices.append("Cơ quan ban hành đã chọn không hợp lệ; đã bỏ qua bộ lọc này.")
        else:
            result.values["issuing_body"] = result.labels["issuing_body"] = issuer
    year = raw["year"]
    if year:
        if year.isascii() and year.isdigit() and len(year) == 4 and 1900 <= int(year) <= 2999:
            result.values["year"] = result.labels["year"] = year
        else:
            result.notices.append("Năm ban hành phải là một năm có bốn chữ số, ví dụ 2024; đã bỏ qua bộ lọc này.")
    result.page = parse_page(str(params.get("trang") or ""), result.notices)
    return result


@dataclass
class FacetItem:
    label: str
    count: int
    url: str
    active: bool


@dataclass
class FacetGroup:
    title: str
    items: list[FacetItem]


def facet_groups(search: SearchParams, facets: Mapping[str, list[tuple[str, str, int]]]) -> list[FacetGroup]:
    """The facets of a result as links that keep the other parameters: a value filters, the active
    value removes its filter."""
    out = []
    for name, _, title in FACETS:
        active = search.values.get(name)
        items = [FacetItem(label=label, count=count, active=value == active,
                           url=search.url(**{name: None if value == active else value}))
                 for value, label, count in facets.get(name, [])]
        if items:
            out.append(FacetGroup(title=title, items=items))
    return out


@dataclass
class ActiveFilter:
    title: str
    label: str
    remove_url: str


def active_filters(search: SearchParams) -> list[ActiveFilter]:
    """The filters in force, each with the link that removes it."""
    return [ActiveFilter(title=title, label=search.labels.get(name, search.values[name]),
                         remove_url=search.url(**{name: None}))
            for name, _, title in FACETS if name in search.values]


QUERY_MAX = MAX_QUERY_CHARS


# What the assistant reads: the best articles for a question, whole ----------------------------------


@dataclass
class Evidence:
    """An article (or a passage of a text without articles) that may answer a question, with its text."""

    key: str  # "article:<section id>" or "passage:<passage id>"
    document_title: str
    document_slug: str
    label: str  # "Điều 5. Thời hạn giải quyết", or the passage's heading
    text: str  # the whole article (clauses included), or the passage
    url: str
    score: float
    repealed: bool
    status_label: str


def _evidence_of(doc: Document, article: Section | None, passage: Passage, score: float) -> Evidence:
    from django.urls import reverse

    if article is not None:
        key, label, body = f"article:{article.pk}", article.label, article.text or passage.text
    else:
        key, label, body = f"passage:{passage.pk}", passage.heading, passage.text
    url = reverse("library:document", args=[doc.slug]) + "#" + hit_anchor(article, passage)
    return Evidence(key=key, document_title=doc.title, document_slug=doc.slug, label=label or doc.title, text=body,
                    url=url, score=score, repealed=doc.status == Status.REPEALED,
                    status_label=doc.get_status_display())


_ARTICLE_REF = re.compile(r"\bdieu (\d{1,4}[a-z]?)\b")


def named_articles(text: str) -> list[Evidence]:
    """The articles a question names outright ("khoản 3 Điều 2 Luật An ninh mạng", "Điều 21 BLDS"): an
    article number and the title of a published document (or an abbreviation of it in the synonym list)."""
    from .search import engine

    folded = " ".join(analysis_syllables(text))
    numbers = list(dict.fromkeys(_ARTICLE_REF.findall(folded)))
    if not numbers:
        return []
    names = {folded}
    for term, alternatives in engine.synonyms().items():
        if f" {term} " in f" {folded} ":
            names.update(alternatives)
    titles = [(pk, " ".join(analysis_syllables(title))) for pk, title in
              published_documents().values_list("pk", "title")]
    wanted = [pk for pk, title in titles if title and any(f" {title} " in f" {name} " for name in names)]
    if not wanted:
        return []
    out = []
    for article in Section.objects.filter(document_id__in=wanted, kind=SectionKind.ARTICLE, number__in=numbers) \
            .select_related("document")[:5]:
        passage = Passage.objects.filter(article=article).order_by("position").first()
        if passage is not None:
            out.append(_evidence_of(article.document, article, passage, score=float("inf")))
    return out


def evidence(text: str, *, limit: int = 5, semantic: bool = True) -> list[Evidence]:
    """The ``limit`` best published articles for ``text``, in the library search's order (one query for
    the ranking, one for the page: the same cost as a search page); an article the question names
    outright comes first. Raises ``QueryError``."""
    from .search import engine

    page = engine.search(text, per_page=limit, semantic=semantic, with_facets=False)
    named = named_articles(text)
    seen = {e.key for e in named}
    found = [_evidence_of(hit.document, hit.article, hit.passage, hit.score) for hit in page.hits]
    return (named + [e for e in found if e.key not in seen])[:limit]


def term_weights(terms: list[str]) -> dict[str, float]:
    """The inverse document frequency of each folded syllable over the indexed passages (a word the
    library never uses weighs the most): how much a word of a question says about its subject."""
    import math

    from . import indexing

    total, df = indexing.get_backend().frequencies(terms)
    total = max(total, 1)
    return {t: math.log(1 + (total - df.get(t, 0) + 0.5) / (df.get(t, 0) + 0.5)) for t in terms}


def closeness(text: str, keys: list[str]) -> dict[str, float]:
    """The cosine between the e5 vector of ``text`` and the vectors of the articles (or passages) named by
    ``keys`` (as in :class:`Evidence`); empty when ``text`` has no diacritics (the model fails on such
    text) or no vector exists."""
    from . import indexing
    from .search import analysis, engine

    if not analysis.has_marks(text):
        return {}
    store = indexing.vector_store()
    rows = {}
    for key in keys:
        kind, _, pk = key.partition(":")
        row = store.index.get(("a" if kind == "article" else "p", int(pk))) if pk.isdigit() else None
        if row is not None:
            rows[key] = int(row)
    if not rows:
        return {}
    qv = engine.query_vector(analysis.clean(text))
    return {key: float(store.matrix[row] @ qv) for key, row in rows.items()}
