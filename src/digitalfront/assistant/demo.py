"""The assistant's demo content, loaded by ``digitalfront demo`` (after the library and the demo accounts):
the Front's guidance and questions and answers (:mod:`.demo_knowledge`) at national, provincial and
commune level, and a few questions asked by the demo staff so that the review queue is not empty.

Idempotent: an entry is recognised by its title and unit, a question by its asker and text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from digitalfront.accounts.models import User
from digitalfront.orgs.models import Unit

from .demo_knowledge import ENTRIES, QUESTIONS
from .models import Knowledge, Message
from .services import answers, knowledge

ProgressFn = Callable[[str, int, int], None]


def load_assistant_demo(*, progress: ProgressFn | None = None) -> dict[str, Any]:
    names = {e[3] for e in ENTRIES} | {q[0] for q in QUESTIONS}
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    added = asked = 0
    for i, (_key, kind, unit_code, author, title, question, body) in enumerate(ENTRIES, start=1):
        unit = Unit.objects.filter(code=unit_code, valid_to__isnull=True).first() if unit_code else None
        if (unit_code and unit is None) or author not in users:
            continue  # units or accounts of a smaller demo
        name = title or question[:300]
        if not Knowledge.objects.filter(title=name, unit=unit).exists():
            knowledge.create_knowledge(actor=users[author], kind=kind, unit=unit, title=title, question=question,
                                       body=body, note="Dữ liệu mẫu")
            added += 1
        if progress:
            progress("Kiến thức nghiệp vụ của trợ lý", i, len(ENTRIES))
    for username, text, rating in QUESTIONS:
        user = users.get(username)
        if user is None or Message.objects.filter(conversation__user=user, question=text).exists():
            continue
        message = answers.ask(user=user, question=text)
        if rating:
            answers.rate(user=user, message_id=message.pk, rating=rating)
        asked += 1
    return {"knowledge": Knowledge.objects.count(), "knowledge_added": added, "questions_asked": asked}
