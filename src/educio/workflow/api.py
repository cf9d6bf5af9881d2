"""Review endpoints of the REST API (mounted at /api/v1/workflow), scoped exactly like the pages.

No ``from __future__ import annotations`` here: ninja resolves ``Query[...]``
parameters from real annotations, and string ones leave its params model undefined.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from educio.api.permissions import requires
from educio.workflow import selectors
from educio.workflow.permissions import REVIEW_PERM, VIEW_PERM

router = Router(tags=["审核"])


class StepOut(Schema):
    id: int
    round: int
    index: int
    step_id: str
    name: str
    level: str
    acting_organization_id: int
    acting_organization_name: str = Field(alias="acting_organization.name")
    role: str
    body: str
    article: str
    opinion_required: bool
    seal_required: bool
    state: str
    activated_at: datetime | None
    due_at: datetime | None
    overdue: bool
    decided_by_name: str | None
    decided_at: datetime | None
    opinion: str
    seal_recorded: bool

    @staticmethod
    def resolve_decided_by_name(obj: Any) -> str | None:
        return str(obj.decided_by) if obj.decided_by_id else None


class InboxItemOut(Schema):
    step_id: int = Field(alias="id")
    step_name: str = Field(alias="name")
    body: str
    acting_organization_id: int
    acting_organization_name: str = Field(alias="acting_organization.name")
    role: str
    activated_at: datetime | None
    due_at: datetime | None
    overdue: bool
    process_id: int
    process_title: str = Field(alias="process.title")
    process_kind: str = Field(alias="process.kind")
    process_round: int = Field(alias="process.round")
    organization_id: int = Field(alias="process.organization_id")
    organization_name: str = Field(alias="process.organization.name")


class ProcessSummaryOut(Schema):
    id: int
    kind: str
    title: str
    organization_id: int
    organization_name: str = Field(alias="organization.name")
    chain_id: str
    chain_name: str
    pack_version_id: int | None
    pack_ref: str
    state: str
    round: int
    current_index: int
    current_step_name: str | None
    current_step_org: str | None
    current_due_at: datetime | None
    created_at: datetime
    submitted_at: datetime | None
    last_submitted_at: datetime | None
    closed_at: datetime | None


class ProcessOut(ProcessSummaryOut):
    object_type: str | None
    object_id: int | None
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj: Any) -> list[Any]:
        return list(obj.steps.all())  # prefetched by the selector

    @staticmethod
    def resolve_object_type(obj: Any) -> str | None:
        return None if obj.content_type_id is None else f"{obj.content_type.app_label}.{obj.content_type.model}"


class ProcessFilter(FilterSchema):
    state: str | None = None
    kind: str | None = None
    mine: bool | None = None


@router.get("/inbox", response=list[InboxItemOut], summary="我的待办审核")
@paginate(PageNumberPagination, page_size=50)
@requires(REVIEW_PERM)
def inbox(request: HttpRequest) -> Any:
    return selectors.inbox(user=request.user).order_by("activated_at", "pk")


@router.get("/processes", response=list[ProcessSummaryOut], summary="审核事项列表(按权限范围)")
@paginate(PageNumberPagination, page_size=50)
@requires(VIEW_PERM)
def process_list(request: HttpRequest, filters: Query[ProcessFilter]) -> Any:
    queryset = (
        selectors.my_submission_list(user=request.user) if filters.mine else selectors.process_list(user=request.user)
    )
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    return queryset.order_by("-created_at", "-pk")


@router.get("/processes/{process_id}", response=ProcessOut, summary="审核事项详情(含各轮审核步骤)")
@requires(VIEW_PERM)
def process_detail(request: HttpRequest, process_id: int) -> Any:
    return selectors.process_get_with_steps(user=request.user, pk=process_id)
