"""Cycles: creating a draft, moving its deadlines, opening it with every subject, and its later stages."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.roles import Perm
from educio.appointments.models import Appointment, AppointmentStatus
from educio.assessments import indicators
from educio.assessments.models import (
    AssessmentCycle,
    AssessmentSubject,
    CycleStatus,
    IndicatorTemplate,
    SubjectKind,
    SubjectStatus,
)
from educio.assessments.services._common import (
    BUREAU_LEVEL_OF,
    NAME_MAX,
    ORGANISER_LABELS,
    _organising_pack,
    _pack_cycle_or_error,
    _require,
    _today,
    cite,
    pack_cycle,
)
from educio.audit.services import audited
from educio.orgs.models import Organization, OrgKind
from educio.policies.loaded import LoadedPack
from educio.policies.schema.base import Period
from educio.policies.schema.people import AssessmentCycle as PackCycle
from educio.policies.selectors import ancestor_paths, loaded_pack
from educio.workflow.spec import ActingLevel


def period_label(spec: PackCycle, year: int) -> str:
    if spec.period == Period.ANNUAL:
        return _("%(y)d年度") % {"y": year}
    if spec.period == Period.BIENNIAL:
        return _("%(y)d—%(next)d年度") % {"y": year, "next": year + 1}
    return _("%(y)d年") % {"y": year}


def _check_organiser(spec: PackCycle, organization: Organization, pack: LoadedPack) -> None:
    level = spec.organiser
    if level in BUREAU_LEVEL_OF:
        fits = organization.kind == OrgKind.BUREAU and organization.bureau_level == BUREAU_LEVEL_OF[level]
    elif level == ActingLevel.UNIVERSITY:
        fits = organization.kind == OrgKind.UNIVERSITY
    elif level == ActingLevel.ROOT:
        fits = organization.pk == pack.adopted_by_org_id
    else:
        fits = True
    if not fits and level is not None:
        raise ValidationError(
            {
                "organization": _("按制度,“%(cycle)s”由%(who)s组织,“%(org)s”不能组织该考核。")
                % {"cycle": spec.name, "who": ORGANISER_LABELS.get(level, level), "org": organization.name}
            }
        )


def _check_template_fits(
    template: IndicatorTemplate, organization: Organization, pack: LoadedPack, spec: PackCycle
) -> None:
    if template.pack_id != pack.pack_id or template.cycle_id != spec.id:
        raise ValidationError({"template": _("该指标模板不是“%(cycle)s”的模板。") % {"cycle": spec.name}})
    if template.organization.path not in ancestor_paths(organization.path):
        raise ValidationError({"template": _("只能使用本单位或上级单位的指标模板。")})
    if not template.indicators:
        raise ValidationError({"template": _("该指标模板尚未设置指标,请先编辑模板。")})


def _frozen_rules(cycle: AssessmentCycle, spec: PackCycle) -> None:
    """Copy the indicators, threshold and grades into the cycle (from its template, or from the pack)."""
    template = cycle.template
    if template is not None:
        cycle.indicators = template.indicators
        cycle.pass_threshold = template.pass_threshold
        cycle.grades = template.grades
    else:
        cycle.indicators = indicators.from_pack(spec)
        cycle.pass_threshold = indicators.as_decimal(spec.pass_threshold) if spec.pass_threshold is not None else None
        cycle.grades = indicators.grades_from_pack(spec)


def on_fail_rule(pack: LoadedPack, spec: PackCycle) -> dict[str, Any]:
    on_fail = spec.consequences.on_fail if spec.consequences else None
    if on_fail is None:
        return {}
    return {**on_fail.model_dump(mode="json"), "citation": cite(pack, on_fail.article)}


def cycle_create(
    *,
    actor: Any,
    organization: Organization,
    cycle_id: str,
    year: int,
    self_deadline: date,
    review_deadline: date,
    template: IndicatorTemplate | None = None,
    name: str = "",
    appeal_deadline: date | None = None,
) -> AssessmentCycle:
    """A draft cycle of the pack's ``cycle_id`` organised by ``organization`` (opened by ``cycle_open``)."""
    _require(actor, Perm.ASSESSMENT_MANAGE, organization, _("您无权以该单位名义组织考核。"))
    pack = _organising_pack(organization)
    spec = _pack_cycle_or_error(pack, cycle_id)
    _check_organiser(spec, organization, pack)
    errors: dict[str, str] = {}
    if not 2000 <= year <= 2100:
        errors["year"] = _("请填写正确的年度。")
    elif AssessmentCycle.objects.filter(organization=organization, cycle_id=spec.id, year=year).exists():
        errors["year"] = _("本单位已组织过%(year)d年的“%(name)s”。") % {"year": year, "name": spec.name}
    if self_deadline < _today():
        errors["self_deadline"] = _("自评截止日期不能早于今天。")
    if review_deadline < self_deadline:
        errors["review_deadline"] = _("评审截止日期不能早于自评截止日期。")
    if appeal_deadline is not None and appeal_deadline < review_deadline:
        errors["appeal_deadline"] = _("申诉截止日期不能早于评审截止日期。")
    if template is not None:
        _check_template_fits(template, organization, pack, spec)
    elif not spec.indicators:
        errors["template"] = _("制度方案未规定“%(name)s”的指标,请先建立指标模板并选用。") % {"name": spec.name}
    if errors:
        raise ValidationError(errors)
    label = period_label(spec, year)
    cycle = AssessmentCycle(
        organization=organization,
        pack_version_id=pack.pk,
        pack_id=pack.pack_id,
        pack_ref=str(pack),
        cycle_id=spec.id,
        kind_label=spec.name,
        name=((name or "").strip() or f"{label}{spec.name}")[:NAME_MAX],
        subject_kind=SubjectKind(spec.subject.value),
        subject_kinds=[k.value for k in spec.subject_kinds],
        posts=list(spec.posts),
        year=year,
        period_label=label,
        article=cite(pack, spec.article),
        template=template,
        on_fail=on_fail_rule(pack, spec),
        self_deadline=self_deadline,
        review_deadline=review_deadline,
        appeal_deadline=appeal_deadline,
        created_by=actor,
    )
    _frozen_rules(cycle, spec)
    with audited(actor):
        cycle.save()
    return cycle


