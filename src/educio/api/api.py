"""The versioned REST API (/api/v1/), its authentication and its error format.

Errors are JSON ``{"code": ..., "message": ...}`` with a Chinese message.
Scoping is the UI's: routers call the same selectors.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from educio.api.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer edu_...`` with a personal access token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """The browser's session, for the OpenAPI page and htmx calls; CSRF is enforced on writes."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and getattr(user, "must_change_password", False):
            return None
        return user


class TokenHeaderAuth(APIKeyHeader):
    param_name = "X-API-Token"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return TokenAuth().authenticate(request, key or "")


api = NinjaAPI(
    title="EduCIO API",
    version="1.0.0",
    description="EduCIO 教育信息化管理平台数据共享接口。所有数据按调用者的角色与单位范围过滤。",
    urls_namespace="api-v1",
    auth=[TokenAuth(), TokenHeaderAuth(), ActiveSessionAuth()],
    docs_url="/docs",
)


def error(request: HttpRequest, status: int, code: str, message: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, 404, "not_found", "未找到该资源,或您无权访问。")


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, 403, "forbidden", str(exc) or "您没有执行此操作的权限。")


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, 401, "unauthenticated", "请提供有效的访问令牌或先登录。")


@api.exception_handler(NinjaValidationError)
def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return error(request, 422, "invalid", "请求参数有误。", errors=exc.errors)


@api.exception_handler(ValidationError)
def invalid_data(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error(request, 400, "invalid", ";".join(exc.messages))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(request, exc.status_code, "error", str(exc))


api.add_router("/orgs", "educio.orgs.api.router")
api.add_router("/workflow", "educio.workflow.api.router")
api.add_router("/policies", "educio.policies.api.router")
api.add_router("/notifications", "educio.notifications.api.router")
api.add_router("/appointments", "educio.appointments.api.router")
api.add_router("/people", "educio.people.api.router")
api.add_router("/documents", "educio.documents.api.router")
api.add_router("/rectifications", "educio.rectifications.api.router")
api.add_router("/training", "educio.training.api.router")
api.add_router("/assessments", "educio.assessments.api.router")
