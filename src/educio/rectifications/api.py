"""Rectification orders and commendation / accountability records in the REST API (/api/v1/rectifications).

Scoped like the pages (``rectification.view``); evidence files and the report
text are not listed, only whether a report was sent.

No ``from __future__ import annotations`` here: ninja resolves ``Query[...]``
parameters from real annotations, and string ones leave its params model undefined.
"""

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from educio.accounts.roles import Perm
from educio.api.permissions import requires
from educio.rectifications import selectors
from educio.rectifications.models import RectificationOrder

router = Router(tags=["限期整改与表彰追责"])


def _within(queryset: QuerySet[Any], request: HttpRequest, org: int | None) -> QuerySet[Any]:
    """Rows of ``org``'s subtree; a unit outside the caller's scope is 404, as on the pages."""
    if org is None:
        return queryset
    root = selectors.unit_get(user=request.user, pk=org)
    return queryset.filter(organization__path__startswith=root.path)


class OrderOut(Schema):
    id: int
    number: str
    organization_id: int
    organization_name: str = Field(alias="organization.name")
    issuer_id: int
    issuer_name: str = Field(alias="issuer.name")
    person_name: str | None
    cycle_id: str
    cycle_name: str
    article: str
    deadline: date | None
    status: str
    status_label: str
    overdue: bool
    consequence: str
    created_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_person_name(obj: RectificationOrder) -> str | None:
        return obj.person.name if obj.person else None

    @staticmethod
    def resolve_status_label(obj: RectificationOrder) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_overdue(obj: RectificationOrder) -> bool:
        return obj.is_overdue


class OrderDetailOut(OrderOut):
    findings: str
    pack_ref: str
    report_submitted_at: datetime | None
    recheck_process_id: int | None
    close_note: str
    consequence_applied_at: datetime | None
    consequence_note: str
    revoked_appointment_id: int | None
    accountability_id: int | None


class OrderFilter(FilterSchema):
    org: int | None = Field(None, description="只列出该单位及其下级单位的整改通知")
    status: str | None = Field(None, description="open/submitted/passed/failed/overdue_revoked/closed")
    overdue: bool | None = Field(None, description="true:已逾期(超过期限未报送,或已按逾期处理)")


@router.get("/orders", response=list[OrderOut], summary="限期整改通知列表(按权限范围)")
@paginate(PageNumberPagination, page_size=50)
@requires(Perm.RECTIFICATION_VIEW)
def order_list(request: HttpRequest, filters: Query[OrderFilter]) -> Any:
    queryset = _within(selectors.order_list(user=request.user), request, filters.org)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.overdue is not None:
        overdue = selectors.overdue_q()
        queryset = queryset.filter(overdue) if filters.overdue else queryset.exclude(overdue)
    return queryset.order_by("-created_at", "-pk")


@router.get("/orders/{order_id}", response=OrderDetailOut, summary="限期整改通知详情")
@requires(Perm.RECTIFICATION_VIEW)
def order_detail(request: HttpRequest, order_id: int) -> RectificationOrder:
    return selectors.order_get(user=request.user, pk=order_id)


class RecognitionOut(Schema):
    id: int
    kind: str
    organization_id: int
    organization_name: str = Field(alias="organization.name")
    person_id: int | None
    person_name: str | None
    reason: str
    date: date
    doc_number: str
    article: str
    issuer_id: int
    issuer_name: str = Field(alias="issuer.name")
    source_type: str | None
    source_id: int | None = Field(alias="object_id")

    @staticmethod
    def resolve_person_name(obj: Any) -> str | None:
        return obj.person.name if obj.person else None

    @staticmethod
    def resolve_source_type(obj: Any) -> str | None:
        return f"{obj.content_type.app_label}.{obj.content_type.model}" if obj.content_type else None


class RecognitionFilter(FilterSchema):
    org: int | None = Field(None, description="只列出该单位及其下级单位的记录")
    kind: str | None = Field(None, description="commendation/accountability/incentive")
    year: int | None = Field(None, ge=2000, le=2100)


@router.get("/recognitions", response=list[RecognitionOut], summary="表彰与追责记录(按权限范围)")
@paginate(PageNumberPagination, page_size=50)
@requires(Perm.RECTIFICATION_VIEW)
def recognition_list(request: HttpRequest, filters: Query[RecognitionFilter]) -> Any:
    queryset = _within(selectors.recognition_list(user=request.user), request, filters.org)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.year:
        queryset = queryset.filter(date__year=filters.year)
    return queryset.order_by("-date", "-pk")
