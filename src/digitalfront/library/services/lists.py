"""Writing the national lists of the library: groups and the synonym and abbreviation list."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from digitalfront.core import audit

from ..models import Group, Synonym
from ..search import engine


def save_group(*, actor: Any, group: Group) -> Group:
    """Create or change a group, in one transaction with an audit event."""
    created = group.pk is None
    with transaction.atomic():
        group.save()
        audit.record(actor=actor, action="library.group.create" if created else "library.group.update",
                     obj=group, name=group.name, slug=group.slug)
    return group


def save_synonym(*, actor: Any, synonym: Synonym) -> Synonym:
    """Create or change an entry; searches use the new list after commit (every process within seconds)."""
    created = synonym.pk is None
    with transaction.atomic():
        synonym.save()
        audit.record(actor=actor, action="library.synonym.create" if created else "library.synonym.update",
                     obj=synonym, term=synonym.term, expansions=synonym.expansions, active=synonym.active)
        transaction.on_commit(engine.forget_synonyms)
    return synonym
