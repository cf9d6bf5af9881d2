"""Shared pieces of the rectification services: limits, permission and text checks, row locks, pack look-ups."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from educio.accounts.roles import Perm, role_has
from educio.accounts.scope import active_grants, covers, is_global
from educio.orgs.models import Organization
from educio.people.models import Person
from educio.policies.loaded import LoadedPack
from educio.policies.schema.people import AssessmentCycle, Rectification
from educio.rectifications.models import RectificationOrder

TEXT_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 2000


def _require(actor: Any, perm: str, organization: Organization, message: str) -> None:
    if not covers(actor, perm, organization):
        raise PermissionDenied(message)


def _cite(pack: LoadedPack | None, article: str | None) -> str:
    """The printed number (第四条(二)) of a pack article id; any other text is kept as written."""
    found = pack.article(article) if pack and article else None
    return found.citation if found else (article or "").strip()


def _locked(order: RectificationOrder) -> RectificationOrder:
    return (
        RectificationOrder.objects.select_for_update(of=("self",))
        .select_related("organization", "issuer", "person", "recheck_process")
        .get(pk=order.pk)
    )


def pack_cycle(pack: LoadedPack | None, cycle_id: str) -> AssessmentCycle | None:
    """The assessment cycle ``cycle_id`` of the pack (焦作 school_biennial_assessment), if it has one."""
    if pack is None or not cycle_id or pack.spec.assessments is None:
        return None
    return next((c for c in pack.spec.assessments.cycles if c.id == cycle_id), None)


def _on_fail(cycle: AssessmentCycle | None) -> Rectification | None:
    return cycle.consequences.on_fail if cycle and cycle.consequences else None


def issuer_for(actor: Any, organization: Organization) -> Organization:
    """The bureau the order or record comes from: the nearest unit above ``organization`` the actor manages for."""
    above = [
        g
        for g in active_grants(actor)
        if role_has(g.role, Perm.RECTIFICATION_MANAGE)
        and organization.path.startswith(g.path)
        and g.path != organization.path
    ]
    if above:
        nearest = max(above, key=lambda g: len(g.path))
        return Organization.objects.get(pk=nearest.organization_id)
    if is_global(actor, Perm.RECTIFICATION_MANAGE):
        return Organization.objects.get_parent(organization) or organization
    raise PermissionDenied(
        _("限期整改、表彰与追责由上级教育行政部门决定,您无权对“%(org)s”办理。") % {"org": organization.name}
    )


def _check_person(person: Person | None, organization: Organization) -> None:
    if person is not None and not person.organization.path.startswith(organization.path):
        raise ValidationError({"person": _("责任人须为该单位(含下属部门)的人员。")})


def _clean_text(value: str, *, field: str, required: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: required})
    if len(value) > limit:
        raise ValidationError({field: _("不能超过%(n)d字。") % {"n": limit}})
    return value
