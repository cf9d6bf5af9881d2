"""Numbers on the home page, computed for the user's scope with a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from educio.accounts.models import RoleAssignment
from educio.accounts.roles import Perm
from educio.accounts.scope import filter_in_scope, has_perm
from educio.appointments.coverage import CoverageSummary, coverage_summary
from educio.audit.selectors import change_log_list
from educio.orgs.models import BureauLevel, OrgKind, SchoolType
from educio.orgs.selectors import org_list


def dashboard_summary(*, user: Any) -> dict[str, Any]:
    orgs = org_list(user=user, perm=Perm.DASHBOARD_VIEW).filter(is_active=True)
    by_kind = {row["kind"]: row["n"] for row in orgs.order_by().values("kind").annotate(n=Count("pk"))}
    by_type = {
        row["school_type"]: row["n"]
        for row in orgs.filter(kind=OrgKind.SCHOOL).order_by().values("school_type").annotate(n=Count("pk"))
    }
    bureaus_by_level = {
        row["bureau_level"]: row["n"]
        for row in orgs.filter(kind=OrgKind.BUREAU).order_by().values("bureau_level").annotate(n=Count("pk"))
    }
    users = (
        filter_in_scope(RoleAssignment.objects.all(), user, Perm.DASHBOARD_VIEW, "organization")
        .values("user")
        .distinct()
        .count()
    )
    chart = {
        "tooltip": {"trigger": "item"},
        "legend": {"bottom": 0},
        "series": [
            {
                "name": "学校类型",
                "type": "pie",
                "radius": ["40%", "68%"],
                "data": [
                    {"name": str(label), "value": by_type[value]}
                    for value, label in SchoolType.choices
                    if by_type.get(value)
                ],
            }
        ],
    }
    return {
        "kind_counts": [(str(label), by_kind.get(value, 0)) for value, label in OrgKind.choices],
        "bureau_counts": [(str(label), bureaus_by_level.get(value, 0)) for value, label in BureauLevel.choices],
        "user_count": users,
        "school_type_chart": chart,
        "recent_events": list(change_log_list(user=user, perm=Perm.DASHBOARD_VIEW)[:8]),
        "coverage": coverage_card(user=user),
    }


def coverage_card(*, user: Any) -> CoverageSummary | None:
    """The share of units with a CIO in the scope, for those who may see appointments (2 queries)."""
    return coverage_summary(user=user) if has_perm(user, Perm.APPOINTMENT_VIEW) else None
