"""Nomination windows (推荐批次): the list in scope and the form a bureau opens one with."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.roles import Perm
from educio.accounts.scope import filter_in_scope, has_perm
from educio.appointments import selectors, services
from educio.appointments.forms import WindowForm
from educio.forms import add_service_errors
from educio.orgs.models import Organization, OrgKind
from educio.policies.selectors import effective_packs


class WindowListView(PermissionRequiredMixin, View):
    """推荐批次: the calls for nominations in scope, and a form for a bureau to open one."""

    permission = Perm.NOMINATION_VIEW

    def form(self, request: HttpRequest, data: Any = None) -> WindowForm | None:
        if not has_perm(request.user, Perm.APPOINTMENT_MANAGE):
            return None
        units = filter_in_scope(
            Organization.objects.filter(kind__in=[OrgKind.BUREAU, OrgKind.UNIVERSITY], is_active=True),
            request.user,
            Perm.APPOINTMENT_MANAGE,
        ).order_by("path")
        packs = effective_packs(list(units[:50]))
        posts = sorted({(p.id, p.name) for pack in packs.values() if pack for p in pack.spec.posts})
        return WindowForm(data, units=units, posts=posts)

    def render_page(self, request: HttpRequest, form: WindowForm | None, status: int = 200) -> HttpResponse:
        windows = selectors.window_list(user=request.user)[:200]
        return render(request, "appointments/window_list.html", {"windows": windows, "form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request, self.form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request, request.POST)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.window_create(actor=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                add_service_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
            else:
                messages.success(request, _("已发布推荐批次。"))
                return redirect("appointments:window_list")
        return self.render_page(request, form, status=400)
