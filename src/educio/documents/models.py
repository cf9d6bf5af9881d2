"""Word templates a unit uploads for the official documents, and background export jobs.

A ``DocumentTemplate`` replaces a built-in default .docx (推荐表, 聘任通知)
for the uploading unit's whole subtree: the nearest active one up the tree
wins. An ``ExportJob`` is one large export built by the task worker; only the
account that asked for it ever sees it or its file.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from educio.orgs.models import Organization


class TemplateKind(models.TextChoices):
    NOMINATION_FORM = "nomination_form", _("推荐表")
    APPOINTMENT_NOTICE = "appointment_notice", _("聘任通知")


def template_file_path(instance: Any, filename: str) -> str:
    # The uploaded name is kept in ``original_name``; the stored name never comes from the user.
    return f"doc_templates/{date.today():%Y/%m}/{uuid4().hex}.docx"


def export_file_path(instance: Any, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"exports/{date.today():%Y/%m}/{uuid4().hex}.{suffix[:8]}"


class DocumentTemplate(models.Model):
    """A unit's own Word template for one kind of document, used by its whole subtree while active."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="document_templates", verbose_name=_("上传单位")
    )
    kind = models.CharField(_("文书类别"), max_length=32, choices=TemplateKind.choices)
    pack_id = models.CharField(
        _("适用制度包"), max_length=64, blank=True, help_text=_("留空表示适用于任何制度包的推荐表式样。")
    )
    file = models.FileField(_("模板文件"), upload_to=template_file_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["organization__path", "kind", "-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["kind", "is_active"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=TemplateKind.values), name="doc_template_known_kind"),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.organization.path}


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


FINISHED_JOB_STATUSES = (JobStatus.DONE, JobStatus.FAILED)


class ExportJob(models.Model):
    """One export built in the background; ``organization`` is the subtree exported (for the audit trail)."""

    kind = models.CharField(_("导出类别"), max_length=64)
    title = models.CharField(_("名称"), max_length=200)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="export_jobs", verbose_name=_("申请人")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="export_jobs", verbose_name=_("导出范围")
    )
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    done = models.PositiveIntegerField(_("已完成行数"), default=0)
    file = models.FileField(_("文件"), upload_to=export_file_path, blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    error = models.CharField(_("失败原因"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="doc_job_known_status"),
            models.CheckConstraint(
                condition=Q(status__in=FINISHED_JOB_STATUSES, finished_at__isnull=False)
                | (~Q(status__in=FINISHED_JOB_STATUSES) & Q(finished_at__isnull=True)),
                name="doc_job_finished_when_final",
            ),
            models.CheckConstraint(condition=~Q(status=JobStatus.DONE) | ~Q(file=""), name="doc_job_done_has_file"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_JOB_STATUSES

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, self.done * 100 // self.total)

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.organization.path}
