"""The caller's own notifications in the REST API (mounted at /api/v1/notifications).

No ``from __future__ import annotations`` here: ninja resolves ``Query[...]``
parameters from real annotations. Each operation needs a login and nothing
else: it only ever touches the caller's own rows (anyone else's is 404).
Marking read is ``PATCH {"read": true, "ids": [...]}`` on the list (no ``ids``: all
of them), so no address names a single notification.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, TypeVar

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from educio.notifications import selectors, services

router = Router(tags=["消息提醒"])

F = TypeVar("F", bound=Callable[..., Any])


def own_rows_only(func: F) -> F:
    """Declares "login only" to the permission-matrix test (which reads ``permission``, as set by ``requires``)."""
    func.permission = None  # type: ignore[attr-defined]
    return func


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    organization_id: int
    organization_name: str = Field(alias="organization.name")
    created_at: datetime
    read_at: datetime | None
    is_read: bool

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())


class NotificationFilter(FilterSchema):
    unread: bool | None = None
    kind: str | None = None


class MarkReadIn(Schema):
    read: Literal[True]
    ids: list[int] | None = Field(default=None, description="只标记这些消息;不填则标记全部未读消息")


class MarkedOut(Schema):
    marked: int


@router.get("/", response=list[NotificationOut], summary="我的消息提醒(未读在前)")
@paginate(PageNumberPagination, page_size=50)
@own_rows_only
def notification_list(request: HttpRequest, filters: Query[NotificationFilter]) -> Any:
    queryset = selectors.notification_list(user=request.user)
    if filters.unread is not None:
        queryset = queryset.filter(read_at__isnull=filters.unread)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    return queryset.order_by("-unread", "-created_at", "-pk")


@router.patch("/", response=MarkedOut, summary="标为已读(指定消息或全部)")
@own_rows_only
def notification_mark_read(request: HttpRequest, payload: MarkReadIn) -> Any:
    ids = None if payload.ids is None else selectors.notification_ids_get(user=request.user, ids=payload.ids)
    return {"marked": services.notifications_mark_all_read(actor=request.user, ids=ids)}
