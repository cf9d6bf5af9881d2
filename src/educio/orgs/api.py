"""Organisation endpoints of the REST API, scoped exactly like the pages.

No ``from __future__ import annotations`` here: django-ninja reads the
parameter annotations at import time through decorator wrappers
(``@paginate``, ``@requires``) whose module globals do not hold ``Query`` or
the filter schema, so string annotations could not be resolved and the
OpenAPI schema (and the parameter parsing) broke.
"""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import FilterSchema, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from educio.accounts.roles import Perm
from educio.api.permissions import requires
from educio.orgs import selectors

router = Router(tags=["单位"])


class OrganizationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    bureau_level: str
    school_type: str
    moe_code: str | None
    region_code: str
    path: str
    depth: int
    parent_id: int | None
    is_active: bool


class OrganizationFilter(FilterSchema):
    kind: str | None = None
    school_type: str | None = None
    is_active: bool | None = None
    within: int | None = None
    q: str | None = None


@router.get("/", response=list[OrganizationOut], summary="单位列表(按权限范围)")
@paginate(PageNumberPagination, page_size=50)
@requires(Perm.ORG_VIEW)
def org_list(request: HttpRequest, filters: Query[OrganizationFilter]) -> Any:
    queryset = selectors.with_parent_id(selectors.org_list(user=request.user, perm=Perm.ORG_VIEW))
    if filters.within:
        root = selectors.org_get(user=request.user, pk=filters.within)
        queryset = queryset.filter(path__startswith=root.path)
    for field in ("kind", "school_type", "is_active"):
        value = getattr(filters, field)
        if value is not None:
            queryset = queryset.filter(**{field: value})
    if filters.q:
        queryset = queryset.filter(name__icontains=filters.q)
    return queryset.order_by("path")


@router.get("/{org_id}", response=OrganizationOut, summary="单位详情")
@requires(Perm.ORG_VIEW)
def org_detail(request: HttpRequest, org_id: int) -> Any:
    return get_object_or_404(selectors.with_parent_id(selectors.org_list(user=request.user)), pk=org_id)
