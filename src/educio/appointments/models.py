"""Nominations (推荐表) and appointments (聘任) of the posts a policy pack defines.

A ``Nomination`` is one filled
推荐表 for one post of one unit: the pack's form variant is copied into it
when it starts, so a later pack version never changes a form already filled;
its review is a ``workflow.ReviewProcess`` whose subject is the nomination.
An ``Appointment`` is issued by the bureau on final approval and keeps its
term, document number and how it ended; nothing is ever deleted, so the
history of every post of every unit stays.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from educio.orgs.models import Organization
from educio.people.models import Person
from educio.workflow.models import ReviewProcess

PHOTO_EXTENSIONS = ["jpg", "jpeg", "png"]
SCAN_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]


def nomination_file_path(instance: Any, filename: str) -> str:
    return f"nominations/{date.today():%Y/%m}/{filename}"


class NominationWindow(models.Model):
    """推荐批次: a bureau's call for nominations with its deadline (overrides the pack's printed deadline)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="nomination_windows", verbose_name=_("组织单位")
    )
    post = models.CharField(_("岗位"), max_length=64)
    title = models.CharField(_("批次名称"), max_length=120)
    opens_on = models.DateField(_("开始日期"))
    deadline = models.DateField(_("报送截止日期"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推荐批次")
        verbose_name_plural = _("推荐批次")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("opens_on")), name="appt_window_deadline_after_open"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.organization.path}


class NominationStatus(models.TextChoices):
    """A nomination's status: its review process's state, or appointed (see ``selectors.with_status``)."""

    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("审核通过,待发文聘任")
    REJECTED = "rejected", _("审核未通过")
    WITHDRAWN = "withdrawn", _("已撤回")
    APPOINTED = "appointed", _("已聘任")


class NominationKind(models.TextChoices):
    NEW = "new", _("首次推荐")
    RENEWAL = "renewal", _("续聘(连任)")
    CHANGE = "change", _("任期内变更")


class Nomination(models.Model):
    """One filled 推荐表 for one post of one unit; its review runs through ``process``."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("推荐单位")
    )
    post = models.CharField(_("岗位"), max_length=64)
    post_name = models.CharField(_("岗位名称"), max_length=120)
    kind = models.CharField(_("推荐类型"), max_length=16, choices=NominationKind.choices, default=NominationKind.NEW)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("被推荐人"))
    replaces = models.ForeignKey(
        "Appointment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successor_nominations",
        verbose_name=_("接替/续聘的任命"),
    )
    change_reason = models.CharField(_("变更原因"), max_length=500, blank=True)
    process = models.OneToOneField(
        ReviewProcess,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nomination",
        verbose_name=_("审核"),
    )
    pack_version_id = models.PositiveBigIntegerField(_("制度方案版本"))
    pack_ref = models.CharField(_("制度方案"), max_length=120)
    form_snapshot = models.JSONField(_("推荐表式样(发起时)"))
    data = models.JSONField(_("填报内容"), default=dict, blank=True)
    honours = models.JSONField(_("荣誉与奖励"), default=list, blank=True)
    photo = models.FileField(
        _("电子照片"), upload_to=nomination_file_path, blank=True, validators=[FileExtensionValidator(PHOTO_EXTENSIONS)]
    )
    eligibility = models.JSONField(_("任职条件核验(报送时)"), default=dict, blank=True)
    justification = models.TextField(_("情况说明"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人账号"),
    )
    confirmer_name = models.CharField(_("填写人签字"), max_length=40, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    deadline = models.DateField(_("报送截止日期"), null=True, blank=True)
    reopened_until = models.DateField(_("延期报送至"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("填报人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最近保存"), auto_now=True)

    class Meta:
        verbose_name = _("首席信息官推荐")
        verbose_name_plural = _("首席信息官推荐")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "post"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True, confirmed_by__isnull=True)
                | Q(confirmed_at__isnull=False, confirmed_by__isnull=False),
                name="appt_nomination_confirmation_recorded",
            ),
            models.CheckConstraint(
                condition=Q(kind=NominationKind.NEW) | Q(replaces__isnull=False),
                name="appt_nomination_renewal_names_appointment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name} {self.post_name} {self.person.name}"

    def get_absolute_url(self) -> str:
        return reverse("appointments:nomination_detail", kwargs={"pk": self.pk})

    @property
    def status_label(self) -> str:
        status = getattr(self, "status", None)
        return str(NominationStatus(status).label) if status in NominationStatus.values else ""

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.organization.path}


class NominationAttachment(models.Model):
    """A file for one attachment slot of the form (``nomination_form.attachments[].id``)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="attachments")
    slot = models.CharField(_("材料"), max_length=64)
    file = models.FileField(
        _("文件"), upload_to=nomination_file_path, validators=[FileExtensionValidator(SCAN_EXTENSIONS)]
    )
    original_name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推荐材料")
        verbose_name_plural = _("推荐材料")
        ordering = ["nomination", "slot", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.nomination.organization.path}


