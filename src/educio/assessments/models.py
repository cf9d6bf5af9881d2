"""Assessment cycles (考核/测评): indicator templates, self-assessment, scoring, results and appeals.

An ``IndicatorTemplate`` is a bureau's copy of a pack cycle's indicator tree
(or of an earlier copy), adjusted for its own use; the pack's tree itself is
never changed. An ``AssessmentCycle`` is one round a bureau organises: when it
opens, the template's tree is frozen into the cycle and one
``AssessmentSubject`` is created per assessed unit (or per post holder). Units
self-assess per leaf indicator with evidence files, assigned reviewers score
each leaf, the bureau publishes the results and decides the one appeal a unit
may lodge. Scores and totals are decimals; a leaf's maximum is its weight, so
a total is out of 100.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from educio.appointments.models import Appointment
from educio.orgs.models import Organization
from educio.people.models import Person


def evidence_path(instance: Any, filename: str) -> str:
    return f"assessments/evidence/{date.today():%Y/%m}/{filename}"


class SubjectKind(models.TextChoices):
    """Who a cycle assesses (mirrors the pack's ``AssessmentSubject``)."""

    POST_HOLDER = "post_holder", _("任职人员")
    UNIT = "unit", _("单位")
    DEPARTMENT = "department", _("部门/学院")


class IndicatorTemplate(models.Model):
    """A bureau's indicator tree for one pack cycle; a copy is a new row, so every version stays."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="indicator_templates", verbose_name=_("所属单位")
    )
    pack_version_id = models.PositiveBigIntegerField(_("制度方案版本"))
    pack_id = models.CharField(_("制度方案标识"), max_length=64)
    pack_ref = models.CharField(_("制度方案"), max_length=200)
    cycle_id = models.CharField(_("考核类别"), max_length=64)
    name = models.CharField(_("模板名称"), max_length=200)
    version = models.PositiveIntegerField(_("版本"))
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="copies", verbose_name=_("复制自")
    )
    indicators = models.JSONField(_("指标体系"), default=list, blank=True)
    pass_threshold = models.DecimalField(_("合格分数线"), null=True, blank=True, max_digits=6, decimal_places=2)
    grades = models.JSONField(_("等级"), default=list, blank=True)
    note = models.TextField(_("调整说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最近修改"), auto_now=True)

    class Meta:
        verbose_name = _("指标模板")
        verbose_name_plural = _("指标模板")
        ordering = ["organization__path", "cycle_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "pack_id", "cycle_id", "version"], name="assess_template_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}(第{self.version}版)"

    def get_absolute_url(self) -> str:
        return reverse("assessments:template_detail", kwargs={"pk": self.pk})

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.organization.path}


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("自评中")
    REVIEWING = "reviewing", _("评审中")
    PUBLISHED = "published", _("已发布结果")
    CLOSED = "closed", _("已结束")


class AssessmentCycle(models.Model):
    """One round of a pack cycle organised by a bureau (or a university) for its subtree."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="assessment_cycles", verbose_name=_("组织单位")
    )
    pack_version_id = models.PositiveBigIntegerField(_("制度方案版本"))
    pack_id = models.CharField(_("制度方案标识"), max_length=64)
    pack_ref = models.CharField(_("制度方案"), max_length=200)
    cycle_id = models.CharField(_("考核类别"), max_length=64)
    kind_label = models.CharField(_("考核名称(制度)"), max_length=200)
    name = models.CharField(_("考核名称"), max_length=200)
    subject_kind = models.CharField(_("考核对象"), max_length=16, choices=SubjectKind.choices)
    subject_kinds = models.JSONField(_("参评单位类别"), default=list)
    posts = models.JSONField(_("参评岗位"), default=list, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    period_label = models.CharField(_("考核期"), max_length=40)
    article = models.CharField(_("依据条款"), max_length=200, blank=True)
    template = models.ForeignKey(
        IndicatorTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cycles",
        verbose_name=_("指标模板"),
        help_text=_("为空时使用制度方案中的指标体系"),
    )
    # Frozen when the cycle opens: a later edit of the template never changes a running cycle.
    indicators = models.JSONField(_("指标体系(快照)"), default=list, blank=True)
    pass_threshold = models.DecimalField(_("合格分数线"), null=True, blank=True, max_digits=6, decimal_places=2)
    grades = models.JSONField(_("等级"), default=list, blank=True)
    on_fail = models.JSONField(_("不合格的后果"), default=dict, blank=True)
    self_deadline = models.DateField(_("自评截止日期"))
    review_deadline = models.DateField(_("评审截止日期"))
    appeal_deadline = models.DateField(_("申诉截止日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=CycleStatus.choices, default=CycleStatus.DRAFT)
    opened_at = models.DateTimeField(_("启动时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核周期")
        verbose_name_plural = _("考核周期")
        ordering = ["-year", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "cycle_id", "year"], name="assess_cycle_once_a_year"),
            models.CheckConstraint(
                condition=Q(review_deadline__gte=models.F("self_deadline")), name="assess_review_after_self"
            ),
            models.CheckConstraint(condition=Q(status__in=CycleStatus.values), name="assess_cycle_known_status"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessments:cycle_detail", kwargs={"pk": self.pk})

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.organization.path}


class SubjectStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未自评")
    SELF_ASSESSED = "self_assessed", _("已自评")
    REVIEWED = "reviewed", _("已评审")
    PUBLISHED = "published", _("已发布")
    APPEALED = "appealed", _("申诉中")
    VACANT = "vacant", _("未设立(不参评)")


# The stages a subject passes through, in order (the progress chart's series).
PROGRESS_STATUSES = (
    SubjectStatus.NOT_STARTED,
    SubjectStatus.SELF_ASSESSED,
    SubjectStatus.REVIEWED,
    SubjectStatus.PUBLISHED,
    SubjectStatus.APPEALED,
)
RESULT_STATUSES = (SubjectStatus.PUBLISHED, SubjectStatus.APPEALED)


class AssessmentSubject(models.Model):
    """One unit (or one post holder at a unit) assessed in a cycle, with its result once reviewed."""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="subjects")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="assessment_subjects", verbose_name=_("参评单位")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("任职人员")
    )
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("任命")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=SubjectStatus.choices, default=SubjectStatus.NOT_STARTED
    )
    extended_until = models.DateField(_("自评延期至"), null=True, blank=True)
    self_submitted_at = models.DateTimeField(_("自评提交时间"), null=True, blank=True)
    self_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    total = models.DecimalField(_("总分"), null=True, blank=True, max_digits=6, decimal_places=2)
    grade = models.CharField(_("等级"), max_length=40, blank=True)
    passed = models.BooleanField(_("合格"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("评审完成时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    # When the failing result was handed to rectification (限期整改), so it is handed over once.
    consequence_at = models.DateTimeField(_("转入整改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核对象")
        verbose_name_plural = _("考核对象")
        ordering = ["organization__path", "pk"]
        indexes = [models.Index(fields=["cycle", "status"]), models.Index(fields=["cycle", "grade"])]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organization", "person"],
                condition=Q(person__isnull=False),
                name="assess_subject_person_once",
            ),
            models.UniqueConstraint(
                fields=["cycle", "organization"], condition=Q(person__isnull=True), name="assess_subject_unit_once"
            ),
            models.CheckConstraint(condition=Q(status__in=SubjectStatus.values), name="assess_subject_known_status"),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(total__gte=0, total__lte=100), name="assess_total_in_range"
            ),
        ]

    def __str__(self) -> str:
        who = f" {self.person.name}" if self.person_id and self.person else ""
        return f"{self.organization.name}{who}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:subject_detail", kwargs={"pk": self.pk})

    @property
    def self_deadline(self) -> date:
        """The cycle's self-assessment deadline, or the later date the bureau extended it to for this unit."""
        deadline = self.cycle.self_deadline
        return max(deadline, self.extended_until) if self.extended_until else deadline

    @property
    def has_result(self) -> bool:
        return self.status in RESULT_STATUSES

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.organization.path}


