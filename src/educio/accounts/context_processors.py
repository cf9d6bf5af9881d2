"""Navigation and the role switcher, shown on every page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from educio.accounts.roles import Perm, role_label
from educio.accounts.scope import ACTIVE_ASSIGNMENT_ATTR, all_grants, has_perm


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    perm: str
    section: str


NAV_ITEMS = [
    NavItem(_("工作台"), "dashboard:home", Perm.DASHBOARD_VIEW, "dashboard"),
    NavItem(_("首席信息官覆盖情况"), "dashboard:coverage", Perm.APPOINTMENT_VIEW, "dashboard"),
    NavItem(_("单位管理"), "orgs:list", Perm.ORG_VIEW, "orgs"),
    NavItem(_("制度规则"), "policies:list", Perm.POLICY_VIEW, "policies"),
    NavItem(_("文书模板"), "documents:templates", Perm.POLICY_VIEW, "documents"),
    NavItem(_("人员信息"), "people:list", Perm.PERSON_VIEW, "people"),
    NavItem(_("首席信息官推荐"), "appointments:nomination_list", Perm.NOMINATION_VIEW, "appointments"),
    NavItem(_("首席信息官任命"), "appointments:appointment_list", Perm.APPOINTMENT_VIEW, "appointments"),
    NavItem(_("考核评价"), "assessments:cycle_list", Perm.ASSESSMENT_VIEW, "assessments"),
    NavItem(_("我的评审任务"), "assessments:my_reviews", Perm.ASSESSMENT_SCORE, "assessments"),
    NavItem(_("培训管理"), "training:event_list", Perm.TRAINING_VIEW, "training"),
    NavItem(_("限期整改"), "rectifications:order_list", Perm.RECTIFICATION_VIEW, "rectifications"),
    NavItem(_("表彰与追责"), "rectifications:recognition_list", Perm.RECTIFICATION_VIEW, "rectifications"),
    NavItem(_("待办审核"), "workflow:inbox", Perm.WORKFLOW_REVIEW, "workflow"),
    NavItem(_("我的报送"), "workflow:mine", Perm.ORG_VIEW, "workflow"),
    NavItem(_("我的导出"), "documents:job_list", Perm.DASHBOARD_VIEW, "documents"),
    NavItem(_("账号管理"), "accounts:user_list", Perm.USER_VIEW, "accounts"),
    NavItem(_("锁定账号"), "accounts:locked_list", Perm.ACCOUNT_UNLOCK, "accounts"),
    NavItem(_("审计日志"), "audit:list", Perm.AUDIT_VIEW, "audit"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    path = request.path
    items = [
        {"label": item.label, "url": reverse(item.url_name), "active": False}
        for item in NAV_ITEMS
        if has_perm(user, item.perm)
    ]
    # The longest menu address the page lies under is the one highlighted (/workflow/mine/ is not the inbox).
    matches = [i for i in items if path == i["url"] or (i["url"] != "/" and path.startswith(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    grants = all_grants(user)
    active_id = getattr(user, ACTIVE_ASSIGNMENT_ATTR, None)
    active = next((g for g in grants if g.assignment_id == active_id), None)
    return {
        "nav_items": items,
        "role_grants": [
            {"id": g.assignment_id, "label": f"{role_label(g.role, g.organization_kind)} · {g.organization_name}"}
            for g in grants
        ],
        "active_grant_label": f"{role_label(active.role, active.organization_kind)} · {active.organization_name}"
        if active
        else _("全部身份"),
        "active_grant_id": active_id,
    }
