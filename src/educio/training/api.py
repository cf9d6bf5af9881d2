"""Training endpoints of the REST API (/api/v1/training), scoped like the pages.

Persons appear by name and unit only: no phone, e-mail or other personal data.

No ``from __future__ import annotations`` here: ninja resolves ``Query[...]``
parameters from real annotations, and string ones leave its params model undefined.
"""

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from educio.accounts.roles import Perm
from educio.api.permissions import requires
from educio.appointments import coverage
from educio.orgs.models import Organization
from educio.people.models import Certificate
from educio.training import compliance, selectors
from educio.training.models import Enrollment, TrainingEvent

router = Router(tags=["培训"])
VIEW = Perm.TRAINING_VIEW


def _unit(request: HttpRequest, org: int | None) -> Organization | None:
    """The unit ``org`` names (404 outside the caller's scope), or None when none is asked for."""
    return coverage.coverage_unit_get(user=request.user, pk=org, perm=VIEW) if org is not None else None


# --- trainings -----------------------------------------------------------------------------------


class EventOut(Schema):
    id: int
    title: str
    organiser_id: int
    organiser_name: str = Field(alias="organiser.name")
    level: str
    kind: str
    centralised: bool
    starts_on: date
    ends_on: date
    hours: float
    mode: str
    place: str
    issues_certificate: bool
    certificate_kind: str
    is_cancelled: bool
    enrolled: int = Field(alias="enrolled_count")
    attended: int = Field(alias="attended_count")


class EventDetailOut(EventOut):
    description: str
    cancel_reason: str


class EventFilter(FilterSchema):
    org: int | None = Field(None, description="只列出该单位及其下级单位组织的培训")
    year: int | None = Field(None, ge=2000, le=2100, description="开始日期所在年度")
    level: str | None = Field(None, description="national/provincial/city/county/school")
    kind: str | None = None
    centralised: bool | None = None


@router.get(
    "/events", response=list[EventOut], summary="培训列表(本单位及上级单位组织的培训)", url_name="training_event_list"
)
@paginate(PageNumberPagination, page_size=50)
@requires(VIEW)
def event_list(request: HttpRequest, filters: Query[EventFilter]) -> Any:
    queryset = selectors.event_list(user=request.user)
    unit = _unit(request, filters.org)
    if unit is not None:
        queryset = queryset.filter(organiser__path__startswith=unit.path)
    if filters.year:
        queryset = queryset.filter(starts_on__year=filters.year)
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.centralised is not None:
        queryset = queryset.filter(centralised=filters.centralised)
    return queryset.order_by("-starts_on", "-pk")


@router.get("/events/{event_id}", response=EventDetailOut, summary="培训详情", url_name="training_event_detail")
@requires(VIEW)
def event_detail(request: HttpRequest, event_id: int) -> TrainingEvent:
    return selectors.event_get(user=request.user, pk=event_id)


class EnrollmentOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(alias="person.name")
    organization_id: int = Field(alias="person.organization_id")
    organization_name: str = Field(alias="person.organization.name")
    attendance: str
    hours_attended: float | None
    result: str
    certificate_number: str | None

    @staticmethod
    def resolve_certificate_number(obj: Enrollment) -> str | None:
        return obj.certificate.number if obj.certificate else None


@router.get(
    "/events/{event_id}/enrollments",
    response=list[EnrollmentOut],
    summary="培训的报名与考勤",
    url_name="training_enrollment_list",
)
@paginate(PageNumberPagination, page_size=100)
@requires(VIEW)
def enrollment_list(request: HttpRequest, event_id: int) -> QuerySet[Enrollment]:
    """All enrolments for the organiser's side; a unit below sees only its own people's."""
    event = selectors.event_get(user=request.user, pk=event_id)
    return selectors.enrollment_list(user=request.user, event=event).order_by(
        "person__organization__path", "person__name", "pk"
    )


# --- certificates --------------------------------------------------------------------------------


class CertificateOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(alias="person.name")
    organization_id: int = Field(alias="person.organization_id")
    organization_name: str = Field(alias="person.organization.name")
    kind: str
    level: str
    number: str
    issued_on: date
    issuer: str
    training_id: int | None

    @staticmethod
    def resolve_training_id(obj: Certificate) -> int | None:
        enrollment = getattr(obj, "enrollment", None)
        return enrollment.event_id if enrollment is not None else None


class CertificateFilter(FilterSchema):
    org: int | None = Field(None, description="只列出该单位及其下级单位人员的证书")
    kind: str | None = Field(None, description="证书类别,如 cio_training")
    level: str | None = None
    year: int | None = Field(None, ge=2000, le=2100, description="发证年度")


