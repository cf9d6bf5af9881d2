"""Checks the platform can already run with the data it has (role assignments)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db.models import Count

from educio.accounts.models import RoleAssignment
from educio.accounts.roles import Role
from educio.orgs.models import Organization
from educio.policies.compliance.registry import Outcome, register
from educio.policies.compliance.rules import CheckableRule
from educio.policies.schema.operations import Seat


@register("liaison_seat")
def liaison_seat(rule: CheckableRule, units: Sequence[Organization]) -> Mapping[int, Outcome]:
    """宜春 第十六条: each department names a liaison — an account holding the liaison role at the department."""
    seat = rule.spec
    assert isinstance(seat, Seat)
    counts = dict(
        RoleAssignment.objects.filter(role=Role.LIAISON, organization__in=[u.pk for u in units], user__is_active=True)
        .values_list("organization")
        .annotate(n=Count("pk"))
        .values_list("organization", "n")
    )
    outcomes = {}
    for unit in units:
        held = counts.get(unit.pk, 0)
        if held >= seat.count:
            outcomes[unit.pk] = Outcome.passed(f"已指定{seat.title}{held}名")
        else:
            outcomes[unit.pk] = Outcome.failed(f"已指定{seat.title}{held}名,要求{seat.count}名")
    return outcomes
