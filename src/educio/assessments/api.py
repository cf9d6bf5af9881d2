"""Assessment endpoints of the REST API (/api/v1/assessments), scoped like the pages.

Cycles and subjects need the right to view assessments; an expert, who holds
only the right to score, reads the subjects assigned to it under ``/reviews``
and nothing else. A total and a grade are shown once the result is published,
or to bureau staff and reviewers before that.

No ``from __future__ import annotations`` here: ninja resolves ``Query[...]``
parameters from real annotations, and string ones leave its params model undefined.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from educio.accounts.roles import Perm
from educio.api.permissions import requires
from educio.assessments import selectors
from educio.assessments.filters import in_subtree
from educio.assessments.models import AssessmentCycle, AssessmentSubject, SubjectStatus

router = Router(tags=["考核评价"])


# --- cycles --------------------------------------------------------------------------------------


class CycleOut(Schema):
    id: int
    name: str
    cycle_id: str = Field(description="制度方案中的考核标识")
    kind: str = Field(alias="kind_label")
    organization_id: int
    organization_name: str = Field(alias="organization.name")
    pack: str = Field(alias="pack_ref")
    year: int
    period: str = Field(alias="period_label")
    subject_kind: str
    status: str
    self_deadline: date
    review_deadline: date
    appeal_deadline: date | None


class CountOut(Schema):
    status: str
    label: str
    count: int


class GradeCountOut(Schema):
    grade: str
    count: int


class CycleDetailOut(CycleOut):
    article: str
    pass_threshold: Decimal | None
    grades: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    opened_at: datetime | None
    published_at: datetime | None
    progress: list[CountOut] = Field(description="调用者范围内各状态的考核对象数")
    grade_counts: list[GradeCountOut]


class CycleFilter(FilterSchema):
    year: int | None = None
    status: str | None = Field(None, description="draft/open/reviewing/published/closed")


@router.get("/cycles", response=list[CycleOut], summary="考核列表(按权限范围)")
@paginate(PageNumberPagination, page_size=50)
@requires(Perm.ASSESSMENT_VIEW)
def assessment_cycle_list(request: HttpRequest, filters: Query[CycleFilter]) -> Any:
    queryset = selectors.cycle_list(user=request.user)
    if filters.year:
        queryset = queryset.filter(year=filters.year)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return queryset.order_by("-year", "-pk")


@router.get("/cycles/{cycle_id}", response=CycleDetailOut, summary="考核详情与进度")
@requires(Perm.ASSESSMENT_VIEW)
def assessment_cycle_detail(request: HttpRequest, cycle_id: int) -> Any:
    cycle: AssessmentCycle = selectors.cycle_get(user=request.user, pk=cycle_id)
    branches = selectors.progress_by_branch(user=request.user, cycle=cycle)
    cycle.progress = [  # type: ignore[attr-defined]
        {"status": s.value, "label": str(s.label), "count": sum(b.count(s) for b in branches)} for s in SubjectStatus
    ]
    cycle.grade_counts = [  # type: ignore[attr-defined]
        {"grade": name, "count": n} for name, n in selectors.grade_counts(user=request.user, cycle=cycle)
    ]
    return cycle


# --- subjects (results) --------------------------------------------------------------------------


class SubjectOut(Schema):
    id: int
    cycle_id: int
    cycle_name: str = Field(alias="cycle.name")
    year: int = Field(alias="cycle.year")
    organization_id: int
    organization_name: str = Field(alias="organization.name")
    person_name: str | None
    status: str
    self_submitted_at: datetime | None
    published_at: datetime | None
    total: Decimal | None = Field(None, description="总分(满分100);结果发布前仅教育局与评审人可见")
    grade: str | None = None
    passed: bool | None = None

    @staticmethod
    def resolve_person_name(obj: AssessmentSubject) -> str | None:
        return obj.person.name if obj.person_id and obj.person else None

    @staticmethod
    def resolve_total(obj: AssessmentSubject, context: Any) -> Decimal | None:
        return obj.total if selectors.result_visible(context["request"].user, obj) else None

    @staticmethod
    def resolve_grade(obj: AssessmentSubject, context: Any) -> str | None:
        return (obj.grade or None) if selectors.result_visible(context["request"].user, obj) else None

    @staticmethod
    def resolve_passed(obj: AssessmentSubject, context: Any) -> bool | None:
        return obj.passed if selectors.result_visible(context["request"].user, obj) else None


class LeafOut(Schema):
    id: str
    name: str
    group: str
    max_score: Decimal
    self_assessed: bool
    self_score: Decimal | None
    evidence_files: int
    score: Decimal | None = Field(description="各评审人评分的平均分;未评分或不可见时为空")


class SubjectDetailOut(SubjectOut):
    extended_until: date | None
    indicators: list[LeafOut]


class SubjectFilter(FilterSchema):
    cycle: int | None = None
    org: int | None = Field(None, description="只列出该单位及其下级单位的考核对象")
    status: str | None = Field(None, description="not_started/self_assessed/reviewed/published/appealed/vacant")
    year: int | None = None


def _filtered(queryset: QuerySet[AssessmentSubject], filters: SubjectFilter) -> QuerySet[AssessmentSubject]:
    if filters.cycle:
        queryset = queryset.filter(cycle_id=filters.cycle)
    if filters.org:
        queryset = in_subtree(queryset, filters.org)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.year:
        queryset = queryset.filter(cycle__year=filters.year)
    return queryset.order_by("cycle_id", "organization__path", "pk")


def _detail(subject: AssessmentSubject, user: Any, reviewer: Any = None) -> AssessmentSubject:
    visible = selectors.result_visible(user, subject) or reviewer is not None
    subject.indicators = [  # type: ignore[attr-defined]
        {
            "id": sheet.leaf.id,
            "name": sheet.leaf.name,
            "group": group.name,
            "max_score": sheet.leaf.weight,
            "self_assessed": bool(sheet.item and sheet.item.text),
            "self_score": sheet.item.self_score if sheet.item else None,
            "evidence_files": len(sheet.files),
            "score": sheet.mean if visible else None,
        }
        for group in selectors.subject_sheet(subject, reviewer=reviewer)
        for sheet in group.leaves
    ]
    return subject


@router.get("/subjects", response=list[SubjectOut], summary="考核对象与结果列表(按权限范围)")
@paginate(PageNumberPagination, page_size=50)
@requires(Perm.ASSESSMENT_VIEW)
def assessment_subject_list(request: HttpRequest, filters: Query[SubjectFilter]) -> Any:
    return _filtered(selectors.subject_list(user=request.user), filters)


@router.get("/subjects/{subject_id}", response=SubjectDetailOut, summary="考核对象详情")
@requires(Perm.ASSESSMENT_VIEW)
def assessment_subject_detail(request: HttpRequest, subject_id: int) -> Any:
    return _detail(selectors.subject_get(user=request.user, pk=subject_id), request.user)


# --- the reviewer's own tasks ----------------------------------------------------------------------


class ReviewOut(Schema):
    subject: SubjectOut
    assigned_at: datetime
    submitted_at: datetime | None
    review_deadline: date = Field(alias="cycle.review_deadline")


@router.get("/reviews", response=list[ReviewOut], summary="我的评审任务")
@paginate(PageNumberPagination, page_size=50)
@requires(Perm.ASSESSMENT_SCORE)
def assessment_review_list(request: HttpRequest) -> Any:
    return selectors.assignment_list(user=request.user).order_by("cycle__review_deadline", "pk")


@router.get("/reviews/{subject_id}", response=SubjectDetailOut, summary="评审任务详情(我的评分)")
@requires(Perm.ASSESSMENT_SCORE)
def assessment_review_detail(request: HttpRequest, subject_id: int) -> Any:
    subject = selectors.review_subject_get(user=request.user, pk=subject_id)
    assigned = selectors.my_assignment(request.user, subject) is not None
    return _detail(subject, request.user, reviewer=request.user if assigned else None)
