"""Login, logout, own password, and the role switcher."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from educio.accounts import selectors, services
from educio.accounts.filters import UserFilterSet
from educio.accounts.forms import LoginForm, StyledPasswordChangeForm
from educio.accounts.masking import mask_phone
from educio.accounts.middleware import ACTIVE_ASSIGNMENT_SESSION_KEY
from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.models import User
from educio.accounts.roles import Perm
from educio.accounts.scope import all_grants
from educio.audit.models import EventKind
from educio.audit.services import security_event_record
from educio.documents.xlsx import Column
from educio.listing import TableView


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(LoginRequiredMixin, View):
    template_name = "accounts/password_change.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": StyledPasswordChangeForm(request.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = StyledPasswordChangeForm(request.user, request.POST)
        if form.is_valid():
            services.password_change(
                request=request, user=request.user, new_password=form.cleaned_data["new_password1"]
            )
            messages.success(request, _("密码已修改。"))
            return redirect("dashboard:home")
        return render(request, self.template_name, {"form": form}, status=400)


class SwitchRoleView(LoginRequiredMixin, View):
    """Act under one of the user's role assignments (or all of them)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponseBase:
        chosen = request.POST.get("assignment", "")
        grants = {g.assignment_id: g for g in all_grants(request.user)}
        if chosen.isdigit() and int(chosen) in grants:
            request.session[ACTIVE_ASSIGNMENT_SESSION_KEY] = int(chosen)
            grant = grants[int(chosen)]
            detail = f"{grant.role} @ {grant.organization_name}"
        else:
            request.session.pop(ACTIVE_ASSIGNMENT_SESSION_KEY, None)
            detail = "全部身份"
        security_event_record(kind=EventKind.ROLE_SWITCH, request=request, user=request.user, detail=detail)
        return redirect("dashboard:home")


def lockout_response(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    return render(request, "accounts/locked_out.html", status=429)


class UserListView(TableView):
    permission = Perm.USER_VIEW
    export_permission = Perm.USER_VIEW
    export_title = "账号列表"
    selector = staticmethod(selectors.user_list)
    filterset_class = UserFilterSet
    template_name = "accounts/user_list.html"
    sort_fields = {"username": "username", "name": "full_name", "joined": "date_joined", "login": "last_login"}
    default_sort = "username"

    def export_columns(self) -> Sequence[Column]:
        return [
            Column("用户名", 16),
            Column("姓名", 12),
            Column("手机号", 16),
            Column("角色", 60),
            Column("状态", 8),
            Column("最近登录", 20),
        ]

    def export_row(self, obj: User) -> Sequence[Any]:
        roles = "; ".join(str(a) for a in obj.scoped_assignments)  # type: ignore[attr-defined]
        return [
            obj.username,
            obj.full_name,
            mask_phone(obj.phone),
            roles,
            "启用" if obj.is_active else "停用",
            obj.last_login.strftime("%Y-%m-%d %H:%M") if obj.last_login else "",
        ]


class UserCreateView(PermissionRequiredMixin, TemplateView):
    permission = Perm.USER_MANAGE
    template_name = "accounts/user_form.html"


class UserDetailView(PermissionRequiredMixin, TemplateView):
    permission = Perm.USER_VIEW
    template_name = "accounts/user_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "account": selectors.user_get(user=self.request.user, pk=kwargs["pk"]),
        }
