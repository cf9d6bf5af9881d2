"""Login, own password and the role switcher; account management (list, detail, create, edit, roles, unlock)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from educio.accounts import selectors, services
from educio.accounts.filters import UserFilterSet
from educio.accounts.forms import (
    LoginForm,
    PasswordResetForm,
    RoleGrantForm,
    StyledPasswordChangeForm,
    UserCreateForm,
    UserUpdateForm,
)
from educio.accounts.masking import mask_phone
from educio.accounts.middleware import ACTIVE_ASSIGNMENT_SESSION_KEY
from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.models import User
from educio.accounts.roles import Perm
from educio.accounts.scope import all_grants, has_perm
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

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "can_manage": has_perm(self.request.user, Perm.USER_MANAGE),
            "can_unlock": has_perm(self.request.user, Perm.ACCOUNT_UNLOCK),
        }

    def export_columns(self) -> Sequence[Column]:
        return [
            Column("用户名", 16),
            Column("姓名", 12),
            Column("手机号", 16),
            Column("所属单位", 30),
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
            obj.home_organization.name if obj.home_organization else "",
            roles,
            "启用" if obj.is_active else "停用",
            timezone.localtime(obj.last_login).strftime("%Y-%m-%d %H:%M") if obj.last_login else "",
        ]


class LockedUserListView(TableView):
    """The security administrator's list of accounts locked out by failed logins, in their subtree."""

    permission = Perm.ACCOUNT_UNLOCK
    selector = staticmethod(selectors.locked_user_list)
    filterset_class = UserFilterSet
    template_name = "accounts/locked_list.html"
    sort_fields = {"username": "username", "last_failure": "last_failure"}
    default_sort = "-last_failure"


class OrganizationSearchView(PermissionRequiredMixin, View):
    """htmx: suggestions for the organisation field, inside the actor's account-management scope."""

    permission = Perm.USER_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        text = request.GET.get("organization", request.GET.get("q", ""))[:100]
        units = selectors.manageable_org_search(user=request.user, text=text)
        options = [selectors.org_option_label(o) for o in units]
        return render(request, "accounts/_org_options.html", {"options": options})


