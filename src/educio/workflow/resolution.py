"""Who acts at each step: the acting organisation from the tree, and the people eligible there.

The acting organisation is found from the submitting unit and the step's
``ActingLevel``: the nearest ancestor-or-self of the kind/level asked for.
All steps of a chain are resolved with one query (the unit's ancestors by
path prefix).

Who may decide a step: a user holding the step's role **exactly at the acting
organisation**, where the role carries ``workflow.review`` (so a chain can
never hand a decision to the security or audit administrator). A holder of
the same role at an ancestor does *not* qualify, although their role covers
the subtree for reading: each level of a chain is
an opinion of its own (焦作: the county's seal, then the city's), and a city
reviewer who could decide the county step would skip the county's review.
Platform administrators and superusers are not reviewers either; they can see
every process but cannot record a unit's opinion for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from educio.accounts.roles import Role, role_has
from educio.accounts.scope import active_grants
from educio.orgs.models import BureauLevel, Organization, OrgKind
from educio.workflow.permissions import REVIEW_PERM
from educio.workflow.spec import ActingLevel, ChainSpec, Opinion, StepSpec

LEVEL_LABELS: dict[ActingLevel, Any] = {
    ActingLevel.SELF: gettext_lazy("本单位"),
    ActingLevel.PARENT: gettext_lazy("上级单位"),
    ActingLevel.COUNTY_BUREAU: gettext_lazy("县级教育行政部门"),
    ActingLevel.CITY_BUREAU: gettext_lazy("市级教育行政部门"),
    ActingLevel.PROVINCE_BUREAU: gettext_lazy("省级教育行政部门"),
    ActingLevel.UNIVERSITY: gettext_lazy("所在高等学校"),
    ActingLevel.ROOT: gettext_lazy("顶级单位"),
}

# Levels found as "the nearest ancestor-or-self matching (kind, bureau level)".
_NEAREST: dict[ActingLevel, tuple[str, str]] = {
    ActingLevel.COUNTY_BUREAU: (OrgKind.BUREAU, BureauLevel.COUNTY),
    ActingLevel.CITY_BUREAU: (OrgKind.BUREAU, BureauLevel.CITY),
    ActingLevel.PROVINCE_BUREAU: (OrgKind.BUREAU, BureauLevel.PROVINCE),
    ActingLevel.UNIVERSITY: (OrgKind.UNIVERSITY, ""),
}


def role_may_review(role: str) -> bool:
    """Whether holders of ``role`` may decide steps at all (the role must carry ``workflow.review``)."""
    return role_has(role, REVIEW_PERM)


@dataclass(frozen=True)
class ResolvedStep:
    """A chain step bound to the organisation that acts on it for one submitting unit.

    ``index`` counts the steps that apply to this unit, so steps left out with
    ``skip_if_missing`` leave no gap and approval always moves to ``index + 1``.
    """

    index: int
    spec: StepSpec
    organization: Organization

    @property
    def opinion_required(self) -> bool:
        return self.spec.opinion == Opinion.REQUIRED


def ancestors_or_self(organization: Organization) -> list[Organization]:
    """The unit and every unit above it, top first, in one query (path prefixes)."""
    steplen = Organization.steplen
    prefixes = [organization.path[:i] for i in range(steplen, len(organization.path) + 1, steplen)]
    return list(Organization.objects.filter(path__in=prefixes).order_by("depth"))


def acting_organization(level: ActingLevel, lineage: list[Organization]) -> Organization | None:
    """The unit acting at ``level`` for the last unit of ``lineage`` (top first), or None when there is none."""
    me = lineage[-1]
    if level == ActingLevel.SELF:
        return me
    if level == ActingLevel.PARENT:
        return lineage[-2] if len(lineage) > 1 else None
    if level == ActingLevel.ROOT:
        return lineage[0]
    kind, bureau_level = _NEAREST[level]
    for org in reversed(lineage):
        if org.kind == kind and (not bureau_level or org.bureau_level == bureau_level):
            return org
    return None


def _step_label(index: int, spec: StepSpec) -> str:
    return _("第%(n)d步“%(name)s”") % {"n": index + 1, "name": spec.name}


def resolve_chain(*, organization: Organization, chain: ChainSpec) -> list[ResolvedStep]:
    """Bind every step to its acting unit; a level missing above the unit is a clear error naming the step."""
    lineage = ancestors_or_self(organization)
    if not lineage or lineage[-1].pk != organization.pk:
        raise ValidationError(_("报送单位“%(org)s”不存在。") % {"org": organization.name})
    errors: list[str] = []
    resolved: list[ResolvedStep] = []
    for index, spec in enumerate(chain.steps):
        if spec.actor.role not in Role.values:
            errors.append(
                _("%(step)s指定的审核角色“%(role)s”不存在。")
                % {"step": _step_label(index, spec), "role": spec.actor.role}
            )
            continue
        if not role_may_review(spec.actor.role):
            errors.append(
                _("%(step)s指定的角色“%(role)s”没有审核权限。")
                % {"step": _step_label(index, spec), "role": Role(spec.actor.role).label}
            )
            continue
        acting = acting_organization(spec.actor.level, lineage)
        if acting is None and spec.skip_if_missing:
            continue
        if acting is None:
            errors.append(
                _("%(step)s:单位“%(org)s”之上没有%(level)s,无法确定由谁审核。请联系上级单位核对单位层级。")
                % {
                    "step": _step_label(index, spec),
                    "org": organization.name,
                    "level": LEVEL_LABELS[spec.actor.level],
                }
            )
            continue
        resolved.append(ResolvedStep(index=len(resolved), spec=spec, organization=acting))
    if not errors and not resolved:
        errors.append(_("单位“%(org)s”不适用该审核流程的任何步骤。") % {"org": organization.name})
    if errors:
        raise ValidationError(errors)
    return resolved


def reviewer_q(user: Any, prefix: str = "") -> Q | None:
    """Filter on ReviewStep (or a relation to it, via ``prefix``) matching the steps ``user`` may decide.

    None when the user holds no reviewing role anywhere. Uses the roles of the
    current request (the role switcher narrows them), exactly like the scope.
    """
    query: Q | None = None
    for grant in active_grants(user):
        if not role_may_review(grant.role):
            continue
        term = Q(**{f"{prefix}acting_organization_id": grant.organization_id, f"{prefix}role": grant.role})
        query = term if query is None else query | term
    return query


def is_eligible_reviewer(user: Any, step: Any) -> bool:
    """Whether ``user`` may decide ``step``: the step's role held at the step's acting organisation."""
    return any(
        grant.organization_id == step.acting_organization_id and grant.role == step.role and role_may_review(grant.role)
        for grant in active_grants(user)
    )
