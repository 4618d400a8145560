"""The assistant's quality on legal questions: ``digitalfront assistant eval --questions FILE``.

Questions in the format of ALQAC's ``questions_dev.json``. Each is answered as a staff member with the
widest scope would be answered (the same retrieval, answer and checks as the chat, without recording):

A multiple-choice question is asked with its options, as staff would paste it (the options name what
the question is about).

* ``citation_recall_at_3``: a gold article among the first three cited (an abstention cites nothing);
* ``abstain_rate``: questions answered "not enough support" (every question in such a file is
  answerable, so an abstention is a miss);
* ``p50_ms`` / ``p95_ms``: the time to the whole answer;
* with a generator: ``answer_accuracy`` over the true/false and multiple-choice questions that carry an
  ``answer``, the model choosing from the same retrieved sources.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from digitalfront.accounts.models import User
from digitalfront.ai import generation
from digitalfront.core.errors import DomainError
from digitalfront.library.evaluation import article_keys

from . import generative, guard
from .guard import MAX_QUESTION_CHARS
from .models import Message, Outcome
from .retrieval import retrieve
from .services.answers import answer_events

VERDICT_SOURCES = 3


def _reader() -> User:
    """An unsaved superuser: it reads everything and records nothing."""
    return User(username="danh-gia", is_superuser=True, is_active=True)


def evaluate(questions: list[dict[str, Any]], *, client: generation.ChatClient | None = None,
             progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    keys = article_keys()
    reader = _reader()
    cited_hits = abstained = 0
    times: list[float] = []
    judged = correct = unparsed = 0
    modes: dict[str, int] = {}
    for i, q in enumerate(questions, start=1):
        gold = {(g["law_id"], str(g["article_id"])) for g in q["relevant_articles"]}
        started = time.perf_counter()
        try:
            message = Message(question=guard.clean(asked(q)))
            for _ in answer_events(message, reader, client=client, use_model=client is not None):
                pass
        except DomainError:  # a question the assistant refuses to read (bad characters): a miss
            message = Message(question=asked(q), outcome=Outcome.ABSTAINED)
        times.append((time.perf_counter() - started) * 1000)
        modes[message.mode or message.outcome] = modes.get(message.mode or message.outcome, 0) + 1
        if message.outcome == Outcome.ABSTAINED:
            abstained += 1
        cited = [keys.get(int(c["key"].split(":")[1])) for c in message.citations[:3]
                 if c["key"].startswith("article:")]
        if any(c in gold for c in cited):
            cited_hits += 1
        if client is not None and q.get("answer") and q.get("question_type") in ("Đúng/Sai", "Trắc nghiệm"):
            judged += 1
            verdict = _verdict(client, reader, q)
            correct += verdict == q["answer"]
            unparsed += verdict is None
        if progress:
            progress("Đánh giá trợ lý", i, len(questions))
    n = len(questions)
    times.sort()
    result: dict[str, Any] = {
        "n": n, "citation_recall_at_3": round(cited_hits / n, 4), "abstain_rate": round(abstained / n, 4),
        "p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(0.95 * (n - 1))], 1),
        "mode": "generative" if client is not None else "extractive", "modes": modes,
    }
    if client is not None:
        result["answer_accuracy"] = round(correct / judged, 4) if judged else None
        result["judged"] = judged
        # verdicts the model did not give in a readable form (a base model echoes its prompt)
        result["verdicts_unreadable"] = unparsed
    return result


def asked(q: dict[str, Any]) -> str:
    """The question as staff would put it to the assistant: a multiple-choice question with its options."""
    text = " ".join(q["text"].split())
    choices = q.get("choices")
    if isinstance(choices, dict) and choices:
        text += "\n" + "\n".join(f"{k}. {' '.join(str(v).split())}" for k, v in sorted(choices.items()))
    return text[:MAX_QUESTION_CHARS]


def _verdict(client: generation.ChatClient, reader: User, q: dict[str, Any]) -> str | None:
    choices = q.get("choices") if isinstance(q.get("choices"), dict) else None
    sources = retrieve(reader, q["text"]).sources[:VERDICT_SOURCES]
    try:
        text = client.complete(generative.verdict_messages(q["text"], choices, sources), max_tokens=8)
    except generation.GenerationError:
        return None
    return generative.parse_verdict(text, choices)
