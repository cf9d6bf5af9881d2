"""Built-in roles and the permissions each one carries.

A role is always held *at* an organisation and covers that organisation's
subtree. The separation of duties follows MLPS 2.0 (等保2.0): the security
administrator manages accounts but sees no business data; the audit
administrator reads the audit log and changes nothing.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")
    BUREAU_ADMIN = "bureau_admin", _("教育局管理员")
    BUREAU_REVIEWER = "bureau_reviewer", _("教育局审核员")
    SCHOOL_HEAD = "school_head", _("校长")
    CIO = "cio", _("首席信息官")
    LIAISON = "liaison", _("信息化联络员")
    EXPERT = "expert", _("专家")
    INSPECTOR = "inspector", _("督导员(只读)")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


class Perm(models.TextChoices):
    """Permission codes checked by views, selectors and the API."""

    DASHBOARD_VIEW = "dashboard.view", _("查看工作台")
    ORG_VIEW = "org.view", _("查看单位")
    ORG_MANAGE = "org.manage", _("管理单位")
    ORG_EXPORT = "org.export", _("导出单位")
    USER_VIEW = "user.view", _("查看账号")
    USER_MANAGE = "user.manage", _("管理账号")
    ACCOUNT_UNLOCK = "account.unlock", _("解锁账号")
    AUDIT_VIEW = "audit.view", _("查看审计日志")
    WORKFLOW_REVIEW = "workflow.review", _("审核报送事项")
    POLICY_VIEW = "policy.view", _("查看制度规则")
    POLICY_MANAGE = "policy.manage", _("发布与采用制度包")
    POLICY_EXPORT = "policy.export", _("导出合规检查")
    PERSON_VIEW = "person.view", _("查看人员信息")
    PERSON_MANAGE = "person.manage", _("维护人员信息")
    NOMINATION_VIEW = "nomination.view", _("查看推荐表")
    NOMINATION_MANAGE = "nomination.manage", _("填报推荐表")
    APPOINTMENT_VIEW = "appointment.view", _("查看任命与覆盖情况")
    APPOINTMENT_MANAGE = "appointment.manage", _("发文聘任、变更与取消任命")
    APPOINTMENT_EXPORT = "appointment.export", _("导出汇总表与聘任通知")
    TRAINING_VIEW = "training.view", _("查看培训与培训合规情况")
    TRAINING_MANAGE = "training.manage", _("组织培训、登记考勤与发证")
    ASSESSMENT_VIEW = "assessment.view", _("查看考核评价")
    ASSESSMENT_MANAGE = "assessment.manage", _("组织考核、分配评审与发布结果")
    ASSESSMENT_SUBMIT = "assessment.submit", _("填报自评与提出申诉")
    ASSESSMENT_SCORE = "assessment.score", _("评审打分")
    RECTIFICATION_VIEW = "rectification.view", _("查看限期整改与表彰追责")
    RECTIFICATION_MANAGE = "rectification.manage", _("下达整改通知、表彰与追责")
    RECTIFICATION_SUBMIT = "rectification.submit", _("报送整改报告")


_BUSINESS_READ = {Perm.DASHBOARD_VIEW, Perm.ORG_VIEW, Perm.ORG_EXPORT, Perm.POLICY_VIEW, Perm.POLICY_EXPORT}
_APPOINTMENT_READ = {Perm.PERSON_VIEW, Perm.NOMINATION_VIEW, Perm.APPOINTMENT_VIEW, Perm.APPOINTMENT_EXPORT}
# The school fills the 推荐表; the bureau issues, changes and revokes appointments.
_NOMINATE = _APPOINTMENT_READ | {Perm.PERSON_MANAGE, Perm.NOMINATION_MANAGE}
_APPOINT = _APPOINTMENT_READ | {Perm.APPOINTMENT_MANAGE}
# Every bureau and school organises trainings and records attendance; liaisons and inspectors only look.
_TRAINING = {Perm.TRAINING_VIEW, Perm.TRAINING_MANAGE}
# The bureau organises and scores; the unit self-assesses and appeals; an expert only scores what it is assigned.
_ASSESS_ORGANISE = {Perm.ASSESSMENT_VIEW, Perm.ASSESSMENT_MANAGE, Perm.ASSESSMENT_SCORE}
_ASSESS_UNIT = {Perm.ASSESSMENT_VIEW, Perm.ASSESSMENT_SUBMIT}
# The bureau orders rectification and records commendation / accountability; the unit reports its rectification.
_RECTIFY_ORDER = {Perm.RECTIFICATION_VIEW, Perm.RECTIFICATION_MANAGE}
_RECTIFY_REPORT = {Perm.RECTIFICATION_VIEW, Perm.RECTIFICATION_SUBMIT}
# Roles a review chain may name for a step (the step's role held exactly at its acting unit decides it).
_REVIEW = {Perm.WORKFLOW_REVIEW}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.PLATFORM_ADMIN: frozenset(Perm.values),
    Role.BUREAU_ADMIN: frozenset(
        _BUSINESS_READ
        | _REVIEW
        | _NOMINATE
        | _APPOINT
        | _TRAINING
        | _ASSESS_ORGANISE
        | _RECTIFY_ORDER
        | {Perm.ORG_MANAGE, Perm.POLICY_MANAGE, Perm.USER_VIEW, Perm.USER_MANAGE}
    ),
    Role.BUREAU_REVIEWER: frozenset(
        _BUSINESS_READ | _REVIEW | _APPOINT | _TRAINING | _RECTIFY_ORDER | {Perm.ASSESSMENT_VIEW, Perm.ASSESSMENT_SCORE}
    ),
    Role.SCHOOL_HEAD: frozenset(_BUSINESS_READ | _REVIEW | _NOMINATE | _TRAINING | _ASSESS_UNIT | _RECTIFY_REPORT),
    Role.CIO: frozenset(_BUSINESS_READ | _REVIEW | _NOMINATE | _TRAINING | _ASSESS_UNIT | _RECTIFY_REPORT),
    Role.LIAISON: frozenset(
        {
            Perm.DASHBOARD_VIEW,
            Perm.ORG_VIEW,
            Perm.POLICY_VIEW,
            Perm.NOMINATION_VIEW,
            Perm.APPOINTMENT_VIEW,
            Perm.TRAINING_VIEW,
            Perm.ASSESSMENT_VIEW,
            Perm.RECTIFICATION_VIEW,
        }
    ),
    Role.EXPERT: frozenset({Perm.DASHBOARD_VIEW, Perm.ORG_VIEW, Perm.POLICY_VIEW, Perm.ASSESSMENT_SCORE} | _REVIEW),
    Role.INSPECTOR: frozenset(
        _BUSINESS_READ | _APPOINTMENT_READ | {Perm.TRAINING_VIEW, Perm.ASSESSMENT_VIEW, Perm.RECTIFICATION_VIEW}
    ),
    Role.SECURITY_ADMIN: frozenset({Perm.USER_VIEW, Perm.USER_MANAGE, Perm.ACCOUNT_UNLOCK}),
    Role.AUDIT_ADMIN: frozenset({Perm.AUDIT_VIEW}),
}

# Roles that only the platform administrator may hand out.
RESERVED_ROLES = frozenset({Role.PLATFORM_ADMIN})

# Roles that carry business work but no administration of accounts, the audit log or the tree.
BUSINESS_ROLES = frozenset(
    {Role.BUREAU_REVIEWER, Role.SCHOOL_HEAD, Role.CIO, Role.LIAISON, Role.EXPERT, Role.INSPECTOR}
)

# Which roles a holder of USER_MANAGE may hand out (and take back) inside the subtree of that role.
#
# - The platform administrator grants everything, the reserved role included.
# - A bureau administrator (the system administrator of MLPS 2.0) grants every role but the
#   reserved one, so a bureau appoints its own reviewers, security and audit administrators.
# - The security administrator manages accounts but grants business roles only: granting an
#   administrator role (bureau, security or audit) would let them build themselves an account with
#   powers beyond the separation of duties, e.g. one that reads business data or the audit log.
GRANTABLE_ROLES: dict[str, frozenset[str]] = {
    Role.PLATFORM_ADMIN: frozenset(Role.values),
    Role.BUREAU_ADMIN: frozenset(Role.values) - RESERVED_ROLES,
    Role.SECURITY_ADMIN: BUSINESS_ROLES,
}


# At a university the bureau roles are the university's own offices (宜春: the 党委常委会's decision is recorded
# by its office's reviewer account), so they are not called 教育局… there.
UNIVERSITY_ROLE_LABELS = {
    Role.BUREAU_ADMIN: _("学校管理员"),
    Role.BUREAU_REVIEWER: _("学校审核员"),
}


def role_label(role: str, organization_kind: str = "") -> str:
    """The role's name as shown at a unit of ``organization_kind``."""
    if organization_kind in ("university", "department") and role in UNIVERSITY_ROLE_LABELS:
        return str(UNIVERSITY_ROLE_LABELS[Role(role)])
    return str(Role(role).label) if role in Role.values else role


def role_has(role: str, perm: str) -> bool:
    return perm in ROLE_PERMISSIONS.get(role, frozenset())
