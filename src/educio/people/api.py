"""Person endpoints of the REST API, scoped exactly like the pages and always masked.

The API never returns personal data in full: phone and e-mail are masked and
the birth date is reduced to its year, in the list and the detail alike (the
full record is shown, and logged, only on the detail page). No ``from
__future__ import annotations`` here (see ``educio.orgs.api``).
"""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import FilterSchema, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from educio.accounts.masking import mask_email, mask_phone
from educio.accounts.roles import Perm
from educio.api.permissions import requires
from educio.orgs.selectors import org_get
from educio.people import selectors
from educio.people.models import Person

router = Router(tags=["人员"])


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    organization_id: int
    organization_name: str
    birth_year: int | None
    ethnicity: str
    political_status: str
    education: str
    degree: str
    university: str
    major: str
    admin_position: str
    positions: list[str]
    professional_title: str
    title_level: str
    admin_rank: str
    joined_unit_on: date | None
    phone: str
    email: str
    is_active: bool

    @staticmethod
    def resolve_organization_name(obj: Person) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_birth_year(obj: Person) -> int | None:
        return obj.birth_date.year if obj.birth_date else None

    @staticmethod
    def resolve_phone(obj: Person) -> str:
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_email(obj: Person) -> str:
        return mask_email(obj.email)


class ExperienceOut(Schema):
    started_on: date
    ended_on: date | None
    unit_name: str
    position: str
    kind: str


class HonourOut(Schema):
    title: str
    awarded_on: date
    granted_by: str
    note: str


class CertificateOut(Schema):
    id: int
    kind: str
    level: str
    number: str
    issued_on: date
    issuer: str
    has_scan: bool

    @staticmethod
    def resolve_has_scan(obj: Any) -> bool:
        return bool(obj.scan)


class PersonDetailOut(PersonOut):
    teaching_years: int | None
    experiences: list[ExperienceOut]
    honours: list[HonourOut]
    certificates: list[CertificateOut]

    @staticmethod
    def resolve_experiences(obj: Person) -> list[Any]:
        return list(obj.experiences.all())

    @staticmethod
    def resolve_honours(obj: Person) -> list[Any]:
        return list(obj.honours.all())

    @staticmethod
    def resolve_certificates(obj: Person) -> list[Any]:
        return list(obj.certificates.all())


class PersonFilter(FilterSchema):
    unit: int | None = None
    name: str | None = None
    position: str | None = None
    is_active: bool | None = None


@router.get("/", response=list[PersonOut], summary="人员列表(按权限范围,个人信息已脱敏)")
@paginate(PageNumberPagination, page_size=50)
@requires(Perm.PERSON_VIEW)
def person_list(request: HttpRequest, filters: Query[PersonFilter]) -> Any:
    queryset = selectors.person_list(user=request.user)
    if filters.unit:
        unit = org_get(user=request.user, pk=filters.unit, perm=Perm.PERSON_VIEW)
        queryset = queryset.filter(organization__path__startswith=unit.path)
    if filters.name:
        queryset = queryset.filter(name__icontains=filters.name.strip())
    if filters.position:
        queryset = selectors.holding_position(queryset, filters.position)
    if filters.is_active is not None:
        queryset = queryset.filter(is_active=filters.is_active)
    return queryset.order_by("organization__path", "name", "pk")


@router.get("/{person_id}", response=PersonDetailOut, summary="人员详情(个人信息已脱敏)")
@requires(Perm.PERSON_VIEW)
def person_detail(request: HttpRequest, person_id: int) -> Any:
    return get_object_or_404(selectors.with_record(selectors.person_list(user=request.user)), pk=person_id)
