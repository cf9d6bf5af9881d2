"""Checks per rule kind: modules plug in the evaluation of the rules whose data they own.

A check receives one rule and a list of units (a page of them) and returns an
``Outcome`` per unit id, using a fixed number of queries for the whole list::

    from educio.policies.compliance import Outcome, register

    @register("training_requirement")
    def training_requirement(rule, units):
        ...  # one query for all ``units``
        return {unit.pk: Outcome.passed("2025年参加集中培训1次") for unit in units}

A rule kind without a registered check is reported "暂无法评估" with the
reason below — never "pass".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from educio.orgs.models import Organization
    from educio.policies.compliance.rules import CheckableRule


class Status(StrEnum):
    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    NOT_EVALUABLE = "not_evaluable"


STATUS_LABELS = {Status.PASS: "符合", Status.FAIL: "不符合", Status.NOT_EVALUABLE: "暂无法评估"}


@dataclass(frozen=True)
class Outcome:
    status: Status
    explanation: str

    @classmethod
    def passed(cls, explanation: str) -> Outcome:
        return cls(Status.PASS, explanation)

    @classmethod
    def failed(cls, explanation: str) -> Outcome:
        return cls(Status.FAIL, explanation)

    @classmethod
    def not_evaluable(cls, reason: str) -> Outcome:
        return cls(Status.NOT_EVALUABLE, reason)


Check = Callable[["CheckableRule", Sequence["Organization"]], Mapping[int, Outcome]]

# Why a kind cannot be evaluated yet: the module that owns its data.
PENDING_REASONS: dict[str, str] = {
    "post_filled": "暂无任命数据(任命管理模块尚未启用)",
    "holder_eligible": "暂无任命与人员数据(任命管理模块尚未启用)",
    "term_limits": "暂无任命与任期数据(任命管理模块尚未启用)",
    "change_refiled": "暂无任命变更数据(任命管理模块尚未启用)",
    "coverage_target": "暂无任命数据,无法统计覆盖率(任命管理模块尚未启用)",
    "assessment_cycle": "暂无考核数据(考核评价模块尚未启用)",
    "rectification": "暂无整改数据(考核评价模块尚未启用)",
    "training_requirement": "暂无培训记录(培训模块尚未启用)",
    "governance_body": "暂无机构设置数据(工作机制模块尚未启用)",
    "governance_meetings": "暂无会议记录(工作机制模块尚未启用)",
    "governance_seat": "暂无机构成员数据(工作机制模块尚未启用)",
    "liaison_seat": "暂无联络员数据",
    "infrastructure_target": "暂无基础设施填报数据(基础设施模块尚未启用)",
    "progress_report": "暂无月调度报送记录(基础设施模块尚未启用)",
    "sso_integration": "暂无应用系统登记数据(统一身份认证模块尚未启用)",
    "plan_required": "暂无规划与计划数据(规划与项目模块尚未启用)",
    "project_review": "暂无项目申报数据(规划与项目模块尚未启用)",
    "banned_category": "暂无项目申报数据(规划与项目模块尚未启用)",
    "security_duty": "暂无安全检查与演练记录(网络安全模块尚未启用)",
    "security_equipment": "暂无安全设备登记数据(网络安全模块尚未启用)",
    "security_document": "暂无安全制度与预案数据(网络安全模块尚未启用)",
    "data_protection": "数据保护规则须通过督导检查人工核实",
}

_checks: dict[str, Check] = {}


def register(kind: str, *, replace: bool = False) -> Callable[[Check], Check]:
    """Register the check of a rule kind (``replace=True`` lets a module supersede a built-in check)."""

    def decorator(check: Check) -> Check:
        if kind in _checks and not replace and _checks[kind] is not check:
            raise ValueError(f"a check for rule kind {kind!r} is already registered")
        _checks[kind] = check
        return check

    return decorator


def unregister(kind: str) -> None:
    _checks.pop(kind, None)


def check_for(kind: str) -> Check | None:
    return _checks.get(kind)


def pending_reason(kind: str) -> str:
    return PENDING_REASONS.get(kind, "暂无评估该规则所需的数据")
