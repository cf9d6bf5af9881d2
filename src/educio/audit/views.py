"""The audit pages for the audit administrator: row changes and security events, scoped to the subtree."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from educio.accounts.roles import Perm
from educio.audit import selectors
from educio.audit.filters import ACTION_CHOICES, ChangeLogFilterSet, SecurityEventFilterSet
from educio.audit.models import ChangeLogEntry, SecurityEvent
from educio.documents.xlsx import Column
from educio.listing import TableView

ACTION_LABELS = dict(ACTION_CHOICES)


class ChangeLogListView(TableView):
    permission = Perm.AUDIT_VIEW
    export_permission = Perm.AUDIT_VIEW
    export_title = "数据变更日志"
    selector = staticmethod(selectors.change_log_list)
    filterset_class = ChangeLogFilterSet
    template_name = "audit/changelog_list.html"
    sort_fields = {"time": "timestamp"}
    default_sort = "-time"

    def export_columns(self) -> Sequence[Column]:
        return [
            Column("时间", 20),
            Column("操作人", 14),
            Column("IP", 16),
            Column("操作", 8),
            Column("对象类型", 14),
            Column("对象", 30),
            Column("变更内容", 60),
        ]

    def export_row(self, obj: ChangeLogEntry) -> Sequence[Any]:
        return [
            timezone.localtime(obj.timestamp).strftime("%Y-%m-%d %H:%M:%S"),
            str(obj.actor or "系统"),
            obj.remote_addr or "",
            str(ACTION_LABELS.get(obj.action, obj.action)),
            obj.content_type.name if obj.content_type else "",
            obj.object_repr,
            obj.changes_str,
        ]


class SecurityEventListView(TableView):
    permission = Perm.AUDIT_VIEW
    export_permission = Perm.AUDIT_VIEW
    export_title = "登录与访问日志"
    selector = staticmethod(selectors.security_event_list)
    filterset_class = SecurityEventFilterSet
    template_name = "audit/securityevent_list.html"
    sort_fields = {"time": "created_at", "username": "username"}
    default_sort = "-time"

    def export_columns(self) -> Sequence[Column]:
        return [Column("时间", 20), Column("事件", 12), Column("用户名", 16), Column("IP", 16), Column("说明", 60)]

    def export_row(self, obj: SecurityEvent) -> Sequence[Any]:
        return [
            timezone.localtime(obj.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            obj.get_kind_display(),
            obj.username,
            obj.ip_address or "",
            obj.detail,
        ]
