"""Templates and export jobs for the project-wide permission-matrix test (registered in ``educio.testing.makers``).

Written with the ORM: the matrix's owner may hold a role that may not upload
templates or ask for exports through the services.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from educio.documents.docx import default_template
from educio.documents.models import DocumentTemplate, ExportJob, JobStatus, TemplateKind


def make_document_template(ctx: Any) -> Any:
    """A template uploaded by ctx.org: visible in its subtree and below, managed by its administrators."""
    from educio.testing.makers import Made

    template = DocumentTemplate(
        organization=ctx.org,
        kind=TemplateKind.NOMINATION_FORM,
        original_name=f"{ctx.label}模板.docx",
        uploaded_by=ctx.owner,
    )
    template.file.save("matrix.docx", ContentFile(default_template(TemplateKind.NOMINATION_FORM).read()), save=False)
    template.save()
    return Made(template.pk, template.original_name)


def make_export_job(ctx: Any) -> Any:
    """A finished export of ctx.org's subtree asked for by ctx.owner: nobody else may see it."""
    from educio.testing.makers import Made

    job = ExportJob(
        kind="nomination_summary",
        title=f"{ctx.label}导出",
        requested_by=ctx.owner,
        organization=ctx.org,
        status=JobStatus.DONE,
        total=1,
        done=1,
        filename="matrix.xlsx",
        finished_at=timezone.now(),
    )
    job.file.save("matrix.xlsx", ContentFile(b"matrix"), save=False)
    job.save()
    return Made(job.pk, job.title, owner_only=True)
