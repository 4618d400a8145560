"""Who may use the assistant, which knowledge they read, what they may change.

* The assistant is for Front staff: a staff account with a role at some unit, or a superuser. Citizens
  and the authorities' accounts do not use it (their pages are elsewhere).
* Knowledge of a unit is read by the staff of its subtree (a province's guidance reaches its communes)
  and by the staff above it (who oversee that subtree); national knowledge by all staff. Built on
  :func:`digitalfront.core.scoping.scope_for`, the one scoping mechanism: the retriever, the pages and
  the API all read through :func:`visible_knowledge`.
* Knowledge is written where the user may ``edit`` (data entry, unit administrators); national
  knowledge by superusers. The queue of questions to review is for ``admin`` (unit administrators, over
  the questions asked in their subtree) and superusers.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from digitalfront.accounts.models import AccountKind
from digitalfront.core.errors import NotFound, PermissionDenied
from digitalfront.core.scoping import scope_for
from digitalfront.orgs.models import PATH_SEGMENT, Unit

from .models import Knowledge, Message


def may_use(user: Any) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user.kind == AccountKind.STAFF and not scope_for(user, "view").nothing)


def require_use(user: Any) -> None:
    if not may_use(user):
        raise PermissionDenied("Trợ lý ảo dành cho cán bộ Mặt trận có vai trò tại một đơn vị.")


def _ancestors(path: str) -> list[str]:
    """The paths of the units above (and including) the unit at ``path``."""
    return [path[:i] for i in range(PATH_SEGMENT, len(path) + 1, PATH_SEGMENT)]


def knowledge_q(user: Any) -> Q:
    """The filter on :class:`Knowledge` rows ``user`` may read (nothing for non-staff)."""
    if not may_use(user):
        return Q(pk__in=[])
    scope = scope_for(user, "view")
    if scope.everything:
        return Q()
    above = sorted({a for path in scope.paths for a in _ancestors(path)})
    return Q(unit__isnull=True) | scope.q("unit__path") | Q(unit__path__in=above)


def visible_knowledge(user: Any) -> QuerySet[Knowledge]:
    return Knowledge.objects.filter(knowledge_q(user))


def may_write_national(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def may_manage(user: Any) -> bool:
    """Whether the user may add knowledge anywhere."""
    return may_use(user) and (user.is_superuser or not scope_for(user, "edit").nothing)


def editable_knowledge(user: Any) -> QuerySet[Knowledge]:
    scope = scope_for(user, "edit")
    if scope.everything:
        return Knowledge.objects.all()
    return Knowledge.objects.filter(scope.q("unit__path")).exclude(unit__isnull=True)


def editable_entry(user: Any, pk: int) -> Knowledge:
    """An entry the user may change; ``NotFound`` when it is not visible, ``PermissionDenied`` when it
    is visible but not theirs to change."""
    entry = visible_knowledge(user).select_related("unit").filter(pk=pk).first()
    if entry is None:
        raise NotFound()
    if not editable_knowledge(user).filter(pk=pk).exists():
        raise PermissionDenied("Bạn chỉ được xem mục kiến thức này, không được sửa.")
    return entry


def writable_units(user: Any) -> QuerySet[Unit]:
    """Units where the user may add knowledge (a form's choices)."""
    return Unit.objects.for_user(user, "edit").filter(valid_to__isnull=True).order_by("path")


def check_unit(user: Any, unit: Unit | None) -> None:
    if unit is None:
        if not may_write_national(user):
            raise PermissionDenied("Chỉ quản trị hệ thống mới được thêm kiến thức dùng chung toàn quốc.")
        return
    if not scope_for(user, "edit").covers(unit.path):
        raise PermissionDenied("Bạn không được thêm kiến thức cho đơn vị này.")


def home_unit(user: Any) -> Unit | None:
    """The unit a question is filed under: the user's highest unit with a role (ties: the first)."""
    if not user.is_authenticated:
        return None
    from digitalfront.accounts.models import UnitRole

    role = (UnitRole.objects.filter(user_id=user.pk, unit__valid_to__isnull=True).select_related("unit")
            .order_by("unit__depth", "unit__path").first())
    return role.unit if role is not None else None


def may_review(user: Any) -> bool:
    return may_use(user) and (user.is_superuser or not scope_for(user, "admin").nothing)


def review_messages(user: Any) -> QuerySet[Message]:
    """Questions the user reviews: asked in their ``admin`` subtree (superusers: all)."""
    scope = scope_for(user, "admin")
    if scope.everything:
        return Message.objects.all()
    if scope.nothing:
        return Message.objects.none()
    return Message.objects.filter(scope.q("unit__path"))


def pending_review(user: Any) -> QuerySet[Message]:
    """The user's review queue: questions not answered and answers rated not helpful, not yet settled,
    newest first."""
    from .models import Outcome, Rating

    return (review_messages(user).filter(reviewed_at__isnull=True)
            .filter(Q(outcome__in=[Outcome.ABSTAINED, Outcome.FAILED]) | Q(rating=Rating.UNHELPFUL))
            .select_related("unit", "conversation__user").order_by("-created_at", "-pk"))


def own_message(user: Any, pk: int) -> Message:
    message = Message.objects.select_related("conversation").filter(pk=pk, conversation__user_id=user.pk).first()
    if message is None:
        raise NotFound()
    return message
