"""Reads of rectification orders and recognitions, always scoped to the requesting user.

An order or a record is visible to roles whose ``rectification.view`` scope
covers the unit it concerns (the unit itself and the bureaus above it);
everyone else gets 404, in the pages and the API alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404
from django.utils import timezone

from educio.accounts.roles import Perm
from educio.accounts.scope import filter_in_scope, scope_paths
from educio.orgs.models import Organization, OrgKind
from educio.people.models import Person
from educio.rectifications.models import (
    OrderStatus,
    Recognition,
    RectificationEvidence,
    RectificationOrder,
)

VIEW = Perm.RECTIFICATION_VIEW
CONTAINER_KINDS = (OrgKind.BUREAU, OrgKind.UNIVERSITY)
UNIT_CHOICES_LIMIT = 2000


def overdue_q(today: date | None = None) -> Q:
    """Past the deadline with the unit still to act, or already sanctioned for it."""
    return Q(status=OrderStatus.OPEN, deadline__lt=today or timezone.localdate()) | Q(status=OrderStatus.OVERDUE)


def order_list(*, user: Any, perm: str = VIEW) -> QuerySet[RectificationOrder]:
    queryset = RectificationOrder.objects.select_related(
        "organization", "person", "issuer", "recheck_process", "revoked_appointment"
    )
    return filter_in_scope(queryset, user, perm, "organization")


def order_get(*, user: Any, pk: int, perm: str = VIEW) -> RectificationOrder:
    return get_object_or_404(order_list(user=user, perm=perm), pk=pk)


def evidence_get(*, user: Any, pk: int, perm: str = VIEW) -> RectificationEvidence:
    queryset = RectificationEvidence.objects.select_related("order__organization", "order__issuer")
    return get_object_or_404(filter_in_scope(queryset, user, perm, "order__organization"), pk=pk)


def recognition_list(*, user: Any, perm: str = VIEW) -> QuerySet[Recognition]:
    queryset = Recognition.objects.select_related("organization", "person", "issuer", "content_type")
    return filter_in_scope(queryset, user, perm, "organization")


def recognitions_of_person(person: Person, *, user: Any) -> list[Recognition]:
    """For the person's page: the person's records the user may see (none without ``rectification.view``)."""
    return list(recognition_list(user=user).filter(person=person).order_by("-date", "-pk"))


def recognitions_of_unit(organization: Organization, *, user: Any) -> list[Recognition]:
    """For the unit's page: the records of the unit itself (its people's included) the user may see."""
    return list(recognition_list(user=user).filter(organization=organization).order_by("-date", "-pk"))


# --- the units to filter by or to count under --------------------------------------------------


def units_in_scope(*, user: Any, perm: str = VIEW) -> QuerySet[Organization]:
    return filter_in_scope(Organization.objects.all(), user, perm)


def unit_get(*, user: Any, pk: int, perm: str = VIEW) -> Organization:
    return get_object_or_404(units_in_scope(user=user, perm=perm), pk=pk)


def default_unit(*, user: Any, perm: str = VIEW) -> Organization | None:
    """The user's top unit: the first of their scope (the first root for a platform administrator)."""
    paths = scope_paths(user, perm)
    if not paths:
        return None
    queryset = Organization.objects.filter(depth=1) if paths == [""] else Organization.objects.filter(path__in=paths)
    return queryset.order_by("path").first()


def unit_choices(*, user: Any, perm: str = VIEW, selected: Organization | None = None) -> list[tuple[int, str]]:
    """Bureaus and universities in scope, indented by depth, for a "单位范围" select (one query)."""
    units = list(
        units_in_scope(user=user, perm=perm)
        .filter(kind__in=CONTAINER_KINDS, is_active=True)
        .order_by("path")[:UNIT_CHOICES_LIMIT]
    )
    if selected is not None and all(u.pk != selected.pk for u in units):
        units = sorted([*units, selected], key=lambda u: u.path)
    top = min((u.depth for u in units), default=1)
    return [(u.pk, "　" * (u.depth - top) + u.name) for u in units]


# --- the dashboard -------------------------------------------------------------------------------


@dataclass
class Tally:
    open: int = 0
    submitted: int = 0
    overdue: int = 0
    passed: int = 0
    revoked: int = 0
    total: int = 0

    def add(self, other: Tally) -> None:
        for name in ("open", "submitted", "overdue", "passed", "revoked", "total"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class DashboardRow:
    unit: Organization
    tally: Tally
    is_self: bool = False


@dataclass
class Dashboard:
    root: Organization
    today: date
    rows: list[DashboardRow] = field(default_factory=list)
    total: Tally = field(default_factory=Tally)


def _tallies(orders: QuerySet[RectificationOrder], prefix_length: int, today: date) -> dict[str, Tally]:
    """Counts per branch (the path of the child unit an order lies under), in one query."""
    rows = (
        orders.annotate(branch=Substr("organization__path", 1, prefix_length))
        .values("branch")
        .annotate(
            open=Count("pk", filter=Q(status=OrderStatus.OPEN)),
            submitted=Count("pk", filter=Q(status=OrderStatus.SUBMITTED)),
            overdue=Count("pk", filter=overdue_q(today)),
            passed=Count("pk", filter=Q(status=OrderStatus.PASSED)),
            revoked=Count("pk", filter=Q(revoked_appointment__isnull=False)),
            total=Count("pk"),
        )
        .order_by("branch")
    )
    return {
        r["branch"]: Tally(r["open"], r["submitted"], r["overdue"], r["passed"], r["revoked"], r["total"]) for r in rows
    }


def order_dashboard(*, user: Any, root: Organization, today: date | None = None) -> Dashboard:
    """Open / under re-check / overdue / passed / revoked orders under ``root``, by child unit (three queries)."""
    today = today or timezone.localdate()
    orders = order_list(user=user).filter(organization__path__startswith=root.path)
    tallies = _tallies(orders, len(root.path) + Organization.steplen, today)
    children = Organization.objects.filter(path__startswith=root.path, depth=root.depth + 1).filter(
        Q(kind__in=CONTAINER_KINDS) | Q(path__in=list(tallies))
    )
    dashboard = Dashboard(root=root, today=today)
    if root.path in tallies:
        dashboard.rows.append(DashboardRow(root, tallies[root.path], is_self=True))
    for child in children.order_by("path"):
        dashboard.rows.append(DashboardRow(child, tallies.get(child.path, Tally())))
    for row in dashboard.rows:
        dashboard.total.add(row.tally)
    return dashboard
