"""Every write to accounts and role assignments, in one audited transaction each."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest
from django.utils import timezone

from educio.audit.models import EventKind
from educio.audit.services import audited, security_event_record


def password_change(*, request: HttpRequest, user: Any, new_password: str) -> None:
    """Set the user's own password and lift a forced change; keeps the session logged in."""
    with audited(user):
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        security_event_record(kind=EventKind.PASSWORD_CHANGE, request=request, user=user)
    update_session_auth_hash(request, user)
