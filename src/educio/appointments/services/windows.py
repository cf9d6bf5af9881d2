"""Nomination windows (推荐批次): a bureau's call for nominations and its deadline."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from educio.accounts.roles import Perm
from educio.appointments.models import NominationWindow
from educio.appointments.services._common import _require
from educio.audit.services import audited
from educio.orgs.models import Organization, OrgKind


def window_create(
    *,
    actor: Any,
    organization: Organization,
    post: str,
    title: str,
    opens_on: date,
    deadline: date,
    note: str = "",
) -> NominationWindow:
    """A bureau calls for nominations in its subtree, with the deadline that then applies there."""
    _require(actor, Perm.APPOINTMENT_MANAGE, organization, _("您无权为该单位设置推荐批次。"))
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写批次名称。")
    if organization.kind not in (OrgKind.BUREAU, OrgKind.UNIVERSITY):
        errors["organization"] = _("推荐批次由教育行政部门或高校设置。")
    if deadline < opens_on:
        errors["deadline"] = _("报送截止日期不能早于开始日期。")
    if not post:
        errors["post"] = _("请选择岗位。")
    if errors:
        raise ValidationError(errors)
    with audited(actor):
        return NominationWindow.objects.create(
            organization=organization,
            post=post[:64],
            title=title[:120],
            opens_on=opens_on,
            deadline=deadline,
            note=(note or "").strip()[:500],
            created_by=actor,
        )
