"""Every write to accounts and role assignments, in one audited transaction each.

The rules of account management live here and nowhere else:

- An administrator (a holder of ``user.manage``) acts only inside the subtree
  of the role that gives them that permission, and may grant or take back
  only the roles listed for that role in ``roles.GRANTABLE_ROLES``: the
  platform administrator everything, a bureau administrator everything but
  the reserved platform role, the security administrator business roles only.
- Nobody changes their own account or roles through account management (the
  own password has its own page), so nobody can grant themselves anything.
- An account may be edited, (de)activated or given a new password only by
  someone who could have granted every role it holds and who covers its home
  unit: a county cannot take over a city administrator's account, nor the
  security administrator a bureau administrator's.
- Unlocking a locked-out account is the security administrator's
  (``account.unlock``) and is recorded as a security event.

The view's scoped fetch is not trusted: each service checks the scope again.
"""

from __future__ import annotations

import re
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth import password_validation, update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts import selectors
from educio.accounts.models import RoleAssignment, User
from educio.accounts.roles import GRANTABLE_ROLES, RESERVED_ROLES, Perm, Role, role_has
from educio.accounts.scope import active_grants, covers, is_global, roles_covering
from educio.audit.models import EventKind
from educio.audit.services import audited, security_event_record
from educio.orgs.models import Organization

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def password_change(*, request: HttpRequest, user: Any, new_password: str) -> None:
    """Set the user's own password and lift a forced change; keeps the session logged in."""
    with audited(user):
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        security_event_record(kind=EventKind.PASSWORD_CHANGE, request=request, user=user)
    update_session_auth_hash(request, user)


# --- the rules, also asked by the pages to decide which buttons to show -----------------------


def grantable_roles(*, actor: Any, organization: Organization) -> frozenset[str]:
    """The roles ``actor`` may grant or take back at ``organization`` (empty outside their scope)."""
    granted: set[str] = set()
    for role in roles_covering(actor, Perm.USER_MANAGE, organization):
        granted |= GRANTABLE_ROLES.get(role, frozenset())
    if not is_global(actor, Perm.USER_MANAGE):
        granted -= RESERVED_ROLES
    return frozenset(granted)


def grantable_roles_anywhere(*, actor: Any) -> list[str]:
    """Every role ``actor`` may grant somewhere, in the order of ``Role`` (for the role choice of a form)."""
    if is_global(actor, Perm.USER_MANAGE):
        return list(Role.values)
    granted: set[str] = set()
    for grant in active_grants(actor):
        if role_has(grant.role, Perm.USER_MANAGE):
            granted |= GRANTABLE_ROLES.get(grant.role, frozenset())
    return [role for role in Role.values if role in granted and role not in RESERVED_ROLES]


def account_manage_refusal(*, actor: Any, target: User) -> str | None:
    """Why ``actor`` may not edit, (de)activate or reset the password of ``target``; None when allowed."""
    if target.pk == actor.pk:
        return _("不能在账号管理中修改自己的账号;修改本人密码请使用“修改密码”。")
    if target.is_superuser and not actor.is_superuser:
        return _("该账号是系统超级用户,只能由超级用户管理。")
    home = target.home_organization
    if home is not None and not covers(actor, Perm.USER_MANAGE, home):
        return _("该账号属于“%(org)s”,不在您的账号管理范围内。") % {"org": home.name}
    assignments = list(target.role_assignments.select_related("organization"))
    if home is None and not assignments and not is_global(actor, Perm.USER_MANAGE):
        return _("该账号不属于任何单位,只能由平台管理员管理。")
    if any(a.role not in grantable_roles(actor=actor, organization=a.organization) for a in assignments):
        return _("该账号持有您无权授予的角色,只能由有相应权限的上级管理员修改。")
    return None


def _lock_manageable(actor: Any, target: User) -> User:
    """The account's row, locked for the rest of the transaction, once the actor may change it.

    The check runs after the lock, so a role granted elsewhere in the meantime is taken into account.
    """
    locked = User.objects.select_for_update().get(pk=target.pk)
    if not selectors.user_in_scope(user=actor, target=locked, perm=Perm.USER_MANAGE):
        raise PermissionDenied(_("该账号不在您的账号管理范围内。"))
    refusal = account_manage_refusal(actor=actor, target=locked)
    if refusal:
        raise ValidationError(refusal)
    return locked


