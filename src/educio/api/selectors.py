from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from educio.api.models import ApiToken


def api_token_list(*, user: Any) -> QuerySet[ApiToken]:
    """A user sees and manages only their own tokens."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")
