"""Export-job endpoints of the REST API (mounted at /api/v1/documents): the caller's own jobs, to poll their progress.

No ``from __future__ import annotations`` here: ninja resolves parameters from real annotations.
Files are downloaded from the page (``documents:job_download``), which records the export.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from educio.api.permissions import requires
from educio.documents import selectors
from educio.documents.selectors import JOB_PERMISSION

router = Router(tags=["导出"])


class ExportJobOut(Schema):
    id: int
    kind: str
    title: str
    organization_id: int
    organization_name: str = Field(alias="organization.name")
    status: str
    done: int
    total: int
    percent: int
    filename: str
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    download_url: str | None

    @staticmethod
    def resolve_download_url(obj: Any) -> str | None:
        return reverse("documents:job_download", kwargs={"pk": obj.pk}) if obj.status == "done" else None


@router.get("/exports", response=list[ExportJobOut], summary="我的导出任务")
@paginate(PageNumberPagination, page_size=50)
@requires(JOB_PERMISSION)
def export_job_list(request: HttpRequest) -> Any:
    return selectors.job_list(user=request.user).order_by("-created_at", "-pk")


@router.get("/exports/{job_id}", response=ExportJobOut, summary="导出任务进度")
@requires(JOB_PERMISSION)
def export_job_detail(request: HttpRequest, job_id: int) -> Any:
    return selectors.job_get(user=request.user, pk=job_id)
