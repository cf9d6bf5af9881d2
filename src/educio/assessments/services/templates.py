"""Indicator templates: copying a pack's tree or another template, and editing a version."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from educio.accounts.roles import Perm
from educio.assessments import indicators
from educio.assessments.models import IndicatorTemplate
from educio.assessments.services._common import (
    NAME_MAX,
    ORGANISING_KINDS,
    _organising_pack,
    _pack_cycle_or_error,
    _require,
    parse_decimal,
)
from educio.audit.services import audited
from educio.orgs.models import Organization
from educio.policies.selectors import ancestor_paths


def next_version(organization: Organization, pack_id: str, cycle_id: str) -> int:
    latest = IndicatorTemplate.objects.filter(organization=organization, pack_id=pack_id, cycle_id=cycle_id).aggregate(
        v=Max("version")
    )["v"]
    return (latest or 0) + 1


def template_create_from_pack(*, actor: Any, organization: Organization, cycle_id: str) -> IndicatorTemplate:
    """Copy the pack's indicator tree into a template of the bureau (empty when the pack sets none)."""
    _require(actor, Perm.ASSESSMENT_MANAGE, organization, _("您无权为该单位建立指标模板。"))
    pack = _organising_pack(organization)
    spec = _pack_cycle_or_error(pack, cycle_id)
    with audited(actor):
        return IndicatorTemplate.objects.create(
            organization=organization,
            pack_version_id=pack.pk,
            pack_id=pack.pack_id,
            pack_ref=str(pack),
            cycle_id=spec.id,
            name=spec.name,
            version=next_version(organization, pack.pack_id, spec.id),
            indicators=indicators.from_pack(spec),
            pass_threshold=indicators.as_decimal(spec.pass_threshold) if spec.pass_threshold is not None else None,
            grades=indicators.grades_from_pack(spec),
            note=_("复制自制度方案") if spec.indicators else _("制度方案未规定指标,由本单位自行制定"),
            created_by=actor,
        )


def template_copy(*, actor: Any, organization: Organization, source: IndicatorTemplate) -> IndicatorTemplate:
    """A new version copied from ``source`` (the bureau's own or one above it); the source stays as it was."""
    _require(actor, Perm.ASSESSMENT_MANAGE, organization, _("您无权为该单位建立指标模板。"))
    if organization.kind not in ORGANISING_KINDS:
        raise ValidationError({"organization": _("只有教育行政部门或高等学校可以建立指标模板。")})
    if source.organization.path not in ancestor_paths(organization.path):
        raise ValidationError(_("只能复制本单位或上级单位的指标模板。"))
    with audited(actor):
        return IndicatorTemplate.objects.create(
            organization=organization,
            pack_version_id=source.pack_version_id,
            pack_id=source.pack_id,
            pack_ref=source.pack_ref,
            cycle_id=source.cycle_id,
            name=source.name,
            version=next_version(organization, source.pack_id, source.cycle_id),
            based_on=source,
            indicators=source.indicators,
            pass_threshold=source.pass_threshold,
            grades=source.grades,
            note=_("复制自 %(org)s %(name)s") % {"org": source.organization.name, "name": source},
            created_by=actor,
        )


def template_update(
    *,
    actor: Any,
    template: IndicatorTemplate,
    name: str,
    tree: list[dict[str, Any]],
    pass_threshold: Any,
    grades: list[dict[str, Any]],
    note: str = "",
) -> IndicatorTemplate:
    """Save an edited tree, checked like the pack's (cycles already opened keep their own frozen copy)."""
    _require(actor, Perm.ASSESSMENT_MANAGE, template.organization, _("您无权修改该指标模板。"))
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise ValidationError({"name": _("请填写模板名称(不超过%(n)d字)。") % {"n": NAME_MAX}})
    threshold = parse_decimal(pass_threshold, maximum=Decimal(100), label=_("合格分数线"))
    indicators.check_template(tree, threshold, grades)
    with audited(actor):
        locked = IndicatorTemplate.objects.select_for_update().get(pk=template.pk)
        locked.name = name
        locked.indicators = indicators.normalised(tree)
        locked.pass_threshold = threshold
        locked.grades = indicators.normalised_grades(grades)
        locked.note = (note or "").strip()[:2000]
        locked.save()
    return locked
