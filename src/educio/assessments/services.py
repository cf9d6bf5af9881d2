"""Every write of an assessment: templates, cycles, self-assessment, scoring, publishing and appeals.

Each service checks the actor's right over the unit concerned, runs in one
audited transaction, re-reads the row it changes under a lock and refuses a
step the current state does not allow, with a Chinese message.

Opening and publishing touch every subject of a cycle (a city has thousands
of schools): they insert and update in bulk, so the audit trail records the
cycle's change, not one entry per school.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.models import RoleAssignment
from educio.accounts.roles import Perm
from educio.accounts.scope import covers
from educio.appointments.models import Appointment, AppointmentStatus
from educio.assessments import indicators, scoring
from educio.assessments.models import (
    Appeal,
    AppealDecision,
    AssessmentCycle,
    AssessmentSubject,
    CycleStatus,
    EvidenceFile,
    IndicatorTemplate,
    ReviewerAssignment,
    Score,
    SelfAssessmentItem,
    SubjectKind,
    SubjectStatus,
)
from educio.assessments.selectors import REVIEWER_ROLES, eligible_reviewers
from educio.assessments.uploads import check_evidence
from educio.audit.services import audited
from educio.notifications.models import NotificationKind
from educio.notifications.selectors import unit_staff
from educio.notifications.services import Message, notifications_send
from educio.orgs.models import BureauLevel, Organization, OrgKind
from educio.policies.loaded import LoadedPack
from educio.policies.schema.base import Period
from educio.policies.schema.people import AssessmentCycle as PackCycle
from educio.policies.selectors import ancestor_paths, effective_pack, loaded_pack
from educio.rectifications.services import order_open_for_result, orders_cancel_for_result
from educio.workflow.spec import ActingLevel

NAME_MAX = 200
TEXT_MAX = 5000
COMMENT_MAX = 1000
REASONS_MAX = 2000
FILES_PER_INDICATOR = 10
ORGANISING_KINDS = (OrgKind.BUREAU, OrgKind.UNIVERSITY)
SCORING_CYCLE_STATES = (CycleStatus.OPEN, CycleStatus.REVIEWING)
BUREAU_LEVEL_OF = {
    ActingLevel.PROVINCE_BUREAU: BureauLevel.PROVINCE,
    ActingLevel.CITY_BUREAU: BureauLevel.CITY,
    ActingLevel.COUNTY_BUREAU: BureauLevel.COUNTY,
}
ORGANISER_LABELS = {
    ActingLevel.PROVINCE_BUREAU: "省级教育行政部门",
    ActingLevel.CITY_BUREAU: "市级教育行政部门",
    ActingLevel.COUNTY_BUREAU: "县级教育行政部门",
    ActingLevel.UNIVERSITY: "高等学校",
    ActingLevel.ROOT: "采用该制度的单位",
}


# --- helpers -----------------------------------------------------------------------------------


def _require(actor: Any, perm: str, organization: Organization, message: str) -> None:
    if not covers(actor, perm, organization):
        raise PermissionDenied(message)


def _today() -> date:
    return timezone.localdate()


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def pack_cycle(pack: LoadedPack, cycle_id: str) -> PackCycle | None:
    assessments = pack.spec.assessments
    return next((c for c in assessments.cycles if c.id == cycle_id), None) if assessments else None


def cite(pack: LoadedPack, article_id: str | None) -> str:
    """The article as printed (第四条(二)); the id itself when the pack does not have it."""
    article = pack.article(article_id)
    return article.citation if article else (article_id or "")


def parse_decimal(raw: Any, *, maximum: Decimal, label: str) -> Decimal | None:
    """A score typed in a form: blank is "no score" (None), otherwise 0..maximum with two decimals at most."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("%(label)s须为数字。") % {"label": label}) from None
    if not value.is_finite() or value < 0 or value > maximum or value != value.quantize(scoring.CENT):
        raise ValidationError(
            _("%(label)s须在 0 到 %(max)s 之间,最多两位小数。") % {"label": label, "max": scoring.rounded(maximum)}
        )
    return value


