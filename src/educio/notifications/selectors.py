"""Reads of notifications: a user only ever reads their own (anyone else's is 404)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from educio.accounts.models import RoleAssignment
from educio.accounts.roles import Role
from educio.notifications.models import Notification
from educio.notifications.services import chunked


def notification_list(*, user: Any) -> QuerySet[Notification]:
    """The user's own notifications, with ``unread`` annotated (lists put unread first)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return (
        Notification.objects.filter(recipient=user)
        .select_related("organization")
        .annotate(unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField()))
    )


def notification_get(*, user: Any, pk: int) -> Notification:
    """One of the user's own notifications, else 404."""
    return get_object_or_404(notification_list(user=user), pk=pk)


def notification_ids_get(*, user: Any, ids: Collection[int]) -> set[int]:
    """``ids`` when every one is the user's own notification, else 404 (for any one of them)."""
    wanted = set(ids)
    found = set(notification_list(user=user).filter(pk__in=wanted).values_list("pk", flat=True))
    if found != wanted:
        raise Http404
    return found


def unread_count(*, user: Any) -> int:
    """How many notifications the user has not read (the (recipient, read_at) index answers it)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


UNIT_ROLES = (Role.SCHOOL_HEAD, Role.CIO)
BY_ID = "organization_id"
BY_PATH = "organization__path"


def role_holders(field_name: str, values: Iterable[Any], roles: Sequence[str]) -> dict[Any, set[int]]:
    """Active accounts holding one of ``roles`` at the units whose id (``BY_ID``) or path (``BY_PATH``) is given."""
    found: dict[Any, set[int]] = defaultdict(set)
    for chunk in chunked(values):
        rows = RoleAssignment.objects.filter(
            **{f"{field_name}__in": chunk}, role__in=roles, user__is_active=True
        ).values_list(field_name, "user_id")
        for unit, user_id in rows:
            found[unit].add(user_id)
    return found


def unit_staff(organization_ids: Iterable[int], roles: Sequence[str] = UNIT_ROLES) -> dict[int, set[int]]:
    """The active accounts holding ``roles`` exactly at each unit, by unit (the head and the CIO by default)."""
    return role_holders(BY_ID, set(organization_ids), roles)
