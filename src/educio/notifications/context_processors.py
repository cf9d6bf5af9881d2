"""The unread count of the bell in the top bar: at most one query per request, none where it is not shown."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from educio.notifications.selectors import unread_count

_CACHE = "_educio_unread_notifications"


def _unread(request: HttpRequest) -> int:
    cached = getattr(request, _CACHE, None)
    if cached is None:
        cached = unread_count(user=request.user)
        setattr(request, _CACHE, cached)
    return cached


def notifications(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    # A callable: the template engine calls it only where a template uses the value (not in htmx fragments).
    return {"unread_notifications": lambda: _unread(request)}
