"""Accounts, role assignments and the security settings that go with them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from educio.accounts.roles import Role
from educio.orgs.models import Organization


class User(AbstractUser):
    """A person who logs in. What they may see comes only from their role assignments.

    ``home_organization`` is the unit the account belongs to (所属单位). It grants nothing; it keeps
    an account that has lost all its roles visible to the administrators of its unit, and it decides
    whose account it is: only administrators covering the home unit may edit it or reset its password.
    """

    full_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("手机号"), max_length=32, blank=True)
    home_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="home_accounts",
        verbose_name=_("所属单位"),
    )
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    audit_exclude_fields = ("password", "last_login")

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_additional_data(self) -> dict[str, str]:
        """Audit entries of an account belong to its home unit (else the unit of its first role)."""
        home = self.home_organization
        if home is not None:
            return {"org_path": home.path}
        first = self.role_assignments.select_related("organization").first() if self.pk else None
        return {"org_path": first.organization.path if first else ""}


class RoleAssignment(models.Model):
    """A role held at an organisation; it covers that organisation's whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("账号"))
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("单位")
    )
    created_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        ordering = ["organization__path", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organization"], name="unique_role_assignment"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="role_assignment_known_role"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} @ {self.organization}"

    def get_additional_data(self) -> dict[str, str]:
        return {"org_path": self.organization.path}
