"""View guards: a permission somewhere in the user's scope, else 403; objects are fetched in scope, else 404."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from educio.accounts.scope import has_perm


class PermissionRequiredMixin(LoginRequiredMixin):
    """Requires ``permission`` at some organisation; the queryset then narrows to where it is held."""

    permission: ClassVar[str]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_perm(request.user, self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
