"""The one place that answers "which organisations may this user see or act on".

A role held at an organisation covers the organisation's whole subtree, so a
scope is a short list of materialised-path prefixes. Every selector filters
through :func:`scope_q` (or :func:`filter_in_scope`); object views fetch
through a scoped queryset, so an object outside the scope is simply not found
(404), in the UI, in exports and in the API alike.

When the user picks one role in the role switcher, only that assignment
counts; otherwise (API tokens, no choice made) the union of all of them does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, Q, QuerySet

from educio.accounts.roles import Role, role_has

if TYPE_CHECKING:
    from educio.orgs.models import Organization

M = TypeVar("M", bound=Model)

_GRANTS_CACHE = "_educio_grants"
ACTIVE_ASSIGNMENT_ATTR = "active_assignment_id"


@dataclass(frozen=True)
class Grant:
    assignment_id: int
    role: str
    organization_id: int
    organization_name: str
    path: str
    organization_kind: str = ""

    @property
    def is_global(self) -> bool:
        return self.role == Role.PLATFORM_ADMIN


def all_grants(user: Any) -> list[Grant]:
    """Every role assignment of the user, loaded once per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _GRANTS_CACHE, None)
    if cached is None:
        cached = [
            Grant(a.pk, a.role, a.organization_id, a.organization.name, a.organization.path, a.organization.kind)
            for a in user.role_assignments.select_related("organization").order_by("organization__path", "role")
        ]
        setattr(user, _GRANTS_CACHE, cached)
    return cached


def active_grants(user: Any) -> list[Grant]:
    grants = all_grants(user)
    active_id = getattr(user, ACTIVE_ASSIGNMENT_ATTR, None)
    if active_id:
        chosen = [g for g in grants if g.assignment_id == active_id]
        if chosen:
            return chosen
    return grants


def forget_grants(user: Any) -> None:
    if hasattr(user, _GRANTS_CACHE):
        delattr(user, _GRANTS_CACHE)


def is_global(user: Any, perm: str) -> bool:
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return True
    return any(g.is_global and role_has(g.role, perm) for g in active_grants(user))


def scope_paths(user: Any, perm: str) -> list[str]:
    """Minimal list of path prefixes the user holds ``perm`` on ([''] means everywhere)."""
    if is_global(user, perm):
        return [""]
    paths = sorted({g.path for g in active_grants(user) if role_has(g.role, perm)})
    minimal: list[str] = []
    for path in paths:
        if not any(path.startswith(kept) for kept in minimal):
            minimal.append(path)
    return minimal


def has_perm(user: Any, perm: str) -> bool:
    """True when the user holds ``perm`` somewhere (used to show a menu or answer 403)."""
    return bool(scope_paths(user, perm))


def scope_q(user: Any, perm: str, path_field: str = "path") -> Q:
    """A filter matching rows whose organisation path lies in the user's scope."""
    paths = scope_paths(user, perm)
    if paths == [""]:
        return Q()
    if not paths:
        return Q(pk__in=[])
    query = Q()
    for path in paths:
        query |= Q(**{f"{path_field}__startswith": path})
    return query


def filter_in_scope(queryset: QuerySet[M], user: Any, perm: str, org_field: str = "") -> QuerySet[M]:
    """Restrict ``queryset`` to rows in scope; ``org_field`` is the path to the row's organisation."""
    path_field = f"{org_field}__path" if org_field else "path"
    return queryset.filter(scope_q(user, perm, path_field))


def covers(user: Any, perm: str, organization: Organization) -> bool:
    return any(organization.path.startswith(prefix) for prefix in scope_paths(user, perm))


def roles_covering(user: Any, perm: str, organization: Organization) -> frozenset[str]:
    """The roles under which the user holds ``perm`` over ``organization`` (all of them when global)."""
    if is_global(user, perm):
        return frozenset(Role.values)
    return frozenset(
        g.role for g in active_grants(user) if role_has(g.role, perm) and organization.path.startswith(g.path)
    )