def cycle_set_deadlines(
    *, actor: Any, cycle: AssessmentCycle, self_deadline: date, review_deadline: date, appeal_deadline: date | None
) -> AssessmentCycle:
    """Move the cycle's deadlines (for every unit; one unit's late submission is ``subject_extend``)."""
    _require(actor, Perm.ASSESSMENT_MANAGE, cycle.organization, _("您无权修改该考核。"))
    if review_deadline < self_deadline:
        raise ValidationError({"review_deadline": _("评审截止日期不能早于自评截止日期。")})
    with audited(actor):
        locked = AssessmentCycle.objects.select_for_update().get(pk=cycle.pk)
        if locked.status == CycleStatus.CLOSED:
            raise ValidationError(_("考核已结束,不能再修改截止日期。"))
        # Results published before the review deadline may be appealed before it, too.
        if appeal_deadline is not None and appeal_deadline < review_deadline and locked.published_at is None:
            raise ValidationError({"appeal_deadline": _("申诉截止日期不能早于评审截止日期。")})
        locked.self_deadline, locked.review_deadline = self_deadline, review_deadline
        locked.appeal_deadline = appeal_deadline
        locked.save()
    return locked


def _subject_rows(cycle: AssessmentCycle) -> list[AssessmentSubject]:
    """One subject per assessed unit of the subtree (per active holder of the posts for a post-holder cycle)."""
    root = cycle.organization
    units = list(
        Organization.objects.filter(path__startswith=root.path, kind__in=cycle.subject_kinds, is_active=True)
        .exclude(pk=root.pk)
        .order_by("path")
        .values_list("pk", flat=True)
    )
    if cycle.subject_kind != SubjectKind.POST_HOLDER:
        return [AssessmentSubject(cycle=cycle, organization_id=pk) for pk in units]
    holders: dict[int, list[tuple[int, int]]] = defaultdict(list)
    active = Appointment.objects.filter(
        organization__path__startswith=root.path, post__in=cycle.posts, status=AppointmentStatus.ACTIVE
    ).order_by("organization_id", "pk")
    for unit_id, person_id, appointment_id in active.values_list("organization_id", "person_id", "pk"):
        if all(person_id != p for p, _a in holders[unit_id]):
            holders[unit_id].append((person_id, appointment_id))
    rows = []
    for pk in units:
        if not holders.get(pk):
            rows.append(AssessmentSubject(cycle=cycle, organization_id=pk, status=SubjectStatus.VACANT))
        rows.extend(
            AssessmentSubject(cycle=cycle, organization_id=pk, person_id=person_id, appointment_id=appointment_id)
            for person_id, appointment_id in holders.get(pk, [])
        )
    return rows


