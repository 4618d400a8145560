"""The assistant's demo content: knowledge at each level by the demo accounts, questions in the review
queue, and a second run that changes nothing."""

from __future__ import annotations

from typing import Any

from digitalfront.accounts.models import User
from digitalfront.assistant import access
from digitalfront.assistant.access import pending_review
from digitalfront.assistant.demo import load_assistant_demo
from digitalfront.assistant.demo_knowledge import ENTRIES
from digitalfront.assistant.models import Knowledge, KnowledgeVersion, Message
from digitalfront.core.demo_users import ensure_demo_users


def test_demo_knowledge_and_queue(world: Any, library: Any) -> None:
    ensure_demo_users()
    first = load_assistant_demo()
    assert first["knowledge_added"] == len(ENTRIES) == Knowledge.objects.count()
    assert KnowledgeVersion.objects.count() == len(ENTRIES)
    hanoi_guide = Knowledge.objects.get(unit__code="01")
    assert hanoi_guide.created_by.username == "hanoi"
    badinh, hanoi = User.objects.get(username="badinh"), User.objects.get(username="hanoi")
    # Ba Đình's staff read the national knowledge, Hà Nội's and their own
    assert set(access.visible_knowledge(badinh).values_list("unit__code", flat=True)) == {None, "01", "00004"}
    assert Message.objects.count() == 3 and not Message.objects.filter(outcome="pending").exists()
    assert Message.objects.filter(rating="helpful").count() == 1
    # Hà Nội's administrator has the not-helpful answer (and any unanswered question) to review
    assert pending_review(hanoi).filter(rating="unhelpful").count() == 1
    second = load_assistant_demo()
    assert second["knowledge_added"] == 0 and second["questions_asked"] == 0
    assert Message.objects.count() == 3 and Knowledge.objects.count() == len(ENTRIES)
