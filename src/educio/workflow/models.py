"""Review processes: one record per "submit -> review steps -> decision" run, and its steps.

A process copies its chain (from the policy pack) when it starts, so editing
the pack later never changes a running review. Every round of submission
keeps its own steps: a return for revision closes the round, a resubmission
opens the next one, and the history of earlier rounds stays as it was.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from educio.accounts.roles import role_label
from educio.orgs.models import Organization
from educio.workflow.resolution import LEVEL_LABELS
from educio.workflow.spec import ActingLevel, ChainSpec


class ProcessKind(models.TextChoices):
    """What is being reviewed; each subject module starts processes of its own kind."""

    NOMINATION = "nomination", _("首席信息官推荐")
    PROJECT_PROPOSAL = "project_proposal", _("项目建设方案审核")
    RECTIFICATION = "rectification", _("整改销号")
    CHANGE_FILING = "change_filing", _("变更报备")
    GENERAL = "general", _("其他审核事项")


class ProcessState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("审核未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


CLOSED_PROCESS_STATES = (ProcessState.APPROVED, ProcessState.REJECTED, ProcessState.WITHDRAWN)


class StepState(models.TextChoices):
    WAITING = "waiting", _("未开始")
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("同意")
    RETURNED = "returned", _("退回修改")
    REJECTED = "rejected", _("不同意")
    SKIPPED = "skipped", _("未进行")


DECIDED_STEP_STATES = (StepState.APPROVED, StepState.RETURNED, StepState.REJECTED)


class Decision(models.TextChoices):
    """What a reviewer may do with a pending step, and the step state each one leaves."""

    APPROVE = "approve", _("同意")
    RETURN = "return", _("退回修改")
    REJECT = "reject", _("不同意")

    @property
    def step_state(self) -> StepState:
        return {
            Decision.APPROVE: StepState.APPROVED,
            Decision.RETURN: StepState.RETURNED,
            Decision.REJECT: StepState.REJECTED,
        }[self]


class ReviewProcess(models.Model):
    """One subject (a nomination, a project proposal ...) going through one review chain."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("事项类型")
    )
    object_id = models.PositiveBigIntegerField(_("事项编号"), null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("类别"), max_length=32, choices=ProcessKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="review_processes", verbose_name=_("报送单位")
    )
    chain_id = models.CharField(_("流程编号"), max_length=64)
    chain_name = models.CharField(_("审核流程"), max_length=120)
    chain_snapshot = models.JSONField(_("流程定义(发起时)"))
    # The pack row the chain came from; a plain reference so the engine works without the policies app.
    pack_version_id = models.PositiveBigIntegerField(_("制度方案版本"), null=True, blank=True)
    pack_ref = models.CharField(_("制度方案"), max_length=120, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=ProcessState.choices, default=ProcessState.DRAFT)
    current_index = models.PositiveSmallIntegerField(_("当前步骤"), default=0)
    round = models.PositiveSmallIntegerField(_("报送轮次"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发起人")
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("最近报送时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回理由"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("审核事项")
        verbose_name_plural = _("审核事项")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["organization", "state"]),
            models.Index(fields=["created_by", "state"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ProcessState.values), name="wf_process_known_state"),
            models.CheckConstraint(condition=Q(kind__in=ProcessKind.values), name="wf_process_known_kind"),
            models.CheckConstraint(
                condition=Q(content_type__isnull=True, object_id__isnull=True)
                | Q(content_type__isnull=False, object_id__isnull=False),
                name="wf_process_subject_complete",
            ),
            # Closed exactly when the state is final.
            models.CheckConstraint(
                condition=Q(state__in=CLOSED_PROCESS_STATES, closed_at__isnull=False)
                | (~Q(state__in=CLOSED_PROCESS_STATES) & Q(closed_at__isnull=True)),
                name="wf_process_closed_when_final",
            ),
            # Round 0 is "never submitted"; a submitted process always knows who and when.
            models.CheckConstraint(
                condition=Q(round=0, submitted_at__isnull=True, submitted_by__isnull=True)
                | Q(round__gte=1, submitted_at__isnull=False, submitted_by__isnull=False),
                name="wf_process_submission_recorded",
            ),
            models.CheckConstraint(condition=~Q(state=ProcessState.DRAFT) | Q(round=0), name="wf_process_draft_round0"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def chain(self) -> ChainSpec:
        return ChainSpec.model_validate(self.chain_snapshot)

    @property
    def is_closed(self) -> bool:
        return self.state in CLOSED_PROCESS_STATES

    def get_additional_data(self) -> dict[str, str]:
        """Stored with every audit entry so the audit log can be scoped to a subtree."""
        return {"org_path": self.organization.path}


class ReviewStep(models.Model):
    """One step of one round: who must act (resolved at submission), and what they decided."""

    process = models.ForeignKey(ReviewProcess, on_delete=models.CASCADE, related_name="steps", verbose_name=_("事项"))
    round = models.PositiveSmallIntegerField(_("报送轮次"))
    index = models.PositiveSmallIntegerField(_("序号"))
    step_id = models.CharField(_("步骤编号"), max_length=64)
    name = models.CharField(_("步骤"), max_length=120)
    acting_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="review_steps", verbose_name=_("审核单位")
    )
    level = models.CharField(_("审核层级"), max_length=32)
    role = models.CharField(_("审核角色"), max_length=32)
    body = models.CharField(_("审议机构"), max_length=80, blank=True)
    article = models.CharField(_("依据条款"), max_length=80, blank=True)
    opinion_required = models.BooleanField(_("须填写意见"), default=True)
    seal_required = models.BooleanField(_("须加盖公章"), default=False)
    deadline_days = models.PositiveSmallIntegerField(_("办理时限(天)"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=StepState.choices, default=StepState.WAITING)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    activated_at = models.DateTimeField(_("开始办理时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("办理期限"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    opinion = models.TextField(_("审核意见"), blank=True)
    seal_recorded = models.BooleanField(_("已盖章"), default=False)

    class Meta:
        verbose_name = _("审核步骤")
        verbose_name_plural = _("审核步骤")
        ordering = ["process", "round", "index"]
        indexes = [
            # The inbox (pending steps of my roles) and "processes I review" (any state) both start here.
            models.Index(fields=["acting_organization", "role", "state"], name="wf_step_reviewer"),
            models.Index(fields=["state", "due_at"], name="wf_step_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["process", "round", "index"], name="wf_step_unique_position"),
            # At most one step of a process waits for a decision at any time.
            models.UniqueConstraint(
                fields=["process"], condition=Q(state=StepState.PENDING), name="wf_step_one_pending_per_process"
            ),
            models.CheckConstraint(condition=Q(state__in=StepState.values), name="wf_step_known_state"),
            # One decision per step: who and when are set exactly when the state is a decision.
            models.CheckConstraint(
                condition=Q(state__in=DECIDED_STEP_STATES, decided_by__isnull=False, decided_at__isnull=False)
                | (~Q(state__in=DECIDED_STEP_STATES) & Q(decided_by__isnull=True, decided_at__isnull=True)),
                name="wf_step_decision_recorded",
            ),
            models.CheckConstraint(
                condition=Q(seal_recorded=False) | Q(state__in=DECIDED_STEP_STATES, seal_required=True),
                name="wf_step_seal_only_when_decided",
            ),
            models.CheckConstraint(
                condition=Q(state=StepState.WAITING) | Q(state=StepState.SKIPPED) | Q(activated_at__isnull=False),
                name="wf_step_activated_before_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.acting_organization_id})"

    @property
    def level_label(self) -> str:
        try:
            return str(LEVEL_LABELS[ActingLevel(self.level)])
        except ValueError:
            return self.level

    @property
    def role_label(self) -> str:
        return role_label(self.role, self.acting_organization.kind)

    @property
    def is_decided(self) -> bool:
        return self.state in DECIDED_STEP_STATES

    def is_overdue_at(self, now: datetime | None = None) -> bool:
        """Pending past its deadline (a step without a deadline is never overdue)."""
        if self.state != StepState.PENDING or self.due_at is None:
            return False
        return self.due_at < (now or timezone.now())

    @property
    def is_overdue(self) -> bool:
        annotated: Any = getattr(self, "overdue", None)
        return bool(annotated) if annotated is not None else self.is_overdue_at()

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.process.organization.path}