class SelfAssessmentItem(models.Model):
    """The unit's own account of one leaf indicator, with an optional self score."""

    subject = models.ForeignKey(AssessmentSubject, on_delete=models.CASCADE, related_name="items")
    indicator_id = models.CharField(_("指标"), max_length=64)
    text = models.TextField(_("自评说明"), blank=True)
    self_score = models.DecimalField(_("自评分"), null=True, blank=True, max_digits=6, decimal_places=2)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("最近保存"), auto_now=True)

    class Meta:
        verbose_name = _("自评内容")
        verbose_name_plural = _("自评内容")
        constraints = [
            models.UniqueConstraint(fields=["subject", "indicator_id"], name="assess_item_once"),
            models.CheckConstraint(
                condition=Q(self_score__isnull=True) | Q(self_score__gte=0), name="assess_self_score_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.indicator_id}"

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.subject.organization.path}


class EvidenceFile(models.Model):
    """A supporting document uploaded for one leaf indicator (stored under a random name)."""

    subject = models.ForeignKey(AssessmentSubject, on_delete=models.CASCADE, related_name="evidence")
    indicator_id = models.CharField(_("指标"), max_length=64)
    file = models.FileField(_("文件"), upload_to=evidence_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["subject", "indicator_id", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.subject.organization.path}


class ReviewerAssignment(models.Model):
    """A reviewer (bureau staff or expert) assigned by the bureau to score one subject."""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="assignments")
    subject = models.ForeignKey(AssessmentSubject, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessment_assignments"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("评分提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评审分配")
        verbose_name_plural = _("评审分配")
        ordering = ["subject", "pk"]
        indexes = [models.Index(fields=["reviewer", "cycle"])]
        constraints = [models.UniqueConstraint(fields=["subject", "reviewer"], name="assess_assign_once")]

    def __str__(self) -> str:
        return f"{self.subject} · {self.reviewer}"

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.subject.organization.path}


class Score(models.Model):
    """One reviewer's score of one leaf indicator (0 to the leaf's weight) with a comment."""

    subject = models.ForeignKey(AssessmentSubject, on_delete=models.CASCADE, related_name="scores")
    indicator_id = models.CharField(_("指标"), max_length=64)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("评审意见"), blank=True)
    updated_at = models.DateTimeField(_("评分时间"), auto_now=True)

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        ordering = ["subject", "indicator_id", "reviewer_id"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "indicator_id", "reviewer"], name="assess_score_once"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="assess_score_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.indicator_id}: {self.score}"

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.subject.organization.path}


