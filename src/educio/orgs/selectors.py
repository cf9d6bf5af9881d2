"""Reads of the organisation tree, always scoped to the requesting user."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.shortcuts import get_object_or_404

from educio.accounts.roles import Perm
from educio.accounts.scope import filter_in_scope, scope_paths
from educio.orgs.models import Organization


def org_list(*, user: Any, perm: str = Perm.ORG_VIEW) -> QuerySet[Organization]:
    return filter_in_scope(Organization.objects.all(), user, perm)


def with_parent_id(queryset: QuerySet[Organization]) -> QuerySet[Organization]:
    """Annotate ``parent_id`` inside the same SQL statement (treebeard has no parent column)."""
    parent = Organization.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Organization.steplen)
    ).values("pk")[:1]
    return queryset.annotate(parent_id=Subquery(parent))


def org_get(*, user: Any, pk: int, perm: str = Perm.ORG_VIEW) -> Organization:
    """The unit, or 404 when it lies outside the user's scope for ``perm``."""
    return get_object_or_404(org_list(user=user, perm=perm), pk=pk)


def org_subtree(*, user: Any, root: Organization, perm: str = Perm.ORG_VIEW) -> QuerySet[Organization]:
    return org_list(user=user, perm=perm).filter(path__startswith=root.path)


def org_parents_by_path(orgs: list[Organization]) -> dict[str, Organization]:
    """Parents of a page of units, fetched in one query (treebeard's get_parent costs one each)."""
    parent_paths = {o.path[: -Organization.steplen] for o in orgs if o.depth > 1}
    return {p.path: p for p in Organization.objects.filter(path__in=parent_paths)}


def org_ancestors(org: Organization) -> QuerySet[Organization]:
    steplen = Organization.steplen
    paths = [org.path[:i] for i in range(steplen, len(org.path), steplen)]
    return Organization.objects.filter(path__in=paths).order_by("depth")


@dataclass
class TreeNode:
    org: Organization
    children: list[TreeNode] = field(default_factory=list)
    expanded: bool = False


def org_scope_roots(*, user: Any, perm: str = Perm.ORG_VIEW) -> list[Organization]:
    paths = scope_paths(user, perm)
    if paths == [""]:
        return list(Organization.objects.get_root_nodes())
    return list(Organization.objects.filter(path__in=paths).order_by("path"))


def org_children(*, user: Any, parent: Organization, perm: str = Perm.ORG_VIEW) -> list[Organization]:
    return list(org_list(user=user, perm=perm).filter(path__startswith=parent.path, depth=parent.depth + 1))


def org_tree(*, user: Any, selected: Organization | None, perm: str = Perm.ORG_VIEW) -> list[TreeNode]:
    """The tree panel: the user's top units, opened down to the selected unit and one level below it.

    Costs one query per open level, never one per node, so a county of
    hundreds of schools or a province of thousands renders at the same cost.
    """
    roots = [TreeNode(org) for org in org_scope_roots(user=user, perm=perm)]
    if selected is None:
        if len(roots) == 1:
            roots[0].children = [TreeNode(c) for c in org_children(user=user, parent=roots[0].org, perm=perm)]
            roots[0].expanded = True
        return roots
    open_paths = [selected.path[:i] for i in range(Organization.steplen, len(selected.path) + 1, Organization.steplen)]
    level = roots
    for path in open_paths:
        node = next((n for n in level if n.org.path == path), None)
        if node is None:
            continue
        node.children = [TreeNode(c) for c in org_children(user=user, parent=node.org, perm=perm)]
        node.expanded = True
        level = node.children
    return roots
