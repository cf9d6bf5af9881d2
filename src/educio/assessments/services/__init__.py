"""Every write of an assessment: templates, cycles, self-assessment, scoring, publishing and appeals.

Each service checks the actor's right over the unit concerned, runs in one
audited transaction, re-reads the row it changes under a lock and refuses a
step the current state does not allow, with a Chinese message.

Opening and publishing touch every subject of a cycle (a city has thousands
of schools): they insert and update in bulk, so the audit trail records the
cycle's change, not one entry per school.
"""

from __future__ import annotations

from ._common import (
    BUREAU_LEVEL_OF,
    COMMENT_MAX,
    FILES_PER_INDICATOR,
    NAME_MAX,
    ORGANISER_LABELS,
    ORGANISING_KINDS,
    REASONS_MAX,
    SCORING_CYCLE_STATES,
    TEXT_MAX,
    chinese_date,
    cite,
    pack_cycle,
    parse_decimal,
)
from .appeals import (
    appeal_decide,
    appeal_submit,
)
from .cycles import (
    cycle_close,
    cycle_create,
    cycle_open,
    cycle_set_deadlines,
    cycle_start_review,
    on_fail_rule,
    period_label,
)
from .publishing import (
    Published,
    cycle_publish,
    findings_for,
)
from .reviews import (
    SCORABLE,
    Assigned,
    cycle_mark_reviewed,
    reviewer_unassign,
    reviewers_assign,
    scores_save,
    scores_submit,
    subject_mark_reviewed,
)
from .self_assessment import (
    evidence_add,
    evidence_remove,
    self_assessment_save,
    self_assessment_submit,
    subject_extend,
)
from .templates import (
    next_version,
    template_copy,
    template_create_from_pack,
    template_update,
)

__all__ = [
    "BUREAU_LEVEL_OF",
    "COMMENT_MAX",
    "FILES_PER_INDICATOR",
    "NAME_MAX",
    "ORGANISER_LABELS",
    "ORGANISING_KINDS",
    "REASONS_MAX",
    "SCORABLE",
    "SCORING_CYCLE_STATES",
    "TEXT_MAX",
    "Assigned",
    "Published",
    "appeal_decide",
    "appeal_submit",
    "chinese_date",
    "cite",
    "cycle_close",
    "cycle_create",
    "cycle_mark_reviewed",
    "cycle_open",
    "cycle_publish",
    "cycle_set_deadlines",
    "cycle_start_review",
    "evidence_add",
    "evidence_remove",
    "findings_for",
    "next_version",
    "on_fail_rule",
    "pack_cycle",
    "parse_decimal",
    "period_label",
    "reviewer_unassign",
    "reviewers_assign",
    "scores_save",
    "scores_submit",
    "self_assessment_save",
    "self_assessment_submit",
    "subject_extend",
    "subject_mark_reviewed",
    "template_copy",
    "template_create_from_pack",
    "template_update",
]