def cycle_open(*, actor: Any, cycle: AssessmentCycle) -> int:
    """启动: freeze the indicators and create every subject in bulk; returns how many units take part."""
    _require(actor, Perm.ASSESSMENT_MANAGE, cycle.organization, _("您无权启动该考核。"))
    with audited(actor):
        locked = (
            AssessmentCycle.objects.select_for_update(of=("self",))
            .select_related("organization", "template")
            .get(pk=cycle.pk)
        )
        if locked.status != CycleStatus.DRAFT:
            raise ValidationError(_("该考核已启动。"))
        if locked.self_deadline < _today():
            raise ValidationError(_("自评截止日期已过,请先修改截止日期再启动。"))
        spec = pack_cycle(loaded_pack(locked.pack_version_id), locked.cycle_id)
        if spec is None:
            raise ValidationError(_("制度方案中已找不到该考核,无法启动。"))
        if locked.template is not None and not locked.template.indicators:
            raise ValidationError(_("所选指标模板尚未设置指标。"))
        _frozen_rules(locked, spec)
        if not locked.indicators:
            raise ValidationError(_("该考核没有指标,无法启动。"))
        subjects = _subject_rows(locked)
        AssessmentSubject.objects.bulk_create(subjects, batch_size=2000)
        locked.status = CycleStatus.OPEN
        locked.opened_at = timezone.now()
        locked.save()
    return sum(1 for s in subjects if s.status != SubjectStatus.VACANT)


def _cycle_move(actor: Any, cycle: AssessmentCycle, allowed: tuple[str, ...], to: str, message: str) -> AssessmentCycle:
    _require(actor, Perm.ASSESSMENT_MANAGE, cycle.organization, _("您无权变更该考核的状态。"))
    with audited(actor):
        locked = AssessmentCycle.objects.select_for_update().get(pk=cycle.pk)
        if locked.status not in allowed:
            raise ValidationError(message % {"status": locked.get_status_display()})
        locked.status = to
        if to == CycleStatus.CLOSED:
            locked.closed_at = timezone.now()
        locked.save()
    return locked


def cycle_start_review(*, actor: Any, cycle: AssessmentCycle) -> AssessmentCycle:
    """截止自评,进入评审 (units whose deadline was extended may still submit)."""
    return _cycle_move(
        actor, cycle, (CycleStatus.OPEN,), CycleStatus.REVIEWING, _("考核当前为“%(status)s”,不能进入评审。")
    )


def cycle_close(*, actor: Any, cycle: AssessmentCycle) -> AssessmentCycle:
    """结束: after the results are published and the appeals decided, nothing changes any more."""
    if AssessmentSubject.objects.filter(cycle=cycle, status=SubjectStatus.APPEALED).exists():
        raise ValidationError(_("还有未处理的申诉,不能结束考核。"))
    return _cycle_move(
        actor, cycle, (CycleStatus.PUBLISHED,), CycleStatus.CLOSED, _("考核当前为“%(status)s”,发布结果后才能结束。")
    )
