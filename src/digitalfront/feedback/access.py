"""Loading one case for a user. "Forbidden" and "missing" give the same :class:`NotFound` (404)."""

from __future__ import annotations

import hmac
from typing import Any

from digitalfront.core.errors import NotFound

from .models import Authority, Case, Forwarding
from .services.intake import token_hash


def case_for(user: Any, case_id: int | str, action: str = "view") -> Case:
    """The case with id (or tracking code) ``case_id`` if ``user`` may ``action`` its unit."""
    queryset = Case.objects.for_user(user, action).select_related("unit", "province", "commune", "topic")
    text = str(case_id).strip()
    if text.isdigit() and len(text) < 19:
        case = queryset.filter(pk=int(text)).first()
    else:
        case = queryset.filter(code=text.upper()[:16]).first()
    if case is None:
        raise NotFound()
    return case


def case_by_link(code: str, token: str) -> Case:
    """The case behind a private tracking link (its code and secret); the same 404 for a wrong secret."""
    case = (
        Case.objects.select_related("unit", "province", "commune", "topic")
        .filter(code=str(code).strip().upper()[:16])
        .first()
    )
    if case is None or not token or not hmac.compare_digest(case.access_hash, token_hash(str(token)[:100])):
        raise NotFound("Không tìm thấy phản ánh: hãy kiểm tra mã theo dõi và đường dẫn.")
    return case


def case_of_citizen(user: Any, code: str) -> Case:
    """A case the signed-in citizen sent themself."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    case = (
        Case.objects.select_related("unit", "province", "commune", "topic")
        .filter(code=str(code).strip().upper()[:16], citizen=user)
        .first()
    )
    if case is None:
        raise NotFound()
    return case


def authorities_of(user: Any) -> list[int]:
    """The authorities whose answering account ``user`` is."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return list(Authority.objects.filter(accounts=user, active=True).values_list("pk", flat=True))


def forwarding_for_authority(user: Any, forwarding_id: int | str) -> Forwarding:
    """A forwarding addressed to one of ``user``'s authorities (authority accounts see nothing else)."""
    try:
        pk = int(forwarding_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    forwarding = (
        Forwarding.objects.select_related("case", "authority", "case__unit")
        .filter(pk=pk, authority_id__in=authorities_of(user))
        .first()
    )
    if forwarding is None:
        raise NotFound()
    return forwarding


def authority_for(user: Any, authority_id: int | str, action: str = "view") -> Authority:
    try:
        pk = int(authority_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    authority = Authority.objects.for_user(user, action).select_related("unit").filter(pk=pk).first()
    if authority is None:
        raise NotFound()
    return authority