@router.get(
    "/certificates",
    response=list[CertificateOut],
    summary="培训合格证(本单位及下级单位人员)",
    url_name="training_certificate_list",
)
@paginate(PageNumberPagination, page_size=100)
@requires(VIEW)
def certificate_list(request: HttpRequest, filters: Query[CertificateFilter]) -> Any:
    queryset = selectors.certificate_list(user=request.user)
    unit = _unit(request, filters.org)
    if unit is not None:
        queryset = queryset.filter(person__organization__path__startswith=unit.path)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.year:
        queryset = queryset.filter(issued_on__year=filters.year)
    return queryset.order_by("person__organization__path", "person__name", "-issued_on", "pk")


# --- compliance ----------------------------------------------------------------------------------


class ComplianceQuery(Schema):
    org: int | None = Field(None, description="统计单位(默认:调用者的最上级单位)")
    year: int | None = Field(None, ge=2000, le=2100, description="年度(默认:今年)")
    requirement: str | None = Field(None, description="培训要求(制度版本编号.要求编号,默认第一项)")


class ComplianceRowOut(Schema):
    organization_id: int
    organization_name: str
    is_self: bool
    total: int
    compliant: int
    missing: int


class RequirementOut(Schema):
    key: str
    id: str
    name: str
    pack: str
    article: str
    posts: list[str]
    period: str
    min_count: int


class ComplianceOut(Schema):
    organization_id: int
    organization_name: str
    year: int
    periods: list[str]
    requirement: RequirementOut | None
    requirements: list[RequirementOut]
    total: int
    compliant: int
    missing: int
    rows: list[ComplianceRowOut]


def _requirement_out(item: compliance.RequirementInForce) -> dict[str, Any]:
    spec = item.requirement
    return {
        "key": item.key,
        "id": spec.id,
        "name": spec.name,
        "pack": item.pack.title,
        "article": item.citation,
        "posts": list(spec.posts),
        "period": str(spec.period),
        "min_count": spec.min_count,
    }


def _compliance_params(request: HttpRequest, params: ComplianceQuery) -> tuple[Any, ...]:
    root = _unit(request, params.org) or coverage.coverage_default_unit(user=request.user, perm=VIEW)
    if root is None:
        raise Http404
    year = params.year or timezone.localdate().year
    found = compliance.requirements_in_force(root)
    chosen = next((r for r in found if r.key == params.requirement), None) if params.requirement else None
    if params.requirement and chosen is None:
        raise Http404
    return root, year, found, chosen or next(iter(found), None)


@router.get(
    "/compliance",
    response=ComplianceOut,
    summary="培训合规情况(按下级单位统计)",
    url_name="training_compliance_summary",
)
@requires(VIEW)
def compliance_summary(request: HttpRequest, params: Query[ComplianceQuery]) -> Any:
    root, year, found, requirement = _compliance_params(request, params)
    report = compliance.compliance_report(user=request.user, root=root, year=year, requirement=requirement)
    return {
        "organization_id": root.pk,
        "organization_name": root.name,
        "year": year,
        "periods": [w.label for w in report.windows],
        "requirement": _requirement_out(requirement) if requirement else None,
        "requirements": [_requirement_out(r) for r in found],
        "total": report.total,
        "compliant": report.compliant,
        "missing": report.missing,
        "rows": [
            {
                "organization_id": row.unit.pk,
                "organization_name": row.unit.name,
                "is_self": row.is_self,
                "total": row.total,
                "compliant": row.compliant,
                "missing": row.missing,
            }
            for row in report.rows
        ],
    }


class HolderOut(Schema):
    appointment_id: int = Field(alias="pk")
    person_id: int
    person_name: str = Field(alias="person.name")
    organization_id: int
    organization_name: str = Field(alias="organization.name")
    post: str
    attended: int
    compliant: bool


class HolderQuery(ComplianceQuery):
    status: str | None = Field(None, description="compliant(合规)/missing(缺训)")


@router.get(
    "/compliance/holders",
    response=list[HolderOut],
    summary="须参训人员及其参训情况",
    url_name="training_compliance_holders",
)
@paginate(PageNumberPagination, page_size=100)
@requires(VIEW)
def compliance_holders(request: HttpRequest, params: Query[HolderQuery]) -> Any:
    root, year, _found, requirement = _compliance_params(request, params)
    if requirement is None:
        return []
    windows = compliance.period_windows(requirement.requirement.period, year)
    queryset = compliance.holders(user=request.user, root=root, requirement=requirement, windows=windows)
    if params.status in ("compliant", "missing"):
        queryset = queryset.filter(Q(compliant=params.status == "compliant"))
    return queryset.order_by("organization__path", "person__name", "pk")
