"""The assistant's pages for Front staff (``/tro-ly/``): asking, the user's conversations, one
conversation with its answers, citations and ratings.

The pages work without JavaScript: the question is a form posted to :func:`ask`, which answers it
through the same services as the API (``services.answers``) and shows the conversation. With
JavaScript, ``assistant/chat.js`` sends the same form to the API's stream and shows the answer as it
is written. Only staff with a role at a unit (and superusers) use the assistant (``access.may_use``):
anybody else signed in gets the 403 page, a conversation of another user the 404 page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_POST

from digitalfront.core.errors import DomainError, NotFound, PermissionDenied
from digitalfront.core.views import domain_error_page

from . import access
from .forms import AskForm
from .models import Conversation, Message, Mode, Outcome, Rating
from .services import answers

PAGE_SIZE = 20
_REF = re.compile(r"\[(\d{1,2})\]")
_PARAGRAPHS = re.compile(r"\n\s*\n")


def assistant_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; the 403 page for accounts that do not use the assistant, the 404 (or 403)
    page for what the services refuse to show or do."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            access.require_use(request.user)
            return view(request, *args, **kwargs)
        except (NotFound, PermissionDenied) as exc:
            return domain_error_page(request, exc, back_url=reverse("assistant:chat"), back_label="Về trang Trợ lý")

    return login_required(wrapper)


def base_context(request: HttpRequest, tab: str, **context: Any) -> dict[str, Any]:
    """What every assistant page's layout needs: the top navigation, the tabs it may show."""
    return {"nav": "assistant", "tab": tab, "may_review": access.may_review(request.user),
            "may_manage": access.may_manage(request.user), **context}


# --- presenting an answer --------------------------------------------------------------------------


def citation_label(source: dict[str, Any]) -> str:
    """"Điều 3. Hồ sơ đăng ký thường trú – Luật Thử nghiệm về cư trú" (as ``retrieval.Source.citation``)."""
    label, title = str(source.get("label") or ""), str(source.get("title") or "")
    return f"{label} – {title}" if label and label != title else title or label


def answer_html(text: str, citations: list[dict[str, Any]]) -> SafeString:
    """The answer's paragraphs (blank lines), its line breaks kept, each ``[n]`` a link to what it cites."""
    urls = {c.get("n"): (str(c.get("url") or ""), citation_label(c)) for c in citations}

    def line(part: str) -> SafeString:
        pieces: list[Any] = []
        last = 0
        for match in _REF.finditer(part):
            pieces.append(part[last:match.start()])
            n = int(match.group(1))
            if n in urls and urls[n][0]:
                pieces.append(format_html('<a class="as-ref" href="{}" title="{}">[{}]</a>', urls[n][0], urls[n][1], n))
            else:
                pieces.append(match.group(0))
            last = match.end()
        pieces.append(part[last:])
        return format_html_join("", "{}", ((p,) for p in pieces))

    def paragraph(text: str) -> SafeString:
        first, *rest = text.split("\n")
        return format_html_join("", "{}", [(line(first),), *((format_html("<br>{}", line(x)),) for x in rest)])

    paragraphs = [p.strip() for p in _PARAGRAPHS.split(text or "") if p.strip()]
    return format_html_join("", "<p>{}</p>", ((paragraph(p),) for p in paragraphs))


def turn(message: Message) -> dict[str, Any]:
    """A question and its answer as the conversation page shows them."""
    def with_label(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**item, "citation": citation_label(item)} for item in items if isinstance(item, dict)]

    return {
        "message": message,
        "answer": answer_html(message.answer, message.citations),
        "citations": with_label(message.citations),
        "sources": with_label(message.sources),
        "notes": [str(n) for n in message.notes or []],
        "answered": message.outcome == Outcome.ANSWERED,
        "abstained": message.outcome == Outcome.ABSTAINED,
        "rateable": message.outcome != Outcome.PENDING,
        "curated": message.mode == Mode.CURATED,
    }


# --- pages -------------------------------------------------------------------------------------------


def _own_conversation(user: Any, pk: int) -> Conversation:
    conversation = Conversation.objects.filter(pk=pk, user_id=user.pk).first()
    if conversation is None:
        raise NotFound("Không tìm thấy cuộc hội thoại này.")
    return conversation


def _chat_page(request: HttpRequest, form: AskForm, *, status: int = 200) -> HttpResponse:
    user: Any = request.user
    conversations = (Conversation.objects.filter(user=user).annotate(questions=Count("messages"))
                     .order_by("-updated_at", "-pk"))
    page = Paginator(conversations, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "assistant/chat.html", base_context(request, "chat", form=form, page=page),
                  status=status)


def _conversation_page(request: HttpRequest, conversation: Conversation, form: AskForm, *,
                       status: int = 200) -> HttpResponse:
    turns = [turn(m) for m in conversation.messages.order_by("pk")]
    return render(request, "assistant/conversation.html", base_context(
        request, "chat", conversation=conversation, turns=turns, form=form, ratings=Rating.choices), status=status)


@require_GET
@assistant_page
def chat(request: HttpRequest) -> HttpResponse:
    """A new question (a new conversation) beside the list of the user's conversations."""
    return _chat_page(request, AskForm())


@require_GET
@assistant_page
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    """A conversation: each question with its answer, citations, notes and rating; the next question."""
    conv = _own_conversation(request.user, pk)
    return _conversation_page(request, conv, AskForm(initial={"conversation_id": conv.pk}))


@require_POST
@assistant_page
def ask(request: HttpRequest) -> HttpResponse:
    """Ask without JavaScript: record the question, answer it in full, show the conversation. A refused
    question (empty, too long, too many in an hour) shows the form again with the service's message and
    status, and records nothing."""
    form = AskForm(request.POST)
    form.is_valid()  # every field is optional: the service says what is wrong with the question
    conversation_id = form.cleaned_data.get("conversation_id")
    conv = _own_conversation(request.user, conversation_id) if conversation_id else None
    try:
        message = answers.open_question(user=request.user, question=request.POST.get("question", ""),
                                        conversation_id=conv.pk if conv else None)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        form.add_error("question", exc.message)
        response = (_conversation_page(request, conv, form, status=exc.status) if conv
                    else _chat_page(request, form, status=exc.status))
        retry = getattr(exc, "retry_after_s", None)
        if retry:
            response["Retry-After"] = str(retry)
        return response
    try:
        for _ in answers.answer_events(message, request.user):
            pass
    except DomainError:
        pass  # the question is recorded with its failure, which the conversation shows
    return redirect(reverse("assistant:conversation", args=[message.conversation_id]) + f"#tin-{message.pk}")


@require_POST
@assistant_page
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """Rate an answer (helpful or not, with an optional comment); back to it."""
    message = access.own_message(request.user, pk)
    try:
        answers.rate(user=request.user, message_id=message.pk, rating=request.POST.get("rating", ""),
                     comment=request.POST.get("comment", ""))
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Cảm ơn bạn đã đánh giá câu trả lời.")
    return redirect(reverse("assistant:conversation", args=[message.conversation_id]) + f"#tin-{message.pk}")
