"""Policy endpoints of the REST API: packs with their sections, effective pack, compliance; scoped like the UI.

No ``from __future__ import annotations`` (see ``orgs/api.py``): django-ninja reads
the parameter annotations through the ``@requires`` wrapper at import time.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from educio.api.permissions import requires
from educio.orgs.selectors import org_get
from educio.policies import selectors
from educio.policies.compliance import evaluate_unit
from educio.policies.loaded import parsed
from educio.policies.permissions import POLICY_VIEW

router = Router(tags=["制度规则"])


class PackOut(Schema):
    id: int
    pack_id: str
    version: int
    title: str
    issuer: str
    doc_number: str
    issued_on: datetime.date | None
    sha256: str
    owner_id: int | None
    created_at: datetime.datetime


class PackDetailOut(PackOut):
    sections: list[str]
    content: dict[str, Any]


class EffectivePackOut(Schema):
    organization_id: int
    pack: PackOut | None
    adopted_by_organization_id: int | None


class FindingOut(Schema):
    organization_id: int
    organization: str
    pack_id: int
    rule_id: str
    kind: str
    title: str
    article_id: str | None
    article_number: str
    article_text: str
    status: str
    explanation: str


@router.get("/packs", response=list[PackOut], summary="制度包列表(按权限范围)")
@paginate(PageNumberPagination, page_size=50)
@requires(POLICY_VIEW)
def policy_pack_list(request: HttpRequest) -> Any:
    return selectors.pack_list(user=request.user).order_by("pack_id", "-version")


@router.get("/packs/{pack_pk}", response=PackDetailOut, summary="制度包详情(含全部章节)")
@requires(POLICY_VIEW)
def policy_pack_detail(request: HttpRequest, pack_pk: int) -> Any:
    pack = selectors.pack_get(user=request.user, pk=pack_pk)
    spec = parsed(pack)
    return {
        **{field: getattr(pack, field) for field in PackOut.model_fields if field != "id"},
        "id": pack.pk,
        "sections": spec.present_sections(),
        "content": spec.model_dump(mode="json", by_alias=True, exclude_none=True),
    }


@router.get("/effective/{org_id}", response=EffectivePackOut, summary="单位当前执行的制度包")
@requires(POLICY_VIEW)
def policy_effective_pack(request: HttpRequest, org_id: int) -> Any:
    org = org_get(user=request.user, pk=org_id, perm=POLICY_VIEW)
    loaded = selectors.effective_pack(org)
    row = selectors.pack_list(user=request.user).filter(pk=loaded.pk).first() if loaded else None
    return {
        "organization_id": org.pk,
        "pack": row,
        "adopted_by_organization_id": loaded.adopted_by_org_id if loaded else None,
    }


@router.get("/compliance/{org_id}", response=list[FindingOut], summary="单位合规检查结果")
@requires(POLICY_VIEW)
def policy_compliance(request: HttpRequest, org_id: int) -> Any:
    org = org_get(user=request.user, pk=org_id, perm=POLICY_VIEW)
    return [
        {
            "organization_id": f.unit.pk,
            "organization": f.unit.name,
            "pack_id": f.pack.pk,
            "rule_id": f.rule.id,
            "kind": f.rule.kind,
            "title": f.rule.title,
            "article_id": f.rule.article.id if f.rule.article else None,
            "article_number": f.article_number,
            "article_text": f.article_text,
            "status": str(f.status),
            "explanation": f.explanation,
        }
        for f in evaluate_unit(org)
    ]
