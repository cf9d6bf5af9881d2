"""Nomination, appointment and coverage endpoints of the REST API (/api/v1/appointments), scoped like the pages.

Personal data stays out: a nomination is listed with the person's name only —
never the phone, e-mail or the form's filled values (``Nomination.data``).

No ``from __future__ import annotations`` here: ninja resolves ``Query[...]``
parameters from real annotations, and string ones leave its params model undefined.
"""

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from educio.accounts.roles import Perm
from educio.api.permissions import requires
from educio.appointments import coverage, selectors
from educio.appointments.models import Appointment, Nomination

router = Router(tags=["首席信息官任命"])


def _within(queryset: QuerySet[Any], request: HttpRequest, org: int | None, perm: str) -> QuerySet[Any]:
    """Rows of ``org``'s subtree; a unit outside the caller's scope is 404, as on the pages."""
    if org is None:
        return queryset
    root = coverage.coverage_unit_get(user=request.user, pk=org, perm=perm)
    return queryset.filter(organization__path__startswith=root.path)


# --- coverage ------------------------------------------------------------------------------------


class TallyOut(Schema):
    required: int
    held: int
    missing: int
    share_percent: float | None


class CoverageRowOut(TallyOut):
    organization_id: int
    organization_name: str
    is_self: bool
    expiring: int
    nominations: dict[str, int]


class TargetOut(TallyOut):
    id: str
    name: str
    pack: str
    article: str
    target_percent: float
    due: date | None
    days_left: int | None
    met: bool
    verdict: str


class CoverageOut(TallyOut):
    organization_id: int
    organization_name: str
    as_of: date
    expiring_days: int
    expiring: int
    nominations: dict[str, int]
    targets: list[TargetOut]
    rows: list[CoverageRowOut]


def _tally(tally: coverage.Tally) -> dict[str, Any]:
    return {"required": tally.required, "held": tally.held, "missing": tally.missing, "share_percent": tally.share}


def _counts(nominations: dict[str, int]) -> dict[str, int]:
    return {status: n for status, _label, n in coverage.nomination_counts(nominations)}


def coverage_out(report: coverage.CoverageReport) -> dict[str, Any]:
    return {
        **_tally(report.total),
        "organization_id": report.root.pk,
        "organization_name": report.root.name,
        "as_of": report.today,
        "expiring_days": coverage.EXPIRING_DAYS,
        "expiring": report.expiring,
        "nominations": _counts(report.nominations),
        "targets": [
            {
                **_tally(t.tally),
                "id": t.target.id,
                "name": t.target.name,
                "pack": t.pack.title,
                "article": t.article.number if t.article else "",
                "target_percent": t.target.share_percent,
                "due": t.target.by,
                "days_left": t.days_left,
                "met": t.met,
                "verdict": t.label,
            }
            for t in report.targets
        ],
        "rows": [
            {
                **_tally(row.tally),
                "organization_id": row.unit.pk,
                "organization_name": row.unit.name,
                "is_self": row.is_self,
                "expiring": row.expiring,
                "nominations": _counts(row.nominations),
            }
            for row in report.rows
        ],
    }


@router.get("/coverage", response=CoverageOut, summary="首席信息官覆盖情况")
@requires(Perm.APPOINTMENT_VIEW)
def coverage_numbers(request: HttpRequest, org: int | None = None) -> Any:
    """The numbers of the coverage page for ``org`` (default: the caller's top unit); outside the scope is 404."""
    if org is None:
        root = coverage.coverage_default_unit(user=request.user)
        if root is None:
            raise Http404
    else:
        root = coverage.coverage_unit_get(user=request.user, pk=org)
    return coverage_out(coverage.coverage_report(root))


# --- nominations ---------------------------------------------------------------------------------


class NominationOut(Schema):
    id: int
    organization_id: int
    organization_name: str = Field(alias="organization.name")
    post: str
    post_name: str
    person_name: str = Field(alias="person.name")
    kind: str
    status: str | None
    status_label: str
    submitted_at: datetime | None
    eligibility: str | None = Field(description="报送时任职条件核验结论:pass/warn/fail;未报送为空")

    @staticmethod
    def resolve_submitted_at(obj: Nomination) -> datetime | None:
        return obj.process.submitted_at if obj.process_id and obj.process else None

    @staticmethod
    def resolve_eligibility(obj: Nomination) -> str | None:
        return (obj.eligibility or {}).get("verdict") or None


