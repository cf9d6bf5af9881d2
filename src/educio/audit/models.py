"""Security events that are not row changes: logins, exports, imports, unlocks.

Row changes themselves are recorded by django-auditlog into ``ChangeLogEntry``;
both carry the organisation path so the audit page can be scoped to a subtree.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import AbstractLogEntry
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    LOCKED_OUT = "locked_out", _("账号锁定")
    UNLOCK = "unlock", _("解除锁定")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    EXPORT = "export", _("导出")
    IMPORT = "import", _("导入")
    TOKEN_CREATE = "token_create", _("创建访问令牌")
    TOKEN_REVOKE = "token_revoke", _("吊销访问令牌")
    ROLE_SWITCH = "role_switch", _("切换身份")
    PERSONAL_DATA_VIEW = "personal_data_view", _("查看个人信息")


class SecurityEvent(models.Model):
    """One security-relevant event, kept at least 180 days (MLPS 2.0)."""

    kind = models.CharField(_("事件"), max_length=24, choices=EventKind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("账号")
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    org_path = models.CharField(_("单位路径"), max_length=255, blank=True, db_index=True)
    detail = models.CharField(_("说明"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("安全事件")
        verbose_name_plural = _("安全事件")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username} {self.created_at:%Y-%m-%d %H:%M}"


class ChangeLogEntry(AbstractLogEntry):
    """django-auditlog's change record with the unit path in an indexed column.

    The path also sits in ``additional_data`` (from the model's ``get_additional_data``),
    but a filter on a JSON key cannot use an index: at 120,000 entries the scoped audit
    page spent most of its time scanning (bench/README.md). A real column keeps the
    subtree filter an index range scan on SQLite and PostgreSQL alike.
    """

    org_path: models.CharField[str, str] = models.CharField(_("单位路径"), max_length=255, blank=True, db_index=True)

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("数据变更日志")
        verbose_name_plural = _("数据变更日志")
        indexes = [models.Index(fields=["org_path", "timestamp"], name="audit_change_path_time")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.org_path = str((self.additional_data or {}).get("org_path", ""))[:255]
        super().save(*args, **kwargs)
