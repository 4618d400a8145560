"""Asking the assistant: the question is recorded first, then answered, as a stream of events.

:func:`open_question` validates and commits the question (a conversation is started for the first
one): from then on it is not lost, whatever happens to the answer. :func:`answer_events` retrieves,
answers and yields ``(event, data)`` pairs: ``sources`` (what was found), ``delta`` (a piece of the
answer's text, as it is produced), ``done`` (the final answer with its checked citations, which
replaces the streamed text). The answer is saved before ``done``; when the client goes away in the
middle, the answer is completed without a model and saved all the same.

Modes: a curated question and answer close to the question (``curated``); otherwise the extractive
answer (``extractive``), or, with a model configured, a generated one (``generative``) whose citations
are checked against the sources and which falls back to the extractive answer when the model fails
or cites nothing it was given.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from digitalfront.ai import generation
from digitalfront.core import ratelimit
from digitalfront.core.errors import DomainError, NotFound

from .. import access, extractive, generative, guard
from ..models import Conversation, Message, Mode, Outcome, Rating
from ..retrieval import Retrieval, retrieve

Event = tuple[str, dict[str, Any]]
GENERATIVE_SOURCES = 4
CLOSEST = 3
STREAM_PIECE = 48


class TooManyQuestions(DomainError):
    status = 429


def _limit() -> ratelimit.Limit:
    return ratelimit.Limit("assistant.user", settings.ASSISTANT_QUESTIONS_PER_HOUR, 3600)


def open_question(*, user: Any, question: Any, conversation_id: int | None = None) -> Message:
    """Validate and commit ``question``; raises ``QuestionError``, ``PermissionDenied``, ``NotFound``
    (a conversation that is not the user's) or :class:`TooManyQuestions`."""
    access.require_use(user)
    text = guard.clean(question)
    if conversation_id is not None and not Conversation.objects.filter(pk=conversation_id, user=user).exists():
        raise NotFound()
    decision = ratelimit.hit(_limit(), f"user:{user.pk}")
    if not decision.allowed:
        error = TooManyQuestions(f"Bạn đã hỏi quá nhiều trong một giờ. Hãy thử lại sau {decision.retry_after_s} giây.",
                                 code="rate_limited")
        error.retry_after_s = decision.retry_after_s  # type: ignore[attr-defined]
        raise error
    with transaction.atomic():
        if conversation_id is not None:
            conversation = Conversation.objects.select_for_update().filter(pk=conversation_id, user=user).first()
            if conversation is None:
                raise NotFound()
            conversation.save(update_fields=["updated_at"])
        else:
            conversation = Conversation.objects.create(user=user, title=text[:200])
        return Message.objects.create(conversation=conversation, question=text, unit=access.home_unit(user))


def _finish(message: Message, *, outcome: str, answer: str, mode: str = "",
            citations: list[dict[str, Any]] | None = None, sources: list[dict[str, Any]] | None = None,
            notes: list[str] | None = None, started: float) -> None:
    message.outcome, message.answer, message.mode = outcome, answer, mode
    message.citations = citations or []
    message.sources = sources or []
    message.notes = notes or []
    message.took_ms = round((time.perf_counter() - started) * 1000, 1)
    message.answered_at = timezone.now()
    if message.pk is None:  # the evaluation answers without recording
        return
    message.save(update_fields=["outcome", "answer", "mode", "citations", "sources", "notes", "took_ms",
                                "answered_at"])


def _pieces(text: str) -> Iterator[str]:
    for i in range(0, len(text), STREAM_PIECE):
        yield text[i: i + STREAM_PIECE]


def _extractive(message: Message, r: Retrieval, started: float, notes: list[str]) -> None:
    draft = extractive.compose(r)
    cited = [src.public(n, excerpt=excerpt) for n, (src, excerpt) in
             enumerate(zip(draft.cited, draft.excerpts, strict=True), start=1)]
    others = [s.public() for s in r.sources if s not in draft.cited][:CLOSEST]
    _finish(message, outcome=Outcome.ANSWERED, answer=draft.text,
            mode=Mode.CURATED if r.curated is not None else Mode.EXTRACTIVE,
            citations=cited, sources=others, notes=notes, started=started)


def _abstain(message: Message, r: Retrieval, started: float, notes: list[str]) -> None:
    _finish(message, outcome=Outcome.ABSTAINED, answer=extractive.abstain(r),
            sources=[s.public() for s in r.sources[:CLOSEST]], notes=notes, started=started)


def answer_events(message: Message, user: Any, *, client: generation.ChatClient | None = None,
                  use_model: bool = True) -> Iterator[Event]:
    """Answer ``message`` (opened by :func:`open_question`) and yield its events."""
    started = time.perf_counter()
    notes: list[str] = []
    r: Retrieval | None = None
    try:
        if guard.is_manipulation(message.question):
            _finish(message, outcome=Outcome.REFUSED, answer=guard.REFUSAL, started=started)
        else:
            r = retrieve(user, message.question)
            yield "sources", {"sources": [s.public(n) for n, s in enumerate(r.sources, start=1)]}
            if client is None and use_model:
                client = generation.configured()
            if not r.supported:
                _abstain(message, r, started, notes)
            elif r.curated is not None or client is None:
                _extractive(message, r, started, notes)
            else:
                yield from _generate(message, r, client, started, notes)
        if message.outcome != Outcome.PENDING and message.mode != Mode.GENERATIVE:
            for piece in _pieces(message.answer):
                yield "delta", {"text": piece}
        yield "done", {"message": message_out(message)}
    finally:
        if message.outcome == Outcome.PENDING:
            # the client left before the end, or something failed: the question still gets an answer
            try:
                if r is None:
                    r = retrieve(user, message.question)
                if r.supported:
                    _extractive(message, r, started, [*notes, "Trả lời không dùng mô hình (yêu cầu bị ngắt)."])
                else:
                    _abstain(message, r, started, notes)
            except Exception:
                _finish(message, outcome=Outcome.FAILED, answer="Không trả lời được câu hỏi do lỗi hệ thống.",
                        notes=notes, started=started)
                raise


def _generate(message: Message, r: Retrieval, client: generation.ChatClient, started: float,
              notes: list[str]) -> Iterator[Event]:
    sources = r.sources[:GENERATIVE_SOURCES]
    pieces: list[str] = []
    try:
        for piece in client.stream(generative.messages(r, sources), max_tokens=settings.ASSISTANT_LLM_MAX_TOKENS):
            pieces.append(piece)
            yield "delta", {"text": piece}
    except generation.GenerationError as exc:
        notes.append(f"{exc} Câu trả lời dưới đây trích nguyên văn từ nguồn.")
        yield "reset", {}
        _extractive(message, r, started, notes)
        return
    text = "".join(pieces).strip()
    if generative.says_not_enough(text):
        notes.append("Mô hình cho rằng các nguồn không đủ căn cứ để trả lời.")
        _abstain(message, r, started, notes)
        yield "reset", {}
        return
    checked = generative.check_citations(text, len(sources))
    if checked.dropped:
        notes.append("Đã bỏ trích dẫn không có trong các nguồn đã tra cứu: "
                     + ", ".join(f"[{n}]" for n in checked.dropped) + ".")
    if not checked.cited or not checked.text:
        notes.append("Câu trả lời của mô hình không dẫn nguồn hợp lệ; câu trả lời dưới đây trích nguyên văn từ nguồn.")
        yield "reset", {}
        _extractive(message, r, started, notes)
        return
    cited = [sources[n - 1].public(n) for n in sorted(checked.cited)]
    others = [s.public() for n, s in enumerate(sources, start=1) if n not in checked.cited][:CLOSEST]
    _finish(message, outcome=Outcome.ANSWERED, answer=checked.text, mode=Mode.GENERATIVE, citations=cited,
            sources=others, notes=notes, started=started)


def ask(*, user: Any, question: Any, conversation_id: int | None = None,
        client: generation.ChatClient | None = None) -> Message:
    """Ask and wait for the whole answer (pages without script, the API's plain endpoint, the eval)."""
    message = open_question(user=user, question=question, conversation_id=conversation_id)
    for _ in answer_events(message, user, client=client):
        pass
    return message


def rate(*, user: Any, message_id: int, rating: str, comment: Any = "") -> Message:
    if rating not in Rating.values:
        from digitalfront.core.errors import ValidationFailed

        raise ValidationFailed("Đánh giá phải là “hữu ích” hoặc “chưa hữu ích”.", field="rating")
    if not isinstance(comment, str):
        comment = ""
    with transaction.atomic():
        message = access.own_message(user, message_id)
        if message.outcome == Outcome.PENDING:
            from digitalfront.core.errors import InvalidState

            raise InvalidState("Câu hỏi chưa được trả lời.")
        message.rating, message.rating_comment, message.rated_at = rating, comment.strip()[:500], timezone.now()
        message.save(update_fields=["rating", "rating_comment", "rated_at"])
    return message


def message_out(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk, "conversation_id": message.conversation_id, "question": message.question,
        "answer": message.answer, "outcome": message.outcome, "outcome_label": message.get_outcome_display(),
        "mode": message.mode, "citations": message.citations, "sources": message.sources, "notes": message.notes,
        "took_ms": message.took_ms, "rating": message.rating or None,
        "created_at": message.created_at.isoformat() if message.created_at else None,
    }
