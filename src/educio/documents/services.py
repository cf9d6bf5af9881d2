"""Writes of the documents app: uploaded Word templates, and the life of a background export job.

Job states::

    queued --worker picks it up--> running --builder returns--> done
                                      \\--builder raises--> failed

The web process only creates the queued job; the task worker
(``documents.tasks.run_export_job``) moves it on. Each transition is a
conditional UPDATE on the expected state, so a job is never run twice even
if the task is delivered twice.
"""

from __future__ import annotations

import logging
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.scope import covers
from educio.audit.services import audited
from educio.documents.docx import MAX_TEMPLATE_BYTES, check_template
from educio.documents.jobs import job_kind
from educio.documents.models import DocumentTemplate, ExportJob, JobStatus, TemplateKind
from educio.orgs.models import Organization
from educio.policies.permissions import POLICY_MANAGE

logger = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 500


# --- templates ---------------------------------------------------------------------------------


def template_upload(
    *, actor: Any, organization: Organization, kind: str, pack_id: str = "", upload: Any
) -> DocumentTemplate:
    """Store a unit's own Word template for ``kind`` after proving that it renders.

    The file must be a real .docx of at most 5 MB, and its docxtpl tags must
    render with the kind's sample context; otherwise a ``ValidationError``
    explains why (quoting docxtpl) and nothing is stored.
    """
    if not covers(actor, POLICY_MANAGE, organization):
        raise PermissionDenied(_("您无权为该单位上传文书模板。"))
    if kind not in TemplateKind.values:
        raise ValidationError({"kind": _("请选择文书类别。")})
    name = PurePath(getattr(upload, "name", "") or "").name
    if not name.lower().endswith(".docx"):
        raise ValidationError({"file": _("请上传 Word 文档(.docx)。旧版 .doc 请先另存为 .docx。")})
    if upload.size is None or upload.size > MAX_TEMPLATE_BYTES:
        raise ValidationError({"file": _("模板文件过大,不能超过 5 MB。")})
    data = upload.read()
    try:
        check_template(data, kind)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    with audited(actor):
        template = DocumentTemplate(
            organization=organization,
            kind=kind,
            pack_id=(pack_id or "").strip()[:64],
            original_name=name[:200],
            uploaded_by=actor,
        )
        template.file.save(name, ContentFile(data), save=False)
        template.save()
    return template


def template_deactivate(*, actor: Any, template: DocumentTemplate) -> DocumentTemplate:
    """Stop using an uploaded template; its subtree falls back to the next one up the tree (or the default)."""
    if not covers(actor, POLICY_MANAGE, template.organization):
        raise PermissionDenied(_("您无权停用该单位的文书模板。"))
    with audited(actor):
        locked = DocumentTemplate.objects.select_for_update().select_related("organization").get(pk=template.pk)
        if not locked.is_active:
            raise ValidationError(_("该模板已停用。"))
        locked.is_active = False
        locked.save(update_fields=["is_active"])
    return locked


# --- export jobs -------------------------------------------------------------------------------


def export_job_start(
    *, actor: Any, kind: str, params: dict[str, Any], organization: Organization, title: str = ""
) -> ExportJob:
    """Queue an export of ``organization``'s subtree; the task worker builds it once the transaction commits."""
    from educio.documents.tasks import run_export_job  # the task module imports this one

    registered = job_kind(kind)
    if registered is None:
        raise ValidationError(_("未知的导出类别“%(kind)s”。") % {"kind": kind})
    with audited(actor):
        job = ExportJob.objects.create(
            kind=kind,
            title=(title or f"{registered.label} · {organization.name}")[:200],
            params=params,
            requested_by=actor,
            organization=organization,
        )
        transaction.on_commit(lambda: run_export_job.enqueue(job.pk))
    return job


def export_job_claim(job_id: int) -> ExportJob | None:
    """Move a queued job to running; None when it is not queued any more (already run, or being run)."""
    owner = ExportJob.objects.select_related("requested_by").get(pk=job_id).requested_by
    with audited(owner):
        job = ExportJob.objects.select_for_update().select_related("organization", "requested_by").get(pk=job_id)
        if job.status != JobStatus.QUEUED:
            return None
        job.status = JobStatus.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])
    return job


def export_job_progress(job_id: int, done: int, total: int) -> None:
    """Record how far a running job is.

    One small UPDATE, outside the audit trail on purpose: a 20,000-row export
    reports forty times, and a counter moving is not a change anyone audits.
    """
    ExportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(done=done, total=total)


def export_job_finish(*, job: ExportJob, filename: str, content: bytes) -> ExportJob:
    """Store the built file and mark the job done."""
    with audited(job.requested_by):
        locked = ExportJob.objects.select_for_update().select_related("organization").get(pk=job.pk)
        locked.file.save(filename, ContentFile(content), save=False)
        locked.filename = filename[:200]
        locked.status = JobStatus.DONE
        locked.done = locked.total
        locked.finished_at = timezone.now()
        locked.save(update_fields=["file", "filename", "status", "done", "finished_at"])
    return locked


def export_job_fail(*, job: ExportJob, exc: BaseException) -> ExportJob:
    """Record why the job failed, in words the requester can act on."""
    if isinstance(exc, ValidationError | PermissionDenied):
        reason = " ".join(getattr(exc, "messages", None) or [str(exc)])
    else:
        logger.exception("export job %s (%s) failed", job.pk, job.kind, exc_info=exc)
        reason = _("生成文件时出现系统错误,请稍后重试;如仍失败,请联系平台管理员(任务编号 %(id)d)。") % {"id": job.pk}
    with audited(job.requested_by):
        locked = ExportJob.objects.select_for_update().select_related("organization").get(pk=job.pk)
        locked.status = JobStatus.FAILED
        locked.error = (_("导出失败:") + reason)[:ERROR_MAX_LENGTH]
        locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "error", "finished_at"])
    return locked
