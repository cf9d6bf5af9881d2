"""Compliance engine: a pack's checkable rules evaluated for units, each finding citing its article.

- ``rules``: the checkable rules derived from a pack's sections;
- ``registry``: the check per rule kind (modules register theirs; unregistered
  kinds are reported "暂无法评估", never "pass");
- ``engine``: bulk evaluation of a page of units and the roll-up of a subtree;
- ``checks``: the checks that already run on existing data.
"""

from educio.policies.compliance import checks as _checks  # noqa: F401 - registers the built-in checks
from educio.policies.compliance.engine import (
    ComplianceFinding,
    RuleSummary,
    evaluate_unit,
    evaluate_units,
    rollup,
    rule_choices,
)
from educio.policies.compliance.registry import STATUS_LABELS, Outcome, Status, pending_reason, register
from educio.policies.compliance.rules import CheckableRule, checkable_rules

__all__ = [
    "STATUS_LABELS",
    "CheckableRule",
    "ComplianceFinding",
    "Outcome",
    "RuleSummary",
    "Status",
    "checkable_rules",
    "evaluate_unit",
    "evaluate_units",
    "pending_reason",
    "register",
    "rollup",
    "rule_choices",
]