def _check_grant(*, actor: Any, target_pk: int | None, role: str, organization: Organization) -> None:
    if target_pk is not None and target_pk == actor.pk:
        raise ValidationError(_("不能给自己授予或移除角色。"))
    if role not in Role.values:
        raise ValidationError({"role": _("角色无效。")})
    label = Role(role).label
    if role in RESERVED_ROLES and not is_global(actor, Perm.USER_MANAGE):
        raise ValidationError({"role": _("“%(role)s”是保留角色,只有平台管理员可以授予。") % {"role": label}})
    if not covers(actor, Perm.USER_MANAGE, organization):
        raise ValidationError(
            {"organization": _("“%(org)s”不在您的账号管理范围内,不能在该单位授予角色。") % {"org": organization.name}}
        )
    if role not in grantable_roles(actor=actor, organization=organization):
        raise ValidationError({"role": _("您无权授予“%(role)s”角色。") % {"role": label}})
    if not organization.is_active:
        raise ValidationError(
            {"organization": _("“%(org)s”已停用,不能在该单位授予角色。") % {"org": organization.name}}
        )


def _clean_profile(*, full_name: str, phone: str, email: str) -> dict[str, str]:
    """Trimmed profile fields, or a ValidationError naming every wrong field."""
    data = {"full_name": full_name.strip(), "phone": phone.strip(), "email": email.strip()}
    errors: dict[str, str] = {}
    if not data["full_name"]:
        errors["full_name"] = _("请填写姓名。")
    elif len(data["full_name"]) > User._meta.get_field("full_name").max_length:  # type: ignore[operator]
        errors["full_name"] = _("姓名过长。")
    if data["phone"] and not _MOBILE.match(data["phone"]):
        errors["phone"] = _("手机号须为11位数字,以1开头。")
    if data["email"]:
        try:
            validate_email(data["email"])
        except ValidationError:
            errors["email"] = _("电子邮箱格式不正确。")
    if errors:
        raise ValidationError(errors)
    return data


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def _event_detail(target: User) -> str:
    return f"{target.username}({target.full_name})" if target.full_name else target.username


# --- accounts -----------------------------------------------------------------------------------


def user_create(
    *,
    actor: Any,
    username: str,
    full_name: str,
    phone: str = "",
    email: str = "",
    password: str,
    role: str,
    organization: Organization,
) -> User:
    """Open an account at ``organization`` with its first role; the person must change the password at first login."""
    username = username.strip()
    errors: dict[str, Any] = {}
    try:
        User.username_validator(username)
    except ValidationError as exc:
        errors["username"] = exc.messages
    if not username:
        errors["username"] = _("请填写用户名。")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("用户名“%(u)s”已被使用。") % {"u": username}
    try:
        profile = _clean_profile(full_name=full_name, phone=phone, email=email)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        profile = {}
    try:
        _check_grant(actor=actor, target_pk=None, role=role, organization=organization)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        errors.update(exc.message_dict)
    account = User(username=username, **profile)
    try:
        _check_password(password, account)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with audited(actor):
        account.set_password(password)
        account.must_change_password = True
        account.password_changed_at = timezone.now()
        account.home_organization = organization
        try:
            with transaction.atomic():
                account.save()
        except IntegrityError as exc:
            raise ValidationError({"username": _("用户名“%(u)s”已被使用。") % {"u": username}}) from exc
        RoleAssignment.objects.create(user=account, role=role, organization=organization)
    return account


def user_update(*, actor: Any, target: User, full_name: str, phone: str, email: str, is_active: bool) -> User:
    """Change the name, contact details and active state of an account the actor manages."""
    data = _clean_profile(full_name=full_name, phone=phone, email=email)
    with audited(actor):
        locked = _lock_manageable(actor, target)
        for field, value in data.items():
            setattr(locked, field, value)
        locked.is_active = is_active
        locked.save(update_fields=[*data, "is_active"])
    return locked


def user_set_active(*, actor: Any, target: User, active: bool) -> User:
    """Deactivate (the account can no longer log in and its sessions end) or reactivate an account."""
    with audited(actor):
        locked = _lock_manageable(actor, target)
        if locked.is_active == active:
            state = _("启用") if active else _("停用")
            raise ValidationError(_("该账号已经是%(state)s状态。") % {"state": state})
        locked.is_active = active
        locked.save(update_fields=["is_active"])
    return locked


