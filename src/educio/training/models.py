"""Training events (培训) organised by a bureau or a school, who attended them, and the certificates they gave.

A ``TrainingEvent`` belongs to the unit that organises it; what a higher unit
organises is visible below it (its staff are enrolled from there). An
``Enrollment`` is one person at one event: attendance, hours and result are
recorded by the organiser, and a passed enrolment of an event that issues
certificates gets a ``people.Certificate`` — the record the eligibility rules
of the nomination form read. Nothing is deleted once attended: a cancelled
event stays, flagged, and never counts towards a requirement.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from educio.orgs.models import Organization
from educio.people.models import Certificate, CertificateLevel, Person

# The pack's ``TrainingLevel``: who organised the training, the same scale a certificate carries.
TrainingLevel = CertificateLevel


class TrainingKind(models.TextChoices):
    """What the training is about; the first two ids are also the certificate kinds 焦作 第二条(二) asks for."""

    CIO = "cio_training", _("CIO培训")
    INFORMATIZATION = "informatization_training", _("信息化业务培训")
    SECURITY = "security_training", _("网络安全培训")
    LEADERSHIP = "leadership_training", _("信息化领导力培训")
    TEACHER_IT = "teacher_it_training", _("教师信息技术应用能力培训")
    OTHER = "other", _("其他")


class TrainingMode(models.TextChoices):
    OFFLINE = "offline", _("线下")
    ONLINE = "online", _("线上")


class TrainingEvent(models.Model):
    """One training: who organises it, at what level, when, how long, and whether it gives a certificate."""

    organiser = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="training_events", verbose_name=_("组织单位")
    )
    title = models.CharField(_("培训名称"), max_length=120)
    level = models.CharField(_("培训级别"), max_length=16, choices=TrainingLevel.choices)
    kind = models.CharField(_("培训类别"), max_length=32, choices=TrainingKind.choices)
    centralised = models.BooleanField(
        _("集中培训"), default=True, help_text=_("集中面授或集中线上培训;校本研修、个人线上自学不勾选")
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    mode = models.CharField(_("培训方式"), max_length=16, choices=TrainingMode.choices, default=TrainingMode.OFFLINE)
    place = models.CharField(_("培训地点"), max_length=200, blank=True)
    description = models.TextField(_("培训内容"), blank=True)
    issues_certificate = models.BooleanField(_("颁发合格证"), default=False)
    certificate_kind = models.CharField(_("证书类别"), max_length=64, blank=True)
    is_cancelled = models.BooleanField(_("已取消"), default=False)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["organiser", "starts_on"]),
            models.Index(fields=["ends_on", "is_cancelled"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="training_event_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_event_hours_positive"),
            models.CheckConstraint(
                condition=Q(issues_certificate=False, certificate_kind="")
                | (Q(issues_certificate=True) & ~Q(certificate_kind="")),
                name="training_event_certificate_kind_iff_issued",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:event_detail", kwargs={"pk": self.pk})

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.organiser.path}


class Attendance(models.TextChoices):
    ENROLLED = "enrolled", _("已报名")
    ATTENDED = "attended", _("已参训")
    ABSENT = "absent", _("缺勤")


class TrainingResult(models.TextChoices):
    NONE = "", _("未评定")
    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格")


class Enrollment(models.Model):
    """One person at one training: attendance, hours, result, and the certificate it gave."""

    event = models.ForeignKey(
        TrainingEvent, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("培训")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="training_enrollments", verbose_name=_("人员")
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("报名人")
    )
    enrolled_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    attendance = models.CharField(_("出勤"), max_length=16, choices=Attendance.choices, default=Attendance.ENROLLED)
    hours_attended = models.DecimalField(_("获得学时"), max_digits=5, decimal_places=1, null=True, blank=True)
    result = models.CharField(_("考核结果"), max_length=16, choices=TrainingResult.choices, blank=True)
    certificate = models.OneToOneField(
        Certificate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrollment",
        verbose_name=_("合格证"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("培训报名")
        verbose_name_plural = _("培训报名")
        ordering = ["event", "person__organization__path", "person__name", "pk"]
        indexes = [models.Index(fields=["person", "attendance"])]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="training_enrollment_once_per_event"),
            models.CheckConstraint(
                condition=Q(attendance=Attendance.ATTENDED) | Q(result=""), name="training_result_only_if_attended"
            ),
            models.CheckConstraint(
                condition=Q(certificate__isnull=True) | Q(result=TrainingResult.PASSED),
                name="training_certificate_only_if_passed",
            ),
            models.CheckConstraint(
                condition=Q(hours_attended__isnull=True) | Q(hours_attended__gte=0),
                name="training_hours_attended_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.person}"

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.person.organization.path}
