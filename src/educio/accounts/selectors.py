"""Reads of accounts, scoped to the units whose accounts the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from educio.accounts.models import RoleAssignment, User
from educio.accounts.roles import Perm
from educio.accounts.scope import filter_in_scope


def role_assignment_list(*, user: Any, perm: str = Perm.USER_VIEW) -> QuerySet[RoleAssignment]:
    return filter_in_scope(RoleAssignment.objects.select_related("organization"), user, perm, "organization")


def user_list(*, user: Any, perm: str = Perm.USER_VIEW) -> QuerySet[User]:
    """Accounts holding at least one role inside the user's scope, with those roles prefetched."""
    in_scope = role_assignment_list(user=user, perm=perm)
    return User.objects.filter(Exists(in_scope.filter(user=OuterRef("pk")))).prefetch_related(
        Prefetch(
            "role_assignments", queryset=in_scope.order_by("organization__path", "role"), to_attr="scoped_assignments"
        )
    )


def user_get(*, user: Any, pk: int, perm: str = Perm.USER_VIEW) -> User:
    return get_object_or_404(user_list(user=user, perm=perm), pk=pk)