class AppointmentStatus(models.TextChoices):
    ACTIVE = "active", _("在任")
    ENDED = "ended", _("已离任")
    REVOKED = "revoked", _("已取消任命")


class EndReason(models.TextChoices):
    EXPIRED = "expired", _("任期届满")
    RENEWED = "renewed", _("续聘")
    REPLACED = "replaced", _("任期内变更")
    REVOKED = "revoked", _("取消任命")


class Appointment(models.Model):
    """聘任: who holds the post at the unit, from when to when, by which document, and how it ended."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("任职单位")
    )
    post = models.CharField(_("岗位"), max_length=64)
    post_name = models.CharField(_("岗位名称"), max_length=120)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("任职人员")
    )
    nomination = models.OneToOneField(
        Nomination, on_delete=models.PROTECT, null=True, blank=True, related_name="appointment"
    )
    predecessor = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="successors", verbose_name=_("上一任命")
    )
    term_number = models.PositiveSmallIntegerField(_("连续任期"), default=1)
    doc_number = models.CharField(_("聘任文号"), max_length=80)
    doc_date = models.DateField(_("发文日期"))
    starts_on = models.DateField(_("任期开始"))
    ends_on = models.DateField(_("任期届满"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=AppointmentStatus.choices, default=AppointmentStatus.ACTIVE
    )
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)
    end_reason = models.CharField(_("离任原因"), max_length=16, choices=EndReason.choices, blank=True)
    end_note = models.CharField(_("说明"), max_length=500, blank=True)
    revocation_doc_number = models.CharField(_("取消任命文号"), max_length=80, blank=True)
    revocation_article = models.CharField(_("取消任命依据"), max_length=200, blank=True)
    pack_ref = models.CharField(_("制度方案"), max_length=120, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("办理人")
    )
    issued_at = models.DateTimeField(_("办理时间"), auto_now_add=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("任命")
        verbose_name_plural = _("任命")
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "post", "status"]),
            models.Index(fields=["status", "ends_on"]),
        ]
        constraints = [
            # The same person never holds the same post at the same unit twice at once.
            models.UniqueConstraint(
                fields=["organization", "post", "person"],
                condition=Q(status=AppointmentStatus.ACTIVE),
                name="appt_one_active_per_person_post",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="appt_term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status=AppointmentStatus.ACTIVE, ended_on__isnull=True, end_reason="")
                | (~Q(status=AppointmentStatus.ACTIVE) & Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="appt_end_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status=AppointmentStatus.REVOKED) | ~Q(revocation_doc_number=""),
                name="appt_revocation_has_document",
            ),
            models.CheckConstraint(condition=Q(term_number__gte=1), name="appt_term_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name} {self.post_name} {self.person.name}"

    def get_absolute_url(self) -> str:
        return reverse("appointments:appointment_detail", kwargs={"pk": self.pk})

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.organization.path}