def _organising_pack(organization: Organization) -> LoadedPack:
    if organization.kind not in ORGANISING_KINDS:
        raise ValidationError({"organization": _("只有教育行政部门或高等学校可以组织考核。")})
    pack = effective_pack(organization)
    if pack is None:
        raise ValidationError(
            {"organization": _("“%(org)s”及其上级单位尚未采用制度方案。") % {"org": organization.name}}
        )
    return pack


def _pack_cycle_or_error(pack: LoadedPack, cycle_id: str) -> PackCycle:
    spec = pack_cycle(pack, cycle_id)
    if spec is None:
        raise ValidationError({"cycle_id": _("“%(pack)s”中没有该考核。") % {"pack": pack.title}})
    return spec


# --- indicator templates -----------------------------------------------------------------------


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


# --- cycles ------------------------------------------------------------------------------------


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


# --- self-assessment ---------------------------------------------------------------------------


def _locked_subject(subject: AssessmentSubject) -> AssessmentSubject:
    return (
        AssessmentSubject.objects.select_for_update(of=("self",))
        .select_related("cycle__organization", "organization", "person")
        .get(pk=subject.pk)
    )


def _check_self_window(subject: AssessmentSubject) -> None:
    if subject.cycle.status not in SCORING_CYCLE_STATES:
        raise ValidationError(
            _("考核当前为“%(status)s”,不能填报自评。") % {"status": subject.cycle.get_status_display()}
        )
    if subject.status != SubjectStatus.NOT_STARTED:
        raise ValidationError(_("自评已提交(%(status)s),不能再修改。") % {"status": subject.get_status_display()})
    if _today() > subject.self_deadline:
        raise ValidationError(
            _("自评已于%(date)s截止,逾期不能填报;如需延期,请联系组织考核的单位。")
            % {"date": chinese_date(subject.self_deadline)}
        )


def self_assessment_save(
    *, actor: Any, subject: AssessmentSubject, entries: Mapping[str, tuple[str, Any]]
) -> AssessmentSubject:
    """Save the draft: ``entries`` maps each leaf id to (text, self score as typed)."""
    _require(actor, Perm.ASSESSMENT_SUBMIT, subject.organization, _("您无权填报该单位的自评。"))
    errors: dict[str, str] = {}
    values: dict[str, tuple[str, Decimal | None]] = {}
    for leaf in indicators.leaves(subject.cycle.indicators):
        text, raw = entries.get(leaf.id, ("", ""))
        text = (text or "").strip()
        if len(text) > TEXT_MAX:
            errors[f"text-{leaf.id}"] = _("“%(name)s”的自评说明不能超过%(n)d字。") % {"name": leaf.name, "n": TEXT_MAX}
        try:
            score = parse_decimal(raw, maximum=leaf.weight, label=_("“%s”的自评分") % leaf.name)
        except ValidationError as exc:
            errors[f"score-{leaf.id}"] = exc.messages[0]
            score = None
        values[leaf.id] = (text, score)
    if errors:
        raise ValidationError(errors)
    with audited(actor):
        locked = _locked_subject(subject)
        _check_self_window(locked)
        existing = {i.indicator_id: i for i in SelfAssessmentItem.objects.filter(subject=locked)}
        for indicator_id, (text, score) in values.items():
            item = existing.get(indicator_id)
            if item is None and not text and score is None:
                continue
            item = item or SelfAssessmentItem(subject=locked, indicator_id=indicator_id)
            if item.pk and item.text == text and item.self_score == score:
                continue
            item.text, item.self_score, item.updated_by = text, score, actor
            item.save()
    return locked


def self_assessment_submit(*, actor: Any, subject: AssessmentSubject) -> AssessmentSubject:
    """提交自评 before the deadline (or the extension), with an account of every leaf."""
    _require(actor, Perm.ASSESSMENT_SUBMIT, subject.organization, _("您无权提交该单位的自评。"))
    with audited(actor):
        locked = _locked_subject(subject)
        _check_self_window(locked)
        written = set(
            SelfAssessmentItem.objects.filter(subject=locked).exclude(text="").values_list("indicator_id", flat=True)
        )
        missing = [leaf.name for leaf in indicators.leaves(locked.cycle.indicators) if leaf.id not in written]
        if missing:
            raise ValidationError(_("以下指标尚未填写自评说明:%(names)s。") % {"names": "、".join(missing)})
        locked.status = SubjectStatus.SELF_ASSESSED
        locked.self_submitted_at = timezone.now()
        locked.self_submitted_by = actor
        locked.save()
    return locked


