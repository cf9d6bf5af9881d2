"""Reads of accounts, scoped to the units whose accounts the user may see.

An account is in a user's scope for a permission when one of its role
assignments lies in the scope, or when its home unit (所属单位) does; the
home unit keeps an account without roles visible to the administrators of
its unit. Only the roles that lie in the scope are shown (``scoped_assignments``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.models import RoleAssignment, User
from educio.accounts.roles import Perm
from educio.accounts.scope import filter_in_scope, scope_paths, scope_q
from educio.orgs.models import Organization
from educio.orgs.selectors import org_list


def role_assignment_list(*, user: object, perm: str = Perm.USER_VIEW) -> QuerySet[RoleAssignment]:
    return filter_in_scope(RoleAssignment.objects.select_related("organization"), user, perm, "organization")


def user_list(*, user: object, perm: str = Perm.USER_VIEW) -> QuerySet[User]:
    """Accounts with a role or their home unit inside the user's scope, with the in-scope roles prefetched."""
    in_scope = role_assignment_list(user=user, perm=perm)
    accounts = User.objects.select_related("home_organization")
    if scope_paths(user, perm) != [""]:
        accounts = accounts.filter(
            Q(Exists(in_scope.filter(user=OuterRef("pk")))) | scope_q(user, perm, "home_organization__path")
        )
    return accounts.prefetch_related(
        Prefetch(
            "role_assignments", queryset=in_scope.order_by("organization__path", "role"), to_attr="scoped_assignments"
        )
    )


def user_get(*, user: object, pk: int, perm: str = Perm.USER_VIEW) -> User:
    """The account, or 404 when it lies outside the user's scope for ``perm``."""
    return get_object_or_404(user_list(user=user, perm=perm), pk=pk)


def user_in_scope(*, user: object, target: User, perm: str) -> bool:
    return user_list(user=user, perm=perm).filter(pk=target.pk).exists()


def account_org_path(target: User) -> str:
    """The unit an account's security events are filed under: its home unit, else its first role's unit."""
    if target.home_organization_id is not None:
        return Organization.objects.filter(pk=target.home_organization_id).values_list("path", flat=True).get()
    first = target.role_assignments.select_related("organization").order_by("pk").first()
    return first.organization.path if first else ""


# --- login lock-out (django-axes) -------------------------------------------------------------


@dataclass(frozen=True)
class LockStatus:
    failures: int
    last_failure: datetime | None

    @property
    def limit(self) -> int:
        return int(settings.AXES_FAILURE_LIMIT)

    @property
    def locked(self) -> bool:
        return self.failures >= self.limit

    @property
    def until(self) -> datetime | None:
        cool_off = get_cool_off()
        if not self.locked or self.last_failure is None or cool_off is None:
            return None
        return self.last_failure + cool_off


def _recent_attempts() -> QuerySet[AccessAttempt]:
    """Failed-login records that still count (axes forgets them after the cool-off time)."""
    cool_off: timedelta | None = get_cool_off()
    attempts = AccessAttempt.objects.all()
    return attempts if cool_off is None else attempts.filter(attempt_time__gte=timezone.now() - cool_off)


def lock_status(*, username: str) -> LockStatus:
    totals = (
        _recent_attempts().filter(username=username).aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
    )
    return LockStatus(failures=totals["n"] or 0, last_failure=totals["last"])


def locked_user_list(*, user: object, perm: str = Perm.ACCOUNT_UNLOCK) -> QuerySet[User]:
    """Accounts in scope that are locked out now, with ``failures`` and ``last_failure`` annotated."""
    recent = _recent_attempts().filter(username=OuterRef("username")).values("username")
    failures = Subquery(recent.annotate(n=Sum("failures_since_start")).values("n")[:1], output_field=IntegerField())
    last = Subquery(recent.annotate(last=Max("attempt_time")).values("last")[:1])
    return (
        user_list(user=user, perm=perm)
        .annotate(failures=Coalesce(failures, 0), last_failure=last)
        .filter(failures__gte=int(settings.AXES_FAILURE_LIMIT))
    )


# --- choosing an organisation without listing 20,000 of them ----------------------------------

_LABEL = re.compile(r"^(?P<name>.*?)\s*\[(?P<ref>#\d+|\d{10})\]$")
_MOE_CODE = re.compile(r"^\d{10}$")


def org_option_label(org: Organization) -> str:
    """How a unit is written in the organisation field: ``名称 [学校标识码]``, or ``名称 [#id]`` without a code."""
    return f"{org.name} [{org.moe_code}]" if org.moe_code else f"{org.name} [#{org.pk}]"


def manageable_org_list(*, user: object) -> QuerySet[Organization]:
    """Units where the user may manage accounts (the search sees names and codes only)."""
    return org_list(user=user, perm=Perm.USER_MANAGE).only("pk", "name", "moe_code", "path", "depth", "is_active")


def manageable_org_search(*, user: object, text: str, limit: int = 20) -> list[Organization]:
    """Suggestions for the organisation field: active units whose name or MOE code matches."""
    text = text.strip()
    units = manageable_org_list(user=user).filter(is_active=True)
    match = _LABEL.match(text)
    if match:
        return list(units.filter(_ref_q(match.group("ref")))[:1])
    if text:
        units = units.filter(Q(name__icontains=text) | Q(short_name__icontains=text) | Q(moe_code__startswith=text))
    return list(units.order_by("depth", "path")[:limit])


def manageable_org_find(*, user: object, text: str) -> Organization:
    """The unit named by a MOE code, an exact name or a suggestion label, inside the user's USER_MANAGE scope."""
    text = text.strip()
    if not text:
        raise ValidationError(_("请填写单位。"))
    match = _LABEL.match(text)
    units = manageable_org_list(user=user)
    if match:
        found = list(units.filter(_ref_q(match.group("ref")))[:2])
    elif _MOE_CODE.match(text):
        found = list(units.filter(moe_code=text)[:2])
    else:
        found = list(units.filter(name=text)[:2])
    if not found:
        raise ValidationError(
            _("在您的账号管理范围内找不到单位“%(v)s”。请填写学校标识码或单位全称,或从提示中选择。") % {"v": text}
        )
    if len(found) > 1:
        raise ValidationError(_("有多个名为“%(v)s”的单位,请从提示中选择,或填写学校标识码。") % {"v": text})
    return found[0]


def _ref_q(ref: str) -> Q:
    return Q(pk=int(ref[1:])) if ref.startswith("#") else Q(moe_code=ref)
