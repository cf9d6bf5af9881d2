"""Reads of packs and adoptions, scoped to the user; and the effective pack of a unit.

What a higher unit publishes is visible below it: a user sees the platform
packs, the packs published or adopted by any unit in their scope, and those
published or adopted by the units above their scope (the rules that govern
them). ``effective_pack(org)`` — used by the workflow engine and every module
that reads rules — is the nearest active adoption at or above the unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from educio.accounts.scope import is_global, scope_paths, scope_q
from educio.orgs.models import Organization, OrgKind
from educio.orgs.selectors import org_list
from educio.policies.loaded import LoadedPack
from educio.policies.models import PackAdoption, PolicyPack
from educio.policies.permissions import POLICY_MANAGE, POLICY_VIEW

ADOPTING_KINDS = (OrgKind.BUREAU, OrgKind.UNIVERSITY)


def ancestor_paths(path: str, *, include_self: bool = True) -> list[str]:
    """The materialised paths of a unit's ancestors (and itself), top first."""
    step = Organization.steplen
    end = len(path) + (step if include_self else 0)
    return [path[:i] for i in range(step, end, step)]


def _visible_pack_q(user: Any, perm: str) -> Q:
    if is_global(user, perm):
        return Q()
    paths = scope_paths(user, perm)
    above = sorted({p for path in paths for p in ancestor_paths(path, include_self=False)})
    adopted = PackAdoption.objects.filter(_visible_adoption_q(user, perm, "organization__path")).values("pack_id")
    visible = Q(owner__isnull=True) | Q(pk__in=adopted) | Q(owner__path__in=above)
    if paths:
        visible |= scope_q(user, perm, "owner__path")
    return visible


def _visible_adoption_q(user: Any, perm: str, path_field: str) -> Q:
    """Adoptions at units in the user's scope or above it."""
    if is_global(user, perm):
        return Q()
    above = sorted({p for path in scope_paths(user, perm) for p in ancestor_paths(path, include_self=False)})
    return Q(**{f"{path_field}__in": above}) | scope_q(user, perm, path_field)


def pack_list(*, user: Any, perm: str = POLICY_VIEW) -> QuerySet[PolicyPack]:
    """Pack versions the user may read, with how many units they can see use each."""
    in_use = Q(adoptions__superseded_at__isnull=True) & _visible_adoption_q(user, perm, "adoptions__organization__path")
    return (
        PolicyPack.objects.filter(_visible_pack_q(user, perm))
        .select_related("owner", "uploaded_by")
        .annotate(active_adoptions=Count("adoptions", filter=in_use))
    )


def pack_get(*, user: Any, pk: int, perm: str = POLICY_VIEW) -> PolicyPack:
    """The pack version, or 404 when the user may not read it."""
    return get_object_or_404(pack_list(user=user, perm=perm), pk=pk)


def pack_versions(*, user: Any, pack: PolicyPack) -> list[PolicyPack]:
    """All versions of the same pack the user may read, newest first."""
    return list(pack_list(user=user).filter(pack_id=pack.pack_id).order_by("-version"))


def adoption_list(*, user: Any, perm: str = POLICY_VIEW) -> QuerySet[PackAdoption]:
    """Adoptions at units in the user's scope or above it (the rules that reach the user)."""
    queryset = PackAdoption.objects.filter(_visible_adoption_q(user, perm, "organization__path"))
    return queryset.select_related("organization", "pack", "adopted_by", "superseded_by")


def adoptions_of_pack(*, user: Any, pack: PolicyPack) -> list[PackAdoption]:
    """Which units use (or used) this version, as far as the user may see them."""
    return list(adoption_list(user=user).filter(pack=pack).order_by("superseded_at", "organization__path"))


def adoption_get(*, user: Any, pk: int, perm: str = POLICY_MANAGE) -> PackAdoption:
    """An adoption at a unit the user manages, else 404."""
    queryset = PackAdoption.objects.filter(scope_q(user, perm, "organization__path")).select_related(
        "organization", "pack"
    )
    return get_object_or_404(queryset, pk=pk)


def adoptable_units(*, user: Any) -> QuerySet[Organization]:
    """Units where the user may adopt a pack: bureaus and universities they manage."""
    return org_list(user=user, perm=POLICY_MANAGE).filter(kind__in=ADOPTING_KINDS, is_active=True).order_by("path")


def _active_adoptions_at(paths: Iterable[str]) -> QuerySet[PackAdoption]:
    return PackAdoption.objects.filter(organization__path__in=list(paths), superseded_at__isnull=True).select_related(
        "pack", "organization"
    )


def effective_pack(org: Organization) -> LoadedPack | None:
    """The pack in force at ``org``: the nearest active adoption at or above it (one query)."""
    adoption = _active_adoptions_at(ancestor_paths(org.path)).order_by("-organization__depth").first()
    return LoadedPack.from_row(adoption.pack, adoption) if adoption else None


def effective_packs(orgs: Sequence[Organization]) -> dict[int, LoadedPack | None]:
    """``effective_pack`` for many units at once (one query for the whole list)."""
    paths = {p for org in orgs for p in ancestor_paths(org.path)}
    by_path = {a.organization.path: a for a in _active_adoptions_at(paths)}
    loaded: dict[int, LoadedPack] = {}
    result: dict[int, LoadedPack | None] = {}
    for org in orgs:
        adoption = next((by_path[p] for p in reversed(ancestor_paths(org.path)) if p in by_path), None)
        if adoption is None:
            result[org.pk] = None
            continue
        if adoption.pk not in loaded:
            loaded[adoption.pk] = LoadedPack.from_row(adoption.pack, adoption)
        result[org.pk] = loaded[adoption.pk]
    return result


def loaded_pack(pk: int) -> LoadedPack:
    """A specific stored version (e.g. the one a record was made under), whether or not still adopted."""
    return LoadedPack.from_row(PolicyPack.objects.get(pk=pk))


def packs_in_subtree(root: Organization) -> list[LoadedPack]:
    """Every pack in force somewhere in ``root``'s subtree: the one above it and those adopted inside it."""
    adoptions = PackAdoption.objects.filter(
        Q(organization__path__in=ancestor_paths(root.path)) | Q(organization__path__startswith=root.path),
        superseded_at__isnull=True,
    ).select_related("pack", "organization")
    nearest_above = None
    inside: dict[int, LoadedPack] = {}
    for adoption in sorted(adoptions, key=lambda a: a.organization.depth):
        if root.path.startswith(adoption.organization.path):
            nearest_above = adoption
        else:
            inside.setdefault(adoption.pack_id, LoadedPack.from_row(adoption.pack, adoption))
    packs = [LoadedPack.from_row(nearest_above.pack, nearest_above)] if nearest_above else []
    return packs + [p for pk, p in inside.items() if not packs or pk != packs[0].pk]