def evidence_add(*, actor: Any, subject: AssessmentSubject, indicator_id: str, upload: Any) -> EvidenceFile:
    """Attach a supporting file to one leaf while the self-assessment is open."""
    _require(actor, Perm.ASSESSMENT_SUBMIT, subject.organization, _("您无权为该单位上传材料。"))
    if indicator_id not in {leaf.id for leaf in indicators.leaves(subject.cycle.indicators)}:
        raise ValidationError(_("请选择要上传材料的指标。"))
    original = check_evidence(upload)
    with audited(actor):
        locked = _locked_subject(subject)
        _check_self_window(locked)
        if EvidenceFile.objects.filter(subject=locked, indicator_id=indicator_id).count() >= FILES_PER_INDICATOR:
            raise ValidationError(_("每项指标最多上传%(n)d个材料。") % {"n": FILES_PER_INDICATOR})
        return EvidenceFile.objects.create(
            subject=locked,
            indicator_id=indicator_id,
            file=upload,
            original_name=original,
            size=upload.size,
            uploaded_by=actor,
        )


def evidence_remove(*, actor: Any, evidence: EvidenceFile) -> None:
    _require(actor, Perm.ASSESSMENT_SUBMIT, evidence.subject.organization, _("您无权删除该材料。"))
    with audited(actor):
        locked = _locked_subject(evidence.subject)
        _check_self_window(locked)
        stored = evidence.file
        evidence.delete()
        transaction.on_commit(lambda: stored.storage.delete(stored.name))


def subject_extend(*, actor: Any, subject: AssessmentSubject, until: date) -> AssessmentSubject:
    """延期: let one unit self-assess after the cycle's deadline, up to ``until``."""
    _require(actor, Perm.ASSESSMENT_MANAGE, subject.cycle.organization, _("您无权为该单位延期。"))
    if until < _today():
        raise ValidationError({"until": _("延期日期不能早于今天。")})
    with audited(actor):
        locked = _locked_subject(subject)
        if locked.cycle.status not in SCORING_CYCLE_STATES or locked.status != SubjectStatus.NOT_STARTED:
            raise ValidationError(_("只有尚未提交自评的单位可以延期。"))
        if until <= locked.cycle.self_deadline:
            raise ValidationError({"until": _("延期日期须晚于考核的自评截止日期。")})
        locked.extended_until = until
        locked.save()
    return locked


# --- reviewers and scores ----------------------------------------------------------------------

SCORABLE = (SubjectStatus.NOT_STARTED, SubjectStatus.SELF_ASSESSED)


@dataclass(frozen=True)
class Assigned:
    created: int
    skipped: int


def reviewers_assign(
    *, actor: Any, cycle: AssessmentCycle, subject_ids: Iterable[int] | QuerySet[Any], reviewer: Any
) -> Assigned:
    """Assign ``reviewer`` to the chosen subjects of the cycle that lie in the reviewer's own area.

    ``subject_ids`` may be a queryset of ids (every subject a filter shows), used as a subquery.
    """
    _require(actor, Perm.ASSESSMENT_MANAGE, cycle.organization, _("您无权为该考核分配评审。"))
    if cycle.status not in SCORING_CYCLE_STATES:
        raise ValidationError(_("考核当前为“%(status)s”,不能分配评审。") % {"status": cycle.get_status_display()})
    if not eligible_reviewers(cycle).filter(pk=reviewer.pk).exists():
        raise ValidationError({"reviewer": _("该账号不是本考核可选的评审专家或审核员。")})
    wanted = subject_ids if isinstance(subject_ids, QuerySet) else sorted(set(subject_ids))
    areas = RoleAssignment.objects.filter(user=reviewer, role__in=REVIEWER_ROLES).values_list(
        "organization__path", flat=True
    )
    in_area = Q(pk__in=[])
    for path in areas:
        in_area |= Q(organization__path__startswith=path)
    chosen = AssessmentSubject.objects.filter(cycle=cycle, pk__in=wanted, status__in=SCORABLE).filter(in_area)
    taken = set(
        ReviewerAssignment.objects.filter(reviewer=reviewer, subject__in=chosen).values_list("subject_id", flat=True)
    )
    fresh = [pk for pk in chosen.values_list("pk", flat=True) if pk not in taken]
    with audited(actor):
        ReviewerAssignment.objects.bulk_create(
            [ReviewerAssignment(cycle=cycle, subject_id=pk, reviewer=reviewer, assigned_by=actor) for pk in fresh],
            ignore_conflicts=True,
        )
    requested = wanted.count() if isinstance(wanted, QuerySet) else len(wanted)
    return Assigned(created=len(fresh), skipped=requested - len(fresh))