class AppealDecision(models.TextChoices):
    UPHELD = "upheld", _("维持原结果")
    CHANGED = "changed", _("变更结果")


class Appeal(models.Model):
    """申诉: a unit's one appeal against a published result, decided by the organising bureau."""

    subject = models.OneToOneField(AssessmentSubject, on_delete=models.CASCADE, related_name="appeal")
    reasons = models.TextField(_("申诉理由"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("申诉时间"), auto_now_add=True)
    previous_total = models.DecimalField(_("原总分"), null=True, blank=True, max_digits=6, decimal_places=2)
    previous_grade = models.CharField(_("原等级"), max_length=40, blank=True)
    decision = models.CharField(_("处理结果"), max_length=16, choices=AppealDecision.choices, blank=True)
    decision_note = models.TextField(_("处理意见"), blank=True)
    new_total = models.DecimalField(_("变更后总分"), null=True, blank=True, max_digits=6, decimal_places=2)
    new_grade = models.CharField(_("变更后等级"), max_length=40, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核申诉")
        verbose_name_plural = _("考核申诉")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="", decided_at__isnull=True, decided_by__isnull=True)
                | (~Q(decision="") & Q(decided_at__isnull=False, decided_by__isnull=False)),
                name="assess_appeal_decision_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(decision=AppealDecision.CHANGED) | Q(new_total__isnull=False),
                name="assess_appeal_change_has_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} 申诉"

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.subject.organization.path}