def user_password_reset(*, actor: Any, target: User, new_password: str, request: HttpRequest | None = None) -> User:
    """Give an account a temporary password; its holder must choose a new one at the next login.

    The old sessions end (Django checks the password hash on every request).
    """
    with audited(actor):
        locked = _lock_manageable(actor, target)
        _check_password(new_password, locked)
        locked.set_password(new_password)
        locked.must_change_password = True
        locked.password_changed_at = timezone.now()
        locked.save(update_fields=["password", "must_change_password", "password_changed_at"])
        security_event_record(
            kind=EventKind.PASSWORD_CHANGE,
            request=request,
            user=actor,
            org_path=selectors.account_org_path(locked),
            detail=_("管理员重置账号 %(who)s 的密码(下次登录须修改)") % {"who": _event_detail(locked)},
        )
    return locked


def user_unlock(*, actor: Any, target: User, request: HttpRequest | None = None) -> int:
    """Lift a login lock-out before its 30 minutes are over; returns the number of failure records cleared."""
    if not selectors.user_in_scope(user=actor, target=target, perm=Perm.ACCOUNT_UNLOCK):
        raise PermissionDenied(_("您无权解锁该账号。"))
    if target.pk == actor.pk:
        raise ValidationError(_("不能解锁自己的账号。"))
    with audited(actor):
        User.objects.select_for_update().filter(pk=target.pk).get()
        if not selectors.lock_status(username=target.username).locked:
            raise ValidationError(_("该账号当前没有被锁定。"))
        cleared = axes_reset(username=target.username)
        security_event_record(
            kind=EventKind.UNLOCK,
            request=request,
            user=actor,
            org_path=selectors.account_org_path(target),
            detail=_("解除账号 %(who)s 的登录锁定") % {"who": _event_detail(target)},
        )
    return cleared


def personal_data_view_record(*, request: HttpRequest | None, actor: Any, target: User, fields: str) -> None:
    """Log that ``actor`` saw ``target``'s personal data in full (DESIGN.md §4)."""
    security_event_record(
        kind=EventKind.PERSONAL_DATA_VIEW,
        request=request,
        user=actor,
        org_path=selectors.account_org_path(target),
        detail=_("查看账号 %(who)s 的完整%(fields)s") % {"who": _event_detail(target), "fields": fields},
    )


# --- role assignments ---------------------------------------------------------------------------


def role_assignment_create(*, actor: Any, target: User, role: str, organization: Organization) -> RoleAssignment:
    """Grant ``role`` at ``organization`` (and so over its subtree) to an account the actor can see."""
    if not selectors.user_in_scope(user=actor, target=target, perm=Perm.USER_MANAGE):
        raise PermissionDenied(_("该账号不在您的账号管理范围内。"))
    _check_grant(actor=actor, target_pk=target.pk, role=role, organization=organization)
    with audited(actor):
        User.objects.select_for_update().filter(pk=target.pk).get()
        if RoleAssignment.objects.filter(user=target, role=role, organization=organization).exists():
            raise ValidationError(
                _("该账号在“%(org)s”已经是“%(role)s”。") % {"org": organization.name, "role": Role(role).label}
            )
        return RoleAssignment.objects.create(user=target, role=role, organization=organization)


def role_assignment_delete(*, actor: Any, assignment: RoleAssignment) -> None:
    """Take a role back. Removing the last one is allowed: the account then sees nothing."""
    organization = assignment.organization
    if assignment.user_id == actor.pk:
        raise ValidationError(_("不能给自己授予或移除角色。"))
    if not covers(actor, Perm.USER_MANAGE, organization):
        raise ValidationError(_("“%(org)s”不在您的账号管理范围内。") % {"org": organization.name})
    if assignment.role not in grantable_roles(actor=actor, organization=organization):
        raise ValidationError(_("您无权移除“%(role)s”角色。") % {"role": assignment.get_role_display()})
    with audited(actor):
        User.objects.select_for_update().filter(pk=assignment.user_id).get()
        deleted, _rows = RoleAssignment.objects.filter(pk=assignment.pk).delete()
        if not deleted:
            raise ValidationError(_("该角色已被移除。"))