def reviewer_unassign(*, actor: Any, assignment: ReviewerAssignment) -> None:
    """Withdraw an assignment; the reviewer's scores of that subject go with it (they no longer count)."""
    subject = assignment.subject
    _require(actor, Perm.ASSESSMENT_MANAGE, subject.cycle.organization, _("您无权调整该考核的评审。"))
    with audited(actor):
        locked = _locked_subject(subject)
        if locked.status not in SCORABLE:
            raise ValidationError(_("评审已完成,不能撤回评审人。"))
        Score.objects.filter(subject=locked, reviewer_id=assignment.reviewer_id).delete()
        assignment.delete()


def _check_scoring_window(subject: AssessmentSubject) -> None:
    if subject.cycle.status not in SCORING_CYCLE_STATES:
        raise ValidationError(_("考核当前为“%(status)s”,不能评分。") % {"status": subject.cycle.get_status_display()})
    if subject.status == SubjectStatus.SELF_ASSESSED:
        return
    if subject.status == SubjectStatus.NOT_STARTED and _today() > subject.self_deadline:
        return  # a unit that let its deadline pass is scored on what the reviewers find
    if subject.status == SubjectStatus.NOT_STARTED:
        raise ValidationError(_("该单位尚未提交自评,自评截止后才能评分。"))
    raise ValidationError(_("评审已完成(%(status)s),不能再修改评分。") % {"status": subject.get_status_display()})


def _assignment_of(actor: Any, subject: AssessmentSubject) -> ReviewerAssignment:
    _require(actor, Perm.ASSESSMENT_SCORE, subject.organization, _("您无权评审该单位。"))
    assignment = ReviewerAssignment.objects.filter(subject=subject, reviewer=actor).first()
    if assignment is None:
        raise ValidationError(_("您未被分配评审该对象。"))
    return assignment


def scores_save(*, actor: Any, subject: AssessmentSubject, values: Mapping[str, tuple[Any, str]]) -> AssessmentSubject:
    """Save the actor's scores: ``values`` maps each leaf id to (score as typed, comment); blank clears a score."""
    _assignment_of(actor, subject)
    errors: dict[str, str] = {}
    parsed: dict[str, tuple[Decimal | None, str]] = {}
    for leaf in indicators.leaves(subject.cycle.indicators):
        raw, comment = values.get(leaf.id, ("", ""))
        comment = (comment or "").strip()
        try:
            score = parse_decimal(raw, maximum=leaf.weight, label=_("“%s”的得分") % leaf.name)
        except ValidationError as exc:
            errors[f"score-{leaf.id}"] = exc.messages[0]
            continue
        if len(comment) > COMMENT_MAX:
            errors[f"comment-{leaf.id}"] = _("评审意见不能超过%(n)d字。") % {"n": COMMENT_MAX}
        parsed[leaf.id] = (score, comment)
    if errors:
        raise ValidationError(errors)
    with audited(actor):
        locked = _locked_subject(subject)
        _check_scoring_window(locked)
        existing = {s.indicator_id: s for s in Score.objects.filter(subject=locked, reviewer=actor)}
        for indicator_id, (score, comment) in parsed.items():
            row = existing.get(indicator_id)
            if score is None:
                if row is not None:
                    row.delete()
                continue
            if row is not None and row.score == score and row.comment == comment:
                continue
            row = row or Score(subject=locked, indicator_id=indicator_id, reviewer=actor)
            row.score, row.comment = score, comment
            row.save()
    return locked


