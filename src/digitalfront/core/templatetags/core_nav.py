"""Navigation helpers for the base layout: ``{% load core_nav %}``."""

from typing import Any

from django import template

from digitalfront.core.audit_selectors import can_browse_audit

register = template.Library()


@register.simple_tag
def shows_audit_log(user: Any) -> bool:
    """Whether the top navigation offers the audit log: superusers and unit administrators
    (``{% shows_audit_log user as show_audit %}``). The scope is cached on the user for the request."""
    return can_browse_audit(user)


@register.simple_tag
def shows_health(user: Any) -> bool:
    """Whether the top navigation offers the health page of the background work: superusers only
    (``{% shows_health user as show_health %}``)."""
    return bool(getattr(user, "is_superuser", False))


@register.simple_tag
def shows_assistant(user: Any) -> bool:
    """Whether the layout offers the virtual assistant (the top navigation's link, the floating widget):
    Front staff with a role at a unit, and superusers (``{% shows_assistant user as show_assistant %}``)."""
    from digitalfront.assistant.access import may_use

    return bool(getattr(user, "is_authenticated", False)) and may_use(user)


@register.filter
def action_label(code: str) -> str:
    """The Vietnamese label of an action code (audit log, a case's timeline): ``{{ e.action|action_label }}``."""
    from digitalfront.core.audit_labels import action_label as label

    return label(code)


@register.filter
def status_label(code: str) -> str:
    """The Vietnamese label of a feedback status code."""
    from digitalfront.feedback.models import Status

    try:
        return str(Status(code).label)
    except ValueError:
        return code
