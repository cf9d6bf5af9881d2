"""Writing security events. Model changes are logged by django-auditlog itself."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from auditlog.context import auditlog_value, set_actor
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from educio.accounts.scope import all_grants
from educio.audit.models import SecurityEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if settings.TRUST_X_FORWARDED_FOR else ""
    return (forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")) or None


def _home_path(user: Any) -> str:
    grants = all_grants(user) if user is not None else []
    return grants[0].path if grants else ""


def security_event_record(
    *,
    kind: str,
    request: HttpRequest | None = None,
    user: Any = None,
    username: str = "",
    detail: str = "",
    org_path: str | None = None,
) -> SecurityEvent:
    """Record one security event; the organisation defaults to the user's first assignment."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=username or (user.get_username() if user else ""),
        ip_address=client_ip(request),
        org_path=_home_path(user) if org_path is None else org_path,
        detail=detail[:500],
    )


@contextmanager
def audited(actor: Any) -> Iterator[None]:
    """One transaction whose row changes are logged with ``actor``, wherever the call came from.

    The request middleware knows the client address but, for token-authenticated
    API calls, not yet the user; services therefore name the actor themselves and
    keep the address the middleware found.
    """
    try:
        outer = auditlog_value.get()
    except LookupError:
        outer = None
    remote = outer or {}
    try:
        with (
            transaction.atomic(),
            set_actor(actor, remote_addr=remote.get("remote_addr"), remote_port=remote.get("remote_port")),
        ):
            yield
    finally:
        # set_actor leaves its own values in the context variable. Put the request's back, so that
        # the middleware disconnects its own signal receiver when the request ends (otherwise one
        # receiver leaks per request, for the life of the process) and changes made later in the
        # same request are still attributed to the request's user.
        if outer is not None:
            auditlog_value.set(outer)
