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
