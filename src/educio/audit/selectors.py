"""Reads of the audit trail, scoped by the organisation path stored with each entry."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from educio.accounts.roles import Perm
from educio.accounts.scope import scope_q
from educio.audit.models import ChangeLogEntry, SecurityEvent


def change_log_list(*, user: Any, perm: str = Perm.AUDIT_VIEW) -> QuerySet[ChangeLogEntry]:
    """Row changes (django-auditlog) in the user's subtree, newest first."""
    return (
        ChangeLogEntry.objects.filter(scope_q(user, perm, "org_path"))
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


def security_event_list(*, user: Any, perm: str = Perm.AUDIT_VIEW) -> QuerySet[SecurityEvent]:
    return (
        SecurityEvent.objects.filter(scope_q(user, perm, "org_path"))
        .select_related("user")
        .order_by("-created_at", "-pk")
    )
