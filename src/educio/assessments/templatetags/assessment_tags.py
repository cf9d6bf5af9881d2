"""``{% user_can "assessment.manage" as can_manage %}``: whether the signed-in user holds a permission anywhere."""

from __future__ import annotations

from typing import Any

from django import template

from educio.accounts.scope import has_perm

register = template.Library()


@register.simple_tag(takes_context=True)
def user_can(context: Any, perm: str) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and has_perm(user, perm))
