"""Rows for the list query-count test (``dashboard/tests/test_list_query_counts.py``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from educio.documents.models import DocumentTemplate, ExportJob, JobStatus, TemplateKind


def add_document_templates(tree: Any, reader: Any, n: int, tag: str) -> str:
    """Templates uploaded by the county, each by another uploader (the page names who uploaded it)."""
    from educio.accounts.models import User

    uploaders = User.objects.bulk_create(User(username=f"{tag}_tpl_{i:02d}") for i in range(n))
    DocumentTemplate.objects.bulk_create(
        DocumentTemplate(
            organization=tree.county,
            kind=TemplateKind.NOMINATION_FORM,
            file=f"doc_templates/{tag}{i}.docx",
            original_name=f"{tag}模板{i:02d}.docx",
            uploaded_by=uploader,
        )
        for i, uploader in enumerate(uploaders)
    )
    return f"{tag}模板00.docx|{tag}模板{n - 1:02d}.docx"


def add_own_export_jobs(tree: Any, reader: Any, n: int, tag: str) -> str:
    """The reader's own finished exports of the county."""
    ExportJob.objects.bulk_create(
        ExportJob(
            kind="nomination_summary",
            title=f"{tag}导出{i:02d}",
            requested_by=reader,
            organization=tree.county,
            status=JobStatus.DONE,
            total=10,
            done=10,
            file=f"exports/{tag}{i}.xlsx",
            filename=f"{tag}{i}.xlsx",
            finished_at=timezone.now(),
        )
        for i in range(n)
    )
    return f"{tag}导出00|{tag}导出{n - 1:02d}"