class UserCreateView(PermissionRequiredMixin, View):
    """Open an account with a first role; ``?org=<pk>`` pre-fills the unit."""

    permission = Perm.USER_MANAGE
    template_name = "accounts/user_form.html"

    def form(self, data: Any = None, initial: dict[str, Any] | None = None) -> UserCreateForm:
        roles = services.grantable_roles_anywhere(actor=self.request.user)
        return UserCreateForm(data, initial=initial, actor=self.request.user, roles=roles)

    def get(self, request: HttpRequest) -> HttpResponse:
        initial: dict[str, Any] = {}
        org_id = request.GET.get("org", "")
        if org_id.isdigit():
            org = get_object_or_404(selectors.manageable_org_list(user=request.user), pk=int(org_id))
            initial["organization"] = selectors.org_option_label(org)
        return render(request, self.template_name, {"form": self.form(initial=initial)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                account = services.user_create(
                    actor=request.user,
                    username=data["username"],
                    full_name=data["full_name"],
                    phone=data["phone"],
                    email=data["email"],
                    password=data["password"],
                    role=data["role"],
                    organization=data["organization"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("已创建账号“%(u)s”,首次登录须修改密码。") % {"u": account.username})
                return redirect("accounts:user_detail", pk=account.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class UserDetailView(PermissionRequiredMixin, TemplateView):
    """The account, its roles inside the viewer's scope, its lock-out state and what the viewer may do."""

    permission = Perm.USER_VIEW
    template_name = "accounts/user_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        actor = self.request.user
        account = selectors.user_get(user=actor, pk=kwargs["pk"])
        manager = selectors.user_in_scope(user=actor, target=account, perm=Perm.USER_MANAGE)
        if manager and account.phone:
            services.personal_data_view_record(request=self.request, actor=actor, target=account, fields="手机号")
        assignments = account.scoped_assignments  # type: ignore[attr-defined]
        may_grant = manager and account.pk != actor.pk
        refusal = services.account_manage_refusal(actor=actor, target=account) if manager else None
        lock = selectors.lock_status(username=account.username)
        roles = services.grantable_roles_anywhere(actor=actor) if may_grant else []
        return {
            **super().get_context_data(**kwargs),
            "account": account,
            "assignments": assignments,
            "other_role_count": account.role_assignments.count() - len(assignments),
            "show_full_contact": manager,
            "manage_refusal": refusal,
            "can_manage_account": manager and refusal is None,
            "revocable_ids": {
                a.pk
                for a in assignments
                if may_grant and a.role in services.grantable_roles(actor=actor, organization=a.organization)
            },
            "grant_form": RoleGrantForm(actor=actor, roles=roles) if roles else None,
            "lock": lock,
            "can_unlock": lock.locked
            and account.pk != actor.pk
            and selectors.user_in_scope(user=actor, target=account, perm=Perm.ACCOUNT_UNLOCK),
        }


class ManagedAccountMixin(PermissionRequiredMixin):
    """Pages that change an account: fetched in the USER_MANAGE scope (404 outside it)."""

    permission = Perm.USER_MANAGE
    request: HttpRequest

    def account(self, pk: int) -> User:
        return selectors.user_get(user=self.request.user, pk=pk, perm=Perm.USER_MANAGE)

    def refused(self, account: User) -> HttpResponse | None:
        """Back to the account with the reason when the actor may not change it."""
        refusal = services.account_manage_refusal(actor=self.request.user, target=account)
        if refusal is None:
            return None
        messages.error(self.request, refusal)
        return redirect("accounts:user_detail", pk=account.pk)


class UserUpdateView(ManagedAccountMixin, View):
    template_name = "accounts/user_edit.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.account(pk)
        if response := self.refused(account):
            return response
        if account.phone:
            services.personal_data_view_record(request=request, actor=request.user, target=account, fields="手机号")
        initial = {f: getattr(account, f) for f in ("full_name", "phone", "email", "is_active")}
        return render(request, self.template_name, {"form": UserUpdateForm(initial=initial), "account": account})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.account(pk)
        form = UserUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.user_update(actor=request.user, target=account, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("accounts:user_detail", pk=account.pk)
        return render(request, self.template_name, {"form": form, "account": account}, status=400)


class UserSetActiveView(ManagedAccountMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.account(pk)
        active = request.POST.get("active") == "1"
        try:
            services.user_set_active(actor=request.user, target=account, active=active)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("账号已启用。") if active else _("账号已停用,不能再登录。"))
        return redirect("accounts:user_detail", pk=account.pk)


class UserPasswordResetView(ManagedAccountMixin, View):
    template_name = "accounts/user_password_reset.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.account(pk)
        if response := self.refused(account):
            return response
        return render(request, self.template_name, {"form": PasswordResetForm(), "account": account})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.account(pk)
        form = PasswordResetForm(request.POST)
        if form.is_valid():
            try:
                services.user_password_reset(
                    actor=request.user, target=account, new_password=form.cleaned_data["password"], request=request
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("已重置密码。请把临时密码当面或通过安全渠道告知本人,首次登录须修改。"))
                return redirect("accounts:user_detail", pk=account.pk)
        return render(request, self.template_name, {"form": form, "account": account}, status=400)


class UserUnlockView(PermissionRequiredMixin, View):
    """Lift a login lock-out (security administrator); back to the locked list or the account."""

    permission = Perm.ACCOUNT_UNLOCK
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = selectors.user_get(user=request.user, pk=pk, perm=Perm.ACCOUNT_UNLOCK)
        try:
            services.user_unlock(actor=request.user, target=account, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已解除“%(u)s”的登录锁定。") % {"u": account.username})
        if request.POST.get("back") == "locked":
            return redirect("accounts:locked_list")
        return redirect("accounts:user_detail", pk=account.pk)


class RoleAssignmentCreateView(ManagedAccountMixin, View):
    """Grant a role to the account ``pk`` at a unit inside the actor's scope."""

    template_name = "accounts/role_assignment_form.html"

    def form(self, data: Any = None) -> RoleGrantForm:
        roles = services.grantable_roles_anywhere(actor=self.request.user)
        return RoleGrantForm(data, actor=self.request.user, roles=roles)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, self.template_name, {"form": self.form(), "account": self.account(pk)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.account(pk)
        form = self.form(request.POST)
        if form.is_valid():
            try:
                assignment = services.role_assignment_create(
                    actor=request.user,
                    target=account,
                    role=form.cleaned_data["role"],
                    organization=form.cleaned_data["organization"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("已授予“%(a)s”。") % {"a": assignment})
                return redirect("accounts:user_detail", pk=account.pk)
        return render(request, self.template_name, {"form": form, "account": account}, status=400)


class RoleAssignmentDeleteView(ManagedAccountMixin, View):
    """Take back one role of the account ``pk``; the assignment is named by the posted ``assignment`` id."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.account(pk)
        chosen = request.POST.get("assignment", "")
        if not chosen.isdigit():
            messages.error(request, _("请选择要移除的角色。"))
            return redirect("accounts:user_detail", pk=account.pk)
        assignment = get_object_or_404(
            selectors.role_assignment_list(user=request.user, perm=Perm.USER_MANAGE).filter(user=account),
            pk=int(chosen),
        )
        try:
            services.role_assignment_delete(actor=request.user, assignment=assignment)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已移除“%(a)s”。") % {"a": assignment})
        if selectors.user_in_scope(user=request.user, target=account, perm=Perm.USER_VIEW):
            return redirect("accounts:user_detail", pk=account.pk)
        return redirect("accounts:user_list")