def _result_of(subject: AssessmentSubject, scores: Iterable[tuple[str, Decimal]]) -> scoring.Result:
    """The subject's total and grade, refused while any leaf has no score."""
    cycle = subject.cycle
    leaves = indicators.leaves(cycle.indicators)
    means = scoring.leaf_means(scores)
    total = scoring.total_of(leaves, means)
    if total is None:
        names = "、".join(leaf.name for leaf in scoring.unscored(leaves, means))
        raise ValidationError(_("以下指标尚无评分,不能确认评审结果:%(names)s。") % {"names": names})
    return scoring.grade_of(total, cycle.grades, cycle.pass_threshold)


def _apply_result(subject: AssessmentSubject, result: scoring.Result, actor: Any) -> None:
    subject.total, subject.grade, subject.passed = result.total, result.grade, result.passed
    subject.status = SubjectStatus.REVIEWED
    subject.reviewed_at, subject.reviewed_by = timezone.now(), actor


def _subject_scores(subject: AssessmentSubject) -> list[tuple[str, Decimal]]:
    return list(Score.objects.filter(subject=subject).values_list("indicator_id", "score"))


def scores_submit(*, actor: Any, subject: AssessmentSubject) -> AssessmentSubject:
    """提交评分: every leaf scored by the actor; once every reviewer has submitted, the result is computed."""
    assignment = _assignment_of(actor, subject)
    with audited(actor):
        locked = _locked_subject(subject)
        _check_scoring_window(locked)
        mine = set(Score.objects.filter(subject=locked, reviewer=actor).values_list("indicator_id", flat=True))
        missing = [leaf.name for leaf in indicators.leaves(locked.cycle.indicators) if leaf.id not in mine]
        if missing:
            raise ValidationError(_("以下指标尚未评分:%(names)s。") % {"names": "、".join(missing)})
        assignment.submitted_at = timezone.now()
        assignment.save()
        if not ReviewerAssignment.objects.filter(subject=locked, submitted_at__isnull=True).exists():
            _apply_result(locked, _result_of(locked, _subject_scores(locked)), actor)
            locked.save()
    return locked


def subject_mark_reviewed(*, actor: Any, subject: AssessmentSubject) -> AssessmentSubject:
    """确认评审结果 (the bureau): refused while any leaf has no score at all."""
    _require(actor, Perm.ASSESSMENT_MANAGE, subject.cycle.organization, _("您无权确认该评审结果。"))
    with audited(actor):
        locked = _locked_subject(subject)
        _check_scoring_window(locked)
        _apply_result(locked, _result_of(locked, _subject_scores(locked)), actor)
        locked.save()
    return locked


def cycle_mark_reviewed(*, actor: Any, cycle: AssessmentCycle) -> tuple[int, int]:
    """确认全部已评完的结果: every subject whose leaves are all scored; returns (confirmed, still incomplete)."""
    _require(actor, Perm.ASSESSMENT_MANAGE, cycle.organization, _("您无权确认该考核的评审结果。"))
    if cycle.status not in SCORING_CYCLE_STATES:
        raise ValidationError(_("考核当前为“%(status)s”,不能确认评审结果。") % {"status": cycle.get_status_display()})
    leaves = indicators.leaves(cycle.indicators)
    with audited(actor):
        candidates = list(
            AssessmentSubject.objects.select_for_update()
            .filter(cycle=cycle, status__in=SCORABLE)
            .filter(Q(status=SubjectStatus.SELF_ASSESSED) | Q(pk__in=_late_subjects(cycle)))
        )
        scores: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
        for subject_id, indicator_id, score in Score.objects.filter(subject__in=candidates).values_list(
            "subject_id", "indicator_id", "score"
        ):
            scores[subject_id].append((indicator_id, score))
        done = []
        for subject in candidates:
            total = scoring.total_of(leaves, scoring.leaf_means(scores[subject.pk]))
            if total is not None:
                subject.cycle = cycle
                _apply_result(subject, scoring.grade_of(total, cycle.grades, cycle.pass_threshold), actor)
                done.append(subject)
        fields = ["total", "grade", "passed", "status", "reviewed_at", "reviewed_by"]
        AssessmentSubject.objects.bulk_update(done, fields, batch_size=1000)
    return len(done), len(candidates) - len(done)


