"""The REST API: token authentication, the UI's scope, JSON errors and the OpenAPI schema."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from educio.accounts.roles import Perm, Role
from educio.accounts.tests.factories import user_with_role
from educio.api.models import ApiToken
from educio.api.services import api_token_create, api_token_revoke
from educio.orgs.selectors import org_list

UNAUTHENTICATED = {"code": "unauthenticated", "message": "请提供有效的访问令牌或先登录。"}
NOT_FOUND = {"code": "not_found", "message": "未找到该资源,或您无权访问。"}


@pytest.fixture
def token(county_admin: Any) -> str:
    _token, raw = api_token_create(request=None, user=county_admin, name="测试", days=30)
    return raw


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def api_names(client: Client, headers: dict[str, str], **params: Any) -> set[str]:
    response = client.get("/api/v1/orgs/", params, **headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["items"])
    return {item["name"] for item in body["items"]}


def test_bearer_token_sees_exactly_what_the_pages_show(tree: Any, county_admin: Any, token: str) -> None:
    from_api = api_names(Client(), bearer(token))

    ui = Client()
    ui.force_login(county_admin)
    export = ui.get(reverse("orgs:list"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(min_row=2, values_only=True))
    from_ui = {row[0] for row in rows}

    assert from_api == from_ui == {"甲市一区教育局", "一区第一小学", "一区第二中学"}
    assert from_api == set(org_list(user=county_admin, perm=Perm.ORG_VIEW).values_list("name", flat=True))


def test_the_token_header_variant_works_too(tree: Any, token: str) -> None:
    assert api_names(Client(), {"HTTP_X_API_TOKEN": token}) == {"甲市一区教育局", "一区第一小学", "一区第二中学"}


def test_a_city_token_sees_the_whole_city_but_not_the_other(tree: Any, city_admin: Any) -> None:
    _token, raw = api_token_create(request=None, user=city_admin, name="市", days=None)
    names = api_names(Client(), bearer(raw))
    assert tree.other_school.name in names
    assert tree.far_school.name not in names


def test_detail_in_scope(tree: Any, token: str) -> None:
    response = Client().get(f"/api/v1/orgs/{tree.school.pk}", **bearer(token))

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "一区第一小学"
    assert body["parent_id"] == tree.county.pk
    assert body["moe_code"] == tree.school.moe_code
    assert body["kind"] == "school"


@pytest.mark.parametrize("target", ["other_school", "far_school", "city"])
def test_detail_outside_the_scope_is_a_json_404(tree: Any, token: str, target: str) -> None:
    response = Client().get(f"/api/v1/orgs/{getattr(tree, target).pk}", **bearer(token))

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_an_unknown_id_looks_the_same_as_a_hidden_one(tree: Any, token: str) -> None:
    response = Client().get("/api/v1/orgs/999999", **bearer(token))
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_within_outside_the_scope_is_a_404(tree: Any, token: str) -> None:
    response = Client().get("/api/v1/orgs/", {"within": tree.far_county.pk}, **bearer(token))
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_filters_narrow_inside_the_scope(tree: Any, token: str) -> None:
    client = Client()
    assert api_names(client, bearer(token), kind="school") == {"一区第一小学", "一区第二中学"}
    assert api_names(client, bearer(token), school_type="junior") == {"一区第二中学"}
    assert api_names(client, bearer(token), q="第一") == {"一区第一小学"}
    assert api_names(client, bearer(token), within=tree.school.pk) == {"一区第一小学"}


def test_bad_parameters_get_a_json_422(tree: Any, token: str) -> None:
    response = Client().get("/api/v1/orgs/", {"within": "abc"}, **bearer(token))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["message"] == "请求参数有误。"


def test_a_role_without_org_view_gets_a_json_403(tree: Any) -> None:
    auditor = user_with_role(Role.AUDIT_ADMIN, tree.county)
    _token, raw = api_token_create(request=None, user=auditor, name="审计", days=30)

    for path in ("/api/v1/orgs/", f"/api/v1/orgs/{tree.county.pk}"):
        response = Client().get(path, **bearer(raw))
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize("case", ["missing", "garbage", "revoked", "expired", "inactive-user"])
def test_unusable_credentials_get_a_json_401(tree: Any, county_admin: Any, token: str, case: str) -> None:
    headers = bearer(token)
    stored = ApiToken.objects.get(user=county_admin)
    if case == "missing":
        headers = {}
    elif case == "garbage":
        headers = bearer("edu_" + "x" * 43)
    elif case == "revoked":
        api_token_revoke(request=None, user=county_admin, token=stored)
    elif case == "expired":
        ApiToken.objects.filter(pk=stored.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    else:
        county_admin.is_active = False
        county_admin.save()

    for path in ("/api/v1/orgs/", f"/api/v1/orgs/{tree.school.pk}"):
        response = Client().get(path, **headers)
        assert response.status_code == 401
        assert response.json() == UNAUTHENTICATED


def test_use_is_recorded_without_a_write_on_every_call(tree: Any, county_admin: Any, token: str) -> None:
    client = Client()
    client.get("/api/v1/orgs/", **bearer(token))
    first = ApiToken.objects.get(user=county_admin).last_used_at
    assert first is not None

    client.get("/api/v1/orgs/", **bearer(token))
    assert ApiToken.objects.get(user=county_admin).last_used_at == first


def test_the_browser_session_works_for_the_api(tree: Any, county_admin: Any) -> None:
    client = Client()
    client.force_login(county_admin)
    assert api_names(client, {}) == {"甲市一区教育局", "一区第一小学", "一区第二中学"}


def test_openapi_schema_is_valid_json_and_lists_the_org_endpoints(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "EduCIO API"
    paths = schema["paths"]
    assert set(paths) >= {"/api/v1/orgs/", "/api/v1/orgs/{org_id}"}
    listing = paths["/api/v1/orgs/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"kind", "school_type", "is_active", "within", "q", "page"}
    detail = paths["/api/v1/orgs/{org_id}"]["get"]
    assert [p["name"] for p in detail["parameters"]] == ["org_id"]
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "TokenHeaderAuth", "ActiveSessionAuth"}
    for path in paths.values():
        for operation in path.values():
            assert operation["security"], "every operation requires authentication"
            assert "200" in operation["responses"]
    out = schema["components"]["schemas"]["OrganizationOut"]["properties"]
    assert {"id", "name", "moe_code", "parent_id", "path"} <= set(out)
