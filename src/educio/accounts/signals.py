"""Login, logout and failed-login events go to the audit trail."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from educio.audit.models import EventKind
from educio.audit.services import security_event_record


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    security_event_record(kind=EventKind.LOGIN, request=request, user=user)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        security_event_record(kind=EventKind.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    security_event_record(
        kind=EventKind.LOGIN_FAILED, request=request, username=username, org_path=_user_path(username)
    )


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: Any = None, username: str = "", **kwargs: Any) -> None:
    security_event_record(
        kind=EventKind.LOCKED_OUT,
        request=request,
        username=username or "",
        org_path=_user_path(username or ""),
        detail="连续登录失败,账号已锁定30分钟",
    )


def _user_path(username: str) -> str:
    """The unit of the account a failed attempt named, so the right audit admin sees it."""
    from educio.accounts.models import User
    from educio.accounts.selectors import account_org_path

    account = User.objects.filter(username=username).first()
    return account_org_path(account) if account else ""
