"""The home page: real numbers for the user's scope."""

from __future__ import annotations

from typing import Any

from django.shortcuts import redirect
from django.views.generic import TemplateView

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.roles import Perm
from educio.accounts.scope import has_perm
from educio.dashboard import selectors


class HomeView(PermissionRequiredMixin, TemplateView):
    permission = Perm.DASHBOARD_VIEW
    template_name = "dashboard/home.html"

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # Security and audit administrators see no business dashboard (MLPS 2.0 separation of duties).
        if request.user.is_authenticated and not has_perm(request.user, Perm.DASHBOARD_VIEW):
            if has_perm(request.user, Perm.AUDIT_VIEW):
                return redirect("audit:list")
            if has_perm(request.user, Perm.USER_VIEW):
                return redirect("accounts:user_list")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **selectors.dashboard_summary(user=self.request.user)}
