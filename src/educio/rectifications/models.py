"""限期整改 orders, their evidence, and the commendation / accountability records (表彰奖励 / 追责).

A ``RectificationOrder`` tells one unit to fix what an assessment (or an
inspection) found, by a deadline. The unit reports and uploads evidence; the
bureau re-checks through a ``workflow.ReviewProcess`` whose chain comes from the
pack (焦作 ``rectification_recheck``). A failed re-check or a missed deadline
has the consequence the pack names (焦作 第四条(二): the CIO appointment is
revoked), applied once and recorded on the order.

What caused an order or a record (an assessment result, an incident, another
order) is a generic ``source``, so this app does not depend on the modules
that produce them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from educio.appointments.models import Appointment
from educio.orgs.models import Organization
from educio.people.models import Person
from educio.workflow.models import ReviewProcess

EVIDENCE_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]


def evidence_path(instance: Any, filename: str) -> str:
    return f"rectifications/{date.today():%Y/%m}/{filename}"


class RecognitionKind(models.TextChoices):
    COMMENDATION = "commendation", _("表彰奖励")
    ACCOUNTABILITY = "accountability", _("追责问责")
    INCENTIVE = "incentive", _("激励支持")


class Recognition(models.Model):
    """A commendation, an incentive or an accountability record for a unit (and maybe one of its people)."""

    kind = models.CharField(_("类别"), max_length=16, choices=RecognitionKind.choices)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="recognitions", verbose_name=_("单位")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="recognitions", verbose_name=_("人员")
    )
    reason = models.TextField(_("事由"))
    date = models.DateField(_("日期"))
    doc_number = models.CharField(_("文号"), max_length=80, blank=True)
    issuer = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="issued_recognitions", verbose_name=_("决定单位")
    )
    article = models.CharField(_("依据条款"), max_length=200, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("来源类型")
    )
    object_id = models.PositiveBigIntegerField(_("来源编号"), null=True, blank=True)
    source = GenericForeignKey("content_type", "object_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("表彰与追责记录")
        verbose_name_plural = _("表彰与追责记录")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["organization", "kind"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RecognitionKind.values), name="rect_recognition_known_kind"),
            models.CheckConstraint(
                condition=Q(content_type__isnull=True, object_id__isnull=True)
                | Q(content_type__isnull=False, object_id__isnull=False),
                name="rect_recognition_source_complete",
            ),
        ]

    def __str__(self) -> str:
        who = f"{self.organization.name}{' ' + self.person.name if self.person_id and self.person else ''}"
        return f"{self.get_kind_display()}:{who}"

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.organization.path}


class OrderStatus(models.TextChoices):
    """Where an order stands; ``open`` is "the unit holds the ball" (never reported, or returned for revision)."""

    OPEN = "open", _("待整改")
    SUBMITTED = "submitted", _("复查中")
    PASSED = "passed", _("复查合格,已销号")
    FAILED = "failed", _("复查不合格")
    OVERDUE = "overdue_revoked", _("逾期未整改")
    CLOSED = "closed", _("已撤销")


LIVE_STATUSES = (OrderStatus.OPEN, OrderStatus.SUBMITTED)
FINAL_STATUSES = (OrderStatus.PASSED, OrderStatus.FAILED, OrderStatus.OVERDUE, OrderStatus.CLOSED)
# The outcomes that carry the pack's consequence (取消任命 / 追责).
SANCTIONED_STATUSES = (OrderStatus.FAILED, OrderStatus.OVERDUE)


class Consequence(models.TextChoices):
    """What a failed re-check or a missed deadline leads to (the pack's ``on_recheck_fail``)."""

    NONE = "", _("无(仅通报)")
    REVOKE_APPOINTMENT = "revoke_appointment", _("取消首席信息官任命")
    ACCOUNTABILITY = "accountability", _("追究责任")


class RectificationOrder(models.Model):
    """整改通知: what the unit must fix, by when, under which article, and how it ended."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="rectification_orders", verbose_name=_("整改单位")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_orders",
        verbose_name=_("责任人"),
    )
    issuer = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="issued_rectification_orders", verbose_name=_("下达单位")
    )
    number_year = models.PositiveSmallIntegerField(_("年度"))
    number_seq = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("整改通知单号"), max_length=40)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("来源类型")
    )
    object_id = models.PositiveBigIntegerField(_("来源编号"), null=True, blank=True)
    source = GenericForeignKey("content_type", "object_id")
    cycle_id = models.CharField(_("考核编号"), max_length=64, blank=True)
    cycle_name = models.CharField(_("考核名称"), max_length=120, blank=True)
    pack_version_id = models.PositiveBigIntegerField(_("制度方案版本"), null=True, blank=True)
    pack_ref = models.CharField(_("制度方案"), max_length=120, blank=True)
    findings = models.TextField(_("存在问题"))
    article = models.CharField(_("依据条款"), max_length=200, blank=True)
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    consequence = models.CharField(
        _("整改不合格的后果"), max_length=32, choices=Consequence.choices, blank=True, default=Consequence.NONE
    )
    # The pack's review chain for the re-check; blank: the issuing bureau re-checks (one step).
    recheck_chain_id = models.CharField(_("复查流程"), max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.OPEN)
    report = models.TextField(_("整改报告"), blank=True)
    report_submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    report_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recheck_process = models.OneToOneField(
        ReviewProcess,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_order",
        verbose_name=_("整改复查"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("下达人")
    )
    created_at = models.DateTimeField(_("下达时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    close_note = models.CharField(_("办结说明"), max_length=500, blank=True)
    consequence_applied_at = models.DateTimeField(_("后果执行时间"), null=True, blank=True)
    consequence_note = models.CharField(_("后果执行情况"), max_length=500, blank=True)
    revoked_appointment = models.ForeignKey(
        Appointment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revoking_rectification_orders",
        verbose_name=_("被取消的任命"),
    )
    accountability = models.ForeignKey(
        Recognition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_orders",
        verbose_name=_("追责记录"),
    )

    class Meta:
        verbose_name = _("限期整改通知")
        verbose_name_plural = _("限期整改通知")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["content_type", "object_id"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number_year", "number_seq"], name="rect_order_unique_number"),
            # One order per source (an assessment result fails once); a cancelled one may be issued again.
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(content_type__isnull=False) & ~Q(status=OrderStatus.CLOSED),
                name="rect_order_one_per_source",
            ),
            models.CheckConstraint(condition=Q(status__in=OrderStatus.values), name="rect_order_known_status"),
            models.CheckConstraint(
                condition=Q(consequence__in=Consequence.values), name="rect_order_known_consequence"
            ),
            models.CheckConstraint(
                condition=Q(content_type__isnull=True, object_id__isnull=True)
                | Q(content_type__isnull=False, object_id__isnull=False),
                name="rect_order_source_complete",
            ),
            # Closed exactly when the status is final.
            models.CheckConstraint(
                condition=Q(status__in=FINAL_STATUSES, closed_at__isnull=False)
                | (~Q(status__in=FINAL_STATUSES) & Q(closed_at__isnull=True)),
                name="rect_order_closed_when_final",
            ),
            # A consequence is carried out only for a failed re-check or a missed deadline.
            models.CheckConstraint(
                condition=Q(consequence_applied_at__isnull=True) | Q(status__in=SANCTIONED_STATUSES),
                name="rect_order_consequence_only_when_sanctioned",
            ),
            models.CheckConstraint(
                condition=Q(report_submitted_at__isnull=True, report_submitted_by__isnull=True)
                | Q(report_submitted_at__isnull=False, report_submitted_by__isnull=False),
                name="rect_order_submission_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("rectifications:order_detail", kwargs={"pk": self.pk})

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    def days_left(self, today: date | None = None) -> int | None:
        """Days until the deadline (negative once passed), or None without a deadline."""
        if self.deadline is None:
            return None
        return (self.deadline - (today or timezone.localdate())).days

    @property
    def is_overdue(self) -> bool:
        """Past its deadline with the unit still to act (or already sanctioned for it)."""
        if self.status == OrderStatus.OVERDUE:
            return True
        left = self.days_left()
        return self.status == OrderStatus.OPEN and left is not None and left < 0

    @property
    def consequence_pending(self) -> bool:
        return self.status in SANCTIONED_STATUSES and self.consequence_applied_at is None

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.organization.path}


class RectificationEvidence(models.Model):
    """A file the unit uploads with its rectification report (photos, minutes, new rules ...)."""

    order = models.ForeignKey(RectificationOrder, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(
        _("文件"), upload_to=evidence_path, validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)]
    )
    original_name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改佐证材料")
        verbose_name_plural = _("整改佐证材料")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.order.organization.path}
