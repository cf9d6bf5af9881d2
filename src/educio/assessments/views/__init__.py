"""Assessment pages: indicator templates, cycles and their progress, self-assessment, scoring, results, appeals.

Views parse input, fetch through the scoped selectors (404 outside the scope;
an expert reaches only the subjects assigned to it, through the review pages)
and call a service; every rule lives in ``services``.
"""

from __future__ import annotations

from ._common import (
    DOCX_CONTENT_TYPE,
    ORGANISING_KINDS,
    attachment,
    error_text,
    evidence_response,
    fill_forms,
    managed_units,
    plain,
    scope_label,
    scope_roots,
    tree_context,
)
from .cycles import (
    FAIL_COLOUR,
    PASS_COLOURS,
    STAGE_COLOURS,
    CycleActionView,
    CycleCreateView,
    CycleDetailView,
    CycleListView,
    CycleReportView,
    grade_chart,
    progress_chart,
)
from .results import (
    ResultSheetView,
    unit_in_scope,
)
from .reviews import (
    MyReviewsView,
    ReviewEvidenceView,
    ReviewView,
    stored_score,
)
from .self_assessment import (
    EvidenceDeleteView,
    EvidenceDownloadView,
    EvidenceUploadView,
    MySubjectsView,
    SelfAssessmentView,
    stored_self,
)
from .subjects import (
    CycleAssignView,
    SubjectActionView,
    SubjectAppealView,
    SubjectDetailView,
    SubjectListView,
    SubjectManageView,
    filtered_subject_ids,
    scope_visible_branches,
    subject_context,
)
from .templates import (
    PackTemplateView,
    TemplateCopyView,
    TemplateDetailView,
    TemplateEditView,
    TemplateListView,
)

__all__ = [
    "DOCX_CONTENT_TYPE",
    "FAIL_COLOUR",
    "ORGANISING_KINDS",
    "PASS_COLOURS",
    "STAGE_COLOURS",
    "CycleActionView",
    "CycleAssignView",
    "CycleCreateView",
    "CycleDetailView",
    "CycleListView",
    "CycleReportView",
    "EvidenceDeleteView",
    "EvidenceDownloadView",
    "EvidenceUploadView",
    "MyReviewsView",
    "MySubjectsView",
    "PackTemplateView",
    "ResultSheetView",
    "ReviewEvidenceView",
    "ReviewView",
    "SelfAssessmentView",
    "SubjectActionView",
    "SubjectAppealView",
    "SubjectDetailView",
    "SubjectListView",
    "SubjectManageView",
    "TemplateCopyView",
    "TemplateDetailView",
    "TemplateEditView",
    "TemplateListView",
    "attachment",
    "error_text",
    "evidence_response",
    "fill_forms",
    "filtered_subject_ids",
    "grade_chart",
    "managed_units",
    "plain",
    "progress_chart",
    "scope_label",
    "scope_roots",
    "scope_visible_branches",
    "stored_score",
    "stored_self",
    "subject_context",
    "tree_context",
    "unit_in_scope",
]
