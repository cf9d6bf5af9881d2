"""Account forms: input parsing only; rules are in services and validators."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from educio.accounts import selectors
from educio.accounts.roles import Role
from educio.forms import add_service_errors, style_form
from educio.orgs.models import Organization

PASSWORD_HINT = _("至少8位,包含大写字母、小写字母、数字、符号中的至少3类。")


def new_password_field(label: Any, help_text: Any = "") -> forms.CharField:
    """A password typed by an administrator for someone else: never autofilled with their own."""
    widget = forms.PasswordInput(attrs={"autocomplete": "new-password"})
    return forms.CharField(label=label, widget=widget, strip=False, help_text=help_text)


def phone_field() -> forms.CharField:
    return forms.CharField(
        label=_("手机号"), max_length=32, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )


def email_field() -> forms.CharField:
    return forms.CharField(label=_("电子邮箱"), max_length=254, required=False, widget=forms.EmailInput)


class StyledFormMixin:
    def style(self) -> None:
        style_form(self)  # type: ignore[arg-type]

    def add_service_errors(self, exc: ValidationError) -> None:
        add_service_errors(self, exc)


class LoginForm(StyledFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误。连续失败5次将锁定账号30分钟。"),
        "inactive": _("该账号已停用。"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.style()


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class OrganizationInput(forms.TextInput):
    """A text box with server-side suggestions (htmx fills a <datalist>), never a <select> of every unit."""

    template_name = "accounts/widgets/organization_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "list": "org-options",
                "autocomplete": "off",
                "placeholder": _("输入学校标识码或单位名称"),
                "hx-get": reverse_lazy("accounts:org_search"),
                "hx-trigger": "input changed delay:300ms, focus once",
                "hx-target": "#org-options",
                "hx-swap": "innerHTML",
                **(attrs or {}),
            }
        )


class ManageableOrganizationField(forms.CharField):
    """A unit inside the actor's account-management scope, named by MOE code, full name or a suggestion."""

    widget = OrganizationInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("单位"))
        kwargs.setdefault("help_text", _("输入学校标识码(10位)或单位全称,也可输入名称的一部分后从提示中选择。"))
        super().__init__(*args, **kwargs)
        self.actor: Any = None

    def clean(self, value: Any) -> Organization:
        text = super().clean(value)
        return selectors.manageable_org_find(user=self.actor, text=text)


class RoleChoiceMixin:
    """The role choice lists only the roles the actor may grant somewhere."""

    def limit_roles(self, roles: list[str]) -> None:
        field: Any = self.fields["role"]  # type: ignore[attr-defined]
        field.choices = [("", "---------")] + [(r, Role(r).label) for r in roles]


class UserCreateForm(StyledFormMixin, RoleChoiceMixin, forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("用于登录,建议用工号或手机号"))
    full_name = forms.CharField(label=_("姓名"), max_length=60)
    phone = phone_field()
    email = email_field()
    role = forms.ChoiceField(label=_("初始角色"))
    organization = ManageableOrganizationField(label=_("所属单位(角色所在单位)"))
    password = new_password_field(_("初始密码"), PASSWORD_HINT)
    password_confirm = new_password_field(_("确认初始密码"))

    def __init__(self, *args: Any, actor: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].actor = actor  # type: ignore[attr-defined]
        self.limit_roles(roles)
        self.style()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_confirm"):
            self.add_error("password_confirm", _("两次输入的密码不一致。"))
        return cleaned


class UserUpdateForm(StyledFormMixin, forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=60)
    phone = phone_field()
    email = email_field()
    is_active = forms.BooleanField(label=_("启用(停用后不能登录)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class PasswordResetForm(StyledFormMixin, forms.Form):
    password = new_password_field(_("临时密码"), PASSWORD_HINT)
    password_confirm = new_password_field(_("确认临时密码"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_confirm"):
            self.add_error("password_confirm", _("两次输入的密码不一致。"))
        return cleaned


class RoleGrantForm(StyledFormMixin, RoleChoiceMixin, forms.Form):
    role = forms.ChoiceField(label=_("角色"))
    organization = ManageableOrganizationField()

    def __init__(self, *args: Any, actor: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].actor = actor  # type: ignore[attr-defined]
        self.limit_roles(roles)
        self.style()