def _late_subjects(cycle: AssessmentCycle) -> Any:
    """Units that never submitted and whose deadline (extended or not) has passed."""
    today = _today()
    waiting = AssessmentSubject.objects.filter(cycle=cycle, status=SubjectStatus.NOT_STARTED)
    if cycle.self_deadline >= today:
        waiting = waiting.none()
    return waiting.filter(Q(extended_until__isnull=True) | Q(extended_until__lt=today)).values("pk")


# --- publishing and consequences ---------------------------------------------------------------


def findings_for(subject: AssessmentSubject) -> str:
    """What went wrong, for the rectification order: the low-scoring leaves with the reviewers' comments."""
    cycle = subject.cycle
    leaves = indicators.leaves(cycle.indicators)
    rows = list(Score.objects.filter(subject=subject).values_list("indicator_id", "score", "comment"))
    means = scoring.leaf_means((i, s) for i, s, _c in rows)
    comments: dict[str, list[str]] = defaultdict(list)
    for indicator_id, _score, comment in rows:
        if comment:
            comments[indicator_id].append(comment)
    share = (cycle.pass_threshold or Decimal(60)) / 100
    lines = [
        _("总分 %(total)s,等级“%(grade)s”(合格分数线 %(line)s)。")
        % {"total": subject.total, "grade": subject.grade, "line": cycle.pass_threshold or "—"}
    ]
    for leaf in leaves:
        mean = means.get(leaf.id)
        if mean is None or mean >= leaf.weight * share:
            continue
        line = _("%(name)s:得分 %(score)s / %(max)s") % {
            "name": leaf.name,
            "score": scoring.rounded(mean),
            "max": scoring.rounded(leaf.weight),
        }
        if comments[leaf.id]:
            line += _(";评审意见:%(c)s") % {"c": ";".join(comments[leaf.id])}
        lines.append(f"{len(lines)}. {line}")
    return "\n".join(lines)


def _hand_to_rectification(actor: Any, subject: AssessmentSubject) -> bool:
    """A failing result of a cycle whose pack orders 限期整改 opens the order, once per subject."""
    cycle = subject.cycle
    if subject.passed is not False or not cycle.on_fail or subject.consequence_at is not None:
        return False
    order_open_for_result(
        actor=actor, subject=subject, findings=findings_for(subject), article=cycle.on_fail.get("citation", "")
    )
    subject.consequence_at = timezone.now()
    AssessmentSubject.objects.filter(pk=subject.pk).update(consequence_at=subject.consequence_at)
    return True


@dataclass(frozen=True)
class Published:
    published: int
    failing: int
    rectifications: int


def _tell_units_published(cycle: AssessmentCycle, subject_ids: list[int]) -> int:
    """The head and CIO of each assessed unit learn that their result is out (once per result)."""
    rows = list(AssessmentSubject.objects.filter(pk__in=subject_ids).values_list("pk", "organization_id"))
    staff = unit_staff(org_id for _pk, org_id in rows)
    title = _("考核结果已发布:%(cycle)s") % {"cycle": cycle.name}
    body = _("%(issuer)s已发布考核结果,请查看得分与等次;如有异议可在申诉截止日期前申诉一次。") % {
        "issuer": cycle.organization.name
    }
    messages = (
        Message(
            recipient_id=user_id,
            kind=NotificationKind.ASSESSMENT_RESULT,
            title=title,
            body=body,
            url=reverse("assessments:subject_detail", kwargs={"pk": pk}),
            organization_id=org_id,
            dedup_key=f"assessment:{pk}:published",
        )
        for pk, org_id in rows
        for user_id in staff.get(org_id, ())
    )
    return notifications_send(messages)