class EligibilityFindingOut(Schema):
    rule: str
    label: str = ""
    status: str
    article: str = ""
    detail: str = ""


class NominationDetailOut(NominationOut):
    pack_ref: str
    deadline: date | None
    created_at: datetime
    updated_at: datetime
    eligibility_label: str | None
    eligibility_findings: list[EligibilityFindingOut]
    appointment_id: int | None

    @staticmethod
    def resolve_eligibility_label(obj: Nomination) -> str | None:
        return (obj.eligibility or {}).get("label") or None

    @staticmethod
    def resolve_eligibility_findings(obj: Nomination) -> list[dict[str, Any]]:
        return list((obj.eligibility or {}).get("findings") or [])

    @staticmethod
    def resolve_appointment_id(obj: Nomination) -> int | None:
        appointment = getattr(obj, "appointment", None)
        return appointment.pk if appointment is not None else None


class NominationFilter(FilterSchema):
    org: int | None = Field(None, description="只列出该单位及其下级单位的推荐")
    status: str | None = Field(None, description="draft/in_review/returned/approved/rejected/withdrawn/appointed")
    post: str | None = None


@router.get("/nominations", response=list[NominationOut], summary="推荐列表(按权限范围)")
@paginate(PageNumberPagination, page_size=50)
@requires(Perm.NOMINATION_VIEW)
def nomination_list(request: HttpRequest, filters: Query[NominationFilter]) -> Any:
    queryset = _within(selectors.nomination_list(user=request.user), request, filters.org, Perm.NOMINATION_VIEW)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.post:
        queryset = queryset.filter(post=filters.post)
    return queryset.order_by("-created_at", "-pk")


@router.get("/nominations/{nomination_id}", response=NominationDetailOut, summary="推荐详情")
@requires(Perm.NOMINATION_VIEW)
def nomination_detail(request: HttpRequest, nomination_id: int) -> Any:
    return selectors.nomination_get(user=request.user, pk=nomination_id)


# --- appointments --------------------------------------------------------------------------------


class AppointmentOut(Schema):
    id: int
    organization_id: int
    organization_name: str = Field(alias="organization.name")
    post: str
    post_name: str
    person_name: str = Field(alias="person.name")
    doc_number: str
    doc_date: date
    starts_on: date
    ends_on: date | None
    status: str
    term_number: int


class AppointmentDetailOut(AppointmentOut):
    ended_on: date | None
    end_reason: str
    revocation_doc_number: str
    revocation_article: str
    pack_ref: str
    nomination_id: int | None
    predecessor_id: int | None


class AppointmentFilter(FilterSchema):
    org: int | None = Field(None, description="只列出该单位及其下级单位的任命")
    status: str | None = Field(None, description="active/ended/revoked")
    post: str | None = None
    expiring: int | None = Field(None, ge=1, le=3650, description="在任且任期在该天数内届满(含已届满未续聘)")


@router.get("/", response=list[AppointmentOut], summary="任命列表(按权限范围)")
@paginate(PageNumberPagination, page_size=50)
@requires(Perm.APPOINTMENT_VIEW)
def appointment_list(request: HttpRequest, filters: Query[AppointmentFilter]) -> Any:
    queryset = _within(selectors.appointment_list(user=request.user), request, filters.org, Perm.APPOINTMENT_VIEW)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.post:
        queryset = queryset.filter(post=filters.post)
    if filters.expiring:
        queryset = selectors.expiring_within(queryset, filters.expiring)
    return queryset.order_by("organization__path", "-starts_on", "-pk")


@router.get("/{appointment_id}", response=AppointmentDetailOut, summary="任命详情")
@requires(Perm.APPOINTMENT_VIEW)
def appointment_detail(request: HttpRequest, appointment_id: int) -> Appointment:
    return selectors.appointment_get(user=request.user, pk=appointment_id)
