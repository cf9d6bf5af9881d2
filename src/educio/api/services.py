"""Creating and revoking personal access tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.api.models import ApiToken, hash_token, new_raw_token
from educio.audit.models import EventKind
from educio.audit.services import audited, security_event_record

MAX_ACTIVE_TOKENS = 10


def api_token_create(*, request: HttpRequest | None, user: Any, name: str, days: int | None) -> tuple[ApiToken, str]:
    """A new token for ``user``; the raw value is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写令牌用途。")})
    if days is not None and not 1 <= days <= 366:
        raise ValidationError({"days": _("有效期须在1到366天之间。")})
    with audited(user):
        active = ApiToken.objects.select_for_update().filter(user=user, revoked_at=None).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise ValidationError(
                _("每个账号最多同时持有%(n)d个有效令牌,请先吊销不用的令牌。") % {"n": MAX_ACTIVE_TOKENS}
            )
        raw = new_raw_token()
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=raw[:10],
            token_hash=hash_token(raw),
            expires_at=timezone.now() + timedelta(days=days) if days else None,
        )
        security_event_record(kind=EventKind.TOKEN_CREATE, request=request, user=user, detail=f"{name} {token.prefix}…")
    return token, raw


def api_token_revoke(*, request: HttpRequest | None, user: Any, token: ApiToken) -> ApiToken:
    with audited(user):
        token = ApiToken.objects.select_for_update().get(pk=token.pk, user=user)
        if token.revoked_at is not None:
            raise ValidationError(_("该令牌已经吊销。"))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        security_event_record(
            kind=EventKind.TOKEN_REVOKE, request=request, user=user, detail=f"{token.name} {token.prefix}…"
        )
    return token


def api_token_authenticate(raw: str) -> Any | None:
    """The active user behind a raw token, or None. Records when it was last used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at=None, user__is_active=True)
        .first()
    )
    if token is None or (token.expires_at and token.expires_at <= timezone.now()):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