def cycle_publish(*, actor: Any, cycle: AssessmentCycle, appeal_deadline: date) -> Published:
    """发布结果: every reviewed subject becomes visible to its unit; failing ones go to rectification."""
    _require(actor, Perm.ASSESSMENT_MANAGE, cycle.organization, _("您无权发布该考核结果。"))
    if appeal_deadline < _today():
        raise ValidationError({"appeal_deadline": _("申诉截止日期不能早于今天。")})
    with audited(actor):
        locked = AssessmentCycle.objects.select_for_update(of=("self",)).select_related("organization").get(pk=cycle.pk)
        if locked.status not in (*SCORING_CYCLE_STATES, CycleStatus.PUBLISHED):
            raise ValidationError(_("考核当前为“%(status)s”,不能发布结果。") % {"status": locked.get_status_display()})
        reviewed = AssessmentSubject.objects.filter(cycle=locked, status=SubjectStatus.REVIEWED)
        ids = list(reviewed.values_list("pk", flat=True))
        if not ids:
            raise ValidationError(_("没有已确认评审结果的考核对象,无法发布。"))
        now = timezone.now()
        AssessmentSubject.objects.filter(pk__in=ids).update(status=SubjectStatus.PUBLISHED, published_at=now)
        locked.status = CycleStatus.PUBLISHED
        locked.published_at = locked.published_at or now
        locked.appeal_deadline = appeal_deadline
        locked.save()
        failing = list(
            AssessmentSubject.objects.filter(pk__in=ids, passed=False)
            .select_related("cycle", "organization", "person")
            .order_by("organization__path")
        )
        opened = sum(_hand_to_rectification(actor, s) for s in failing)
        _tell_units_published(locked, ids)
    return Published(published=len(ids), failing=len(failing), rectifications=opened)


# --- appeals -----------------------------------------------------------------------------------


def appeal_submit(*, actor: Any, subject: AssessmentSubject, reasons: str) -> Appeal:
    """申诉: once per result, with reasons, before the cycle's appeal deadline."""
    _require(actor, Perm.ASSESSMENT_SUBMIT, subject.organization, _("您无权为该单位申诉。"))
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": _("请填写申诉理由。")})
    if len(reasons) > REASONS_MAX:
        raise ValidationError({"reasons": _("申诉理由不能超过%(n)d字。") % {"n": REASONS_MAX}})
    with audited(actor):
        locked = _locked_subject(subject)
        if Appeal.objects.filter(subject=locked).exists():
            raise ValidationError(_("每个考核结果只能申诉一次,该结果已申诉过。"))
        if locked.status != SubjectStatus.PUBLISHED:
            raise ValidationError(_("只有已发布的考核结果可以申诉。"))
        deadline = locked.cycle.appeal_deadline
        if deadline is None or _today() > deadline:
            raise ValidationError(_("申诉期已结束,不能再申诉。"))
        appeal = Appeal.objects.create(
            subject=locked,
            reasons=reasons,
            submitted_by=actor,
            previous_total=locked.total,
            previous_grade=locked.grade,
        )
        locked.status = SubjectStatus.APPEALED
        locked.save()
    return appeal


def appeal_decide(*, actor: Any, appeal: Appeal, decision: str, note: str, new_total: Any = None) -> Appeal:
    """The bureau upholds the result or changes the total (the grade follows the cycle's rules)."""
    subject = appeal.subject
    _require(actor, Perm.ASSESSMENT_MANAGE, subject.cycle.organization, _("您无权处理该申诉。"))
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if decision not in AppealDecision.values:
        errors["decision"] = _("请选择处理结果。")
    if not note:
        errors["note"] = _("请填写处理意见。")
    total = None
    if decision == AppealDecision.CHANGED:
        try:
            total = parse_decimal(new_total, maximum=Decimal(100), label=_("变更后总分"))
        except ValidationError as exc:
            errors["new_total"] = exc.messages[0]
        if total is None and "new_total" not in errors:
            errors["new_total"] = _("变更结果时请填写变更后的总分。")
    if errors:
        raise ValidationError(errors)
    with audited(actor):
        locked_subject = _locked_subject(subject)
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if locked.is_decided:
            raise ValidationError(_("该申诉已处理。"))
        if total is not None:
            cycle = locked_subject.cycle
            result = scoring.grade_of(total, cycle.grades, cycle.pass_threshold)
            locked_subject.total, locked_subject.grade, locked_subject.passed = total, result.grade, result.passed
            locked.new_total, locked.new_grade = total, result.grade
        locked.decision, locked.decision_note = decision, note[:REASONS_MAX]
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save()
        locked_subject.status = SubjectStatus.PUBLISHED
        locked_subject.save()
        if locked_subject.passed and locked_subject.consequence_at is not None:
            orders_cancel_for_result(
                actor=actor, subject=locked_subject, reason=_("申诉后结果改为合格:%(note)s") % {"note": note[:200]}
            )
        _hand_to_rectification(actor, locked_subject)
    return locked
